"""The deputy-affairs office's pages: the inbox, the actions on a suggestion's page (register,
reject, convert, assign with the unit search, return decisions, key suggestions), the home panel
and the header entry. Every page × every role of the world; bad input gives a form error and
writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import WORLD_USERS
from renda.suggestions.actions.assignment import request_return
from renda.suggestions.actions.key import mark_key
from renda.suggestions.actions.submission import create_draft, submit
from renda.suggestions.models import KeySuggestion, ReturnRequest, Suggestion

from .assignment_builders import assigned, assignment_of, registered

OFFICE = {"admin", "affairs"}  # the city congress's office (county_affairs is another congress)
INBOX_USERS = {"admin", "affairs", "county_affairs"}


def submitted(world, title="关于增加学校周边公交线路的建议", deputy="deputy"):
    s = create_draft(world.city, by=world[deputy], title=title, body="学校周边公交线路不足。")
    return submit(s, by=world[deputy])


def with_return_request(world):
    s = assigned(world, leads=("edu",))
    rr = request_return(
        assignment_of(s, world.edu), reason="本建议涉及公交线路。", by=world["edu_clerk"]
    )
    return s, rr


def fresh(s):
    return Suggestion.objects.get(pk=s.pk)


# --- the inbox ----------------------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_inbox_is_for_the_deputy_affairs_office_only(signed_in, world, username):
    response = signed_in(username).get("/suggestions/office/")
    assert response.status_code == (200 if username in INBOX_USERS else 404)


def test_inbox_asks_anonymous_people_to_sign_in(client, world):
    response = client.get("/suggestions/office/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_inbox_lists_submissions_oldest_first_with_links_to_their_pages(signed_in, world):
    first = submitted(world, title="第一条建议")
    second = submitted(world, title="第二条建议", deputy="deputy2")
    Suggestion.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    html = signed_in("affairs").get("/suggestions/office/").content.decode()
    section = html.split('data-testid="to-register"')[1].split("</section>")[0]
    assert section.index("第一条建议") < section.index("第二条建议")
    assert f'href="/suggestions/{first.pk}/"' in section
    assert f'href="/suggestions/{second.pk}/"' in section


def test_inbox_of_another_congress_office_is_empty(signed_in, world):
    submitted(world, title="市里的建议")
    html = signed_in("county_affairs").get("/suggestions/office/").content.decode()
    assert "市里的建议" not in html


def test_inbox_shows_return_requests_overdue_answers_and_key_suggestions(signed_in, world):
    s, rr = with_return_request(world)
    late = assigned(world, leads=("transport",))
    deadline = assignment_of(late, world.transport).answer_deadline
    deadline.due = timezone.localdate() - timedelta(days=1)
    deadline.save(update_fields=["due"])
    mark_key(late, committee="教育科学文化卫生委员会", by=world["affairs"])
    html = signed_in("affairs").get("/suggestions/office/").content.decode()
    returns = html.split('data-testid="returns"')[1].split("</section>")[0]
    assert "市教育局" in returns and f"/suggestions/{s.pk}/" in returns
    overdue = html.split('data-testid="overdue"')[1].split("</section>")[0]
    assert "市交通运输局" in overdue and "text-bg-danger" in overdue
    assert (timezone.localdate() - timedelta(days=1)).isoformat() in overdue
    key = html.split('data-testid="key-board"')[1].split("</section>")[0]
    assert "教育科学文化卫生委员会" in key and f"/suggestions/{late.pk}/" in key


# --- the panel on the suggestion's page ---------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_office_panel_shows_only_to_the_office(signed_in, world, username):
    s = submitted(world)
    response = signed_in(username).get(f"/suggestions/{s.pk}/")
    if response.status_code == 404:
        assert username not in OFFICE
        return
    shown = b'data-testid="office-actions"' in response.content
    assert shown == (username in OFFICE)


def test_panel_offers_register_reject_with_the_profiles_grounds_and_convert(signed_in, world):
    s = submitted(world)
    html = signed_in("affairs").get(f"/suggestions/{s.pk}/").content.decode()
    assert 'data-testid="register"' in html and 'data-testid="convert"' in html
    assert 'value="personal_matter"' in html
    assert 'value="petition"' not in html  # a beijing ground; the default profile is zhejiang


def test_panel_offers_assignment_with_the_unit_search_once_registered(signed_in, world):
    s = registered(world)
    html = signed_in("affairs").get(f"/suggestions/{s.pk}/").content.decode()
    assert 'data-testid="assign-form"' in html
    assert f'hx-get="/suggestions/{s.pk}/office/units/?field=lead_units' in html
    assert "市教育局" in html and 'data-testid="mark-key"' in html


# --- register, reject, convert ------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_register_only_by_the_office(signed_in, world, username):
    s = submitted(world)
    response = signed_in(username).post(f"/suggestions/{s.pk}/office/register/")
    if username in OFFICE:
        assert response.status_code == 302
        assert response["Location"] == f"/suggestions/{s.pk}/"
        assert fresh(s).state == "registered"
    else:
        assert response.status_code == 404
        assert fresh(s).state == "submitted"


def test_register_twice_shows_the_conflict_as_a_message_not_a_500(signed_in, world):
    s = submitted(world)
    client = signed_in("affairs")
    client.post(f"/suggestions/{s.pk}/office/register/")
    response = client.post(f"/suggestions/{s.pk}/office/register/", follow=True)
    assert response.status_code == 200
    assert "state: registered" in response.content.decode()


@pytest.mark.parametrize("username", WORLD_USERS)
def test_reject_only_by_the_office(signed_in, world, username):
    s = submitted(world)
    response = signed_in(username).post(
        f"/suggestions/{s.pk}/office/reject/",
        {"ground": "personal_matter", "explanation": "属于个人事务。"},
    )
    assert response.status_code == (302 if username in OFFICE else 404)
    assert fresh(s).state == ("rejected" if username in OFFICE else "submitted")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"ground": "", "explanation": "说明"}, "ground"),
        ({"ground": "petition", "explanation": "说明"}, "ground"),  # SUG-EXCLUDED: not zhejiang
        ({"ground": "personal_matter", "explanation": ""}, "explanation"),
        ({"ground": "personal_matter", "explanation": "长" * 20_001}, "explanation"),
    ],
)
def test_sug_excluded_reject_needs_a_ground_of_the_profile_and_an_explanation(
    signed_in, world, data, field
):
    """SUG-EXCLUDED: a ground of the congress's profile and an explanation; nothing written."""
    s = submitted(world)
    response = signed_in("affairs").post(f"/suggestions/{s.pk}/office/reject/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert fresh(s).state == "submitted"


def test_convert_turns_a_suggestion_into_a_motion_only_with_its_cosigners(signed_in, world):
    """MOTION-COSIGN: without confirmed co-signers the conversion is refused with a message."""
    s = submitted(world)
    response = signed_in("affairs").post(f"/suggestions/{s.pk}/office/convert/", follow=True)
    assert response.status_code == 200
    assert fresh(s).kind == "suggestion"
    assert "co-signer" in response.content.decode()


# --- assign -------------------------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_assign_only_by_the_office(signed_in, world, username):
    s = registered(world)
    response = signed_in(username).post(
        f"/suggestions/{s.pk}/office/assign/",
        {"lead_units": [world.edu.pk], "assigned_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == (302 if username in OFFICE else 404)
    assert fresh(s).state == ("assigned" if username in OFFICE else "registered")


def test_sug_deadline_assign_shows_each_units_due_date(signed_in, world):
    """SUG-DEADLINE: after assigning, the page shows each unit's due date."""
    s = registered(world)
    client = signed_in("affairs")
    response = client.post(
        f"/suggestions/{s.pk}/office/assign/",
        {
            "lead_units": [world.edu.pk],
            "co_units": [world.transport.pk],
            "complex": "on",
            "assigned_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assert response.status_code == 200
    s = fresh(s)
    assert s.state == "assigned" and s.is_complex
    due = assignment_of(s, world.edu).answer_deadline.due
    assert due.isoformat() in response.content.decode()


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "lead_units"),
        ({"lead_units": ["999999"]}, "lead_units"),
        ({"lead_units": ["abc"]}, "lead_units"),
        ({"lead_units": ["EDU"], "co_units": ["EDU"]}, "co_units"),
        ({"lead_units": ["EDU"], "assigned_on": "2026-13-45"}, "assigned_on"),
        ({"lead_units": ["EDU"], "assigned_on": "FUTURE"}, "assigned_on"),
        ({"lead_units": ["EDU"], "assigned_on": "2000-01-01"}, "assigned_on"),
    ],
)
def test_assign_bad_input_is_a_form_error_and_writes_nothing(signed_in, world, data, field):
    s = registered(world)
    data = {k: v for k, v in data.items()}
    for key in ("lead_units", "co_units"):
        if key in data:
            data[key] = [str(world.edu.pk) if v == "EDU" else v for v in data[key]]
    if data.get("assigned_on") == "FUTURE":
        data["assigned_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    data.setdefault("assigned_on", timezone.localdate().isoformat())
    response = signed_in("affairs").post(f"/suggestions/{s.pk}/office/assign/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert fresh(s).state == "registered"
    assert not s.assignments.exists()


def test_assign_a_unit_of_another_congress_is_refused(signed_in, world):
    from renda.orgs.models import HandlingUnit

    other = HandlingUnit.objects.create(congress=world.county, name="县教育局", kind="government")
    s = registered(world)
    response = signed_in("affairs").post(
        f"/suggestions/{s.pk}/office/assign/",
        {"lead_units": [other.pk], "assigned_on": timezone.localdate().isoformat()},
    )
    assert "lead_units" in response.context["form"].errors
    assert fresh(s).state == "registered"


def test_assign_in_the_wrong_state_is_a_form_error_naming_the_state(signed_in, world):
    s = assigned(world)
    response = signed_in("affairs").post(
        f"/suggestions/{s.pk}/office/assign/",
        {"lead_units": [world.transport.pk], "assigned_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "state: assigned" in str(response.context["form"].non_field_errors())


# --- the unit search ----------------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_unit_search_only_for_the_office(signed_in, world, username):
    s = registered(world)
    response = signed_in(username).get(f"/suggestions/{s.pk}/office/units/?q=教育")
    assert response.status_code == (200 if username in OFFICE else 404)


def test_unit_search_matches_part_of_the_name_and_keeps_ticked_units(signed_in, world):
    from renda.orgs.models import HandlingUnit

    HandlingUnit.objects.create(congress=world.city, name="市教育考试院", active=False)
    s = registered(world)
    client = signed_in("affairs")
    html = client.get(f"/suggestions/{s.pk}/office/units/?q=教育&field=co_units").content.decode()
    assert "市教育局" in html and "市交通运输局" not in html
    assert "市教育考试院" not in html  # inactive
    assert 'name="co_units"' in html
    html = client.get(
        f"/suggestions/{s.pk}/office/units/?q=交通&field=lead_units&lead_units={world.edu.pk}"
    ).content.decode()
    assert "市交通运输局" in html and "市教育局" in html and "checked" in html


@pytest.mark.parametrize("query", ["?q=" + "x" * 5000, "?field=evil&q=<script>", "?lead_units=x"])
def test_unit_search_odd_input_is_not_a_500(signed_in, world, query):
    s = registered(world)
    response = signed_in("affairs").get(f"/suggestions/{s.pk}/office/units/{query}")
    assert response.status_code == 200
    assert b"<script>" not in response.content


# --- return requests (SUG-RETURN) ---------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_decide_return_only_by_the_office(signed_in, world, username):
    s, rr = with_return_request(world)
    response = signed_in(username).post(
        f"/suggestions/return-requests/{rr.pk}/decide/",
        {"decision": "refuse", "note": "属于教育部门职责。"},
    )
    assert response.status_code == (302 if username in OFFICE else 404)
    rr.refresh_from_db()
    assert rr.state == ("refused" if username in OFFICE else "pending")


def test_sug_return_approve_with_a_new_lead_unit(signed_in, world):
    """SUG-RETURN: the office approves and re-assigns to a new lead unit."""
    s, rr = with_return_request(world)
    response = signed_in("affairs").post(
        f"/suggestions/return-requests/{rr.pk}/decide/",
        {"decision": "approve", "new_lead_units": [world.transport.pk]},
        follow=True,
    )
    assert response.status_code == 200
    rr.refresh_from_db()
    assert rr.state == "approved"
    s = fresh(s)
    assert s.state == "assigned"
    assert assignment_of(s, world.transport).role == "lead"


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "decision"),
        ({"decision": "maybe"}, "decision"),
        ({"decision": "refuse"}, "note"),
        ({"decision": "refuse", "note": "n", "new_lead_units": ["TRANSPORT"]}, "new_lead_units"),
        ({"decision": "approve"}, "new_lead_units"),  # no lead unit would remain
    ],
)
def test_sug_return_decision_bad_input_is_a_form_error(signed_in, world, data, field):
    """SUG-RETURN: refusing needs a note; approving the only lead unit's return needs a new one."""
    s, rr = with_return_request(world)
    if "new_lead_units" in data:
        data = {**data, "new_lead_units": [world.transport.pk]}
    response = signed_in("affairs").post(f"/suggestions/return-requests/{rr.pk}/decide/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    rr.refresh_from_db()
    assert rr.state == "pending"


def test_deciding_twice_is_a_form_error(signed_in, world):
    s, rr = with_return_request(world)
    client = signed_in("affairs")
    url = f"/suggestions/return-requests/{rr.pk}/decide/"
    client.post(url, {"decision": "refuse", "note": "留在本单位。"})
    response = client.post(url, {"decision": "refuse", "note": "again"})
    assert response.status_code == 200
    assert "state: refused" in str(response.context["form"].non_field_errors())
    assert ReturnRequest.objects.get(pk=rr.pk).decision_note == "留在本单位。"


def test_panel_shows_a_pending_return_request_with_its_decision_form(signed_in, world):
    s, rr = with_return_request(world)
    html = signed_in("affairs").get(f"/suggestions/{s.pk}/").content.decode()
    assert f"/suggestions/return-requests/{rr.pk}/decide/" in html
    assert "本建议涉及公交线路。" in html


# --- key suggestions (SUG-KEY) ------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_mark_key_only_by_the_office(signed_in, world, username):
    s = assigned(world)
    response = signed_in(username).post(
        f"/suggestions/{s.pk}/office/key/", {"supervisor": world["leader"].pk}
    )
    assert response.status_code == (302 if username in OFFICE else 404)
    assert KeySuggestion.objects.filter(suggestion=s).exists() == (username in OFFICE)


@pytest.mark.parametrize("data", [{}, {"supervisor": "DEPUTY"}, {"committee": "x" * 500}])
def test_sug_key_needs_a_leader_or_a_committee(signed_in, world, data):
    """SUG-KEY: a supervising leader of the congress or a committee name; nothing written."""
    s = assigned(world)
    if data.get("supervisor") == "DEPUTY":
        data = {"supervisor": world["deputy"].pk}
    response = signed_in("affairs").post(f"/suggestions/{s.pk}/office/key/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not KeySuggestion.objects.filter(suggestion=s).exists()


def test_marking_key_twice_is_a_form_error(signed_in, world):
    s = assigned(world)
    client = signed_in("affairs")
    client.post(f"/suggestions/{s.pk}/office/key/", {"committee": "教科文卫委"})
    response = client.post(f"/suggestions/{s.pk}/office/key/", {"committee": "另一个"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


# --- home panel ---------------------------------------------------------------------------
def test_home_panel_lists_what_waits_for_the_office(signed_in, world):
    s = submitted(world, title="等待立案的建议")
    html = signed_in("affairs").get("/").content.decode()
    panel = html.split('data-panel="affairs"')[1].split("</section>")[0]
    assert "等待立案的建议" in panel and f"/suggestions/{s.pk}/" in panel
    assert "/suggestions/office/" in panel


def test_home_panel_counts_when_more_than_five_wait(signed_in, world):
    for i in range(6):
        submitted(world, title=f"建议{i}")
    html = signed_in("affairs").get("/").content.decode()
    panel = html.split('data-panel="affairs"')[1].split("</section>")[0]
    assert panel.count("/suggestions/") >= 5
    assert ">6<" in panel
