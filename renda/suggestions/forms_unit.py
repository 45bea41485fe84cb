"""Forms of the handling unit's actions. They only parse input; the rules (dates, SUG-CATEGORY,
SUG-RETURN, SUG-PUBLIC) are enforced by the actions, whose errors come back onto the form."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Category, ContactMethod, ContactStage
from .models import TEXT_MAX

COMMITMENT_ROWS = 3
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionErrorMixin:
    """Puts an action's error ("field: message") on the matching field, else on the form."""

    field_map: dict[str, str] = {}

    def add_action_error(self, detail: str, rows: list[int] | None = None) -> None:
        """`rows`: the form row of each commitment passed to the action, in order."""
        match = re.match(r"^([\w\[\]\.]+): (.*)$", detail, re.S)
        if match:
            name = match.group(1)
            commitment = re.match(r"^commitments\[(\d+)\]\.(text|due)$", name)
            if commitment:
                k = int(commitment.group(1))
                row = rows[k] if rows and k < len(rows) else k + 1
                name = f"commitment_{row}_{commitment.group(2)}"
            name = self.field_map.get(name, name)
            if name in self.fields:  # type: ignore[attr-defined]
                self.add_error(name, match.group(2))  # type: ignore[attr-defined]
                return
        self.add_error(None, detail)  # type: ignore[attr-defined]


class ContactForm(ActionErrorMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=ContactStage.choices)
    method = forms.ChoiceField(label=_("Method"), choices=ContactMethod.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CoOpinionForm(ActionErrorMixin, forms.Form):
    text = forms.CharField(
        label=_("Opinion for the lead unit"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReturnForm(ActionErrorMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why this is not your unit's business"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MetForm(ActionErrorMixin, forms.Form):
    evidence = forms.CharField(
        label=_("Evidence that it is done"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(ActionErrorMixin, forms.Form):
    """SUG-CATEGORY: the requirements of each category are shown here and enforced by the
    answer action (B: plan and planned date; C: the reason; only B and C carry commitments)."""

    category = forms.ChoiceField(
        label=_("Category"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A: solved or adopted. B: being solved or planned — give the plan and the planned "
            "date. C: cannot be solved for now — give the reason. D: kept for reference — "
            "explain in the answer. Only B and C carry commitments."
        ),
    )
    text = forms.CharField(
        label=_("Answer"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 8})
    )
    plan = forms.CharField(
        label=_("Plan and progress"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for category B."),
    )
    planned_date = forms.DateField(
        label=_("Planned date"),
        required=False,
        widget=DATE,
        help_text=_("Required for category B."),
    )
    reason = forms.CharField(
        label=_("Reason it cannot be solved now"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for category C."),
    )
    public = forms.BooleanField(
        label=_("Publish this answer"),
        required=False,
        initial=True,
        help_text=_("Answers are published unless there is a reason not to."),
    )
    not_public_reason = forms.CharField(
        label=_("Why it is not published"),
        required=False,
        max_length=500,
        help_text=_("Required when the answer is not published."),
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for i in range(1, COMMITMENT_ROWS + 1):
            self.fields[f"commitment_{i}_text"] = forms.CharField(
                label=_("Commitment %(n)d") % {"n": i}, required=False, max_length=TEXT_MAX
            )
            self.fields[f"commitment_{i}_due"] = forms.DateField(
                label=_("Commitment %(n)d due") % {"n": i}, required=False, widget=DATE
            )

    def commitment_pairs(self) -> list[tuple[int, str, object]]:
        pairs = []
        for i in range(1, COMMITMENT_ROWS + 1):
            text = (self.cleaned_data.get(f"commitment_{i}_text") or "").strip()
            due = self.cleaned_data.get(f"commitment_{i}_due")
            if text or due:
                pairs.append((i, text, due))
        return pairs

    def clean(self):  # noqa: ANN201
        data = super().clean()
        for i in range(1, COMMITMENT_ROWS + 1):
            text = (data.get(f"commitment_{i}_text") or "").strip()
            due = data.get(f"commitment_{i}_due")
            if text and not due and f"commitment_{i}_due" not in self.errors:
                self.add_error(f"commitment_{i}_due", _("Give the date this will be done by."))
            if due and not text:
                self.add_error(f"commitment_{i}_text", _("Say what will be done."))
        return data
