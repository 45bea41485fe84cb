#!/usr/bin/env python3
"""Benchmark of search and similar suggestions (issue 7, "Benchmark"). Run by hand, not by pytest,
on a database seeded with `seed_scale` and indexed with `rebuild_search_index`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda_s7a_1m \\
        .venv/bin/python bench/search_bench.py
    RENDA_DATA_DIR=var/bench .venv/bin/python bench/search_bench.py      # SQLite in that dir

Times, in-process (the query functions, not HTTP): `renda.search.queries.search` for a set of
queries (1 and 2 characters, mixed Chinese/Latin/digits, traditional, several words) as the
seeded office (`scale-office`: the whole congress), deputy (`scale-deputy`) and unit clerk
(`scale-clerk`), and for the public; `similar_suggestions` for titles of existing suggestions,
reworded; and, in the same run, a plain `LIKE '%词%'` search over title and text with the same
visibility (first page of 20, newest first, and its count): speed and how many each finds.
Prints p50/p95 per operation, the load average and the peak memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    ("1 char", "养"),
    ("1 char", "路"),
    ("2 chars", "养老"),
    ("2 chars", "医保"),
    ("2 chars", "停车"),
    ("mixed", "5G基站"),
    ("mixed", "PM2.5"),
    ("traditional", "醫保"),
    ("traditional", "養老服務"),
    ("full-width", "５Ｇ"),
    ("words", "学校 交通"),
    ("words", "农村 饮水 安全"),
    ("phrase", "老旧小区改造"),
]
# Words in nearly every suggestion (关于…的建议): timed apart, so the 13 above stay comparable
# with earlier rounds (docs/performance.md, "Search").
VERY_COMMON = [
    ("very common", "建议"),
    ("very common", "的"),
]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
    os.environ.setdefault("RENDA_ENV", "test")
    import django

    django.setup()


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values) * 1000:7.1f} ms  p95 {_pct(values, 95) * 1000:7.1f} ms"
        f"  max {max(values) * 1000:7.1f} ms  (n={len(values)})"
    )


def _like(user, q: str):  # noqa: ANN001, ANN202
    """The plain search the issue compares with: every word as LIKE '%词%' on title or text."""
    from django.db.models import Q

    from renda.suggestions.queries import suggestions_visible_to

    qs = suggestions_visible_to(user)
    for word in q.split():
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    page = list(qs.order_by("-id").values_list("pk", flat=True)[:20])
    return page, qs.count()


def _reworded(suggestions: Any, rng: random.Random, low: int, high: int) -> Any:
    """A random suggestion past the draft among `suggestions` (the first from a random id in
    [low, high]) and its title reworded (关于…的建议 → …问题的意见); None when there is none."""
    row = (
        suggestions.filter(pk__gte=rng.randint(low, high))
        .exclude(state="draft")
        .order_by("pk")
        .values("pk", "title", "congress_id")
        .first()
    )
    if row is None:
        return None
    return row, row["title"].replace("关于", "").replace("的建议", "问题的意见")


def office_congress(user: object) -> int:
    """The congress the office account works for (its first role's)."""
    from renda.accounts.models import RoleAssignment

    return RoleAssignment.objects.filter(user=user).values_list("congress_id", flat=True)[0]


def _compare_similar_years(args: argparse.Namespace, rng: random.Random, years: list[int]) -> None:
    """Similar suggestions with each SIMILAR_YEARS setting in turn, for the same reworded titles
    of this year's and last year's suggestions (those the window keeps)."""
    from django.conf import settings
    from django.utils import timezone

    from renda.accounts.models import User
    from renda.search.queries import similar_suggestions
    from renda.suggestions.models import Suggestion

    office = User.objects.get(username="scale-office")
    recent = Suggestion.objects.filter(year__gte=timezone.localdate().year - 1)
    low = recent.order_by("pk").values_list("pk", flat=True).first()
    high = recent.order_by("-pk").values_list("pk", flat=True).first()
    warm = "关于加强社区养老服务的建议"  # the first call loads the segmenter: not timed
    similar_suggestions(office, title=warm, congress=office_congress(office))
    times: dict[int, list[float]] = {y: [] for y in years}
    found = dict.fromkeys(years, 0)
    for _ in range(args.similar):
        picked = _reworded(recent, rng, low, high)
        if picked is None:
            continue
        row, title = picked
        for y in years:
            settings.SIMILAR_YEARS = y
            t = time.perf_counter()
            items = similar_suggestions(office, title=title, congress=row["congress_id"])
            times[y].append(time.perf_counter() - t)
            found[y] += any(i.id == row["pk"] for i in items)
    for y in years:
        print(
            f"similar, SIMILAR_YEARS={y}: {_ms(times[y])}; the reworded original among the 5 in "
            f"{found[y]}/{len(times[y])}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory {peak} MB · load average now: {os.getloadavg()}")


def _time_search(
    args: argparse.Namespace,
    users: dict[str, Any],
    queries: list[tuple[str, str]],
    hits_of: dict[str, int],
    title: str,
) -> None:
    """Each query as each user, of suggestions and of every kind, timed; p50/p95 per kind."""
    from renda.search.queries import search

    print(f"\n== search{title} (first page of 20, with the total up to 1 000) ==")
    print(f"{'query':<22}{'user':<8}{'kind':<11}{'hits':>7}  timing")
    all_times: dict[str, list[float]] = {"suggestion": [], "all kinds": []}
    for label, q in queries:
        for who, user in users.items():
            for kind in ("suggestion", None):
                if who == "public" and kind == "suggestion":
                    continue
                times = []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    r = search(user, q, kind=kind)
                    times.append(time.perf_counter() - t)
                key = "suggestion" if kind else "all kinds"
                all_times[key].extend(times)
                total = f"{r.total}{'+' if r.total_capped else ''}"
                if who == "office" and kind == "suggestion":
                    hits_of[q] = r.total if not r.total_capped else -1
                print(f"{label + ' ' + q:<22}{who:<8}{key:<11}{total:>7}  {_ms(times)}")
    for key, times in all_times.items():
        print(f"ALL search{title} ({key}): {_ms(times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each query and user")
    parser.add_argument("--similar", type=int, default=60, help="similar-suggestion lookups")
    parser.add_argument("--like-repeat", type=int, default=2, help="runs of each LIKE query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--similar-years",
        default="",
        help="e.g. 0,2: similar suggestions only, each title timed with SIMILAR_YEARS = 0 (every "
        "year) and 2 (this year and last) in turn; titles from this year and last",
    )
    args = parser.parse_args()
    _setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from renda.accounts.models import User
    from renda.search.models import SearchDocument
    from renda.search.queries import search, similar_suggestions
    from renda.suggestions.models import Suggestion

    rng = random.Random(args.seed)
    if args.similar_years:
        _compare_similar_years(args, rng, [int(y) for y in args.similar_years.split(",")])
        return
    n = Suggestion.objects.count()
    docs = SearchDocument.objects.count()
    print(
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · "
        f"{os.cpu_count()} cores · database: {connection.vendor}"
    )
    print(f"suggestions: {n} · index rows: {docs} · load average: {os.getloadavg()}")
    users = {
        "office": User.objects.get(username="scale-office"),
        "deputy": User.objects.get(username="scale-deputy"),
        "clerk": User.objects.get(username="scale-clerk"),
        "public": AnonymousUser(),
    }
    # Warm up (the segmenter's dictionary, the database's caches).
    for _label, q in QUERIES:
        search(users["office"], q, kind="suggestion")

    hits_of: dict[str, int] = {}
    _time_search(args, users, QUERIES, hits_of, "")
    _time_search(args, users, VERY_COMMON, {}, " (very common words)")

    print("\n== plain LIKE '%词%' over title and text (office, first page of 20 + count) ==")
    like_times: list[float] = []
    for label, q in QUERIES:
        times = []
        for _ in range(args.like_repeat):
            t = time.perf_counter()
            _page, count = _like(users["office"], q)
            times.append(time.perf_counter() - t)
        like_times.extend(times)
        mine = hits_of.get(q)
        mine_s = "> 1000" if mine == -1 else str(mine)
        print(
            f"{label + ' ' + q:<22} LIKE finds {count:>7}  search finds {mine_s:>7}  {_ms(times)}"
        )
    print(f"ALL LIKE: {_ms(like_times)}")

    print("\n== similar suggestions (office; titles of existing suggestions, reworded) ==")
    top = Suggestion.objects.order_by("-id").values_list("pk", flat=True)[:1][0]
    times = []
    found = 0
    for _ in range(args.similar):
        picked = _reworded(Suggestion.objects.all(), rng, 1, top)
        if picked is None:
            continue
        row, title = picked
        t = time.perf_counter()
        items = similar_suggestions(users["office"], title=title, congress=row["congress_id"])
        times.append(time.perf_counter() - t)
        found += any(i.id == row["pk"] for i in items)
    print(f"similar: {_ms(times)}; the reworded original among the 5 in {found}/{len(times)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\npeak memory {peak} MB · load average now: {os.getloadavg()}")


if __name__ == "__main__":
    main()
