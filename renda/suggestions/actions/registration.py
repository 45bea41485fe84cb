"""The deputy-affairs office's review of what was submitted: register (立案), reject with a
ground (SUG-EXCLUDED), or convert a motion to a suggestion and back.

Conversion is done in place: the same row changes kind, takes a new number in the new kind's
sequence (the old number stays in the audit trail) and stays `submitted`, so the office then
registers it as it would any other submission. `State.CONVERTED` and `converted_from` are left
for a later choice of keeping both records.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.calendar.actions import set_deadline
from renda.errors import InvalidInput, require
from renda.notifications.actions import notify
from renda.rules.profiles import profile_for

from ..choices import ExcludedGround, Kind, State
from ..facts import refresh_facts
from ..models import TEXT_MAX, Suggestion
from ..permissions import can_register, is_office
from ..queries import office_staff
from .common import copy_state, lock, require_state
from .submission import (
    assign_number,
    clean_text,
    require_motion_cosigners,
    suggestion_url,
)

NOTIFY_PURPOSE = "suggestion.notify"


@transaction.atomic
def register(suggestion: Suggestion, *, by: Any) -> Suggestion:
    """The office accepts a submission (立案). Starts the SUG-NOTIFY period within which the lead
    deputy must be told the assigned units (profile.notify_period, counted from acceptance)."""
    suggestion = lock(suggestion)
    require(can_register(by, suggestion), _("Only the deputy-affairs office registers."))
    require_state(suggestion, State.SUBMITTED)
    now = timezone.now()
    suggestion.state = State.REGISTERED
    suggestion.registered_at = now
    suggestion.registered_by = by
    period = profile_for(suggestion.congress).notify_period
    suggestion.notify_deadline = set_deadline(
        purpose=NOTIFY_PURPOSE,
        start=timezone.localdate(now),
        kind=period.kind,
        amount=period.amount,
        owner=suggestion,
        watchers=office_staff(suggestion.congress_id),
        by=by,
    )
    suggestion.save(
        update_fields=["state", "registered_at", "registered_by", "notify_deadline", "updated_at"]
    )
    copy_state(suggestion)
    record_event(
        suggestion,
        "suggestion.registered",
        by=by,
        data={"number": suggestion.number, "notify_due": suggestion.notify_deadline.due},
    )
    refresh_facts(suggestion.pk)  # the statistics' fact rows, in this transaction
    notify(
        [suggestion.lead_deputy],
        title=_("Registered: %(number)s %(title)s")
        % {"number": suggestion.number, "title": suggestion.title},
        url=suggestion_url(suggestion),
    )
    return suggestion


def clean_ground(suggestion: Suggestion, ground: Any) -> str:
    """SUG-EXCLUDED: only the grounds of the congress's rule profile (北京 adds two)."""
    allowed = profile_for(suggestion.congress).excluded_grounds
    if not isinstance(ground, str) or ground not in allowed:
        raise InvalidInput(
            "ground: "
            + _("must be one of the grounds of this congress's rules: %(grounds)s.")
            % {"grounds": ", ".join(allowed)},
            code="invalid",
        )
    return ground


@transaction.atomic
def reject(suggestion: Suggestion, *, ground: Any, explanation: Any, by: Any) -> Suggestion:
    """The office does not take a submission as a suggestion, on one of the SUG-EXCLUDED grounds
    of its profile, with a written explanation the lead deputy receives."""
    suggestion = lock(suggestion)
    require(can_register(by, suggestion), _("Only the deputy-affairs office rejects."))
    require_state(suggestion, State.SUBMITTED)
    ground = clean_ground(suggestion, ground)
    explanation = clean_text(
        "explanation", explanation, max_length=TEXT_MAX, required=True, label=_("An explanation")
    )
    suggestion.state = State.REJECTED
    suggestion.rejection_ground = ground
    suggestion.rejection_explanation = explanation
    suggestion.save(
        update_fields=["state", "rejection_ground", "rejection_explanation", "updated_at"]
    )
    copy_state(suggestion)
    record_event(suggestion, "suggestion.rejected", by=by, data={"ground": ground})
    refresh_facts(suggestion.pk)  # the statistics' fact rows, in this transaction
    label = ExcludedGround(ground).label
    notify(
        [suggestion.lead_deputy],
        title=_("Not accepted as a suggestion: %(title)s") % {"title": suggestion.title},
        body=_("Ground: %(ground)s\n\n%(explanation)s")
        % {"ground": label, "explanation": explanation},
        url=suggestion_url(suggestion),
    )
    return suggestion


@transaction.atomic
def convert(suggestion: Suggestion, *, by: Any) -> Suggestion:
    """The office converts a submitted motion to a suggestion, or a suggestion to a motion (which
    then needs its confirmed co-signers, MOTION-COSIGN). In place: new kind, a new number in that
    kind's sequence (the old one kept in the audit data), still `submitted`."""
    suggestion = lock(suggestion)
    require(is_office(by, suggestion), _("Only the deputy-affairs office converts."))
    require_state(suggestion, State.SUBMITTED)
    old_kind, old_number = suggestion.kind, suggestion.number
    suggestion.kind = Kind.SUGGESTION if old_kind == Kind.MOTION else Kind.MOTION
    if suggestion.kind == Kind.MOTION:
        require_motion_cosigners(suggestion)
    assign_number(suggestion)
    suggestion.state = State.SUBMITTED
    suggestion.save(
        update_fields=["kind", "state", "year", "session", "sequence", "number", "updated_at"]
    )
    copy_state(suggestion)
    record_event(
        suggestion,
        "suggestion.converted",
        by=by,
        data={
            "from_kind": old_kind,
            "from_number": old_number,
            "to_kind": suggestion.kind,
            "to_number": suggestion.number,
        },
    )
    refresh_facts(suggestion.pk)  # the statistics' fact rows, in this transaction
    notify(
        [suggestion.lead_deputy],
        title=_("%(old)s is now %(kind)s %(new)s")
        % {
            "old": old_number,
            "kind": suggestion.get_kind_display(),
            "new": suggestion.number,
        },
        url=suggestion_url(suggestion),
    )
    return suggestion
