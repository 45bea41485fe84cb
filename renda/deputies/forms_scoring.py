"""The office's score-table form (DEP-SCORE): one group of fields per kind of duty — points per
record and a yearly cap — deductions entered as the points taken away, grade-band minimums,
and the years to recompute. The form only shapes the input; `clean_rules` (through the action)
decides, and its errors come back to the field they name."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DutyKind
from .models import ScoreRuleTable
from .scoring_rules import DEDUCTIONS, DUTY_KINDS, GRADE_ORDER, ScoreGrade

# The grades whose minimum the form asks for; the last grade (poor) takes every total below.
BAND_GRADES = GRADE_ORDER[:-1]
LOWEST_GRADE = GRADE_ORDER[-1]


def _number(label: Any, *, low: int, high: int, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(low),
        max_value=Decimal(high),
        max_digits=7,
        decimal_places=2,
        required=required,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


class RuleTableForm(forms.Form):
    name = forms.CharField(label=_("Name of the table"), max_length=100)
    base = _number(_("Base score"), low=0, high=1000)
    max_total = _number(_("Highest total"), low=1, high=1000, required=False)

    def __init__(self, *args: Any, years: list[int] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        for kind in DUTY_KINDS:
            self.fields[f"points_{kind}"] = _number(_("Points per record"), low=0, high=100)
            self.fields[f"cap_{kind}"] = _number(
                _("Most points a year"), low=0, high=1000, required=False
            )
        for kind in DEDUCTIONS:
            self.fields[f"deduct_{kind}"] = _number(_("Points taken per record"), low=0, high=100)
            self.fields[f"cap_{kind}"] = _number(
                _("Most points taken a year"), low=0, high=1000, required=False
            )
        for grade in BAND_GRADES:
            self.fields[f"band_{grade}"] = _number(
                ScoreGrade(grade).label, low=0, high=1000, required=False
            )
        self.fields["recompute_years"] = forms.TypedMultipleChoiceField(
            label=_("Also recompute"),
            choices=[(y, str(y)) for y in years],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )

    # --- shape for the template ----------------------------------------------------------------
    def kind_groups(self, kinds: list[str], first: str) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "label": DutyKind(kind).label,
                "points": self[f"{first}_{kind}"],
                "cap": self[f"cap_{kind}"],
            }
            for kind in kinds
        ]

    def duty_groups(self) -> list[dict[str, Any]]:
        return self.kind_groups(DUTY_KINDS, "points")

    def deduction_groups(self) -> list[dict[str, Any]]:
        return self.kind_groups(DEDUCTIONS, "deduct")

    def band_fields(self) -> list[Any]:
        return [self[f"band_{g}"] for g in BAND_GRADES]

    # --- to and from the JSON table --------------------------------------------------------------
    @staticmethod
    def initial_from(table: ScoreRuleTable) -> dict[str, Any]:
        rules = table.rules
        initial: dict[str, Any] = {
            "name": table.name,
            "base": rules.get("base", 0),
            "max_total": rules.get("max_total"),
        }
        for kind in DUTY_KINDS:
            initial[f"points_{kind}"] = rules["points"].get(kind, 0)
            initial[f"cap_{kind}"] = rules["caps"].get(kind)
        for kind in DEDUCTIONS:
            initial[f"deduct_{kind}"] = -Decimal(str(rules["points"].get(kind, 0))) + 0
            initial[f"cap_{kind}"] = rules["caps"].get(kind)
        mins = {b["grade"]: b["min"] for b in rules["bands"]}
        for grade in BAND_GRADES:
            initial[f"band_{grade}"] = mins.get(grade)
        return initial

    def rules(self) -> dict[str, Any]:
        """The table as JSON numbers (the action checks it; `bands` remembers which field made
        which band, so an error on `bands[1].min` lands on the right input)."""
        data = self.cleaned_data

        def num(value: Decimal | None) -> int | float | None:
            if value is None:
                return None
            return int(value) if value == value.to_integral_value() else float(value)

        points: dict[str, Any] = {k: num(data[f"points_{k}"]) for k in DUTY_KINDS}
        points.update({k: num(-data[f"deduct_{k}"]) for k in DEDUCTIONS})
        caps = {k: num(data.get(f"cap_{k}")) for k in DUTY_KINDS + DEDUCTIONS}
        bands = []
        self._band_field: dict[int, str] = {}
        for grade in BAND_GRADES:
            low = data.get(f"band_{grade}")
            if low is not None:
                self._band_field[len(bands)] = f"band_{grade}"
                bands.append({"min": num(low), "grade": grade})
        bands.append({"min": None, "grade": LOWEST_GRADE})
        return {
            "base": num(data["base"]),
            "max_total": num(data.get("max_total")),
            "points": points,
            "caps": caps,
            "bands": bands,
        }

    def field_of(self, detail: str) -> str | None:
        """The form field an error of `clean_rules` names ("points.leave: …" → deduct_leave)."""
        where = detail.split(":", 1)[0].strip()
        match = re.fullmatch(r"(points|caps)\.(\w+)", where)
        if match:
            part, kind = match.groups()
            if part == "caps":
                return f"cap_{kind}"
            return f"deduct_{kind}" if kind in DEDUCTIONS else f"points_{kind}"
        match = re.fullmatch(r"bands\[(\d+)\]\.\w+", where)
        if match:
            return getattr(self, "_band_field", {}).get(int(match.group(1)))
        if where == "bands":
            return f"band_{BAND_GRADES[0]}"
        return where if where in ("name", "base", "max_total", "recompute_years") else None
