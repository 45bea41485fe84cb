"""Writes to congresses and units: administrators only, validated, audited."""

from __future__ import annotations

from datetime import date

import pytest

from renda.audit.models import AuditEvent
from renda.audit.queries import verify_chain
from renda.errors import Forbidden, InvalidInput
from renda.orgs import actions
from renda.orgs.models import Congress, HandlingUnit


def _events(verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb))


def test_admin_creates_a_county_congress_with_an_audit_event(world):
    congress = actions.create_congress(
        name=" 龙湾区人民代表大会 ",
        level="county",
        region_name="龙湾区",
        division_code="330303",
        parent=world.city,
        by=world["admin"],
    )
    assert congress.name == "龙湾区人民代表大会"
    (event,) = _events("congress.created")
    assert event.actor_id == world["admin"].pk
    assert event.object_id == str(congress.pk)
    assert verify_chain()[1] is None


@pytest.mark.parametrize("username", ["affairs", "deputy", "edu_head", "leader", "nobody"])
def test_only_administrators_create_congresses(world, username):
    with pytest.raises(Forbidden):
        actions.create_congress(
            name="龙湾区人民代表大会",
            level="county",
            region_name="龙湾区",
            division_code="330303",
            parent=world.city,
            by=world[username],
        )
    assert not Congress.objects.filter(division_code="330303").exists()
    assert not _events("congress.created")


@pytest.mark.parametrize(
    "code, level", [("330300", "city"), ("33", "county"), ("330300", "county"), ("", "county")]
)
def test_bad_or_duplicate_division_code_is_invalid_input(world, code, level):
    with pytest.raises(InvalidInput):
        actions.create_congress(
            name="某人大",
            level=level,
            region_name="某地",
            division_code=code,
            parent=world.city,
            by=world["admin"],
        )
    assert not _events("congress.created")


def test_update_congress_records_what_changed(world):
    actions.update_congress(world.city, name="温州市人民代表大会", by=world["admin"])
    world.city.refresh_from_db()
    assert world.city.name == "温州市人民代表大会"
    (event,) = _events("congress.updated")
    assert event.data == {"changed": {"name": ["示范市人民代表大会", "温州市人民代表大会"]}}


def test_update_congress_without_changes_records_nothing(world):
    actions.update_congress(world.city, name=world.city.name, by=world["admin"])
    assert not _events("congress.updated")


def test_update_congress_refuses_unknown_fields_and_bad_parents(world):
    with pytest.raises(InvalidInput):
        actions.update_congress(world.city, pk=5, by=world["admin"])
    with pytest.raises(InvalidInput):
        actions.update_congress(world.city, parent=world.county, by=world["admin"])


def test_create_and_deactivate_a_unit(world):
    unit = actions.create_unit(world.city, name="市民政局", kind="government", by=world["admin"])
    actions.update_unit(unit, active=False, by=world["admin"])
    unit.refresh_from_db()
    assert unit.active is False
    assert [e.verb for e in AuditEvent.objects.filter(object_id=str(unit.pk))] == [
        "unit.created",
        "unit.updated",
    ]


def test_unit_names_are_unique_within_a_congress(world):
    with pytest.raises(InvalidInput):
        actions.create_unit(world.city, name="市教育局", kind="government", by=world["admin"])
    # The same name under another congress is fine.
    actions.create_unit(world.county, name="市教育局", kind="government", by=world["admin"])


@pytest.mark.parametrize("kind", ["", "ministry", "x" * 50])
def test_unit_kind_must_be_known(world, kind):
    with pytest.raises(InvalidInput):
        actions.create_unit(world.city, name="某局", kind=kind, by=world["admin"])
    assert not HandlingUnit.objects.filter(name="某局").exists()


def test_unit_clerk_cannot_rename_its_own_unit(world):
    with pytest.raises(Forbidden):
        actions.update_unit(world.edu, name="市教育厅", by=world["edu_head"])


def test_terms_sessions_and_sc_members_are_validated_and_audited(world):
    term = actions.create_term(
        world.county, number=14, start_date=date(2022, 1, 1), by=world["admin"]
    )
    with pytest.raises(InvalidInput):
        actions.create_session(
            term,
            number=1,
            start_date=date(2022, 1, 5),
            end_date=date(2022, 1, 4),
            by=world["admin"],
        )
    actions.create_session(
        term, number=1, start_date=date(2022, 1, 5), end_date=date(2022, 1, 8), by=world["admin"]
    )
    actions.add_sc_member(
        term, world["deputy"], position="member", start_date=date(2022, 1, 8), by=world["admin"]
    )
    with pytest.raises(InvalidInput):
        actions.add_sc_member(
            term, world["deputy"], position="member", start_date=date(2022, 1, 8), by=world["admin"]
        )
    assert [e.verb for e in AuditEvent.objects.order_by("seq")] == [
        "term.created",
        "session.created",
        "sc_member.added",
    ]
