"""The office's action panel on a suggestion's page: `{% office_actions %}` builds its forms
from the detail view's context (`suggestion`, `user`, `can_register`, `can_assign`)."""

from __future__ import annotations

from typing import Any

from django import template

from ..actions.key import KEY_STATES
from ..choices import ReturnState, State
from ..forms_office import AssignForm, DecideReturnForm, KeyForm, RejectForm, active_units
from ..models import KeySuggestion, ReturnRequest
from ..permissions import can_mark_key

register = template.Library()
UNITS_LISTED = 30


@register.inclusion_tag("suggestions/office/_panel.html", takes_context=True)
def office_actions(context: Any) -> dict[str, Any]:
    suggestion = context.get("suggestion")
    user = context.get("user")
    can_register = bool(context.get("can_register"))
    can_assign = bool(context.get("can_assign"))
    out: dict[str, Any] = {"show": False, "suggestion": suggestion}
    if suggestion is None or not (can_register or can_assign):
        return out
    state = suggestion.state
    out["can_register"] = can_register and state == State.SUBMITTED
    if out["can_register"]:
        out["reject_form"] = RejectForm(suggestion=suggestion)
    needs_units = False
    if can_assign and state == State.REGISTERED:
        out["assign_form"] = AssignForm(suggestion=suggestion)
        needs_units = True
    if can_assign and state in (State.ASSIGNED, State.REASSIGNING):
        out["returns"] = list(
            ReturnRequest.objects.filter(
                assignment__suggestion=suggestion, state=ReturnState.PENDING
            )
            .select_related("assignment__unit", "assignment__return_deadline")
            .order_by("requested_at", "id")
        )
        for r in out["returns"]:
            r.prefix = f"rr{r.pk}-"
        needs_units = needs_units or bool(out["returns"])
    if (
        state in KEY_STATES
        and can_mark_key(user, suggestion)
        and not KeySuggestion.objects.filter(suggestion=suggestion).exists()
    ):
        out["key_form"] = KeyForm(suggestion=suggestion)
    if needs_units:
        out["units"] = list(active_units(suggestion.congress_id)[:UNITS_LISTED])
    out["show"] = any(out.get(k) for k in ("can_register", "assign_form", "returns", "key_form"))
    out["csrf_token"] = context.get("csrf_token")
    out["request"] = context.get("request")
    out["form"] = DecideReturnForm(suggestion=suggestion) if out.get("returns") else None
    return out
