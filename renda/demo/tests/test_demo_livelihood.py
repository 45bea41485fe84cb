"""The demo's livelihood projects: this year's projects chosen by the deputies' vote (LP-VOTE)
and monitored, so the public board shows done, on-time and late projects with the evaluation's
shares; next year's list of 12 candidates fixed and ready for the vote; seeding twice adds
nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from renda.livelihood.models import Plan, Project
from renda.livelihood.queries import board


def test_this_years_projects_are_chosen_monitored_and_evaluated(seeded: Any) -> None:
    year = timezone.localdate().year
    plan = Plan.objects.get(congress__division_code="330300", year=year)
    assert plan.state == "evaluated" and plan.ballot.state == "closed"
    assert Project.objects.filter(plan=plan, state="chosen").count() == 6
    assert Project.objects.filter(plan=plan, state="not_chosen").count() == 2
    b = board(plan)
    assert b.counts["late"] >= 1 and b.counts["on_time"] >= 1 and b.counts["done"] >= 1
    assert all(r.evaluation and r.evaluation["total"] > 0 for r in b.rows)
    assert all(r.latest is not None for r in b.rows)
    assert b.mapped and b.spent > 0
    page = Client().get(f"/minsheng/{plan.pk}/").content.decode()
    assert 'data-progress="late"' in page and 'data-progress="done"' in page
    assert "13800008801" not in page and "王秀兰" not in page


def test_next_years_list_is_ready_for_the_vote(seeded: Any) -> None:
    plan = Plan.objects.get(congress__division_code="330300", year=timezone.localdate().year + 1)
    assert plan.state == "list_fixed" and plan.max_choices == 10
    assert Project.objects.filter(plan=plan, state="approved").count() == 12
    assert plan.proposals.exclude(merged_into=None).count() == 1
    assert plan.proposals.filter(source="deputy").exists()


def test_seeding_livelihood_again_adds_nothing(seeded: Any) -> None:
    from renda.accounts.models import User
    from renda.demo.livelihood import seed_livelihood
    from renda.orgs.models import Congress

    users = {u.username: u for u in User.objects.all()}
    congresses = {c.division_code: c for c in Congress.objects.all()}
    assert not seed_livelihood(users, congresses)
