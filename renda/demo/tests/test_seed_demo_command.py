"""`manage.py seed_demo` on an empty database, in production, and beside other data (these need
a database without the demo world, so they are not in test_seed_demo.py's module)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renda.accounts.models import User
from renda.orgs.models import Congress
from renda.suggestions.models import Suggestion

from .test_seed_demo import seed, snapshot


def test_seed_refuses_in_production(db, settings):
    settings.RENDA_ENV = "production"
    with pytest.raises(CommandError, match="RENDA_ENV=production"):
        seed()
    assert not Congress.objects.exists()
    assert not User.objects.exists()
    assert not Suggestion.objects.exists()


def test_if_new_loads_an_empty_database(db):
    seed("--if-new")
    assert Congress.objects.count() == 4
    assert Suggestion.objects.count() >= 40


def test_if_new_leaves_a_database_with_congresses_alone(world):
    before = snapshot()
    output = seed("--if-new")
    assert "not loaded" in output
    assert snapshot() == before


def test_demo_logins_on_an_empty_database_prints_only_the_url(db):
    out = StringIO()
    call_command("demo_logins", "--url", "http://127.0.0.1:8000", stdout=out)
    assert out.getvalue().strip() == "Renda is running at http://127.0.0.1:8000"
