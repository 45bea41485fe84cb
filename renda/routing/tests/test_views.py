"""The assign form's proposals (htmx fragment), the office's overview, and the office's choice
recorded beside the proposal by the assignment (accuracy in use). Every role checked."""

from __future__ import annotations

import pytest
from django.utils import timezone

from renda.audit.models import AuditEvent
from renda.routing.actions import import_history, train_model
from renda.routing.models import Proposal
from renda.suggestions.actions.assignment import assign
from renda.suggestions.tests.assignment_builders import registered

from .archive import rows, write_csv
from .test_api import ROLES

OFFICE = {"affairs", "admin"}


@pytest.fixture
def trained(world, tmp_path):
    import_history(world.city, write_csv(tmp_path / "h.csv", rows(80)))
    return train_model(world.city).trained


@pytest.mark.parametrize("username", ROLES)
def test_proposals_fragment_permission_matrix(signed_in, world, username):
    s = registered(world, title="关于增加学校教师编制的建议")
    r = signed_in(username).get(f"/routing/suggestions/{s.pk}/proposals/")
    assert r.status_code == (200 if username in OFFICE else 404)


@pytest.mark.parametrize("username", ROLES)
def test_overview_permission_matrix(signed_in, username):
    r = signed_in(username).get("/routing/")
    allowed = OFFICE | {"county_affairs"}
    assert r.status_code == (200 if username in allowed else 404)


def test_anonymous_goes_to_sign_in(client, world):
    assert client.get("/routing/").status_code == 302


def test_without_history_the_form_says_so(signed_in, world):
    s = registered(world)
    r = signed_in("affairs").get(f"/routing/suggestions/{s.pk}/proposals/")
    assert b"too little history" in r.content
    assert not Proposal.objects.exists()


def test_proposals_are_shown_recorded_and_the_choice_kept_beside_them(signed_in, world, trained):
    s = registered(world, title="关于增加学校教师编制的建议")
    client = signed_in("affairs")
    page = client.get(f"/suggestions/{s.pk}/office/assign/")
    assert f"/routing/suggestions/{s.pk}/proposals/".encode() in page.content
    r = client.get(f"/routing/suggestions/{s.pk}/proposals/")
    text = r.content.decode()
    assert "市教育局" in text and 'data-testid="pick-proposal"' in text
    assert f"lead_units={world.edu.pk}" in text
    proposal = Proposal.objects.get(suggestion=s)
    assert proposal.proposed[0] == world.edu.pk and proposal.chosen is None

    r = client.post(
        f"/suggestions/{s.pk}/office/assign/",
        {"lead_units": [world.transport.pk], "assigned_on": timezone.localdate().isoformat()},
    )
    assert r.status_code == 302
    proposal.refresh_from_db()
    assert proposal.chosen == [world.transport.pk] and proposal.chosen_by == world["affairs"]
    event = AuditEvent.objects.get(verb="routing.choice_recorded")
    assert event.data["first_taken"] is False

    overview = client.get("/routing/").content.decode()
    assert 'data-testid="in-use"' in overview
    assert "another unit chosen" in overview


def test_assignment_without_a_proposal_records_nothing(world):
    s = registered(world)
    assign(s, lead_units=[world.edu.pk], by=world["affairs"])
    assert not Proposal.objects.exists()
    assert not AuditEvent.objects.filter(verb="routing.choice_recorded").exists()
