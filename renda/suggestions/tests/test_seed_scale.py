"""`seed_scale`: synthetic benchmark data that the app can live with (counts, unique numbers,
rows consistent with the states, the seeded people's pages render, the audit chain intact)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.test import Client, override_settings
from django.utils import timezone

from renda.accounts.models import User
from renda.calendar.models import Deadline
from renda.suggestions.choices import AssignmentState, Kind, Rating, State, UnitRole
from renda.suggestions.models import (
    Answer,
    Assignment,
    Evaluation,
    NumberCounter,
    Sponsor,
    Suggestion,
)
from renda.suggestions.scale import Options, seed_scale

N = 200


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command("seed_scale", suggestions=N, deputies=40, units=40, stdout=out)
    return out.getvalue()


def test_counts_and_printed_accounts(seeded):
    assert Suggestion.objects.count() == N
    assert "scale-clerk" in seeded and "renda-scale-2026" in seeded
    congress = Suggestion.objects.first().congress
    assert congress.role_assignments.filter(role="deputy").count() == 40
    assert Suggestion.objects.values("year").distinct().count() == 10
    assert Suggestion.objects.filter(kind=Kind.MOTION).exists()
    # Past years mostly closed, the current year spread over the lifecycle.
    this_year = timezone.localdate().year
    past = Suggestion.objects.filter(year__lt=this_year)
    assert past.filter(state=State.CLOSED).count() > 0.85 * past.count()
    current = set(Suggestion.objects.filter(year=this_year).values_list("state", flat=True))
    assert {State.ASSIGNED, State.ANSWERED, State.CLOSED} <= current


def test_numbers_are_unique_and_counters_continue_after_them(seeded):
    numbered = Suggestion.objects.exclude(number="")
    dupes = numbered.values("congress", "kind", "number").annotate(n=Count("id")).filter(n__gt=1)
    assert not dupes.exists()
    assert not Suggestion.objects.filter(number="").exclude(state=State.DRAFT).exists()
    # The next real submission must not reuse a seeded number.
    for counter in NumberCounter.objects.all():
        scope, _pk, kind = counter.scope.split(":")
        where = (
            {"session_id": int(_pk)}
            if scope == "session"
            else {
                "year": int(_pk),
                "session__isnull": True,
            }
        )
        top = (
            Suggestion.objects.filter(kind=kind, **where)
            .exclude(number="")
            .order_by("-sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        assert top is not None and counter.last >= top


def test_rows_are_consistent_with_the_states(seeded):
    answered_states = (State.ANSWERED, State.EVALUATED, State.CLOSED, State.REHANDLING)
    assigned_states = (State.ASSIGNED, *answered_states)
    # Every assigned suggestion has a lead unit with an answer deadline (the unit list's due).
    no_lead = Suggestion.objects.filter(state__in=assigned_states).exclude(
        assignments__role=UnitRole.LEAD
    )
    assert not no_lead.exists()
    leads = Assignment.objects.filter(role=UnitRole.LEAD)
    assert not leads.filter(answer_deadline__isnull=True).exists()
    assert not Assignment.objects.filter(
        role=UnitRole.CO, co_opinion_deadline__isnull=True
    ).exists()
    assert (
        not Suggestion.objects.exclude(state__in=assigned_states)
        .filter(assignments__isnull=False)
        .exists()
    )
    # Every answered suggestion has an answer from each lead unit; evaluated ones a rating.
    for s in Suggestion.objects.filter(state__in=answered_states).prefetch_related("assignments"):
        for a in s.assignments.all():
            if a.role == UnitRole.LEAD:
                assert Answer.objects.filter(assignment=a).exists(), s.number
    rated = Answer.objects.filter(assignment__suggestion__state__in=(State.EVALUATED, State.CLOSED))
    assert not rated.filter(evaluation__isnull=True).exists()
    assert not Answer.objects.filter(
        assignment__suggestion__state=State.ANSWERED, evaluation__isnull=False
    ).exists()
    # SUG-REHANDLE: a suggestion being handled again had its answer rated dissatisfied.
    for s in Suggestion.objects.filter(state=State.REHANDLING):
        assert Evaluation.objects.filter(
            answer__assignment__suggestion=s, rating=Rating.DISSATISFIED
        ).exists()
    # SUG-CATEGORY: B has a plan and a date, C a reason.
    assert (
        not Answer.objects.filter(category="B")
        .filter(Q(plan="") | Q(planned_date__isnull=True))
        .exists()
    )
    assert not Answer.objects.filter(category="C", reason="").exists()
    # Late answers and overdue assignments both exist, and are what they say.
    for an in Answer.objects.filter(late=True, round=1).select_related(
        "assignment__answer_deadline"
    ):
        assert an.sent_at.date() > an.assignment.answer_deadline.due
    overdue = Assignment.objects.filter(overdue_since__isnull=False)
    assert overdue.exists()
    assert not overdue.exclude(state=AssignmentState.ACTIVE).exists()
    # Deadlines belong to their assignments; rejected ones have their grounds.
    a = leads.select_related("answer_deadline").first()
    assert a.answer_deadline.owner == a and a.answer_deadline.purpose == "answer"
    assert not Suggestion.objects.filter(state=State.REJECTED, rejection_ground="").exists()
    # Every suggestion has its lead deputy as a confirmed sponsor; motions have co-signers.
    assert Sponsor.objects.filter(role="lead").count() == N
    assert (
        not Suggestion.objects.filter(kind=Kind.MOTION)
        .annotate(n=Count("sponsors"))
        .filter(n__lt=10)
        .exists()
    )
    # Each lead's answer deadline is its own (answer, or rehandle after SUG-REHANDLE).
    own = leads.filter(
        answer_deadline__owner_id=F("pk"), answer_deadline__purpose__in=("answer", "rehandle")
    )
    assert own.count() == leads.count()
    assert Deadline.objects.filter(purpose="answer").count() == leads.count()


def test_seeded_people_see_their_pages(seeded):
    clerk = User.objects.get(username="scale-clerk")
    office = User.objects.get(username="scale-office")
    deputy = User.objects.get(username="scale-deputy")
    assert clerk.check_password("renda-scale-2026")
    c = Client()
    c.force_login(clerk)
    queue = c.get("/suggestions/unit/")
    assert queue.status_code == 200
    unit_id = clerk.roles.get().unit_id
    mine = Assignment.objects.filter(unit_id=unit_id).select_related("suggestion").first()
    assert (
        mine is not None
        and mine.suggestion.title in queue.content.decode()
        or (c.get("/suggestions/unit/?page=2").status_code == 200)
    )
    assert c.get(f"/suggestions/{mine.suggestion_id}/").status_code == 200
    listed = c.get(f"/api/v1/suggestions?unit={unit_id}&year={mine.suggestion.year}")
    assert listed.status_code == 200 and listed.json()["count"] >= 1
    assert c.get(f"/api/v1/suggestions/{mine.suggestion_id}").status_code == 200
    c.force_login(office)
    assert c.get("/suggestions/office/").status_code == 200
    closed = Suggestion.objects.filter(state=State.CLOSED).first()
    assert c.get(f"/suggestions/{closed.pk}/").status_code == 200
    c.force_login(deputy)
    assert c.get("/suggestions/mine/").status_code == 200
    assert c.get("/").status_code == 200
    own = Suggestion.objects.filter(lead_deputy=deputy).first()
    if own is not None:
        assert c.get(f"/suggestions/{own.pk}/").status_code == 200
    # The public page lists published answers of the seeded congress.
    assert Client().get("/suggestions/public/").status_code == 200


def test_a_real_submission_after_seeding_gets_a_fresh_number(seeded):
    deputy = User.objects.get(username="scale-deputy")
    c = Client()
    c.force_login(deputy)
    r = c.post(
        "/api/v1/suggestions",
        {"kind": "suggestion", "title": "关于测试编号的建议", "body": "正文", "submit": True},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    number = r.json()["number"]
    assert Suggestion.objects.filter(number=number).count() == 1


def test_audit_chain_still_verifies(seeded):
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


def test_running_twice_reuses_the_congress_and_people(seeded):
    seed_scale(Options(suggestions=20, deputies=40, units=40, seed=2), progress=lambda _m: None)
    assert Suggestion.objects.count() == N + 20
    assert Suggestion.objects.values("congress").distinct().count() == 1
    assert User.objects.filter(username="scale-clerk").count() == 1
    dupes = (
        Suggestion.objects.exclude(number="")
        .values("congress", "kind", "number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not dupes.exists()


@override_settings(RENDA_ENV="production")
def test_refuses_in_production(db):
    with pytest.raises(CommandError, match="production"):
        call_command("seed_scale", suggestions=10, stdout=StringIO())
    assert not Suggestion.objects.exists()
