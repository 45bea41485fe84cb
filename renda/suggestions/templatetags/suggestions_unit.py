"""`{% unit_actions %}`: the handling unit's panels on the suggestion detail page (forms built
here, or the refused ones the unit views pass back as `unit_forms`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from ..actions.answers import ANSWERABLE
from ..actions.assignment import CONTACT_STATES, HANDLING_STATES
from ..choices import AssignmentState, ReturnState, State, UnitRole
from ..forms_unit import AnswerForm, ContactForm, CoOpinionForm, MetForm, ReturnForm
from ..models import Contact, ReturnRequest
from ..permissions import heads_unit, is_lead_deputy, is_office

register = template.Library()

RETURN_STATES = (State.ASSIGNED, State.REASSIGNING)


@register.inclusion_tag("suggestions/unit/_panels.html", takes_context=True)
def unit_actions(context: Any) -> dict[str, Any]:
    suggestion = context.get("suggestion")
    user = context.get("user")
    assignments = [
        a for a in context.get("unit_assignments") or [] if a.state != AssignmentState.RETURNED
    ]
    answers = list(context.get("answers") or [])
    bound = context.get("unit_forms") or {}
    today = timezone.localdate()

    def form(key: str, cls: Any, pk: int, **kw: Any) -> Any:
        return bound.get(f"{key}-{pk}") or cls(prefix=f"{key}-{pk}", **kw)

    panels = []
    if assignments and suggestion is not None:
        ids = [a.pk for a in assignments]
        contacts: dict[int, list[Contact]] = {}
        for c in Contact.objects.filter(assignment_id__in=ids).order_by("-happened_on", "-id"):
            contacts.setdefault(c.assignment_id, []).append(c)
        pending = set(
            ReturnRequest.objects.filter(
                assignment_id__in=ids, state=ReturnState.PENDING
            ).values_list("assignment_id", flat=True)
        )
        state = suggestion.state
        for a in assignments:
            active = a.state == AssignmentState.ACTIVE
            handling = active and state in HANDLING_STATES
            return_due = a.return_deadline.due if a.return_deadline else None
            my_answers = [x for x in answers if x.assignment_id == a.pk]
            open_commitments = [
                (c, bound.get(f"met-{c.pk}-{a.pk}") or MetForm(prefix=f"met-{c.pk}"))
                for x in my_answers
                for c in x.commitments.all()
                if c.met_at is None
            ]
            panels.append(
                {
                    "a": a,
                    "contacts": contacts.get(a.pk, []),
                    "contact_form": (
                        form("contact", ContactForm, a.pk, initial={"happened_on": today})
                        if state in CONTACT_STATES
                        else None
                    ),
                    "opinion_form": (
                        form("opinion", CoOpinionForm, a.pk)
                        if handling and a.role == UnitRole.CO
                        else None
                    ),
                    "return_pending": a.pk in pending,
                    "return_due": return_due,
                    "return_open": return_due is not None and today <= return_due,
                    "return_form": (
                        form("return", ReturnForm, a.pk)
                        if active and state in RETURN_STATES and a.pk not in pending
                        else None
                    ),
                    "may_sign_off": handling and a.signed_off_at is None and heads_unit(user, a),
                    "answer_form": (
                        form("answer", AnswerForm, a.pk)
                        if a.role == UnitRole.LEAD and active and state in ANSWERABLE
                        else None
                    ),
                    "answers": my_answers,
                    "open_commitments": open_commitments,
                }
            )
    # Reply letters for the office and the lead deputy (the units see theirs in their panel).
    letters = []
    # (Not on a merged suggestion's page: the letters are the primary's, addressed to its lead.)
    if (
        not panels
        and answers
        and suggestion is not None
        and user is not None
        and suggestion.state != State.MERGED
    ):
        if is_office(user, suggestion) or is_lead_deputy(user, suggestion):
            letters = answers
    return {
        "suggestion": suggestion,
        "panels": panels,
        "letters": letters,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
