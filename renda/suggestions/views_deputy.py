"""Deputy pages of the suggestions app, and the shared suggestion detail page.

Thin: objects come through permissions.py (404 for missing and forbidden alike), lists through
queries.py, every change through actions/ (a DomainError is shown as a message, never a 500).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renda.audit.queries import history_of

from .choices import UnitRole
from .models import Answer, Assignment, Commitment, Sponsor, Suggestion
from .permissions import (
    acts_for_unit,
    can_assign,
    can_evaluate,
    can_register,
    get_suggestion_for_user,
)


def detail_context(user: Any, suggestion: Suggestion) -> dict[str, Any]:
    """Everything the detail page and the side panels included in it need (fixed query count)."""
    sponsors = list(
        Sponsor.objects.filter(suggestion=suggestion).select_related("deputy").order_by("id")
    )
    assignments = list(
        Assignment.objects.filter(suggestion=suggestion)
        .select_related("unit", "answer_deadline", "co_opinion_deadline", "return_deadline")
        .order_by("-role", "id")
    )
    for a in assignments:
        a.due_deadline = a.answer_deadline if a.role == UnitRole.LEAD else a.co_opinion_deadline
    answers = list(
        Answer.objects.filter(assignment__suggestion=suggestion)
        .select_related("assignment__unit", "feedback_deadline", "evaluation")
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.order_by("due", "id"))
        )
        .order_by("sent_at", "id")
    )
    may_evaluate = can_evaluate(user, suggestion)
    for answer in answers:
        try:
            answer.current_evaluation = answer.evaluation
        except Answer.evaluation.RelatedObjectDoesNotExist:
            answer.current_evaluation = None
        answer.may_rate = may_evaluate and answer.current_evaluation is None
    return {
        "suggestion": suggestion,
        "sponsors": sponsors,
        "assignments": assignments,
        "answers": answers,
        "can_register": can_register(user, suggestion),
        "can_assign": can_assign(user, suggestion),
        "can_evaluate": may_evaluate,
        "unit_assignments": [a for a in assignments if acts_for_unit(user, a)],
        "history": history_of(suggestion),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_suggestion_for_user(request.user, pk)
    return render(request, "suggestions/detail.html", detail_context(request.user, suggestion))
