"""DEP-SCORE: performance points. The congress's rule table (a default on first use; a change is
a new row, the old one kept) and the set-based recomputation of a congress-year's scores: one
grouped query over the year's duty records, one bulk upsert of the scores, one `YearScoring`
row naming the table used, one audit event — all in one transaction.

Big congresses are recomputed by the background worker (`tasks_scoring.py`); the office's
request decides by the number of deputies (`DEPUTY_SCORE_INLINE_MAX`, default 1,000).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from renda.audit.actions import record_event
from renda.errors import InvalidInput, require
from renda.orgs.models import Congress

from ..choices import DeputyshipStatus
from ..models import DeputyScore, Deputyship, DutyTally, ScoreRuleTable, YearScoring
from ..permissions import can_manage_scores
from ..scoring_rules import clean_rules, compile_rules, compute, default_rules, stored_by_kind

YEAR_MIN = 1990
NAME_MAX = 100
BATCH = 1000
DEFAULT_INLINE_MAX = 1000


def clean_year(value: Any, *, field: str = "year") -> int:
    """A year scores can be computed for: 1990 up to this year (never a future year)."""
    this_year = timezone.localdate().year
    if isinstance(value, bool):
        raise InvalidInput(_("%(field)s: must be a whole number.") % {"field": field})
    try:
        year = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise InvalidInput(_("%(field)s: must be a whole number.") % {"field": field}) from None
    if not YEAR_MIN <= year <= this_year:
        raise InvalidInput(
            _("%(field)s: must be between %(low)d and %(high)d.")
            % {"field": field, "low": YEAR_MIN, "high": this_year}
        )
    return year


def inline_max() -> int:
    """Congresses with more deputies than this are recomputed by the background worker."""
    return int(getattr(settings, "DEPUTY_SCORE_INLINE_MAX", DEFAULT_INLINE_MAX))


def deputyships_in_year(congress_id: int, year: int) -> QuerySet[Deputyship]:
    """DEP-SCORE: the deputyships scored for a year — every one whose term overlaps the year
    and that had not ended before it began. Ended and suspended deputyships keep their score."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return (
        Deputyship.objects.filter(congress_id=congress_id, term__start_date__lte=end)
        .filter(Q(term__end_date__isnull=True) | Q(term__end_date__gte=start))
        .exclude(status=DeputyshipStatus.ENDED, status_since__lt=start)
    )


def _default_name() -> str:
    return pgettext("score table", "Default table")


def ensure_rule_table(congress: Congress, *, by: Any = None) -> ScoreRuleTable:
    """The congress's current table; the default one is created on first use (audited)."""
    table = ScoreRuleTable.objects.filter(congress=congress, current=True).first()
    if table is not None:
        return table
    try:
        with transaction.atomic():
            table = ScoreRuleTable.objects.create(
                congress=congress,
                name=_default_name(),
                rules=default_rules(),
                created_by=by if getattr(by, "pk", None) else None,
                current=True,
            )
            record_event(
                table,
                "score_table.created",
                by=by if getattr(by, "pk", None) else None,
                data={"congress": congress.pk, "default": True},
            )
    except IntegrityError:
        # Another request created it at the same moment (one current table per congress).
        table = ScoreRuleTable.objects.get(congress=congress, current=True)
    return table


def _clean_name(value: Any) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise InvalidInput(_("name: a name for the table is needed."), code="invalid_rules")
    if len(name) > NAME_MAX:
        raise InvalidInput(
            _("name: at most %(n)d characters.") % {"n": NAME_MAX}, code="invalid_rules"
        )
    if "\x00" in name:
        raise InvalidInput(_("name: must not contain NUL characters."), code="invalid_rules")
    return name


