"""Forms of the livelihood pages: they parse input only; the actions check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.opinions.forms_receiving import MultipleFileInput, PhotosField

from .models import LOCATION_MAX, NAME_MAX, PHONE_MAX, TEXT_MAX, TITLE_MAX


def _no_nul(value: str) -> str:
    if "\x00" in (value or ""):
        raise forms.ValidationError(_("Remove the control characters."), code="nul")
    return value


class NoNulForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, value in data.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(key, _("Remove the control characters."))
        return data


class ProposalForm(NoNulForm):
    """A proposed project from the public (no account). `website` is a honeypot, as on the
    opinion form: hidden from people, filled by bots."""

    title = forms.CharField(label=_("Project in a few words"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("What should be done, and why"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
        help_text=_("Who would it help, and where. At most %(n)d characters.") % {"n": TEXT_MAX},
    )
    location = forms.CharField(label=_("Where (optional)"), max_length=LOCATION_MAX, required=False)
    anonymous = forms.BooleanField(
        label=_("Stay anonymous (leave no name or phone)"), required=False
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=NAME_MAX, required=False)
    phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=PHONE_MAX,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Only the congress office sees your name and phone. They are never published."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class DeputyProposalForm(NoNulForm):
    title = forms.CharField(label=_("Project in a few words"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("What should be done, and why"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
    )
    location = forms.CharField(label=_("Where (optional)"), max_length=LOCATION_MAX, required=False)


class PlanForm(NoNulForm):
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=None)  # type: ignore[arg-type]
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    collect_from = forms.DateField(
        label=_("Collection opens"), widget=forms.DateInput(attrs={"type": "date"})
    )
    collect_until = forms.DateField(
        label=_("Collection closes"), widget=forms.DateInput(attrs={"type": "date"})
    )
    max_choices = forms.IntegerField(
        label=_("Projects each deputy may choose (M)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Leave empty for the congress's rule profile default (LP-VOTE)."),
    )

    def __init__(self, *args: Any, congresses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses  # type: ignore[attr-defined]


class WindowForm(NoNulForm):
    collect_from = forms.DateField(
        label=_("Collection opens"), widget=forms.DateInput(attrs={"type": "date"})
    )
    collect_until = forms.DateField(
        label=_("Collection closes"), widget=forms.DateInput(attrs={"type": "date"})
    )


class MergeForm(forms.Form):
    survivor = forms.IntegerField(label=_("Proposal that stays (No.)"), min_value=1)
    duplicates = forms.CharField(
        label=_("Duplicates merged into it (Nos., separated by commas)"), max_length=500
    )

    def clean_duplicates(self) -> list[int]:
        raw = self.cleaned_data["duplicates"].replace("，", ",")
        try:
            ids = [int(x) for x in raw.split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError(_("Numbers separated by commas.")) from None
        if not ids or any(i < 1 or i > 2**62 for i in ids):
            raise forms.ValidationError(_("Numbers separated by commas."))
        return ids


class CandidateForm(NoNulForm):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    content = forms.CharField(
        label=_("Content"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=None)  # type: ignore[arg-type]
    budget = forms.DecimalField(
        label=_("Budget (yuan)"), min_value=0, max_digits=14, decimal_places=2
    )
    funding_source = forms.CharField(label=_("Funding source"), max_length=200)
    timeline = forms.CharField(label=_("Timeline"), max_length=200)
    expected_outcome = forms.CharField(
        label=_("Expected outcome"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    location = forms.CharField(label=_("Where (optional)"), max_length=LOCATION_MAX, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"), max_digits=9, decimal_places=6, required=False
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("From proposals"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, units: Any, proposals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["proposals"].queryset = proposals  # type: ignore[attr-defined]


class ReasonForm(NoNulForm):
    reason = forms.CharField(
        label=_("Why it goes back"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FixListForm(forms.Form):
    max_choices = forms.IntegerField(
        label=_("Projects each deputy may choose (M)"), min_value=1, max_value=100
    )


class MilestoneForm(NoNulForm):
    title = forms.CharField(label=_("Milestone"), max_length=TITLE_MAX)
    planned_on = forms.DateField(
        label=_("Planned date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DateForm(forms.Form):
    done_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class ReportForm(NoNulForm):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    text = forms.CharField(
        label=_("Progress this month"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    percent = forms.IntegerField(label=_("Percent complete"), min_value=0, max_value=100)
    spent = forms.DecimalField(
        label=_("Spent so far (yuan)"), min_value=0, max_digits=14, decimal_places=2
    )
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class SupervisorsForm(forms.Form):
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies of the supervision group"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
    )
    leader = forms.ModelChoiceField(label=_("Group leader"), queryset=None, required=False)  # type: ignore[arg-type]

    def __init__(self, *args: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies  # type: ignore[attr-defined]
        self.fields["leader"].queryset = deputies  # type: ignore[attr-defined]
        self.fields["deputies"].label_from_instance = lambda d: d.person.name  # type: ignore[attr-defined]
        self.fields["leader"].label_from_instance = lambda d: d.person.name  # type: ignore[attr-defined]


class InspectionForm(NoNulForm):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(
        label=_("Findings"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
