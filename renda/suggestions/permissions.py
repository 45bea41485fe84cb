"""Who may do what to a suggestion. Predicates are pure; getters give 404 for missing and
forbidden alike."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role, is_admin

from .models import Assignment, Suggestion
from .queries import (
    deputy_congress_ids,
    gov_supervisor_congress_ids,
    office_congress_ids,
    suggestions_visible_to,
    unit_ids_of,
)


def _valid_pk(pk: Any) -> int:
    """An id from a URL or a payload as a database-safe int; anything else is a 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def get_suggestion_for_user(user: Any, pk: Any) -> Suggestion:
    pk = _valid_pk(pk)
    suggestion = suggestions_visible_to(user, one=True).filter(pk=pk).first()
    if suggestion is None:
        raise Http404
    return suggestion


def is_office(user: Any, suggestion: Suggestion) -> bool:
    """The deputy-affairs office of the suggestion's congress (or an administrator)."""
    return is_admin(user) or has_role(user, Role.DEPUTY_AFFAIRS, congress=suggestion.congress_id)


def is_lead_deputy(user: Any, suggestion: Suggestion) -> bool:
    return getattr(user, "pk", None) == suggestion.lead_deputy_id


def can_edit_draft(user: Any, suggestion: Suggestion) -> bool:
    return is_lead_deputy(user, suggestion)


def can_register(user: Any, suggestion: Suggestion) -> bool:
    return is_office(user, suggestion)


def can_assign(user: Any, suggestion: Suggestion) -> bool:
    return is_office(user, suggestion)


def acts_for_unit(user: Any, assignment: Assignment) -> bool:
    """A clerk or head of the assigned unit."""
    return assignment.unit_id in unit_ids_of(user)


def can_evaluate(user: Any, suggestion: Suggestion) -> bool:
    """SUG-FEEDBACK: the lead deputy rates each lead unit's answer."""
    return is_lead_deputy(user, suggestion)


def heads_unit(user: Any, assignment: Assignment) -> bool:
    """The head (一把手) of exactly this assignment's unit: who signs off its answer."""
    from renda.accounts.permissions import role_assignments

    return any(
        ra.role == Role.UNIT_HEAD and ra.unit_id == assignment.unit_id
        for ra in role_assignments(user)
    )


# --- Answers, evaluation, commitments and key suggestions (issue 3 points 5–8) ----------------


def can_answer(user: Any, assignment: Assignment) -> bool:
    """SUG-CATEGORY: a clerk or head of a lead unit sends that unit's answer."""
    return assignment.role == "lead" and acts_for_unit(user, assignment)


def acts_for_any_unit_of(user: Any, suggestion: Suggestion, *, lead_only: bool = False) -> bool:
    """Whether the user acts for one of the suggestion's (lead) units still holding it."""
    units = unit_ids_of(user)
    if not units:
        return False
    qs = suggestion.assignments.filter(unit_id__in=units).exclude(state="returned")
    if lead_only:
        qs = qs.filter(role="lead")
    return qs.exists()


def can_mark_key(user: Any, suggestion: Suggestion) -> bool:
    """SUG-KEY: the deputy-affairs office records the director's council's choice."""
    return is_office(user, suggestion)


def get_commitment_for_user(user: Any, pk: Any) -> Any:
    """A commitment of a suggestion the user may see; 404 for missing and forbidden alike."""
    from .models import Commitment

    pk = _valid_pk(pk)
    commitment = (
        Commitment.objects.filter(
            pk=pk, answer__assignment__suggestion__in=suggestions_visible_to(user)
        )
        .select_related("answer__assignment__suggestion")
        .first()
    )
    if commitment is None:
        raise Http404
    return commitment


def get_return_request_for_user(user: Any, pk: Any) -> Any:
    """A return request (SUG-RETURN), or 404 unless its suggestion is visible to the user."""
    from .models import ReturnRequest

    pk = _valid_pk(pk)
    request = (
        ReturnRequest.objects.filter(pk=pk, assignment__suggestion__in=suggestions_visible_to(user))
        .select_related("assignment__unit", "assignment__return_deadline")
        .first()
    )
    if request is None:
        raise Http404
    return request


# --- Who may open the suggestion pages (and see their menu entries) --------------------


def can_write_suggestions(user: Any) -> bool:
    """Deputies write suggestions and see "My suggestions" (the page and its menu entry)."""
    return bool(getattr(user, "is_authenticated", False) and deputy_congress_ids(user))


def can_use_unit_queue(user: Any) -> bool:
    """A clerk or head of at least one handling unit (the queue page and its menu entry)."""
    return bool(getattr(user, "is_authenticated", False) and unit_ids_of(user))


def can_use_office_inbox(user: Any) -> bool:
    """The office's inbox: deputy-affairs staff of a congress, or an administrator."""
    if not getattr(user, "is_authenticated", False):
        return False
    congresses = office_congress_ids(user)
    return congresses is None or bool(congresses)


# --- Attachments (issue 3 point 1) -------------------------------------------------------------


def can_manage_attachments(user: Any, suggestion: Suggestion) -> bool:
    """The lead deputy adds and removes files while the suggestion is a draft or submitted (not
    yet registered); the action re-checks this under the row lock."""
    from .actions.attachments import EDITABLE_STATES

    return is_lead_deputy(user, suggestion) and suggestion.state in EDITABLE_STATES


def get_attachment_for_user(user: Any, pk: Any, suggestion: Suggestion | None = None) -> Any:
    """An attachment of a suggestion the user may see (the same visibility as the suggestion);
    404 for missing and forbidden alike. With `suggestion`, it must also belong to that one."""
    from .models import Attachment

    pk = _valid_pk(pk)
    qs = Attachment.objects.filter(pk=pk, suggestion__in=suggestions_visible_to(user))
    if suggestion is not None:
        qs = qs.filter(suggestion=suggestion)
    attachment = qs.select_related("suggestion").first()
    if attachment is None:
        raise Http404
    return attachment


def can_see_overdue_board(user: Any) -> bool:
    """The overdue board (point 9): the deputy-affairs office (or an administrator) and the
    government supervision office (政府督查室)."""
    return can_use_office_inbox(user) or bool(
        getattr(user, "is_authenticated", False) and gov_supervisor_congress_ids(user)
    )


# --- Statistics (issue 3, "Statistics and exports") ----------------------------------------


def stats_scope(user: Any) -> tuple[set[int] | None, set[int]]:
    """Whose suggestion statistics the user may see: (congresses as an office role — None for
    an administrator, meaning all —, units as their clerk or head)."""
    from renda.accounts.permissions import role_assignments

    from .queries import OFFICE_ROLES

    if not getattr(user, "is_authenticated", False):
        return set(), set()
    if is_admin(user):
        return None, set()
    offices = {
        ra.congress_id
        for ra in role_assignments(user)
        if ra.role in OFFICE_ROLES and ra.congress_id
    }
    return offices, unit_ids_of(user)


def can_view_stats(user: Any) -> bool:
    """Office roles and administrators see their congress's figures, unit staff their unit's;
    deputies and everyone else do not (the page and its menu entry)."""
    offices, units = stats_scope(user)
    return offices is None or bool(offices) or bool(units)
