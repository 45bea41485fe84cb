"""DEP-SCORE: the performance-points rule table — its shape, the default, strict checking, and
the arithmetic that turns a deputy's year of duty records into points and a grade.

No statute sets these numbers (practice, e.g. 银川: 100 points, ≥80 good, 60–79 fair, <60 poor;
重庆江北: 3 points per suggestion, −1 per half-day of leave): each congress sets its own table,
and the default below is only where a congress starts (docs/deputies.md explains it).

A table (`ScoreRuleTable.rules`) is a JSON object:

    {"base": 0,                    points everyone starts the year with
     "max_total": 100,             the most a year can total (null: no ceiling)
     "points": {kind: n},          points per record of that kind; negative for deductions
     "caps": {kind: n | null},     the most points (or, for a deduction, the most points taken
                                   away) a kind can count for in one year; null: no cap
     "bands": [{"min": 80, "grade": "good"}, …, {"min": null, "grade": "poor"}]}
                                   grade bands, highest first; the last takes everything below

Arithmetic is in Decimal with two places, so 79.99 is never graded as 80.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.errors import InvalidInput

from .choices import DEDUCTION_KINDS, DutyKind


class ScoreGrade(models.TextChoices):
    """Grades a band can give, best first (优秀 / 合格 / 基本合格 / 不合格)."""

    GOOD = "good", gettext_lazy("Excellent")
    FAIR = "fair", gettext_lazy("Satisfactory")
    BASIC = "basic", gettext_lazy("Basically satisfactory")
    POOR = "poor", gettext_lazy("Unsatisfactory")


GRADE_ORDER = [g.value for g in ScoreGrade]
DUTY_KINDS = [k.value for k in DutyKind if k not in DEDUCTION_KINDS]
DEDUCTIONS = [k.value for k in DEDUCTION_KINDS]
ALL_KINDS = DUTY_KINDS + DEDUCTIONS

# Bounds of every number in a table (a typo like 1000 points per suggestion is refused).
POINTS_MAX = Decimal(100)
CAP_MAX = Decimal(1000)
TOTAL_MAX = Decimal(1000)
# DeputyScore.total is a 7-digit decimal: a year's total is kept inside it whatever the count.
STORE_MAX = Decimal("99999.99")
CENT = Decimal("0.01")
KEYS = {"base", "max_total", "points", "caps", "bands"}

# The default table (DEP-SCORE; practice, documented with its reasons in docs/deputies.md).
# 100 points like 银川; 3 points a suggestion like 重庆江北; −1 per leave, −5 per unexcused
# absence; the bands ≥80 / 60–79.99 / below 60.
DEFAULT_RULES: dict[str, Any] = {
    "base": 0,
    "max_total": 100,
    "points": {
        "session": 20,
        "sc_sitting": 5,
        "inspection": 5,
        "reception": 4,
        "training": 5,
        "report_back": 10,
        "group_activity": 3,
        "suggestion": 3,
        "motion": 5,
        "other": 2,
        "leave": -1,
        "absence": -5,
    },
    "caps": {
        "session": 20,
        "sc_sitting": 10,
        "inspection": 15,
        "reception": 12,
        "training": 10,
        "report_back": 10,
        "group_activity": 12,
        "suggestion": 15,
        "motion": 10,
        "other": 6,
        "leave": None,
        "absence": None,
    },
    "bands": [
        {"min": 80, "grade": "good"},
        {"min": 60, "grade": "fair"},
        {"min": None, "grade": "poor"},
    ],
}


def _invalid(where: str, message: str) -> InvalidInput:
    return InvalidInput(f"{where}: {message}", code="invalid_rules")


def _number(value: Any, where: str, low: Decimal, high: Decimal) -> Decimal:
    """A JSON number (not a string, not true/false) within [low, high], at most 2 decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _invalid(where, _("must be a number."))
    if isinstance(value, float) and not math.isfinite(value):
        raise _invalid(where, _("must be a number."))
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _invalid(where, _("must be a number.")) from None
    if not low <= number <= high:
        raise _invalid(
            where, _("must be between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    if number != number.quantize(CENT):
        raise _invalid(where, _("at most two decimal places."))
    return number


def _json_number(value: Decimal) -> int | float:
    """How a checked number is stored: 3 stays 3, 0.5 stays 0.5."""
    return int(value) if value == value.to_integral_value() else float(value)


def _mapping(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _invalid(where, _("must be an object of duty kinds."))
    unknown = sorted(str(k) for k in raw if k not in ALL_KINDS)
    if unknown:
        raise _invalid(
            f"{where}.{unknown[0]}",
            _("unknown kind of duty (known: %(kinds)s).") % {"kinds": ", ".join(ALL_KINDS)},
        )
    return raw


def clean_rules(raw: Any) -> dict[str, Any]:
    """DEP-SCORE: a rule table checked strictly and normalised (every kind present).

    Raises InvalidInput whose message starts with the field at fault ("points.leave: …").
    Known kinds only; points per record 0..100 for duties and −100..0 for the deductions
    (leave, absence); caps 0..1000 or null; base 0..1000; max_total above base or null;
    bands: grades known and each used once, in order best first, minimums strictly falling,
    the last band without a minimum (it takes every total below the one above it)."""
    if not isinstance(raw, dict):
        raise _invalid("rules", _("must be an object."))
    unknown = sorted(str(k) for k in raw if k not in KEYS)
    if unknown:
        raise _invalid(
            unknown[0], _("unknown field (known: %(keys)s).") % {"keys": ", ".join(sorted(KEYS))}
        )
    base = _number(raw.get("base", 0), "base", Decimal(0), TOTAL_MAX)
    max_total = raw.get("max_total")
    if max_total is not None:
        max_total = _number(max_total, "max_total", Decimal(1), TOTAL_MAX)
        if max_total <= base:
            raise _invalid("max_total", _("must be more than the base score."))

    raw_points = _mapping(raw.get("points"), "points")
    points: dict[str, int | float] = {}
    for kind in ALL_KINDS:
        where = f"points.{kind}"
        value = raw_points.get(kind, 0)
        if kind in DEDUCTIONS:
            number = _number(value, where, -POINTS_MAX, Decimal(0))
        else:
            number = _number(value, where, Decimal(0), POINTS_MAX)
        points[kind] = _json_number(number)

    raw_caps = _mapping(raw.get("caps"), "caps")
    caps: dict[str, int | float | None] = {}
    for kind in ALL_KINDS:
        value = raw_caps.get(kind)
        caps[kind] = (
            None
            if value is None
            else _json_number(_number(value, f"caps.{kind}", Decimal(0), CAP_MAX))
        )

    bands = _clean_bands(raw.get("bands"), max_total)
    return {
        "base": _json_number(base),
        "max_total": None if max_total is None else _json_number(max_total),
        "points": points,
        "caps": caps,
        "bands": bands,
    }


def _clean_bands(raw: Any, max_total: Decimal | None) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise _invalid("bands", _("at least two grade bands are needed."))
    if len(raw) > len(GRADE_ORDER):
        raise _invalid("bands", _("at most %(n)d grade bands.") % {"n": len(GRADE_ORDER)})
    bands: list[dict[str, Any]] = []
    previous_min: Decimal | None = None
    previous_rank = -1
    for i, band in enumerate(raw):
        where = f"bands[{i}]"
        if not isinstance(band, dict) or set(band) - {"min", "grade"}:
            raise _invalid(where, _('must be {"min": number, "grade": grade}.'))
        grade = band.get("grade")
        if grade not in GRADE_ORDER:
            raise _invalid(
                f"{where}.grade",
                _("unknown grade (known: %(grades)s).") % {"grades": ", ".join(GRADE_ORDER)},
            )
        rank = GRADE_ORDER.index(grade)
        if rank <= previous_rank:
            raise _invalid(
                f"{where}.grade",
                _("grades go best first, each used once: %(order)s.")
                % {"order": ", ".join(GRADE_ORDER)},
            )
        previous_rank = rank
        last = i == len(raw) - 1
        low = band.get("min")
        if last:
            if low is not None:
                raise _invalid(
                    f"{where}.min", _("the lowest band has no minimum: it takes every total below.")
                )
            bands.append({"min": None, "grade": grade})
            continue
        number = _number(low, f"{where}.min", Decimal(0), TOTAL_MAX)
        if previous_min is not None and number >= previous_min:
            raise _invalid(
                f"{where}.min",
                _("must be below the band above (%(above)s): bands must not overlap.")
                % {"above": previous_min},
            )
        if max_total is not None and number > max_total:
            raise _invalid(
                f"{where}.min",
                _("cannot be above the maximum total (%(max)s).") % {"max": max_total},
            )
        previous_min = number
        bands.append({"min": _json_number(number), "grade": grade})
    return bands


def default_rules() -> dict[str, Any]:
    """A fresh, checked copy of the default table."""
    return clean_rules(DEFAULT_RULES)


# --- arithmetic ----------------------------------------------------------------------------
def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True)
class KindScore:
    """One kind's part of a year: how many records, the points they count for after the cap."""

    kind: str
    count: int
    points: Decimal
    capped: bool


@dataclass(frozen=True)
class Score:
    """A deputy's year under one table (DEP-SCORE)."""

    total: Decimal
    grade: str
    by_kind: dict[str, KindScore] = field(default_factory=dict)


def grade_for(total: Decimal, bands: list[dict[str, Any]]) -> str:
    """The band whose minimum the total reaches (bands highest first; the last takes the rest)."""
    for band in bands:
        if band["min"] is None or total >= _dec(band["min"]):
            return str(band["grade"])
    return str(bands[-1]["grade"])


def next_band(total: Decimal, bands: list[dict[str, Any]]) -> tuple[str, Decimal] | None:
    """The next better grade and how many points are still missing to reach it; None at the top."""
    better = None
    for band in bands:
        if band["min"] is not None and total < _dec(band["min"]):
            better = band
    if better is None:
        return None
    return str(better["grade"]), (_dec(better["min"]) - total).quantize(CENT)


@dataclass(frozen=True)
class CompiledRules:
    """A checked table with its numbers as Decimals, made once for a whole recomputation."""

    base: Decimal
    max_total: Decimal | None
    kinds: tuple[tuple[str, Decimal, Decimal | None], ...]  # (kind, per record, cap)
    bands: list[dict[str, Any]]


def compile_rules(rules: Mapping[str, Any]) -> CompiledRules:
    points, caps = rules["points"], rules["caps"]
    return CompiledRules(
        base=_dec(rules.get("base", 0)),
        max_total=None if rules.get("max_total") is None else _dec(rules["max_total"]),
        kinds=tuple(
            (
                kind,
                _dec(points.get(kind, 0)),
                None if caps.get(kind) is None else _dec(caps[kind]),
            )
            for kind in ALL_KINDS
        ),
        bands=list(rules["bands"]),
    )


ZERO = Decimal(0)


def compute(counts: Mapping[str, int], rules: Mapping[str, Any] | CompiledRules) -> Score:
    """DEP-SCORE: a year's records (count per kind) under a checked table.

    Each kind counts points × records, held within its cap (a duty's points never above the
    cap; a deduction never takes more than its cap away). The total is the base plus every
    kind, never below zero (a deduction takes points away until none are left) nor above
    `max_total`; then the grade of the band it reaches."""
    table = rules if isinstance(rules, CompiledRules) else compile_rules(rules)
    total = table.base
    by_kind: dict[str, KindScore] = {}
    for kind, per, cap in table.kinds:
        count = int(counts.get(kind, 0) or 0)
        if not count:
            if per:
                by_kind[kind] = KindScore(kind, 0, ZERO.quantize(CENT), False)
            continue
        raw = per * count
        capped = False
        if cap is not None:
            if raw > cap:
                raw, capped = cap, True
            elif raw < -cap:
                raw, capped = -cap, True
        if not raw:
            raw = ZERO  # never "-0"
        by_kind[kind] = KindScore(kind, count, raw.quantize(CENT), capped)
        total += raw
    if table.max_total is not None:
        total = min(total, table.max_total)
    total = min(max(total, ZERO), STORE_MAX).quantize(CENT, rounding=ROUND_HALF_UP)
    return Score(total=total, grade=grade_for(total, table.bands), by_kind=by_kind)


def stored_by_kind(score: Score) -> dict[str, dict[str, Any]]:
    """What DeputyScore.by_kind keeps: the kinds the deputy has records of."""
    return {
        k.kind: {"count": k.count, "points": _json_number(k.points), "capped": k.capped}
        for k in score.by_kind.values()
        if k.count
    }


def grade_label(grade: str) -> str:
    """The grade's name in the active language ("" for none)."""
    try:
        return str(ScoreGrade(grade).label)
    except ValueError:
        return grade
