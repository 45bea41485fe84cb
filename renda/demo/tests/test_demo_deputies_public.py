"""The demo's public part of deputies' work: every screen of it has something to show."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from renda.deputies.models import CitizenMessage, Deputyship, WorkPlan
from renda.deputies.queries_coverage import (
    CoverageFilter,
    coverage_summary,
    current_term,
    flagged_deputies,
)
from renda.orgs.models import Congress


def test_demo_has_messages_a_published_plan_contacts_and_one_flagged_deputy(seeded: Any) -> None:
    city = Congress.objects.get(division_code="330300")
    today = timezone.localdate()
    term = current_term(city, today)
    f = CoverageFilter(congress=city, term=term, today=today)
    summary = coverage_summary(f)
    assert summary.deputies >= 100
    assert 0 < summary.missing["report_back"] < summary.deputies
    assert 0 < summary.sc_below < summary.sc_members
    assert [r.deputyship.person.user.username for r in flagged_deputies(f)] == ["wz_dep_050"]
    assert WorkPlan.objects.filter(congress=city, published_at__isnull=False).count() == 1
    mine = Deputyship.objects.get(person__user__username="deputy", congress=city)
    assert CitizenMessage.objects.filter(deputyship=mine).count() == 3
    assert CitizenMessage.objects.filter(deputyship=mine, read_at__isnull=True).count() == 2
