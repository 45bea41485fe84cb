"""Reads of the hot-topics dashboard: the words rising this year against the same months of
last year, and their monthly trend."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, Sum

from .models import KeywordMonth

TOP = 30
TREND_WORDS = 6
MIN_COUNT = 3


@dataclass
class Rising:
    word: str
    this: int  # texts this year (up to the last month counted)
    last: int  # texts in the same months last year
    score: float  # how much it rose: see rising_score


@dataclass
class HotTopics:
    year: int
    through: int  # the last month of the year compared (1–12)
    rising: list[Rising] = field(default_factory=list)
    months: list[str] = field(default_factory=list)  # "2025-01" ... for the trend
    trend: dict[str, list[int]] = field(default_factory=dict)
    # By region (the lead deputy's delegation, the opinion's station): this year's counts of the
    # trend's words, {(source, region id): {word: texts}}.
    regions: dict[tuple[str, int], dict[str, int]] = field(default_factory=dict)


def rising_score(this: int, last: int) -> float:
    """The rise, damped for small numbers: log2((this + 2) / (last + 2)) × √this. A word that
    went from 0 to 40 texts outranks one from 1 to 3; a steady word scores about 0."""
    return round(math.log2((this + 2) / (last + 2)) * math.sqrt(this), 2)


def _filtered(congress_id: int, source: str, unit_id: int | None, region_id: int | None = None):  # noqa: ANN202
    qs = KeywordMonth.objects.filter(congress_id=congress_id)
    if source:
        qs = qs.filter(source=source)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if region_id:
        qs = qs.filter(region_id=region_id)
    return qs


def hot_topics(
    congress_id: int,
    *,
    year: int,
    today: date,
    source: str = "",
    unit_id: int | None = None,
    region_id: int | None = None,
) -> HotTopics:
    """This year's rising words (compared through this month, or all twelve for a past year),
    the monthly counts of the first few over the year and the one before, and their counts this
    year by region. A region (a delegation's or a station's id) is only meaningful with its
    source: the caller passes both."""
    through = today.month if year == today.year else 12
    qs = _filtered(congress_id, source, unit_id, region_id)
    this_q = Q(month__gte=date(year, 1, 1), month__lte=date(year, through, 1))
    last_q = Q(month__gte=date(year - 1, 1, 1), month__lte=date(year - 1, through, 1))
    this = dict(qs.filter(this_q).values("word").annotate(n=Sum("count")).values_list("word", "n"))
    words = [w for w, n in this.items() if n >= MIN_COUNT]
    last = (
        dict(
            qs.filter(last_q, word__in=words)
            .values("word")
            .annotate(n=Sum("count"))
            .values_list("word", "n")
        )
        if words
        else {}
    )
    rising = sorted(
        (Rising(w, this[w], last.get(w, 0), rising_score(this[w], last.get(w, 0))) for w in words),
        key=lambda r: (-r.score, -r.this, r.word),
    )[:TOP]
    result = HotTopics(year, through, rising)
    months = [date(year - 1, m, 1) for m in range(1, 13)] + [
        date(year, m, 1) for m in range(1, through + 1)
    ]
    result.months = [f"{m:%Y-%m}" for m in months]
    picked = [r.word for r in rising[:TREND_WORDS]]
    if picked:
        index = {m: i for i, m in enumerate(months)}
        result.trend = {w: [0] * len(months) for w in picked}
        rows = (
            qs.filter(word__in=picked, month__gte=months[0], month__lte=months[-1])
            .values("word", "month")
            .annotate(n=Sum("count"))
            .values_list("word", "month", "n")
        )
        for word, month, n in rows:
            if month in index:
                result.trend[word][index[month]] = n
        by_region = (
            qs.filter(this_q, word__in=picked)
            .exclude(region_id=0)
            .values("source", "region_id", "word")
            .annotate(n=Sum("count"))
            .values_list("source", "region_id", "word", "n")
        )
        for src, region, word, n in by_region:
            result.regions.setdefault((src, region), {})[word] = n
    return result


def years_counted(congress_id: int) -> list[int]:
    months = KeywordMonth.objects.filter(congress_id=congress_id).dates("month", "year", "DESC")
    return [m.year for m in months]
