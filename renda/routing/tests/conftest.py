"""Routing tests keep their model files in a temporary data directory (a file left by another
test must never answer for this one's congress)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    from renda.routing import training

    training._cache.clear()
