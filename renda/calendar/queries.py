from __future__ import annotations


def calendar_gaps() -> list[int]:
    return []
