"""The search page's form (issue 7 point 5). Any text is a valid query; only the filters are
checked (an unknown kind or state is a form error, shown on the page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind
from .queries import MAX_PAGE


def _state_choices() -> list[tuple[str, Any]]:
    from renda.opinions.choices import OpinionState
    from renda.suggestions.choices import State

    return [("", _("Any state"))] + [
        (_("Suggestions"), list(State.choices)),  # type: ignore[list-item]
        (_("Opinions"), list(OpinionState.choices)),  # type: ignore[list-item]
    ]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words to find"), required=False, strip=True)
    kind = forms.ChoiceField(
        label=_("In"), required=False, choices=[("", _("Everything"))] + list(Kind.choices)
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=9999)
    state = forms.ChoiceField(label=_("State"), required=False)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = _state_choices()
        self.fields["q"].widget.attrs.update(
            {"type": "search", "autocomplete": "off", "enterkeyhint": "search"}
        )

    def clean_q(self) -> str:
        # Django refuses NUL in a CharField; a search takes any text (queries clean it).
        return self.cleaned_data.get("q") or ""


class SimilarForm(forms.Form):
    title = forms.CharField(required=False, max_length=1000)
    body = forms.CharField(required=False, max_length=50_000)
    congress = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    suggestion = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
