"""`seed_scale --opinions`: stations, reception days, opinions and the station facts."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from renda.opinions.models import Opinion, ReceptionDay, Referral, Station, StationDayFact
from renda.opinions.stats import MEASURES, rebuild_opinion_facts


def test_seed_scale_opinions_writes_consistent_rows_and_facts(db: Any) -> None:
    call_command(
        "seed_scale", suggestions=0, opinions=3000, units=5, deputies=40, years=1, verbosity=0
    )
    assert Station.objects.count() == 12
    assert Opinion.objects.count() == 3000
    assert ReceptionDay.objects.exists()
    assert Opinion.objects.filter(state="referred").exists()
    assert Referral.objects.filter(late=True).exists()
    assert Opinion.objects.exclude(rating="").exists()
    # Answers never before receipt; tracking codes unique and long.
    codes = list(Opinion.objects.values_list("tracking_code", flat=True))
    assert len(set(codes)) == 3000 and min(map(len, codes)) >= 20
    seeded = {
        (f["station_id"], f["day"]): f
        for f in StationDayFact.objects.values("station_id", "day", *MEASURES)
    }
    assert sum(f["received"] for f in seeded.values()) == 3000
    rebuild_opinion_facts(batch=700)
    again = {
        (f["station_id"], f["day"]): f
        for f in StationDayFact.objects.values("station_id", "day", *MEASURES)
    }
    assert again == seeded
    # Seeding again adds opinions to the same stations.
    call_command(
        "seed_scale", suggestions=0, opinions=100, units=5, deputies=40, years=1, verbosity=0
    )
    assert Station.objects.count() == 12 and Opinion.objects.count() == 3100
