"""The demo suggestions `seed_demo` plays through the real actions: every page of the
suggestion lifecycle has content for every demo login, the history is real (audited, chain
intact), and a second run adds nothing."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from renda.accounts.models import User
from renda.audit.models import AuditEvent
from renda.audit.queries import verify_chain
from renda.demo.stories import STORIES
from renda.suggestions.models import (
    Answer,
    Assignment,
    Commitment,
    Evaluation,
    KeySuggestion,
    ProgressReport,
    ReturnRequest,
    Sponsor,
    Suggestion,
)
from renda.suggestions.stats import StatsFilter, suggestion_stats

# Every state the actions leave a suggestion in. (`evaluated` is passed through on the way to
# `closed` in the same transaction, and `converted` is not written by the in-place conversion:
# see docs/suggestions.md; both show in the audit trail instead.)
EXPECTED_STATES = {
    "draft": 3,
    "submitted": 5,
    "registered": 2,
    "assigned": 10,
    "reassigning": 1,
    "answered": 4,
    "rehandling": 2,
    "closed": 20,
    "rejected": 3,
}

# Each demo login's main list page.
LIST_PAGES = {
    "deputy": "/suggestions/mine/",
    "deputy2": "/suggestions/mine/",
    "sc_member": "/suggestions/mine/",
    "affairs": "/suggestions/office/",
    "county_affairs": "/suggestions/office/",
    "edu_clerk": "/suggestions/unit/",
    "edu_head": "/suggestions/unit/",
    "transport_clerk": "/suggestions/unit/",
    "supervisor": "/suggestions/overdue/",
}
# Logins whose home page lists suggestions (station staff and the administrator have none).
HOME_PAGES = (*LIST_PAGES, "leader", "committee")
TITLES = [s.title for s in STORIES]


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def shows_a_demo_suggestion(html: str) -> bool:
    return any(title in html for title in TITLES)


def test_about_fifty_suggestions_in_every_resting_state(seeded):
    assert 40 <= Suggestion.objects.count() <= 60
    assert dict(Counter(Suggestion.objects.values_list("state", flat=True))) == EXPECTED_STATES
    assert Suggestion.objects.filter(congress__division_code="330302").count() >= 3
    years = set(Suggestion.objects.exclude(state="draft").values_list("year", flat=True))
    today = timezone.localdate()
    assert {today.year - 1, today.year} <= years


def test_the_history_is_real_and_the_audit_chain_verifies(seeded):
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    for verb in (
        "suggestion.drafted",
        "suggestion.cosign_confirmed",
        "suggestion.submitted",
        "suggestion.registered",
        "suggestion.rejected",
        "suggestion.converted",
        "suggestion.assigned",
        "suggestion.return_requested",
        "suggestion.return_approved",
        "suggestion.contact_logged",
        "suggestion.co_opinion_sent",
        "suggestion.signed_off",
        "suggestion.answered",
        "suggestion.rated",
        "suggestion.no_feedback",
        "suggestion.evaluated",
        "suggestion.closed",
        "suggestion.commitment_met",
        "suggestion.marked_key",
        "suggestion.progress_reported",
        "suggestion.overdue",
        "suggestion.deadline_warning",
    ):
        assert verb in verbs, verb
    # Played in date order: the chain's order is time order.
    suggestion_events = list(
        AuditEvent.objects.filter(verb__startswith="suggestion.")
        .order_by("seq")
        .values_list("created_at", flat=True)
    )
    assert suggestion_events == sorted(suggestion_events)
    assert AuditEvent.objects.filter(verb="suggestion.assigned", data__back_dated=True).exists()
    assert verify_chain()[1] is None


def test_the_lifecycle_has_every_kind_of_content(seeded):
    assert set(Answer.objects.values_list("category", flat=True)) == {"A", "B", "C", "D"}
    assert set(Evaluation.objects.values_list("rating", flat=True)) == {
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
        "no_feedback",
    }
    # SUG-PUBLIC: some answers are not published, each with its reason.
    hidden = Answer.objects.filter(public=False)
    assert hidden.exists() and not hidden.filter(not_public_reason="").exists()
    # SUG-CATEGORY: commitments, some met with evidence, some still open (follow-up list).
    assert Commitment.objects.filter(met_at__isnull=False).exclude(evidence="").exists()
    assert Commitment.objects.filter(
        met_at__isnull=True, answer__assignment__suggestion__state="closed"
    ).exists()
    # SUG-KEY: key suggestions with a supervising leader or a committee, and progress reports.
    assert KeySuggestion.objects.filter(supervisor__username="leader").count() >= 2
    assert KeySuggestion.objects.exclude(committee="").exists()
    assert ProgressReport.objects.count() >= 4
    # MOTION-COSIGN: a submitted motion with at least 10 confirmed co-signers.
    motion = Suggestion.objects.get(kind="motion", state="submitted")
    assert (
        Sponsor.objects.filter(
            suggestion=motion, role="cosigner", confirmed_at__isnull=False
        ).count()
        >= 10
    )
    # SUG-RETURN: one approved return in the history, one waiting for the office.
    assert set(ReturnRequest.objects.values_list("state", flat=True)) == {"approved", "pending"}


def test_deadlines_overdue_and_due_soon(seeded):
    today = timezone.localdate()
    handling = Assignment.objects.filter(
        role="lead", state="active", suggestion__state__in=("assigned", "rehandling")
    )
    for unit in ("温州市教育局", "温州市交通运输局"):
        overdue = handling.filter(unit__name=unit, answer_deadline__due__lt=today)
        assert overdue.exists(), unit
        assert not overdue.filter(overdue_since__isnull=True).exists()  # the job marked them
    soon = handling.filter(
        answer_deadline__due__gte=today, answer_deadline__due__lte=today + timedelta(days=15)
    )
    assert soon.count() >= 2


def test_each_demo_login_has_something_to_do(seeded):
    deputy_drafts = Suggestion.objects.filter(lead_deputy__username="deputy", state="draft")
    assert deputy_drafts.exists()
    asks = Sponsor.objects.filter(
        deputy__username="deputy",
        role="cosigner",
        confirmed_at__isnull=True,
        declined_at__isnull=True,
        suggestion__lead_deputy__username="deputy2",
    )
    assert asks.exists()
    to_rate = Suggestion.objects.filter(lead_deputy__username="deputy", state="answered")
    assert to_rate.exists()
    assert Assignment.objects.filter(
        unit__name="温州市教育局", role="lead", state="active", signed_off_at__isnull=True
    ).exists()  # edu_head signs off
    affairs = Suggestion.objects.filter(congress__division_code="330300")
    assert affairs.filter(state="submitted").exists()
    assert affairs.filter(state="registered").exists()
    assert ReturnRequest.objects.filter(state="pending").exists()


@pytest.mark.parametrize("username", HOME_PAGES)
def test_every_demo_login_home_page_shows_a_suggestion(seeded, username):
    response = signed_in(username).get("/")
    assert response.status_code == 200
    assert shows_a_demo_suggestion(response.content.decode()), username


@pytest.mark.parametrize("username, url", LIST_PAGES.items())
def test_every_demo_login_main_list_shows_a_suggestion(seeded, username, url):
    response = signed_in(username).get(url)
    assert response.status_code == 200
    assert shows_a_demo_suggestion(response.content.decode()), username


def test_the_public_answers_page_lists_published_answers_only(seeded, client):
    html = client.get("/suggestions/public/").content.decode()
    assert shows_a_demo_suggestion(html)
    hidden = Answer.objects.filter(public=False).select_related("assignment__suggestion")
    for row in hidden:
        assert row.text not in html


def test_statistics_are_not_empty(seeded):
    from renda.orgs.models import Congress

    city = Congress.objects.get(division_code="330300")
    today = timezone.localdate()
    year = today.year
    totals = suggestion_stats(StatsFilter(congress=city, year=year, today=today)).totals
    assert totals["received"] >= 20
    assert totals["answered_on_time"] + totals["answered_late"] >= 10
    assert totals["unanswered_overdue"] >= 3
    assert totals["on_time_rate"] is not None
    # The dashboard page shows them too.
    response = signed_in("affairs").get(f"/suggestions/office/stats/?year={year}")
    assert response.status_code == 200
    assert "温州市教育局" in response.content.decode()
