"""Triage, referral, the unit's answer and the second look (issue 5 points 3–4): every outcome,
every wrong state, due dates by the legal calendar (OP-TRIAGE, OP-REFER, OP-ANSWER, OP-REOPEN,
PERIOD-WORKDAYS, PERIOD-REST-DAY)."""

from __future__ import annotations

from datetime import date

import pytest

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.opinions.actions.handling import answer_referral, tell_reopened, triage
from renda.opinions.choices import OpinionState, Outcome, ReferralState
from renda.opinions.models import Opinion, OpinionEvent, Referral
from renda.suggestions.choices import State as SuggestionState

from .handling_builders import CITIZEN_NAME, CITIZEN_PHONE, at, deputyship, opinion

S = OpinionState


def _events(op: Opinion) -> list[str]:
    return list(op.events.values_list("kind", flat=True))


def _audit(op: Opinion, verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb, object_id=str(op.pk)).count()


def _told(user, text: str) -> int:
    return Notification.objects.filter(recipient=user, title__contains=text).count()


def _no_personal_data(op: Opinion) -> None:
    for note in op.events.values_list("public_note", flat=True):
        assert CITIZEN_NAME not in note and CITIZEN_PHONE not in note


# --- each outcome --------------------------------------------------------------------------
def test_answered_on_the_spot(world):
    """OP-TRIAGE answered: the answer is what the citizen reads; the citizen may rate it."""
    op = opinion(world)
    triage(op, "answered", text="已协调公交公司，下周加装雨棚。", by=world["station"])
    op.refresh_from_db()
    assert (op.state, op.outcome) == (S.ANSWERED, Outcome.ANSWERED)
    assert op.explanation == "已协调公交公司，下周加装雨棚。"
    assert op.answered_at and op.triaged_at
    assert _events(op) == [S.ANSWERED]
    assert _audit(op, "opinion.triage_answered") == 1
    _no_personal_data(op)


def test_answered_needs_the_answer_text(world):
    op = opinion(world)
    with pytest.raises(InvalidInput, match="text"):
        triage(op, "answered", text="  ", by=world["station"])
    op.refresh_from_db()
    assert op.state == S.RECEIVED and not op.events.exists()


def test_the_deputy_follows_up_and_is_told(world):
    """OP-TRIAGE deputy: the addressed deputy by default, told in their inbox."""
    op = opinion(world, deputy="deputy")
    triage(op, "deputy", by=world["station"])
    op.refresh_from_db()
    assert op.state == S.WITH_DEPUTY
    assert op.follow_up_deputy == deputyship(world, "deputy")
    assert _told(world["deputy"], "follow up") == 1
    assert _audit(op, "opinion.triage_deputy") == 1


def test_a_named_deputy_follows_up(world):
    op = opinion(world)
    triage(op, "deputy", deputy=deputyship(world, "deputy2").pk, by=world["station"])
    op.refresh_from_db()
    assert op.follow_up_deputy == deputyship(world, "deputy2")
    assert _told(world["deputy2"], "follow up") == 1


def test_a_deputy_is_needed_to_follow_up(world):
    op = opinion(world)
    with pytest.raises(InvalidInput, match="deputy"):
        triage(op, "deputy", by=world["station"])


def test_turned_into_a_draft_suggestion_linked_both_ways(world):
    """OP-TRIAGE suggestion: a DRAFT for that deputy, through the suggestions' create_draft."""
    op = opinion(world, deputy="deputy")
    result = triage(op, "suggestion", title="关于增设公交站台雨棚的建议", by=world["station"])
    op.refresh_from_db()
    s = result.suggestion
    assert op.state == S.CONVERTED and op.suggestion_id == s.pk
    assert s.state == SuggestionState.DRAFT and s.lead_deputy == world["deputy"]
    assert s.title == "关于增设公交站台雨棚的建议"
    assert list(s.opinions.all()) == [op]  # the link back
    assert CITIZEN_PHONE not in s.body and CITIZEN_NAME not in s.body
    assert op.text in s.body
    assert _told(world["deputy"], "draft suggestion") == 1


def test_refer_sets_a_deadline_by_the_legal_calendar_across_national_day(world):
    """OP-REFER, PERIOD-WORKDAYS, PERIOD-REST-DAY: 15 working days (the profile's
    opinion_referral_period) from Monday 2026-09-28 skip the National Day holiday (1–7 Oct) and
    count the swapped Saturday 10 Oct: due 2026-10-23, not 10-19."""
    op = opinion(world)
    with at(date(2026, 9, 28)):
        result = triage(op, "refer", unit=world.edu.pk, by=world["station"])
    ref = result.referral
    assert ref.due == date(2026, 10, 23)
    assert ref.deadline.due == ref.due and not ref.deadline.provisional
    assert ref.deadline.amount == 15 and ref.deadline.kind == "working_days"
    op.refresh_from_db()
    assert op.state == S.REFERRED
    assert ref.state == ReferralState.ACTIVE and ref.referred_by == world["station"]
    assert _told(world["edu_clerk"], "Referred to") == 1
    assert _told(world["edu_head"], "Referred to") == 1
    assert _told(world["transport_clerk"], "Referred to") == 0
    note = op.events.get(kind=S.REFERRED).public_note
    assert "市教育局" in note and "2026-10-23" in note


