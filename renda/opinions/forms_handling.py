"""Forms of the handling pages: the queue's filters, triage (one small form per outcome) and the
unit's answer. They only parse input; the rules are the actions' (their errors come back onto
the form)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import OpinionState, Outcome
from .models import TEXT_MAX, OpinionCategory

TO_TRIAGE = "to_triage"


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), (TO_TRIAGE, _("Waiting for triage")), *OpinionState.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    category = forms.ModelChoiceField(
        label=pgettext_lazy("opinion", "Category"),
        required=False,
        queryset=OpinionCategory.objects.filter(parent=None, active=True),
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)


class ActionErrorMixin:
    """Puts an action's error ("field: message") on the matching field, else on the form."""

    def add_action_error(self, detail: str) -> None:
        match = re.match(r"^(\w+): (.*)$", detail, re.S)
        if match and match.group(1) in self.fields:  # type: ignore[attr-defined]
            self.add_error(match.group(1), match.group(2))  # type: ignore[attr-defined]
            return
        self.add_error(None, detail)  # type: ignore[attr-defined]


class TriageForm(ActionErrorMixin, forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deputy = forms.IntegerField(label=_("Deputy"), required=False, min_value=1)
    title = forms.CharField(label=_("Title of the suggestion"), required=False, max_length=100)
    unit = forms.IntegerField(label=_("Handling unit"), required=False, min_value=1)
    into = forms.IntegerField(label=_("Number of the earlier opinion"), required=False, min_value=1)


class AnswerForm(ActionErrorMixin, forms.Form):
    text = forms.CharField(
        label=_("The unit's answer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