def _changes(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """What differs between two tables, for the audit trail ("points.leave": [-1, -2])."""
    if old is None:
        return {}
    changed: dict[str, Any] = {}
    for key in ("base", "max_total"):
        if old.get(key) != new.get(key):
            changed[key] = [old.get(key), new.get(key)]
    for part in ("points", "caps"):
        before, after = old.get(part) or {}, new.get(part) or {}
        for kind in sorted(set(before) | set(after)):
            if before.get(kind) != after.get(kind):
                changed[f"{part}.{kind}"] = [before.get(kind), after.get(kind)]
    if old.get("bands") != new.get("bands"):
        changed["bands"] = [old.get("bands"), new.get("bands")]
    return changed


@dataclass(frozen=True)
class RecomputeOutcome:
    """A recomputation asked for: done now (`scoring`) or queued for the worker."""

    year: int
    scoring: YearScoring | None
    queued: bool


@transaction.atomic
def change_rule_table(
    congress: Congress,
    *,
    name: Any,
    rules: Any,
    by: Any,
    recompute_years: list[Any] | tuple[Any, ...] = (),
) -> tuple[ScoreRuleTable, list[RecomputeOutcome]]:
    """DEP-SCORE: the office sets a new table. It becomes the current one (the old row stays, so
    earlier computations still name the table they used) and this year's scores are recomputed,
    with any other years the office chose."""
    require(
        can_manage_scores(by, congress),
        _("Only the congress's deputy-affairs office sets its score table."),
    )
    name = _clean_name(name)
    clean = clean_rules(rules)
    years = {timezone.localdate().year}
    for value in recompute_years or ():
        years.add(clean_year(value, field="recompute_years"))
    Congress.objects.select_for_update().filter(pk=congress.pk).first()  # one change at a time
    old = ScoreRuleTable.objects.filter(congress=congress, current=True).first()
    if old is not None:
        old.current = False
        old.save(update_fields=["current"])
    table = ScoreRuleTable.objects.create(
        congress=congress, name=name, rules=clean, created_by=by, current=True
    )
    record_event(
        table,
        "score_table.changed",
        by=by,
        data={
            "congress": congress.pk,
            "previous": getattr(old, "pk", None),
            "name": name,
            "changes": _changes(getattr(old, "rules", None), clean),
        },
    )
    outcomes = [request_recompute(congress, year, by=by) for year in sorted(years)]
    return table, outcomes


def request_recompute(congress: Congress, year: Any, *, by: Any) -> RecomputeOutcome:
    """Recompute a congress-year now, or — for a congress larger than `inline_max()` — queue it
    for the worker once the caller's transaction commits."""
    require(
        can_manage_scores(by, congress),
        _("Only the congress's deputy-affairs office recomputes its deputies' scores."),
    )
    year = clean_year(year)
    if deputyships_in_year(congress.pk, year).count() <= inline_max():
        return RecomputeOutcome(year, recompute_scores(congress, year, by=by), queued=False)
    from ..tasks_scoring import pending_recomputes, recompute_scores_task

    if any(p.status == "READY" for p in pending_recomputes(congress, year)):
        # Asked twice (two offices, a double click): the one waiting will read the same rows.
        return RecomputeOutcome(year, None, queued=True)
    by_id = getattr(by, "pk", None)
    transaction.on_commit(
        lambda: recompute_scores_task.enqueue(congress_id=congress.pk, year=year, by_id=by_id),
        robust=True,
    )
    return RecomputeOutcome(year, None, queued=True)


def year_counts(congress_id: int, year: int) -> dict[int, dict[str, int]]:
    """Records per deputyship and kind in a congress-year: ONE query over the duty tallies
    (`tallies.py`, a row per deputyship, kind and year), not over the records."""
    rows = (
        DutyTally.objects.filter(deputyship__congress_id=congress_id, year=year)
        .values_list("deputyship_id", "kind", "n")
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for deputyship_id, kind, n in rows.iterator(chunk_size=5000):
        counts.setdefault(deputyship_id, {})[kind] = n
    return counts


@transaction.atomic
def recompute_scores(congress: Congress, year: int, *, by: Any) -> YearScoring:
    """DEP-SCORE: every score of a congress-year under its current table, set-based.

    One query over the duty tallies (records per deputy and kind), the
    arithmetic of `scoring_rules.compute`, one bulk upsert of DeputyScore (scores of
    deputyships no longer counted are removed), one YearScoring row and one audit event.
    `by` None: the platform itself (the nightly command, the demo)."""
    if by is not None:
        require(
            can_manage_scores(by, congress),
            _("Only the congress's deputy-affairs office recomputes its deputies' scores."),
        )
    year = clean_year(year)
    Congress.objects.select_for_update().filter(pk=congress.pk).first()  # one run at a time
    table = ensure_rule_table(congress, by=by)
    # A table edited outside the actions is refused, not used.
    rules = compile_rules(clean_rules(table.rules))
    counts = year_counts(congress.pk, year)
    ids = set(deputyships_in_year(congress.pk, year).values_list("pk", flat=True))
    ids.update(counts)  # a record in the year proves the deputyship served in it
    now = timezone.now()
    grades: Counter[str] = Counter()
    rows = []
    for deputyship_id in sorted(ids):
        score = compute(counts.get(deputyship_id, {}), rules)
        grades[score.grade] += 1
        rows.append(
            DeputyScore(
                deputyship_id=deputyship_id,
                year=year,
                rule_table=table,
                total=score.total,
                grade=score.grade,
                by_kind=stored_by_kind(score),
                computed_at=now,
            )
        )
    DeputyScore.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["deputyship", "year"],
        update_fields=["rule_table", "total", "grade", "by_kind", "computed_at"],
    )
    DeputyScore.objects.filter(deputyship__congress_id=congress.pk, year=year).exclude(
        computed_at=now
    ).delete()
    user = by if getattr(by, "pk", None) else None
    scoring = YearScoring.objects.create(
        congress=congress, year=year, rule_table=table, computed_by=user, deputies=len(rows)
    )
    record_event(
        scoring,
        "scores.computed",
        by=user,
        data={
            "congress": congress.pk,
            "year": year,
            "rule_table": table.pk,
            "deputies": len(rows),
            "grades": dict(sorted(grades.items())),
        },
    )
    return scoring
