"""JSON API of the deputies app: the activities part (mounted in renda/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router()
