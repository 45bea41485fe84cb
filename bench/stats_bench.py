"""Time the suggestion statistics (issue 3 benchmark: "the statistics under 300 ms at 1M").

Run against a database filled by `manage.py seed_scale` (RENDA_DATA_DIR or DATABASE_URL set as
for the server):

    RENDA_DATA_DIR=var/bench100k .venv/bin/python bench/stats_bench.py --rounds 10

Calls GET /api/v1/stats/suggestions in-process (Django test client, bearer token of the seeded
deputy-affairs account `scale-office`, so authentication, the filter checks, the 24 queries and
the JSON are all in the figure) for: one past year, the current year, all years, and one unit's
view of the current year. Prints p50/p95/max wall time and the number of queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
os.environ.setdefault("RENDA_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--congress", default="530000", help="division code (seed_scale's)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from renda.accounts.actions import issue_api_token
    from renda.accounts.models import User
    from renda.orgs.models import Congress
    from renda.suggestions.models import Assignment, Suggestion

    congress = Congress.objects.get(division_code=args.congress)
    office = User.objects.get(username="scale-office")
    token, _row = issue_api_token(office)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    this_year = timezone.localdate().year
    busiest = (
        Assignment.objects.filter(suggestion__congress=congress, suggestion__year=this_year)
        .values_list("unit_id", flat=True)
        .order_by("unit_id")
        .first()
    )
    total = Suggestion.objects.filter(congress=congress).count()
    in_year = Suggestion.objects.filter(congress=congress, year=this_year - 1).count()
    print(f"{connection.vendor}: {total} suggestions in the congress, {in_year} in {this_year - 1}")
    cases = [
        (f"year={this_year - 1}", {"year": this_year - 1}),
        (f"year={this_year}", {"year": this_year}),
        ("all years", {"year": ""}),
        (f"year={this_year}&unit={busiest}", {"year": this_year, "unit": busiest}),
    ]
    for label, params in cases:
        params = {k: v for k, v in params.items() if v != ""}
        params["congress"] = congress.pk
        times = []
        queries = 0
        for _ in range(args.rounds):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get("/api/v1/stats/suggestions", params)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.content[:300]
            queries = len(ctx.captured_queries)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        received = response.json()["totals"]["received"]
        print(
            f"{label:28} p50 {statistics.median(times):8.1f} ms  p95 {p95:8.1f} ms  "
            f"max {times[-1]:8.1f} ms  queries {queries}  received {received}"
        )


if __name__ == "__main__":
    main()
