"""JSON API of the opinions app: the stats part (mounted in renda/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router()
