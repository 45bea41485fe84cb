"""Reads of performance points (DEP-SCORE): a deputy's year (stored, or computed on the fly for
the current year before the office's first computation), the office's ranked list, the history
of computations, and whether a recomputation is waiting in the background queue."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from renda.accounts.permissions import office_congress_ids
from renda.orgs.models import Congress

from .actions.scoring import ensure_rule_table
from .choices import DutyKind
from .models import (
    Delegation,
    DeputyGroup,
    DeputyScore,
    Deputyship,
    DutyTally,
    ScoreRuleTable,
    YearScoring,
)
from .scoring_rules import (
    ALL_KINDS,
    DEDUCTIONS,
    ScoreGrade,
    compute,
    grade_label,
    next_band,
)
from .tasks_scoring import pending_recomputes  # noqa: F401 (read with the others)

# What the portrait says for a rewarded kind with no record in the year (what is still missing).
MISSING_TEXT = {
    DutyKind.SESSION: gettext_lazy("Not yet attended a session of the congress"),
    DutyKind.SC_SITTING: gettext_lazy("Not yet sat in on a standing-committee meeting"),
    DutyKind.INSPECTION: gettext_lazy("Not yet taken part in an inspection or research"),
    DutyKind.RECEPTION: gettext_lazy("Not yet received citizens at a liaison station"),
    DutyKind.TRAINING: gettext_lazy("Not yet attended training"),
    DutyKind.REPORT_BACK: gettext_lazy("Not yet reported back to voters"),
    DutyKind.GROUP_ACTIVITY: gettext_lazy("Not yet taken part in a deputy-group activity"),
    DutyKind.SUGGESTION: gettext_lazy("Not yet submitted a suggestion"),
    DutyKind.MOTION: gettext_lazy("Not yet submitted a motion"),
}


# --- who sees which congress ------------------------------------------------------------------
def scoring_congresses(user: Any) -> QuerySet[Congress]:
    """The congresses whose scores the user manages: their offices' (administrators: all)."""
    offices = office_congress_ids(user)
    qs = Congress.objects.order_by("division_code")
    return qs if offices is None else qs.filter(pk__in=offices)


def congress_for_scores(user: Any, congress_id: int | None) -> Congress:
    """The congress asked for (or the user's first) if they manage its scores; else 404."""
    qs = scoring_congresses(user)
    if congress_id is not None:
        qs = qs.filter(pk=congress_id)
    congress = qs.first()
    if congress is None:
        raise Http404
    return congress


# --- one deputy's year ------------------------------------------------------------------------
@dataclass(frozen=True)
class KindRow:
    """One kind of duty in a deputy's year, with what the table gives for it."""

    kind: str
    label: str
    count: int
    per_record: Decimal
    cap: Decimal | None
    points: Decimal
    capped: bool

    @property
    def is_deduction(self) -> bool:
        return self.kind in DEDUCTIONS


@dataclass(frozen=True)
class Missing:
    """A kind the table rewards that has no record in the year, and what one record brings."""

    kind: str
    text: str
    per_record: Decimal


@dataclass
class ScoreView:
    """A deputyship's points for a year, as the API and the portrait give them."""

    deputyship: Deputyship
    year: int
    table: ScoreRuleTable
    total: Decimal
    grade: str
    rows: list[KindRow]
    computed_at: datetime | None  # None: computed now, not stored (the current year, live)
    missing: list[Missing] = field(default_factory=list)
    next_grade: tuple[str, Decimal] | None = None

    @property
    def live(self) -> bool:
        return self.computed_at is None

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)

    @property
    def next_grade_label(self) -> str:
        return grade_label(self.next_grade[0]) if self.next_grade else ""

    def by_kind(self) -> dict[str, dict[str, Any]]:
        return {
            r.kind: {"count": r.count, "points": float(r.points), "capped": r.capped}
            for r in self.rows
        }


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def _rows(rules: dict[str, Any], counts: dict[str, int], points: dict[str, Any]) -> list[KindRow]:
    rows = []
    for kind in ALL_KINDS:
        per = _dec(rules["points"].get(kind, 0))
        count = int(counts.get(kind, 0))
        if not per and not count:
            continue  # neither rewarded nor done: not part of this year's picture
        cap = rules["caps"].get(kind)
        got = points.get(kind, {})
        rows.append(
            KindRow(
                kind=kind,
                label=str(DutyKind(kind).label),
                count=count,
                per_record=per,
                cap=None if cap is None else _dec(cap),
                points=_dec(got.get("points", 0)),
                capped=bool(got.get("capped", False)),
            )
        )
    return rows


def _view(
    deputyship: Deputyship,
    year: int,
    table: ScoreRuleTable,
    total: Decimal,
    grade: str,
    by_kind: dict[str, dict[str, Any]],
    computed_at: datetime | None,
) -> ScoreView:
    rules = table.rules
    counts = {k: int(v.get("count", 0)) for k, v in by_kind.items()}
    rows = _rows(rules, counts, by_kind)
    # "Other" is not a duty anyone can be told to do: it is never listed as missing.
    missing = [
        Missing(r.kind, str(MISSING_TEXT[DutyKind(r.kind)]), r.per_record)
        for r in rows
        if r.kind in MISSING_TEXT and r.per_record > 0 and r.count == 0
    ]
    return ScoreView(
        deputyship=deputyship,
        year=year,
        table=table,
        total=total,
        grade=grade,
        rows=rows,
        computed_at=computed_at,
        missing=missing,
        next_grade=next_band(total, rules["bands"]),
    )


