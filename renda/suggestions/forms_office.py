"""Forms of the deputy-affairs office's pages. They only shape the input; every rule is checked
again by the actions (renda/suggestions/actions/*), whose DomainError the views show."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.accounts.choices import Role
from renda.accounts.models import User
from renda.orgs.models import HandlingUnit
from renda.rules.profiles import profile_for

from .choices import ExcludedGround
from .models import TEXT_MAX, KeySuggestion, Suggestion

COMMITTEE_MAX = KeySuggestion._meta.get_field("committee").max_length or 100


def active_units(congress_id: int) -> Any:
    """The active handling units of a congress: what the office may assign to."""
    return HandlingUnit.objects.filter(congress_id=congress_id, active=True).order_by("name")


class UnitsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class RejectForm(forms.Form):
    """SUG-EXCLUDED: a ground of the congress's rule profile and an explanation for the deputy."""

    ground = forms.ChoiceField(label=_("Ground"))
    explanation = forms.CharField(
        label=_("Explanation for the deputy"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, suggestion: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grounds = profile_for(suggestion.congress).excluded_grounds
        self.fields["ground"].choices = [("", "---------")] + [
            (g, ExcludedGround(g).label) for g in grounds
        ]


class AssignForm(forms.Form):
    """SUG-DEADLINE: lead units, co-units, the "complex" flag and the assignment date."""

    lead_units = UnitsField(label=_("Lead units"), queryset=HandlingUnit.objects.none())
    co_units = UnitsField(label=_("Co-units"), queryset=HandlingUnit.objects.none(), required=False)
    complex = forms.BooleanField(
        label=_("Complex: wide in scope or hard to handle (six months to answer)"),
        required=False,
    )
    assigned_on = forms.DateField(
        label=_("Assigned on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today, unless you are entering an earlier assignment."),
    )

    def __init__(self, *args: Any, suggestion: Suggestion, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assigned_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        units = active_units(suggestion.congress_id)
        self.fields["lead_units"].queryset = units
        self.fields["co_units"].queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        both = set(data.get("lead_units") or ()) & set(data.get("co_units") or ())
        if both:
            self.add_error(
                "co_units",
                _("A unit cannot be both lead and co-unit: %(units)s.")
                % {"units": ", ".join(u.name for u in both)},
            )
        return data


class DecideReturnForm(forms.Form):
    """SUG-RETURN: approve (with new lead units when none would remain) or refuse with a note."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the return")), ("refuse", _("Refuse: the unit keeps it"))],
        widget=forms.RadioSelect,
    )
    new_lead_units = UnitsField(
        label=_("New lead units (when approving)"),
        queryset=HandlingUnit.objects.none(),
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the unit"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, suggestion: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_lead_units"].queryset = active_units(suggestion.congress_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "refuse":
            if data.get("new_lead_units"):
                self.add_error("new_lead_units", _("New lead units go with an approval only."))
            if not (data.get("note") or "").strip():
                self.add_error("note", _("Say why the unit keeps the suggestion."))
        return data


class KeyForm(forms.Form):
    """SUG-KEY: the supervising leader and/or committee of a key suggestion."""

    supervisor = forms.ModelChoiceField(
        label=_("Supervising leader"), queryset=User.objects.none(), required=False
    )
    committee = forms.CharField(
        label=_("Supervising committee"), max_length=COMMITTEE_MAX, required=False
    )

    def __init__(self, *args: Any, suggestion: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = (
            User.objects.filter(
                is_active=True, roles__role=Role.LEADER, roles__congress_id=suggestion.congress_id
            )
            .distinct()
            .order_by("pk")
        )
        self.fields["supervisor"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("supervisor") and not (data.get("committee") or "").strip():
            raise forms.ValidationError(_("Name a supervising leader or a committee."))
        return data
