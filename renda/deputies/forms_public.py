"""Forms of the public part: the citizen's message, the work plan, the coverage filters. They
parse input only; the actions check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions.public import MESSAGE_MAX, NOTE_MAX, PHONE_MAX, PLAN_BODY_MAX, PLAN_TITLE_MAX
from .models import NAME_MAX, Delegation, DeputyGroup


def _no_nul(value: str) -> str:
    if "\x00" in (value or ""):
        raise forms.ValidationError(_("Remove the control characters."), code="nul")
    return value


class CitizenMessageForm(forms.Form):
    """A citizen's message on a deputy's profile (no account), kept as an opinion addressed to
    the deputy (renda.opinions, channel deputy_code). `website` is a honeypot: people never see
    it (hidden by app.css, skipped by the keyboard and screen readers); bots fill it."""

    category = forms.TypedChoiceField(
        label=_("What is it about?"), coerce=int, required=False, empty_value=None
    )
    text = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MESSAGE_MAX}),
        help_text=_("At most %(n)d characters.") % {"n": MESSAGE_MAX},
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=NAME_MAX, required=False)
    phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=PHONE_MAX,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Only the deputy and the deputy-affairs office see your name and phone."),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from renda.opinions.queries_receiving import category_choices

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Other / not sure")), *category_choices()]

    def clean_text(self) -> str:
        return _no_nul(self.cleaned_data["text"])

    def clean_name(self) -> str:
        return _no_nul(self.cleaned_data["name"])

    def clean_phone(self) -> str:
        return _no_nul(self.cleaned_data["phone"])


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=9999)
    title = forms.CharField(label=_("Title"), max_length=PLAN_TITLE_MAX)
    adopted_on = forms.DateField(
        label=_("Adopted by the director's council on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    body = forms.CharField(
        label=_("Text of the plan"),
        max_length=PLAN_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
    )

    def __init__(self, *args: Any, year_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year
        if year_fixed:
            self.fields["year"].disabled = True

    def clean_title(self) -> str:
        return _no_nul(self.cleaned_data["title"])

    def clean_body(self) -> str:
        return _no_nul(self.cleaned_data["body"])


class CorrectionForm(PlanForm):
    correction_note = forms.CharField(
        label=_("What this version corrects"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_correction_note(self) -> str:
        return _no_nul(self.cleaned_data["correction_note"])


class CoverageFilterForm(forms.Form):
    delegation = forms.ModelChoiceField(
        label=_("Delegation"),
        queryset=Delegation.objects.none(),
        required=False,
        empty_label=_("All delegations"),
    )
    group = forms.ModelChoiceField(
        label=_("Deputy group"),
        queryset=DeputyGroup.objects.none(),
        required=False,
        empty_label=_("All groups"),
    )

    def __init__(self, *args: Any, congress: Any, term: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = Delegation.objects.filter(term=term).order_by("name")
        self.fields["group"].queryset = DeputyGroup.objects.filter(congress=congress).order_by(
            "kind", "name"
        )
