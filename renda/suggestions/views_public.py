"""Public pages (no sign-in): published answers to deputies' suggestions (SUG-PUBLIC).

Only suggestions past "answered" whose suggestion and answer are both marked public are shown;
drafts, submissions not accepted, and answers marked not for publication never are. Personal
data in published text is masked (masking.py); sponsors are shown by name only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from renda.orgs.models import HandlingUnit

from .choices import AssignmentState, SponsorRole, State, UnitRole
from .masking import mask_personal
from .models import Answer, Assignment, Sponsor, Suggestion, Topic

PAGE_SIZE = 20
# SUG-PUBLIC: the states in which a suggestion has a published answer.
PUBLISHED_STATES = (State.ANSWERED, State.EVALUATED, State.CLOSED)


def public_answers() -> QuerySet[Answer]:
    """SUG-PUBLIC: answers marked public (not "not for publication")."""
    return Answer.objects.filter(public=True)


def published_suggestions() -> QuerySet[Suggestion]:
    """SUG-PUBLIC: suggestions answered (or later) and public, with at least one public answer."""
    return Suggestion.objects.filter(state__in=PUBLISHED_STATES, public=True).filter(
        Exists(public_answers().filter(assignment__suggestion=OuterRef("pk")))
    )


def _lead_units() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(role=UnitRole.LEAD)
        .exclude(state=AssignmentState.RETURNED)
        .select_related("unit")
        .order_by("id"),
        to_attr="lead_assignments",
    )


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Words of the title"), required=False, max_length=200)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=9999)
    unit = forms.ModelChoiceField(
        label=_("Handling unit"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        empty_label=_("All units"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.none(), required=False, empty_label=_("All topics")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(active=True).order_by("name")
        self.fields["topic"].queryset = Topic.objects.filter(active=True).order_by("name")

    def clean_q(self) -> str:
        q = self.cleaned_data.get("q") or ""
        if "\x00" in q:
            raise forms.ValidationError(_("Remove the control characters."), code="nul")
        return q.strip()


def public_list(request: HttpRequest) -> HttpResponse:
    form = PublicSearchForm(request.GET or None)
    qs = published_suggestions()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(title__icontains=data["q"])
        if data["year"]:
            qs = qs.filter(year=data["year"])
        if data["topic"]:
            qs = qs.filter(topic=data["topic"])
        if data["unit"]:
            qs = qs.filter(
                Exists(
                    Assignment.objects.filter(suggestion=OuterRef("pk"), unit=data["unit"]).exclude(
                        state=AssignmentState.RETURNED
                    )
                )
            )
    elif form.is_bound:
        qs = qs.none()
    qs = (
        qs.select_related("topic")
        .prefetch_related(_lead_units())
        .order_by("-year", "-sequence", "-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for s in page.object_list:
        s.masked_title = mask_personal(s.title)
    return render(request, "suggestions/public/list.html", {"form": form, "page": page})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = (
        published_suggestions()
        .filter(pk=pk)
        .select_related("topic")
        .prefetch_related(_lead_units())
        .first()
    )
    if suggestion is None:
        raise Http404
    answers = list(
        public_answers()
        .filter(assignment__suggestion=suggestion)
        .select_related("assignment__unit")
        .order_by("sent_at", "id")
    )
    for a in answers:
        a.masked_text = mask_personal(a.text)
        a.masked_plan = mask_personal(a.plan)
        a.masked_reason = mask_personal(a.reason)
    sponsors = [
        s.deputy.display_name
        for s in Sponsor.objects.filter(suggestion=suggestion, declined_at__isnull=True)
        .exclude(role=SponsorRole.COSIGNER, confirmed_at__isnull=True)
        .select_related("deputy")
        .order_by("-role", "id")
    ]
    return render(
        request,
        "suggestions/public/detail.html",
        {
            "suggestion": suggestion,
            "masked_title": mask_personal(suggestion.title),
            "answers": answers,
            "sponsor_names": sponsors,
        },
    )
