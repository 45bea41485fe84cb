"""The handling unit's pages: its queue, the actions on the detail page and the reply letter.

Each page × each role of the world; bad input through the forms (a clear error, nothing
written); states built with the real actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import WORLD_USERS
from renda.suggestions.models import Answer, Commitment, Contact, CoOpinion, ReturnRequest
from renda.suggestions.tests.answer_builders import (
    answered,
    assigned,
    assignment_of,
    at,
    give_answer,
    handled,
)

UNIT_PEOPLE = {"edu_clerk", "edu_head", "transport_clerk"}
EDU_PEOPLE = {"edu_clerk", "edu_head"}


@pytest.mark.parametrize("username", WORLD_USERS)
def test_unit_queue_is_for_unit_people_only(world, signed_in, username):
    response = signed_in(username).get("/suggestions/unit/")
    assert response.status_code == (200 if username in UNIT_PEOPLE else 403)


def test_unit_queue_needs_sign_in(client, world):
    response = client.get("/suggestions/unit/")
    assert response.status_code == 302


def test_unit_queue_lists_own_units_assignments_with_due_dates(world, signed_in):
    s = assigned(world, leads=("edu",))
    a = assignment_of(s, world.edu)
    page = signed_in("edu_clerk").get("/suggestions/unit/").content.decode()
    assert s.title in page
    assert a.answer_deadline.due.isoformat() in page
    assert f"/suggestions/{s.pk}/" in page
    assert 'data-testid="overdue"' not in page
    assert s.title not in signed_in("transport_clerk").get("/suggestions/unit/").content.decode()


def test_unit_queue_marks_overdue_in_words_and_sorts_soonest_first(world, signed_in):
    with at(date(2026, 3, 2)):
        old = assigned(world, leads=("edu",))
    new = assigned(world, leads=("edu",))
    page = signed_in("edu_clerk").get("/suggestions/unit/").content.decode()
    assert page.index(old.title) < page.index(f"/suggestions/{new.pk}/")
    assert 'data-testid="overdue"' in page
    assert "text-danger" in page


def test_co_unit_sees_its_opinion_deadline(world, signed_in):
    s = assigned(world, leads=("edu",), cos=("transport",))
    a = assignment_of(s, world.transport)
    page = signed_in("transport_clerk").get("/suggestions/unit/").content.decode()
    assert a.co_opinion_deadline.due.isoformat() in page


# --- detail page panels --------------------------------------------------------------------


@pytest.mark.parametrize("username", WORLD_USERS)
def test_unit_panel_is_shown_only_to_the_units_people(world, signed_in, username):
    s = assigned(world, leads=("edu",))
    response = signed_in(username).get(f"/suggestions/{s.pk}/")
    if response.status_code == 404:
        assert username not in EDU_PEOPLE
        return
    shown = 'data-testid="unit-panel"' in response.content.decode()
    assert shown == (username in EDU_PEOPLE)


def test_head_sees_sign_off_and_clerk_does_not(world, signed_in):
    s = assigned(world, leads=("edu",))
    assert (
        'data-testid="sign-off"'
        in signed_in("edu_head").get(f"/suggestions/{s.pk}/").content.decode()
    )
    clerk_page = signed_in("edu_clerk").get(f"/suggestions/{s.pk}/").content.decode()
    assert 'data-testid="sign-off"' not in clerk_page
    assert 'data-testid="answer-form"' not in clerk_page  # not signed off yet


# --- contacts ------------------------------------------------------------------------------


def _contact(client, s, a, **data):
    body = {"stage": "before", "method": "phone", "happened_on": timezone.localdate().isoformat()}
    body.update(data)
    return client.post(
        f"/suggestions/{s.pk}/unit/{a.pk}/contacts/",
        {f"contact-{a.pk}-{k}": v for k, v in body.items()},
    )


@pytest.mark.parametrize("username", WORLD_USERS)
def test_log_contact_permission_matrix(world, signed_in, username):
    s = assigned(world, leads=("edu",))
    a = assignment_of(s, world.edu)
    response = _contact(signed_in(username), s, a, note="电话沟通")
    if username in EDU_PEOPLE:
        assert response.status_code == 302
        assert Contact.objects.filter(assignment=a).count() == 1
    else:
        assert response.status_code == 404
        assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "data, error",
    [
        ({"happened_on": "2999-01-01"}, "future"),
        ({"happened_on": "not a date"}, "valid date"),
        ({"stage": "sometime"}, "valid choice"),
        ({"note": "x" * 30_000}, "at most"),
    ],
)
def test_bad_contact_is_refused_with_a_clear_error_and_nothing_written(
    world, signed_in, data, error
):
    s = assigned(world, leads=("edu",))
    a = assignment_of(s, world.edu)
    response = _contact(signed_in("edu_clerk"), s, a, **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_note_html_is_escaped(world, signed_in):
    s = assigned(world, leads=("edu",))
    a = assignment_of(s, world.edu)
    client = signed_in("edu_clerk")
    _contact(client, s, a, note="<script>alert(1)</script>")
    page = client.get(f"/suggestions/{s.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# --- sign-off ------------------------------------------------------------------------------


def test_only_the_unit_head_signs_off(world, signed_in):
    s = assigned(world, leads=("edu",))
    a = assignment_of(s, world.edu)
    url = f"/suggestions/{s.pk}/unit/{a.pk}/sign-off/"
    signed_in("edu_clerk").post(url, follow=True)
    a.refresh_from_db()
    assert a.signed_off_at is None
    response = signed_in("edu_head").post(url)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.signed_off_by == world["edu_head"]
    again = signed_in("edu_head").post(url, follow=True)
    assert "Already signed off" in again.content.decode()


# --- answers (SUG-CATEGORY) ----------------------------------------------------------------


def _answer(client, s, a, **data):
    body = {"category": "A", "text": "已采纳。", "public": "on"}
    body.update(data)
    return client.post(
        f"/suggestions/{s.pk}/unit/{a.pk}/answer/",
        {f"answer-{a.pk}-{k}": v for k, v in body.items() if v is not None},
    )


def test_answer_form_shows_category_requirements(world, signed_in):
    """SUG-CATEGORY: B needs the plan and a date, C the reason — said on the form."""
    s = handled(world)
    page = signed_in("edu_clerk").get(f"/suggestions/{s.pk}/").content.decode()
    assert 'data-testid="answer-form"' in page
    assert "Required for category B." in page
    assert "Required for category C." in page


@pytest.mark.parametrize(
    "data, field, error",
    [
        ({"category": "B", "plan": ""}, "plan", "must not be empty"),
        ({"category": "B", "plan": "计划", "planned_date": ""}, "planned_date", "is needed"),
        ({"category": "C"}, "reason", "must not be empty"),
        (
            {"category": "A", "commitment_1_text": "修路", "commitment_1_due": "2027-01-05"},
            None,
            "only B and C",
        ),
        (
            {
                "category": "B",
                "plan": "计划",
                "planned_date": "2027-01-05",
                "commitment_2_text": "修路",
            },
            "commitment_2_due",
            "Give the date",
        ),
        (
            {
                "category": "B",
                "plan": "计划",
                "planned_date": "2027-01-05",
                "commitment_3_text": "修路",
                "commitment_3_due": "2020-01-01",
            },
            "commitment_3_due",
            "must be a date in the future",
        ),
        ({"category": "X"}, "category", "valid choice"),
        ({"text": ""}, "text", "required"),
        ({"text": "x" * 50_001}, "text", "at most"),
        ({"public": None, "not_public_reason": ""}, "not_public_reason", "must not be empty"),
    ],
)
def test_answer_category_rules_are_enforced_with_form_errors(world, signed_in, data, field, error):
    """SUG-CATEGORY: B without plan or date, C without reason, commitments on A: refused, the
    error shown on its field (SUG-PUBLIC: not public needs a reason); nothing written."""
    import re

    s = handled(world)
    a = assignment_of(s, world.edu)
    response = _answer(signed_in("edu_clerk"), s, a, **data)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    if field:
        tag = re.search(rf'<(input|textarea)[^>]*name="answer-{a.pk}-{field}"[^>]*>', page)
        if tag is None:  # radio buttons carry the error on the group
            assert "is-invalid" in page
        else:
            assert "is-invalid" in tag.group(0)
    assert not Answer.objects.exists()


def test_b_answer_with_commitments_is_sent(world, signed_in):
    s = handled(world)
    a = assignment_of(s, world.edu)
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = _answer(
        signed_in("edu_clerk"),
        s,
        a,
        category="B",
        text="正在推进。",
        plan="明年开通专线。",
        planned_date=due,
        commitment_2_text="新开两条线路",
        commitment_2_due=due,
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.category == "B"
    assert list(answer.commitments.values_list("text", flat=True)) == ["新开两条线路"]


def test_answer_before_sign_off_is_refused_as_a_form_error(world, signed_in):
    s = handled(world, sign=False)
    a = assignment_of(s, world.edu)
    response = _answer(signed_in("edu_clerk"), s, a)
    assert response.status_code == 200
    assert "must sign off" in response.content.decode()
    assert not Answer.objects.exists()


def test_co_unit_cannot_answer(world, signed_in):
    s = handled(world, cos=("transport",))
    a = assignment_of(s, world.transport)
    response = _answer(signed_in("transport_clerk"), s, a)
    assert response.status_code == 200
    assert not Answer.objects.exists()


# --- co-opinion, return ---------------------------------------------------------------------


def test_co_unit_sends_its_opinion(world, signed_in):
    s = assigned(world, leads=("edu",), cos=("transport",))
    a = assignment_of(s, world.transport)
    client = signed_in("transport_clerk")
    assert 'data-testid="opinion-form"' in client.get(f"/suggestions/{s.pk}/").content.decode()
    url = f"/suggestions/{s.pk}/unit/{a.pk}/co-opinion/"
    assert client.post(url, {f"opinion-{a.pk}-text": ""}).status_code == 200
    assert not CoOpinion.objects.exists()
    assert client.post(url, {f"opinion-{a.pk}-text": "同意主办意见。"}).status_code == 302
    assert CoOpinion.objects.get().text == "同意主办意见。"
    assert (
        signed_in("edu_clerk")
        .post(
            f"/suggestions/{s.pk}/unit/{assignment_of(s, world.edu).pk}/co-opinion/",
            {f"opinion-{assignment_of(s, world.edu).pk}-text": "x"},
        )
        .status_code
        == 200
    )  # a lead unit: refused by the action, shown as an error
    assert CoOpinion.objects.count() == 1


def test_return_request_within_the_window(world, signed_in):
    """SUG-RETURN: within the window the request goes to the office."""
    s = assigned(world, leads=("edu",))
    a = assignment_of(s, world.edu)
    client = signed_in("edu_clerk")
    url = f"/suggestions/{s.pk}/unit/{a.pk}/return/"
    assert client.post(url, {f"return-{a.pk}-reason": "  "}).status_code == 200
    assert not ReturnRequest.objects.exists()
    assert client.post(url, {f"return-{a.pk}-reason": "不属于本单位职责。"}).status_code == 302
    assert ReturnRequest.objects.get().state == "pending"


def test_return_after_the_window_says_the_date_it_closed(world, signed_in):
    """SUG-RETURN: after the window the form says the day it closed; a post is refused."""
    with at(date(2026, 3, 2)):
        s = assigned(world, leads=("edu",))
    a = assignment_of(s, world.edu)
    closed = a.return_deadline.due.isoformat()
    client = signed_in("edu_clerk")
    page = client.get(f"/suggestions/{s.pk}/").content.decode()
    assert 'data-testid="return-closed"' in page and closed in page
    response = client.post(
        f"/suggestions/{s.pk}/unit/{a.pk}/return/", {f"return-{a.pk}-reason": "不属于本单位"}
    )
    assert response.status_code == 200
    assert closed in response.content.decode()
    assert not ReturnRequest.objects.exists()


# --- commitments ----------------------------------------------------------------------------


def test_commitment_marked_met_with_evidence(world, signed_in):
    s = handled(world)
    give_answer(world, s, category="B")
    c = Commitment.objects.get()
    client = signed_in("edu_clerk")
    url = f"/suggestions/{s.pk}/commitments/{c.pk}/met/"
    assert signed_in("transport_clerk").post(url, {f"met-{c.pk}-evidence": "x"}).status_code == 404
    assert client.post(url, {f"met-{c.pk}-evidence": ""}).status_code == 200
    assert client.post(url, {f"met-{c.pk}-evidence": "线路已开通。"}).status_code == 302
    c.refresh_from_db()
    assert c.met_at is not None and c.evidence == "线路已开通。"


# --- reply letter ---------------------------------------------------------------------------

LETTER_ALLOWED = {"edu_clerk", "edu_head", "affairs", "deputy", "admin"}


@pytest.mark.parametrize("username", WORLD_USERS)
def test_reply_letter_permission_matrix(world, signed_in, username):
    s = answered(world)
    answer = Answer.objects.get()
    response = signed_in(username).get(f"/suggestions/{s.pk}/answers/{answer.pk}/letter.docx")
    if username in LETTER_ALLOWED:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
    else:
        assert response.status_code == 404


def test_reply_letter_of_another_suggestion_is_404(world, signed_in):
    s = answered(world)
    other = assigned(world)
    answer = Answer.objects.get()
    response = signed_in("edu_clerk").get(
        f"/suggestions/{other.pk}/answers/{answer.pk}/letter.docx"
    )
    assert response.status_code == 404
    assert (
        signed_in("edu_clerk").get(f"/suggestions/{s.pk}/answers/99999/letter.docx").status_code
        == 404
    )
