"""The demo world, loaded once per test module (it takes seconds: every demo suggestion is
played through the real actions) and rolled back when the module is done. Each test still
runs in its own transaction inside it (the `db` fixture), so what a test changes is undone."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker) -> Iterator[str]:
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo_world, db) -> str:
    return demo_world