def deputy_counts(deputyship_id: int, year: int) -> dict[str, int]:
    """One deputy's records of a year by kind (its duty tallies: a dozen rows at most)."""
    rows = DutyTally.objects.filter(deputyship_id=deputyship_id, year=year, n__gt=0)
    return dict(rows.values_list("kind", "n").order_by())


def score_view(deputyship: Deputyship, year: int, *, today: date) -> ScoreView | None:
    """DEP-SCORE: the stored score of the year; for the current year with none stored yet, the
    score computed now from the records under the current table (shown as provisional, never
    stored). None: a past year the office has not computed."""
    stored = (
        DeputyScore.objects.filter(deputyship=deputyship, year=year)
        .select_related("rule_table")
        .first()
    )
    if stored is not None:
        return _view(
            deputyship,
            year,
            stored.rule_table,
            stored.total,
            stored.grade,
            stored.by_kind,
            stored.computed_at,
        )
    if year != today.year:
        return None
    table = ensure_rule_table(deputyship.congress)
    score = compute(deputy_counts(deputyship.pk, year), table.rules)
    by_kind = {
        k.kind: {"count": k.count, "points": float(k.points), "capped": k.capped}
        for k in score.by_kind.values()
    }
    return _view(deputyship, year, table, score.total, score.grade, by_kind, None)


def year_totals(
    deputyship: Deputyship, *, current: ScoreView | None = None
) -> list[dict[str, Any]]:
    """The person's totals year by year in this congress (every term), oldest first; the current
    year's live score added when it is not stored."""
    rows = (
        DeputyScore.objects.filter(
            deputyship__person_id=deputyship.person_id,
            deputyship__congress_id=deputyship.congress_id,
        )
        .order_by("year", "deputyship__term__start_date")
        .values_list("year", "total", "grade")
    )
    by_year: dict[int, tuple[Decimal, str]] = {}
    for year, total, grade in rows:
        by_year[year] = (total, grade)  # the later term wins a year two terms share
    if current is not None and current.year not in by_year:
        by_year[current.year] = (current.total, current.grade)
    return [
        {"year": y, "total": t, "grade": g, "grade_label": grade_label(g)}
        for y, (t, g) in sorted(by_year.items())
    ]


def published_score(deputyship: Deputyship, year: int) -> DeputyScore | None:
    """DEP-PUBLIC: what a public profile may show of performance — the stored total and grade
    of a year (the points by kind stay with the deputy and the office)."""
    return (
        DeputyScore.objects.filter(deputyship=deputyship, year=year)
        .only("total", "grade", "year", "computed_at")
        .first()
    )


# --- the office's list -------------------------------------------------------------------------
def ranked_scores(
    congress: Congress,
    year: int,
    *,
    delegation: Delegation | None = None,
    group: DeputyGroup | None = None,
    grade: str | None = None,
) -> QuerySet[DeputyScore]:
    """A congress-year's scores, highest first (then by name), the filters applied. Ranks come
    from `rank_rows` (a page) or `with_ranks` (all, streaming): a window function over 10,000
    rows cost ten times the page itself (docs/performance.md, "Deputy scores")."""
    qs = DeputyScore.objects.filter(deputyship__congress=congress, year=year)
    if delegation is not None:
        qs = qs.filter(deputyship__delegation=delegation)
    if group is not None:
        qs = qs.filter(deputyship__group_memberships__group=group)
    if grade:
        qs = qs.filter(grade=grade)
    return qs.select_related("deputyship__person", "deputyship__delegation").order_by(
        "-total", "deputyship__person__name", "deputyship_id"
    )


def rank_rows(rows: list[DeputyScore], qs: QuerySet[DeputyScore]) -> list[DeputyScore]:
    """Each row's rank among everything `qs` holds — ties share it (1, 2, 2, 4) — in ONE query:
    1 + how many totals are higher, counted for each distinct total on the page."""
    totals = sorted({r.total for r in rows})
    if not totals:
        return rows
    counts = qs.order_by().aggregate(
        **{f"t{i}": Count("pk", filter=Q(total__gt=t)) for i, t in enumerate(totals)}
    )
    above = {t: counts[f"t{i}"] for i, t in enumerate(totals)}
    for row in rows:
        row.rank = above[row.total] + 1  # type: ignore[attr-defined]
    return rows


def with_ranks(rows: Iterable[DeputyScore]) -> Iterator[DeputyScore]:
    """Ranks of rows read in `ranked_scores` order from the first (the Excel export)."""
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row.total != previous:
            rank, previous = position, row.total
        row.rank = rank  # type: ignore[attr-defined]
        yield row


def grade_counts(congress: Congress, year: int) -> dict[str, int]:
    rows = (
        DeputyScore.objects.filter(deputyship__congress=congress, year=year)
        .values_list("grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict(rows)
    return {g.value: counts.get(g.value, 0) for g in ScoreGrade if g.value in counts}


def last_scoring(congress: Congress, year: int) -> YearScoring | None:
    return (
        YearScoring.objects.filter(congress=congress, year=year)
        .select_related("rule_table", "computed_by")
        .order_by("-computed_at", "-id")
        .first()
    )


def scoring_history(congress: Congress) -> QuerySet[YearScoring]:
    """Every computation of the congress's scores, newest first, with the table it used."""
    return (
        YearScoring.objects.filter(congress=congress)
        .select_related("rule_table", "computed_by")
        .order_by("-computed_at", "-id")
    )


def rule_tables(congress: Congress) -> QuerySet[ScoreRuleTable]:
    return ScoreRuleTable.objects.filter(congress=congress).select_related("created_by")


def scored_years(congress: Congress) -> list[int]:
    return sorted(
        set(YearScoring.objects.filter(congress=congress).values_list("year", flat=True)),
        reverse=True,
    )
