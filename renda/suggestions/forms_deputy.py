"""Forms of the deputy pages. They only shape input; the rules live in actions/ (whose
InvalidInput "field: message" errors the views attach to the named field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.accounts.choices import Role
from renda.accounts.models import RoleAssignment, User

from .actions.submission import MAX_COSIGNERS
from .choices import Kind, Rating
from .models import BODY_MAX, TEXT_MAX, TITLE_MAX, Topic


def deputies_of(congress: Any, *, exclude: Any = None) -> Any:
    """Active deputies of a congress, by name (the co-signer choices)."""
    qs = User.objects.filter(
        pk__in=RoleAssignment.objects.filter(role=Role.DEPUTY, congress=congress).values("user_id"),
        is_active=True,
    ).order_by("full_name", "pk")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


class DeputyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class SuggestionForm(forms.Form):
    """Write a suggestion or motion; on a saved draft the kind is fixed and co-signers already
    invited are listed apart (more may be added)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.SUGGESTION)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Needed to submit; a draft may be saved without it."),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.none(), required=False, empty_label="—"
    )
    cosigners = DeputyChoiceField(
        label=_("Co-signers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Deputies of your congress you ask to co-sign; each confirms in their own account. "
            "A motion needs enough confirmed co-signers before it can be submitted."
        ),
    )

    def __init__(
        self, *args: Any, congress: Any, user: Any, draft: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(congress=congress, active=True)
        deputies = deputies_of(congress, exclude=user)
        if draft is not None:
            deputies = deputies.exclude(sponsorships__suggestion=draft)
            self.fields["kind"].disabled = True
            self.fields["cosigners"].label = _("Ask more deputies to co-sign")
        self.fields["cosigners"].queryset = deputies

    def clean_cosigners(self) -> Any:
        chosen = self.cleaned_data.get("cosigners") or []
        if len(chosen) > MAX_COSIGNERS:
            raise forms.ValidationError(
                _("At most %(n)d co-signers.") % {"n": MAX_COSIGNERS}, code="too_many"
            )
        return chosen


class RateForm(forms.Form):
    """SUG-FEEDBACK: the lead deputy's rating of one lead unit's answer."""

    unit = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    rating = forms.ChoiceField(
        label=_("Your rating"),
        choices=[c for c in Rating.choices if c[0] != Rating.NO_FEEDBACK],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
