"""The administrator's form for a year's official schedule, typed from the State Council notice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .schedule import (
    HolidayPeriod,
    SwappedWorkday,
    parse_holidays,
    parse_workdays,
    validate_schedule,
)

MAX_TEXT = 4000


class ScheduleForm(forms.Form):
    holidays = forms.CharField(
        label=gettext_lazy("Holiday periods"),
        help_text=gettext_lazy(
            "One per line: the name, the first day off and the last day off, as in the notice. "
            "Example: 春节 2027-02-06 2027-02-13. A single day needs one date: 清明节 2027-04-05."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocapitalize": "off"}),
        max_length=MAX_TEXT,
        required=False,
    )
    workdays = forms.CharField(
        label=gettext_lazy("Weekend days made working days (调休)"),
        help_text=gettext_lazy(
            "One per line: the date and, if you like, which holiday it makes up for. "
            "Example: 2027-02-14 春节调休."
        ),
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocapitalize": "off"}),
        max_length=MAX_TEXT,
        required=False,
    )

    def __init__(self, year: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.parsed_holidays: list[HolidayPeriod] = []
        self.parsed_workdays: list[SwappedWorkday] = []

    def clean_holidays(self) -> str:
        text = self.cleaned_data["holidays"]
        self.parsed_holidays, errors = parse_holidays(text)
        if errors:
            raise forms.ValidationError(errors)
        return text

    def clean_workdays(self) -> str:
        text = self.cleaned_data["workdays"]
        self.parsed_workdays, errors = parse_workdays(text)
        if errors:
            raise forms.ValidationError(errors)
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            errors = validate_schedule(self.year, self.parsed_holidays, self.parsed_workdays)
            if errors:
                raise forms.ValidationError(errors)
        return cleaned

    @staticmethod
    def initial_for(holidays: list[HolidayPeriod], workdays: list[SwappedWorkday]) -> dict:
        return {
            "holidays": "\n".join(p.as_line() for p in holidays),
            "workdays": "\n".join(w.as_line() for w in workdays),
        }


def saved_message(year: int, changed: bool, recomputed: int, moved: int) -> str:
    if not changed:
        return _("Nothing changed: the schedule for %(year)d was already as entered.") % {
            "year": year
        }
    if not recomputed:
        return _("The schedule for %(year)d is saved. No deadline depended on it.") % {"year": year}
    return _(
        "The schedule for %(year)d is saved. Deadlines recomputed: %(recomputed)d; of which "
        "moved: %(moved)d (the people watching them were told)."
    ) % {"year": year, "recomputed": recomputed, "moved": moved}
