"""The referral deadline job's steps (issue 5 point 4; OP-DEADLINE): warnings before a referral
is due, overdue marking, escalation — the suggestions' pattern (renda.suggestions.actions.
deadlines).

Each step handles one referral in its own transaction and **claims** it with a compare-and-swap
`UPDATE … WHERE <not yet done>` on the referral row's own columns (`warned_days`,
`overdue_since`, `escalated_at`): only the worker whose update changed the row records the audit
event and sends the notifications, so two workers never send twice. The row is locked and
re-read first, so an answer given meanwhile is seen.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.notifications.actions import notify

from ..choices import OpinionState, ReferralState
from ..models import Referral
from .handling import _station_and_office, label_of, opinion_url


def _lock_active(referral_pk: int) -> Referral | None:
    """The still-active referral of a still-referred opinion, locked for the job's claim."""
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("unit", "opinion", "opinion__category", "opinion__station")
        .filter(pk=referral_pk, state=ReferralState.ACTIVE, due__isnull=False)
        .first()
    )
    if referral is None or referral.opinion.state != OpinionState.REFERRED:
        return None
    return referral


def _claim(referral_pk: int, when: Q, **values: Any) -> bool:
    """Compare-and-swap on the row's own columns: True only for the worker that changed it."""
    return bool(Referral.objects.filter(Q(pk=referral_pk) & when).update(**values))


def _unit_people(unit_id: int) -> list[Any]:
    from renda.suggestions.queries import unit_staff

    return unit_staff([unit_id]).get(unit_id, [])


@transaction.atomic
def send_referral_warning(referral_pk: int, days: int, *, today: date | None = None) -> bool:
    """Warn the unit that its answer is due within `days` days (the profile's
    `opinion_warning_days`). Claimed with `warned_days` (it only goes down); returns whether
    this call sent it."""
    today = today or timezone.localdate()
    referral = _lock_active(referral_pk)
    if referral is None or referral.due is None:
        return False
    left = (referral.due - today).days
    if left < 0 or left > days:
        return False
    if not _claim(
        referral_pk, Q(warned_days__isnull=True) | Q(warned_days__gt=days), warned_days=days
    ):
        return False
    opinion = referral.opinion
    record_event(
        opinion,
        "opinion.referral_warning",
        data={
            "referral": referral.pk,
            "unit": referral.unit_id,
            "days": days,
            "left": left,
            "due": referral.due,
        },
    )
    notify(
        _unit_people(referral.unit_id),
        title=_("Answer to %(label)s due in %(left)d days (%(due)s)")
        % {"label": label_of(opinion), "left": left, "due": referral.due.isoformat()},
        url=opinion_url(opinion),
    )
    return True


@transaction.atomic
def mark_referral_overdue(referral_pk: int, *, today: date | None = None) -> bool:
    """The day after the due date: mark the referral overdue and tell the unit's clerks and
    heads, once. Claimed with `overdue_since`."""
    today = today or timezone.localdate()
    referral = _lock_active(referral_pk)
    if referral is None or referral.due is None or referral.due >= today:
        return False
    if not _claim(referral_pk, Q(overdue_since__isnull=True), overdue_since=today):
        return False
    opinion = referral.opinion
    record_event(
        opinion,
        "opinion.referral_overdue",
        data={"referral": referral.pk, "unit": referral.unit_id, "due": referral.due},
    )
    notify(
        _unit_people(referral.unit_id),
        title=_("Overdue: your unit has not answered %(label)s (due %(due)s)")
        % {"label": label_of(opinion), "due": referral.due.isoformat()},
        url=opinion_url(opinion),
    )
    return True


@transaction.atomic
def escalate_referral(referral_pk: int, *, today: date | None = None) -> bool:
    """An overdue referral is escalated to the unit's head (一把手) by name, the station's staff
    and the deputy-affairs office, once. Claimed with `escalated_at`."""
    from renda.suggestions.queries import unit_heads

    today = today or timezone.localdate()
    referral = _lock_active(referral_pk)
    if referral is None or referral.overdue_since is None or referral.due is None:
        return False
    if not _claim(referral_pk, Q(escalated_at__isnull=True), escalated_at=timezone.now()):
        return False
    opinion = referral.opinion
    days_late = (today - referral.due).days
    record_event(
        opinion,
        "opinion.referral_escalated",
        data={
            "referral": referral.pk,
            "unit": referral.unit_id,
            "due": referral.due,
            "days_late": days_late,
        },
    )
    notify(
        [*unit_heads(referral.unit_id), *_station_and_office(opinion)],
        title=_("Not answered in time: %(unit)s, %(label)s (due %(due)s)")
        % {"unit": referral.unit.name, "label": label_of(opinion), "due": referral.due.isoformat()},
        body=_(
            "The unit's answer to a citizen's opinion is overdue. The unit's head is asked to see "
            "that it is answered without further delay."
        ),
        url=opinion_url(opinion),
    )
    return True
