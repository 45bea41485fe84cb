"""The per-request reads in plain SQL give exactly what the ORM gives."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone

from renda.accounts.hot_reads import load_roles, load_user, session_data
from renda.accounts.models import RoleAssignment, User


def fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_load_user_equals_the_orm(world):
    for user in User.objects.all():
        loaded = load_user(user.pk)
        assert fields(loaded) == fields(user)
        assert loaded._state.adding is False and loaded._state.db == "default"
    assert load_user(10**9) is None
    assert load_user("x") is None


def test_load_roles_equals_select_related(world):
    for user in User.objects.all():
        orm = list(
            RoleAssignment.objects.filter(user=user)
            .select_related("congress", "unit")
            .order_by("id")
        )
        mine = load_roles(user.pk)
        assert [fields(r) for r in mine] == [fields(r) for r in orm]
        for a, b in zip(mine, orm, strict=True):
            assert (a.congress and fields(a.congress)) == (b.congress and fields(b.congress))
            assert (a.unit and fields(a.unit)) == (b.unit and fields(b.unit))


def test_session_data_only_while_unexpired(world):
    c = Client()
    c.force_login(world["deputy"])
    key = c.session.session_key
    row = Session.objects.get(session_key=key)
    assert session_data(key, timezone.now()) == row.session_data
    assert session_data(key, row.expire_date + timedelta(seconds=1)) is None
    assert session_data("nope", timezone.now()) is None
    assert model_to_dict(world["deputy"])  # the session's user is still a plain model


def test_load_user_with_roles_equals_the_orm(world):
    from renda.accounts.hot_reads import load_user_with_roles

    for user in User.objects.all():
        loaded = load_user_with_roles(user.pk)
        assert fields(loaded) == fields(user)
        orm = list(
            RoleAssignment.objects.filter(user=user)
            .select_related("congress", "unit")
            .order_by("id")
        )
        mine = loaded._renda_roles
        assert [fields(r) for r in mine] == [fields(r) for r in orm]
        for a, b in zip(mine, orm, strict=True):
            assert (a.congress and fields(a.congress)) == (b.congress and fields(b.congress))
            assert (a.unit and fields(a.unit)) == (b.unit and fields(b.unit))
    assert load_user_with_roles(10**9) is None


def test_a_session_changed_by_one_request_is_not_changed_for_the_next(world):
    """The decoded session is kept per process by its stored text; what a request changes in
    its own session (even inside a list) never leaks into the kept copy."""
    from renda.accounts.sessions import SessionStore

    store = SessionStore()
    store["items"] = [1]
    store.save()
    first = SessionStore(store.session_key)
    first["items"].append(2)  # changed in place, not saved
    second = SessionStore(store.session_key)
    assert second["items"] == [1]
