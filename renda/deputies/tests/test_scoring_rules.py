"""DEP-SCORE: the rule table's arithmetic (caps per kind per year, deductions, the floor and the
ceiling, grade bands at their boundaries) and its strict checking (every error names its
field). Pure functions: no database."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from renda.deputies.scoring_rules import (
    ALL_KINDS,
    DEFAULT_RULES,
    clean_rules,
    compute,
    default_rules,
    grade_for,
    next_band,
)
from renda.errors import InvalidInput

D = Decimal


def rules(**changes: Any) -> dict[str, Any]:
    table = copy.deepcopy(DEFAULT_RULES)
    for key, value in changes.items():
        part, _, kind = key.partition("__")
        if kind:
            table[part][kind] = value
        else:
            table[part] = value
    return clean_rules(table)


def test_default_table_is_valid_and_as_documented():
    """DEP-SCORE default (docs/deputies.md): 100 points, bands 80/60, 3 per suggestion, −1 per
    leave, −5 per unexcused absence; every kind of duty has a rule."""
    table = default_rules()
    assert set(table["points"]) == set(ALL_KINDS) == set(table["caps"])
    assert table["max_total"] == 100 and table["base"] == 0
    assert table["points"]["suggestion"] == 3
    assert table["points"]["leave"] == -1 and table["points"]["absence"] == -5
    assert table["bands"] == [
        {"min": 80, "grade": "good"},
        {"min": 60, "grade": "fair"},
        {"min": None, "grade": "poor"},
    ]
    # Every duty's cap together leaves room above 100: no single kind is compulsory for 100.
    duty_caps = sum(v for k, v in table["caps"].items() if table["points"][k] > 0)
    assert duty_caps > 100


def test_cap_holds_a_kinds_points_per_year():
    """DEP-SCORE: 7 suggestions × 3 = 21 counts as the cap, 15; 5 are below it."""
    score = compute({"suggestion": 7}, default_rules())
    assert score.by_kind["suggestion"].points == D(15)
    assert score.by_kind["suggestion"].capped is True
    assert score.total == D(15)
    five = compute({"suggestion": 5}, default_rules())
    assert five.by_kind["suggestion"].points == D(15) and five.by_kind["suggestion"].capped is False
    four = compute({"suggestion": 4}, default_rules())
    assert four.total == D(12)


def test_caps_are_per_kind_not_shared():
    score = compute({"suggestion": 10, "inspection": 10}, default_rules())
    assert score.by_kind["suggestion"].points == D(15)
    assert score.by_kind["inspection"].points == D(15)
    assert score.total == D(30)


def test_deductions_take_points_away():
    """DEP-SCORE: −1 per leave, −5 per unexcused absence (the default)."""
    score = compute({"session": 1, "suggestion": 5, "leave": 2, "absence": 1}, default_rules())
    assert score.by_kind["leave"].points == D(-2)
    assert score.by_kind["absence"].points == D(-5)
    assert score.total == D(20 + 15 - 2 - 5)


def test_a_deduction_cap_limits_what_is_taken():
    table = rules(caps__leave=3)
    score = compute({"session": 1, "leave": 10}, table)
    assert score.by_kind["leave"].points == D(-3) and score.by_kind["leave"].capped
    assert score.total == D(17)


def test_a_total_never_goes_below_zero_nor_above_the_ceiling():
    assert compute({"absence": 30}, default_rules()).total == D(0)
    everything = {k: 50 for k in ALL_KINDS if k not in ("leave", "absence")}
    assert compute(everything, default_rules()).total == D(100)
    no_ceiling = rules(max_total=None)
    assert compute(everything, no_ceiling).total == D(120)


def test_base_score_counts():
    table = rules(base=60)
    assert compute({}, table).total == D(60)
    assert compute({}, table).grade == "fair"
    assert compute({"absence": 2}, table).total == D(50)


def test_half_points_and_cents_are_exact():
    table = rules(points__reception=D("0.5"), points__leave=D("-0.25"), caps__reception=None)
    score = compute({"reception": 3, "leave": 1}, table)
    assert score.total == D("1.25")


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "good"),
        ("80", "good"),
        ("80.00", "good"),
        ("79.99", "fair"),
        ("60", "fair"),
        ("59.99", "poor"),
        ("0", "poor"),
    ],
)
def test_band_boundaries(total, grade):
    """DEP-SCORE bands ≥80 good, 60–79.99 fair, below 60 poor: the minimum belongs to its band."""
    assert grade_for(D(total), default_rules()["bands"]) == grade


@pytest.mark.parametrize(
    ("base", "grade"), [("80", "good"), ("79.99", "fair"), ("60", "fair"), ("59.99", "poor")]
)
def test_band_boundaries_through_compute(base, grade):
    """The same boundaries on a computed total (the base alone makes it)."""
    score = compute({}, rules(base=D(base)))
    assert score.total == D(base) and score.grade == grade


def test_four_bands():
    table = rules(
        bands=[
            {"min": 90, "grade": "good"},
            {"min": 75, "grade": "fair"},
            {"min": 60, "grade": "basic"},
            {"min": None, "grade": "poor"},
        ]
    )
    assert [compute({}, clean_rules({**table, "base": b})).grade for b in (95, 80, 61, 10)] == [
        "good",
        "fair",
        "basic",
        "poor",
    ]


def test_next_band_says_how_far():
    bands = default_rules()["bands"]
    assert next_band(D("59"), bands) == ("fair", D("1.00"))
    assert next_band(D("76.5"), bands) == ("good", D("3.50"))
    assert next_band(D("80"), bands) is None


# --- strict checking: each error names its field --------------------------------------------
def _error(table: Any) -> str:
    with pytest.raises(InvalidInput) as info:
        clean_rules(table)
    return info.value.detail


def _changed(path: str, value: Any) -> dict[str, Any]:
    table = copy.deepcopy(DEFAULT_RULES)
    if "." in path:
        part, kind = path.split(".")
        table[part][kind] = value
    else:
        table[path] = value
    return table


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("points.coffee", 3, "points.coffee"),
        ("caps.coffee", 3, "caps.coffee"),
        ("points.leave", 1, "points.leave"),  # a deduction must take away
        ("points.absence", -101, "points.absence"),
        ("points.session", -1, "points.session"),  # a duty cannot cost points
        ("points.session", 101, "points.session"),
        ("points.session", "20", "points.session"),  # a string is not a number
        ("points.session", True, "points.session"),
        ("points.session", float("nan"), "points.session"),
        ("points.session", float("inf"), "points.session"),
        ("points.session", 1.005, "points.session"),  # at most 2 decimals
        ("points.session", None, "points.session"),
        ("points.session", [1], "points.session"),
        ("caps.session", -1, "caps.session"),
        ("caps.session", 1001, "caps.session"),
        ("caps.session", "x", "caps.session"),
        ("base", -1, "base"),
        ("base", 1001, "base"),
        ("max_total", 0, "max_total"),
        ("points", [1, 2], "points"),
        ("caps", "none", "caps"),
        ("extra", 1, "extra"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(path, value, field):
    assert _error(_changed(path, value)).startswith(f"{field}:")


def test_max_total_must_be_above_the_base():
    table = copy.deepcopy(DEFAULT_RULES)
    table["base"] = 50
    table["max_total"] = 50
    assert _error(table).startswith("max_total:")


@pytest.mark.parametrize(
    ("bands", "field"),
    [
        (None, "bands"),
        ([], "bands"),
        ([{"min": None, "grade": "poor"}], "bands"),  # one band grades nobody apart
        (
            [
                {"min": 80, "grade": "good"},
                {"min": 80, "grade": "fair"},
                {"min": None, "grade": "poor"},
            ],
            "bands[1].min",
        ),  # overlap
        (
            [
                {"min": 60, "grade": "good"},
                {"min": 80, "grade": "fair"},
                {"min": None, "grade": "poor"},
            ],
            "bands[1].min",
        ),  # unordered
        (
            [
                {"min": 80, "grade": "fair"},
                {"min": 60, "grade": "good"},
                {"min": None, "grade": "poor"},
            ],
            "bands[1].grade",
        ),  # grades out of order
        (
            [
                {"min": 80, "grade": "good"},
                {"min": 60, "grade": "good"},
                {"min": None, "grade": "poor"},
            ],
            "bands[1].grade",
        ),  # twice
        ([{"min": 80, "grade": "great"}, {"min": None, "grade": "poor"}], "bands[0].grade"),
        (
            [{"min": 80, "grade": "good"}, {"min": 0, "grade": "poor"}],
            "bands[1].min",
        ),  # the last has no minimum
        ([{"min": None, "grade": "good"}, {"min": None, "grade": "poor"}], "bands[0].min"),
        (
            [{"min": 101, "grade": "good"}, {"min": None, "grade": "poor"}],
            "bands[0].min",
        ),  # above the ceiling
        ([{"min": "80", "grade": "good"}, {"min": None, "grade": "poor"}], "bands[0].min"),
        (
            [{"min": 80, "grade": "good", "colour": "red"}, {"min": None, "grade": "poor"}],
            "bands[0]",
        ),
        (["good", "poor"], "bands[0]"),
        ([{"min": 90, "grade": "good"}] * 5, "bands"),
    ],
)
def test_bad_bands_are_refused_naming_the_band(bands, field):
    table = copy.deepcopy(DEFAULT_RULES)
    table["bands"] = bands
    assert _error(table).startswith(f"{field}:")


@pytest.mark.parametrize("raw", [None, [], "rules", 3])
def test_a_table_that_is_not_an_object_is_refused(raw):
    assert _error(raw).startswith("rules:")


def test_missing_kinds_are_worth_nothing_and_no_cap():
    table = clean_rules(
        {
            "points": {"suggestion": 3},
            "bands": [{"min": 60, "grade": "fair"}, {"min": None, "grade": "poor"}],
        }
    )
    assert table["points"]["session"] == 0 and table["caps"]["session"] is None
    assert table["max_total"] is None and table["base"] == 0
    assert compute({"session": 3, "suggestion": 30}, table).total == D(90)