def test_refer_only_to_an_active_unit_of_the_same_congress(world):
    from renda.orgs.models import HandlingUnit

    other = HandlingUnit.objects.create(congress=world.county, name="区教育局", kind="government")
    op = opinion(world)
    with pytest.raises(InvalidInput, match="unit"):
        triage(op, "refer", unit=other.pk, by=world["station"])
    with pytest.raises(InvalidInput, match="unit"):
        triage(op, "refer", by=world["station"])


def test_merge_into_an_earlier_opinion(world):
    first = opinion(world)
    second = opinion(world)
    triage(second, "merge", into=first.pk, by=world["station"])
    second.refresh_from_db()
    assert second.state == S.MERGED and second.merged_into == first
    assert _audit(second, "opinion.triage_merge") == 1


@pytest.mark.parametrize("case", ["itself", "later", "merged", "other_congress", "missing"])
def test_merge_refusals(world, case):
    first = opinion(world)
    second = opinion(world)
    third = opinion(world)
    if case == "itself":
        target, into = second, second.pk
    elif case == "later":
        target, into = second, third.pk
    elif case == "merged":
        triage(second, "merge", into=first.pk, by=world["station"])
        target, into = third, second.pk
    elif case == "other_congress":
        far = opinion(world, station=None, congress=world.county)
        target, into = third, far.pk
    else:
        target, into = third, 999_999
    with pytest.raises(InvalidInput, match="into"):
        triage(target, "merge", into=into, by=world["affairs"])


def test_close_needs_an_explanation(world):
    op = opinion(world)
    with pytest.raises(InvalidInput, match="text"):
        triage(op, "close", by=world["station"])
    triage(op, "close", text="该事项已进入诉讼程序，请向法院咨询。", by=world["station"])
    op.refresh_from_db()
    assert op.state == S.CLOSED and op.closed_at
    assert op.events.get(kind=S.CLOSED).public_note == "该事项已进入诉讼程序，请向法院咨询。"


def test_pass_up_puts_it_in_the_higher_congress_queue(world):
    """Passed up: the parent congress's office sees it and triages it; the county's does not
    any more, and the county office that passed it still sees it."""
    from renda.opinions.permissions import can_triage, opinions_visible_to

    op = opinion(world, station=None, congress=world.county)
    triage(op, "pass_up", text="属市级事权。", by=world["county_affairs"])
    op.refresh_from_db()
    assert op.state == S.PASSED_UP
    assert (op.congress, op.passed_from) == (world.city, world.county)
    assert _told(world["affairs"], "Passed up") == 1
    assert opinions_visible_to(world["affairs"]).filter(pk=op.pk).exists()
    assert opinions_visible_to(world["county_affairs"]).filter(pk=op.pk).exists()
    assert can_triage(world["affairs"], op) and not can_triage(world["county_affairs"], op)
    triage(op, "refer", unit=world.edu.pk, by=world["affairs"])
    op.refresh_from_db()
    assert op.state == S.REFERRED


def test_pass_up_without_a_higher_congress_is_409(world):
    op = opinion(world)
    with pytest.raises(DomainError) as exc:
        triage(op, "pass_up", by=world["station"])
    assert exc.value.status == 409


def test_station_staff_no_longer_triage_what_was_passed_up(world):
    from renda.opinions.models import Station

    county_station = Station.objects.create(congress=world.county, name="区联络站", address="x")
    county_station.staff.add(world["station"])
    op = opinion(world, station=county_station, congress=world.county)
    triage(op, "pass_up", by=world["station"])
    with pytest.raises(Forbidden):
        triage(op, "close", text="x", by=world["station"])


def test_unknown_outcome_is_refused(world):
    op = opinion(world)
    with pytest.raises(InvalidInput, match="outcome"):
        triage(op, "ignore", by=world["station"])


# --- wrong states --------------------------------------------------------------------------
END_STATES = [S.ANSWERED, S.CLOSED, S.MERGED, S.CONVERTED, S.REFERRED]


@pytest.mark.parametrize("state", END_STATES)
@pytest.mark.parametrize("outcome", list(Outcome.values))
def test_no_triage_once_handled(world, state, outcome):
    """OP-TRIAGE: an opinion already answered, closed, merged, converted or referred is not
    triaged again: 409 naming its state, nothing written."""
    op = opinion(world, state=state)
    with pytest.raises(DomainError) as exc:
        triage(op, outcome, text="x", unit=world.edu.pk, by=world["affairs"])
    assert exc.value.status == 409 and f"(state: {state})" in exc.value.detail
    assert not op.events.exists()


