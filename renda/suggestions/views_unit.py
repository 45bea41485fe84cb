"""Pages of the handling unit (承办单位): its queue, and the actions on a suggestion's detail page
(contacts, co-unit opinion, return request, the head's sign-off, the answer, commitments met) and
the reply letter (答复函) download.

Thin: objects come through permissions.py (404 for missing and forbidden alike), the queue
through queries.py, every change through actions/ (a DomainError comes back as a form error or a
message, never a 500). The forms are shown by the `unit_actions` tag in the detail page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.errors import DomainError

from . import letters
from .actions import answers as answer_actions
from .actions import assignment as assignment_actions
from .choices import AssignmentState
from .forms_unit import AnswerForm, ContactForm, CoOpinionForm, MetForm, ReturnForm
from .models import Answer, Assignment, Commitment
from .permissions import (
    acts_for_unit,
    can_use_unit_queue,
    get_suggestion_for_user,
    is_lead_deputy,
    is_office,
)
from .queries import UnitQueue, mark_due_and_overdue

PAGE_SIZE = 25


@login_required
def unit_queue(request: HttpRequest) -> HttpResponse:
    if not can_use_unit_queue(request.user):
        raise PermissionDenied
    page = Paginator(UnitQueue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    mark_due_and_overdue(list(page.object_list), timezone.localdate())
    return render(request, "suggestions/unit/queue.html", {"page": page})


# --- actions on the detail page ------------------------------------------------------------


def _assignment(request: HttpRequest, pk: int, assignment_id: int) -> Assignment:
    """The user's own unit's assignment on a suggestion they see; 404 otherwise."""
    suggestion = get_suggestion_for_user(request.user, pk)
    assignment = (
        Assignment.objects.filter(pk=assignment_id, suggestion=suggestion)
        .exclude(state=AssignmentState.RETURNED)
        .select_related("unit", "return_deadline")
        .first()
    )
    if assignment is None or not acts_for_unit(request.user, assignment):
        raise Http404
    assignment.suggestion = suggestion
    return assignment


def _back(assignment: Assignment) -> HttpResponse:
    return redirect(f"/suggestions/{assignment.suggestion_id}/#unit-{assignment.pk}")


def _again(request: HttpRequest, assignment: Assignment, key: str, form: Any) -> HttpResponse:
    """The detail page again, with the refused form and its errors (nothing was written)."""
    from .views_deputy import detail_context

    context = detail_context(request.user, assignment.suggestion)
    context["unit_forms"] = {f"{key}-{assignment.pk}": form}
    return render(request, "suggestions/detail.html", context)


def _run(request, assignment, key, form, call) -> HttpResponse:  # noqa: ANN001
    if not form.is_valid():
        return _again(request, assignment, key, form)
    try:
        call(form.cleaned_data)
    except DomainError as exc:
        form.add_action_error(exc.detail)
        return _again(request, assignment, key, form)
    return None


@login_required
@require_POST
def log_contact(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    assignment = _assignment(request, pk, assignment_id)
    form = ContactForm(request.POST, prefix=f"contact-{assignment.pk}")
    failed = _run(
        request,
        assignment,
        "contact",
        form,
        lambda d: assignment_actions.log_contact(
            assignment,
            stage=d["stage"],
            method=d["method"],
            happened_on=d["happened_on"],
            note=d["note"],
            by=request.user,
        ),
    )
    if failed:
        return failed
    messages.success(request, _("Contact logged."))
    return _back(assignment)


@login_required
@require_POST
def send_co_opinion(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    assignment = _assignment(request, pk, assignment_id)
    form = CoOpinionForm(request.POST, prefix=f"opinion-{assignment.pk}")
    failed = _run(
        request,
        assignment,
        "opinion",
        form,
        lambda d: assignment_actions.send_co_opinion(assignment, text=d["text"], by=request.user),
    )
    if failed:
        return failed
    messages.success(request, _("Opinion sent to the lead unit."))
    return _back(assignment)


@login_required
@require_POST
def request_return(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    assignment = _assignment(request, pk, assignment_id)
    form = ReturnForm(request.POST, prefix=f"return-{assignment.pk}")
    failed = _run(
        request,
        assignment,
        "return",
        form,
        lambda d: assignment_actions.request_return(
            assignment, reason=d["reason"], by=request.user
        ),
    )
    if failed:
        return failed
    messages.success(request, _("Return request sent to the deputy-affairs office."))
    return _back(assignment)


@login_required
@require_POST
def sign_off(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    assignment = _assignment(request, pk, assignment_id)
    try:
        assignment_actions.sign_off(assignment, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Signed off."))
    return _back(assignment)


@login_required
@require_POST
def send_answer(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    """SUG-CATEGORY: the answer action checks each category's requirements."""
    assignment = _assignment(request, pk, assignment_id)
    form = AnswerForm(request.POST, prefix=f"answer-{assignment.pk}")
    if not form.is_valid():
        return _again(request, assignment, "answer", form)
    d = form.cleaned_data
    pairs = form.commitment_pairs()
    try:
        answer_actions.answer(
            assignment.suggestion,
            unit=assignment.unit_id,
            category=d["category"],
            text=d["text"],
            commitments=[answer_actions.CommitmentIn(text, due) for _row, text, due in pairs],
            plan=d["plan"],
            planned_date=d["planned_date"],
            reason=d["reason"],
            public=bool(d["public"]),
            not_public_reason=d["not_public_reason"],
            by=request.user,
        )
    except DomainError as exc:
        form.add_action_error(exc.detail, rows=[row for row, _t, _d in pairs])
        return _again(request, assignment, "answer", form)
    messages.success(request, _("Answer sent to the deputy."))
    return _back(assignment)


@login_required
@require_POST
def commitment_met(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    suggestion = get_suggestion_for_user(request.user, pk)
    commitment = (
        Commitment.objects.filter(pk=commitment_id, answer__assignment__suggestion=suggestion)
        .select_related("answer__assignment")
        .first()
    )
    if commitment is None or not acts_for_unit(request.user, commitment.answer.assignment):
        raise Http404
    assignment = commitment.answer.assignment
    assignment.suggestion = suggestion
    form = MetForm(request.POST, prefix=f"met-{commitment.pk}")
    failed = _run(
        request,
        assignment,
        f"met-{commitment.pk}",
        form,
        lambda d: answer_actions.mark_commitment_met(
            commitment, evidence=d["evidence"], by=request.user
        ),
    )
    if failed:
        return failed
    messages.success(request, _("Commitment marked met."))
    return _back(assignment)


# --- reply letter ----------------------------------------------------------------------------


def may_download_letter(user: Any, answer: Answer) -> bool:
    """The answering unit's people, the deputy-affairs office and the lead deputy."""
    suggestion = answer.assignment.suggestion
    return (
        acts_for_unit(user, answer.assignment)
        or is_office(user, suggestion)
        or is_lead_deputy(user, suggestion)
    )


@login_required
def reply_letter(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    suggestion = get_suggestion_for_user(request.user, pk)
    answer = (
        Answer.objects.filter(pk=answer_id, assignment__suggestion=suggestion)
        .select_related("assignment__unit", "assignment__signed_off_by")
        .first()
    )
    if answer is None:
        raise Http404
    answer.assignment.suggestion = suggestion
    if not may_download_letter(request.user, answer):
        raise Http404
    response = HttpResponse(letters.render_reply_letter(answer), content_type=letters.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{letters.letter_filename(answer)}"'
    return response
