"""Template filters of the scoring pages: a grade's name and its badge (words and colour)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from ..scoring_rules import grade_label as _grade_label

register = template.Library()

BADGES = {
    "good": "text-bg-success",
    "fair": "text-bg-primary",
    "basic": "text-bg-warning",
    "poor": "text-bg-danger",
}


@register.filter
def grade_label(grade: str) -> str:
    return _grade_label(grade)


@register.filter
def grade_badge(grade: str) -> str:
    """Bootstrap badge classes for a grade (the badge always carries the grade's name too)."""
    return BADGES.get(grade, "text-bg-secondary")


@register.filter
def points(value: object) -> str:
    """59.00 → 59, 12.50 → 12.5, None → —: points as people write them."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
