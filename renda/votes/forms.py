"""Forms of the votes pages (thin: the actions check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.orgs.models import Congress

from .choices import BallotKind, MeetingKind


class _Styled(forms.Form):
    """Bootstrap classes on every widget (the templates lay the fields out themselves)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxInput):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.Select):
                w.attrs.setdefault("class", "form-select")
            else:
                w.attrs.setdefault("class", "form-control")


class MeetingForm(_Styled):
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=Congress.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, congresses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses  # type: ignore[attr-defined]


class BallotForm(_Styled):
    """A motion (one item), an appointment (one person per line, voted person by person), a
    livelihood vote (one candidate per line, at most M) or a satisfaction evaluation."""

    kind = forms.ChoiceField(label=_("Kind"), choices=BallotKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    choices = forms.CharField(
        label=_("Items, one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        help_text=_(
            "Motion: the item. Appointment: one person per line. Livelihood: one candidate "
            "project per line."
        ),
    )
    max_choices = forms.IntegerField(
        label=_("At most (livelihood)"), min_value=1, max_value=500, initial=1, required=False
    )
    secret = forms.BooleanField(label=_("Secret ballot"), initial=True, required=False)

    def lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class ReceiptForm(_Styled):
    receipt = forms.CharField(
        label=_("Receipt code"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
