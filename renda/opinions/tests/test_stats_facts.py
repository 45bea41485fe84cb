"""Station performance facts (stats.py) and figures (queries_stats.py): the station-day rows
the actions refresh, the rebuild, and the figures read from them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from renda.opinions.choices import OpinionState, Outcome, Rating, ReceptionState, ReferralState
from renda.opinions.models import ReceptionDay, StationDayFact, StationOpenReferrals
from renda.opinions.queries_stats import (
    StationPeriod,
    median_days,
    station_performance,
)
from renda.opinions.stats import MEASURES, rebuild_opinion_facts, refresh_opinion_facts

from .station_builders import at, opinion, referral, station

D = date(2026, 3, 2)  # a Monday


def _facts() -> dict[tuple[int, date], dict[str, Any]]:
    facts: dict[tuple[int, date], dict[str, Any]] = {
        (f["station_id"], f["day"]): {m: f[m] for m in MEASURES}
        for f in StationDayFact.objects.values("station_id", "day", *MEASURES)
    }
    for row in StationOpenReferrals.objects.values("station_id", "day", "due", "open"):
        facts[(row["station_id"], row["day"])].setdefault("open", {})[row["due"]] = row["open"]
    return facts


def _scenario(world: Any) -> dict[str, Any]:
    """Two stations, opinions of every kind over three days."""
    a = station(world.city, "城东联络站")
    b = station(world.city, "城西联络点", kind="point")
    office = world["affairs"]
    ops = []
    # On the spot, same day, satisfied.
    ops.append(
        opinion(
            a,
            at(D),
            answered=at(D, 6),
            outcome=Outcome.ANSWERED,
            state=OpinionState.ANSWERED,
            rating=Rating.SATISFIED,
        )
    )
    # Referred, answered in time after 5 days, basically satisfied.
    op = opinion(
        a,
        at(D),
        answered=at(D + timedelta(days=5)),
        outcome=Outcome.REFER,
        state=OpinionState.ANSWERED,
        rating=Rating.BASICALLY_SATISFIED,
    )
    referral(op, world.edu, office, due=D + timedelta(days=21), answered=at(D + timedelta(days=5)))
    ops.append(op)
    # Referred, answered late (40 days), dissatisfied.
    op = opinion(
        a,
        at(D + timedelta(days=1)),
        answered=at(D + timedelta(days=41)),
        outcome=Outcome.REFER,
        state=OpinionState.ANSWERED,
        rating=Rating.DISSATISFIED,
    )
    referral(
        op, world.transport, office, due=D + timedelta(days=22), answered=at(D + timedelta(days=41))
    )
    ops.append(op)
    # Referred, still unanswered, past due (overdue now).
    op = opinion(a, at(D + timedelta(days=1)), outcome=Outcome.REFER, state=OpinionState.REFERRED)
    referral(op, world.edu, office, due=D + timedelta(days=22))
    ops.append(op)
    # A withdrawn referral does not make an answer late.
    op = opinion(
        b,
        at(D),
        answered=at(D + timedelta(days=2)),
        outcome=Outcome.REFER,
        state=OpinionState.ANSWERED,
    )
    referral(op, world.edu, office, due=D, state=ReferralState.WITHDRAWN)
    referral(
        op, world.transport, office, due=D + timedelta(days=20), answered=at(D + timedelta(days=2))
    )
    ops.append(op)
    # Turned into a suggestion.
    ops.append(
        opinion(
            b, at(D + timedelta(days=2)), outcome=Outcome.SUGGESTION, state=OpinionState.CONVERTED
        )
    )
    # 23:30 Beijing on D (15:30 UTC) is day D; 00:30 Beijing on D+1 (16:30 UTC on D) is D+1.
    ops.append(opinion(b, at(D, 15)))
    ops.append(opinion(b, at(D, 16)))
    # No station: not counted.
    ops.append(opinion(None, at(D), congress=world.city))
    return {"a": a, "b": b, "ops": ops}


@pytest.mark.django_db(transaction=False)
def test_refresh_and_rebuild_agree_and_count_by_beijing_day(world: Any) -> None:
    s = _scenario(world)
    with transaction.atomic():
        assert refresh_opinion_facts([o.pk for o in s["ops"]]) == 5
    refreshed = _facts()
    assert rebuild_opinion_facts(batch=3) == 5
    assert _facts() == refreshed
    a, b = s["a"].pk, s["b"].pk
    assert refreshed[(a, D)]["received"] == 2
    assert refreshed[(a, D)]["answered_in_time"] == 2
    assert refreshed[(a, D)]["d0"] == 1 and refreshed[(a, D)]["d5"] == 1
    assert refreshed[(a, D + timedelta(days=1))]["answered_in_time"] == 0
    assert refreshed[(a, D + timedelta(days=1))]["d31_60"] == 1
    assert refreshed[(a, D + timedelta(days=1))]["open"] == {D + timedelta(days=22): 1}
    assert "open" not in refreshed[(a, D)]
    assert refreshed[(b, D)]["received"] == 2  # 23:30 Beijing counts on D
    assert refreshed[(b, D)]["answered_in_time"] == 1  # the withdrawn referral is ignored
    assert refreshed[(b, D + timedelta(days=1))]["received"] == 1  # 00:30 Beijing on D+1
    assert refreshed[(b, D + timedelta(days=2))]["converted"] == 1


def test_refresh_recomputes_the_whole_station_day_and_is_idempotent(world: Any) -> None:
    s = _scenario(world)
    first = s["ops"][0]
    with transaction.atomic():
        refresh_opinion_facts([first.pk])
        refresh_opinion_facts([first.pk])  # calling twice changes nothing
    row = StationDayFact.objects.get(station=s["a"], day=D)
    assert row.received == 2  # both opinions of that station-day, not only the one named
    from renda.opinions.models import Opinion

    Opinion.objects.filter(pk=first.pk).update(rating=Rating.DISSATISFIED)
    with transaction.atomic():
        refresh_opinion_facts([first.pk])
    row.refresh_from_db()
    assert (row.satisfied, row.dissatisfied, row.rated) == (0, 1, 2)


def test_station_performance_figures(world: Any, django_assert_max_num_queries: Any) -> None:
    s = _scenario(world)
    rebuild_opinion_facts()
    ReceptionDay.objects.create(
        station=s["a"], starts_at=at(D), ends_at=at(D, 8), state=ReceptionState.HELD
    )
    ReceptionDay.objects.create(
        station=s["a"], starts_at=at(D + timedelta(days=7)), ends_at=at(D + timedelta(days=7), 8)
    )
    ReceptionDay.objects.create(
        station=s["b"], starts_at=at(D), ends_at=at(D, 8), state=ReceptionState.CANCELLED
    )
    p = StationPeriod(
        congress=world.city, start=D, end=D + timedelta(days=30), today=D + timedelta(days=60)
    )
    with django_assert_max_num_queries(4):
        perf = station_performance(p)
    rows = {r["id"]: r for r in perf.stations}
    a = rows[s["a"].pk]
    assert a["received"] == 4 and a["answered"] == 3 and a["answered_in_time"] == 2
    assert a["overdue_now"] == 1
    assert a["in_time_rate"] == 50.0  # 2 ÷ (3 answered + 1 overdue)
    assert a["median_days"] == 5  # 0, 5, 31+ → 5
    assert a["satisfaction_rate"] == pytest.approx(66.7)
    assert (a["receptions_planned"], a["receptions_held"], a["receptions_held_rate"]) == (
        2,
        1,
        50.0,
    )
    b = rows[s["b"].pk]
    assert b["received"] == 4 and b["converted"] == 1 and b["converted_rate"] == 25.0
    assert b["satisfaction_rate"] is None  # nothing rated: no rate, never 0
    assert b["receptions_cancelled"] == 1 and b["receptions_held_rate"] == 0.0
    assert perf.totals["received"] == 8
    assert perf.stations[0]["received"] >= perf.stations[-1]["received"]


def test_period_excludes_days_outside(world: Any) -> None:
    s = _scenario(world)
    rebuild_opinion_facts()
    p = StationPeriod(
        congress=world.city,
        start=D + timedelta(days=1),
        end=D + timedelta(days=1),
        today=D + timedelta(days=1),
    )
    perf = station_performance(p)
    rows = {r["id"]: r for r in perf.stations}
    assert rows[s["a"].pk]["received"] == 2
    assert rows[s["a"].pk]["overdue_now"] == 0  # not past due yet as of that day
    assert rows[s["b"].pk]["received"] == 1


def test_median_days_from_histogram() -> None:
    h = [0] * 34
    assert median_days(h) is None
    h[2] = 1
    assert median_days(h) == 2
    h[4] = 1
    assert median_days(h) == 3  # (2 + 4) / 2
    h[31] = 5  # the 31–60 range counts as 31
    assert median_days(h) == 31


def test_refresh_needs_no_station(world: Any) -> None:
    op = opinion(None, timezone.make_aware(datetime(2026, 3, 2, 12)), congress=world.city)
    with transaction.atomic():
        assert refresh_opinion_facts([op.pk]) == 0
    assert not StationDayFact.objects.exists()


def test_rebuild_command_and_recent_days(world: Any) -> None:
    from django.core.management import call_command

    from renda.opinions.stats import refresh_station_days

    s = _scenario(world)
    call_command("rebuild_opinion_facts", verbosity=0)
    full = _facts()
    StationDayFact.objects.filter(station=s["a"], day=D).update(received=99)
    StationDayFact.objects.create(station=s["b"], day=D + timedelta(days=9), received=5)
    assert refresh_station_days(D, D + timedelta(days=10)) == 6
    after = _facts()
    assert after.pop((s["b"].pk, D + timedelta(days=9)))["received"] == 0  # stale row zeroed
    assert after == full


def test_an_answered_referral_leaves_the_open_referrals(world: Any) -> None:
    from renda.opinions.models import Referral

    s = _scenario(world)
    rebuild_opinion_facts()
    day = D + timedelta(days=1)
    assert StationOpenReferrals.objects.get(station=s["a"], day=day).open == 1
    ref = Referral.objects.get(state=ReferralState.ACTIVE)
    Referral.objects.filter(pk=ref.pk).update(
        state=ReferralState.ANSWERED, answered_at=at(D + timedelta(days=30))
    )
    with transaction.atomic():
        refresh_opinion_facts([ref.opinion_id])
    assert not StationOpenReferrals.objects.filter(station=s["a"]).exists()
    p = StationPeriod(
        congress=world.city, start=D, end=D + timedelta(days=30), today=D + timedelta(days=60)
    )
    assert {r["id"]: r for r in station_performance(p).stations}[s["a"].pk]["overdue_now"] == 0


def test_count_received_adds_one_and_agrees_with_the_rebuild(world: Any) -> None:
    from renda.opinions.stats import count_received

    st = station(world.city, "城北联络站")
    first = opinion(st, at(D))
    with transaction.atomic():
        count_received(first)
    second = opinion(st, at(D, 15))  # 23:00 Beijing: the same day
    with transaction.atomic():
        count_received(second)
    with transaction.atomic():
        count_received(opinion(None, at(D), congress=world.city))  # no station: nothing
    counted = _facts()
    assert counted[(st.pk, D)]["received"] == 2
    rebuild_opinion_facts()
    assert _facts() == counted
