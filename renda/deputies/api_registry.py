"""JSON API of the deputies app: the registry part (mounted in renda/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router()