@pytest.mark.parametrize("outcome", ["deputy", "merge", "pass_up"])
def test_with_deputy_concludes_only_by_answer_suggestion_referral_or_close(world, outcome):
    op = opinion(world, deputy="deputy", state=S.WITH_DEPUTY)
    with pytest.raises(DomainError) as exc:
        triage(op, outcome, by=world["deputy"])
    assert exc.value.status == 409


def test_the_following_deputy_answers_it(world):
    op = opinion(world, state=S.WITH_DEPUTY, follow_up_deputy=deputyship(world, "deputy2"))
    triage(op, "answered", text="我已到现场查看并协调解决。", by=world["deputy2"])
    op.refresh_from_db()
    assert op.state == S.ANSWERED


# --- the unit's answer ---------------------------------------------------------------------
def _referred(world, day=date(2026, 9, 28)):
    op = opinion(world)
    with at(day):
        triage(op, "refer", unit=world.edu.pk, by=world["station"])
    op.refresh_from_db()
    return op


def test_the_unit_answers_in_time(world):
    """OP-ANSWER: the referred unit answers; the citizen reads it; the station is told."""
    op = _referred(world)
    with at(date(2026, 10, 23)):
        ref = answer_referral(op, text="已安排加装雨棚。", by=world["edu_clerk"])
    op.refresh_from_db()
    assert op.state == S.ANSWERED and op.explanation == "已安排加装雨棚。"
    assert ref.state == ReferralState.ANSWERED and not ref.late
    assert ref.answered_by == world["edu_clerk"]
    assert _events(op) == [S.REFERRED, S.ANSWERED]
    assert _audit(op, "opinion.unit_answered") == 1
    assert _told(world["station"], "answered") == 1


def test_an_answer_after_the_due_date_counts_late(world):
    op = _referred(world)
    with at(date(2026, 10, 26)):
        ref = answer_referral(op, text="已处理。", by=world["edu_head"])
    assert ref.late


def test_only_the_referred_unit_answers(world):
    op = _referred(world)
    for who in ("transport_clerk", "station", "affairs", "deputy"):
        with pytest.raises(Forbidden):
            answer_referral(op, text="x", by=world[who])


def test_no_answer_twice(world):
    op = _referred(world)
    answer_referral(op, text="已处理。", by=world["edu_clerk"])
    with pytest.raises(Forbidden):  # no active referral any more
        answer_referral(op, text="再答。", by=world["edu_clerk"])


def test_no_answer_when_the_opinion_is_not_referred_any_more(world):
    op = _referred(world)
    Opinion.objects.filter(pk=op.pk).update(state=S.CLOSED)
    with pytest.raises(DomainError) as exc:
        answer_referral(op, text="x", by=world["edu_clerk"])
    assert exc.value.status == 409


# --- the second look (OP-REOPEN) -----------------------------------------------------------
def _reopened(world):
    """As receiving's rate_opinion leaves it after a dissatisfied rating."""
    op = _referred(world)
    answer_referral(op, text="已处理。", by=world["edu_clerk"])
    Opinion.objects.filter(pk=op.pk).update(
        state=S.REOPENED, rating="dissatisfied", reopened_at=op.answered_at
    )
    op.refresh_from_db()
    return op


def test_a_reopened_opinion_is_referred_again_once(world):
    op = _reopened(world)
    tell_reopened(op)
    assert _told(world["station"], "Reopened") == 1
    result = triage(op, "refer", unit=world.transport.pk, by=world["station"])
    op.refresh_from_db()
    assert op.state == S.REFERRED and result.referral.unit == world.transport
    assert Referral.objects.filter(opinion=op).count() == 2
    answer_referral(op, text="再次核查后已整改。", by=world["transport_clerk"])
    op.refresh_from_db()
    assert op.state == S.ANSWERED
    with pytest.raises(DomainError):
        triage(op, "close", text="x", by=world["station"])


@pytest.mark.parametrize("outcome", ["answered", "close"])
def test_a_reopened_opinion_is_answered_again_or_closed(world, outcome):
    op = _reopened(world)
    triage(op, outcome, text="复查结果：……", by=world["station"])
    op.refresh_from_db()
    assert op.state == (S.ANSWERED if outcome == "answered" else S.CLOSED)


@pytest.mark.parametrize("outcome", ["deputy", "suggestion", "merge", "pass_up"])
def test_a_reopened_opinion_allows_only_answer_refer_close(world, outcome):
    op = _reopened(world)
    with pytest.raises(DomainError) as exc:
        triage(op, outcome, deputy=deputyship(world).pk, by=world["station"])
    assert exc.value.status == 409


def test_every_triage_verb_has_words():
    from renda.audit.verbs import known_verbs

    verbs = {f"opinion.triage_{o}" for o in Outcome.values} | {
        "opinion.unit_answered",
        "opinion.referral_warning",
        "opinion.referral_overdue",
        "opinion.referral_escalated",
    }
    assert verbs <= known_verbs()


def test_events_keep_no_personal_data(world):
    op = _reopened(world)
    triage(op, "close", text="复查后关闭。", by=world["station"])
    _no_personal_data(op)
    assert OpinionEvent.objects.filter(opinion=op).count() == 3
