"""Triage, referral, the unit's answer and the second look after a dissatisfied rating (issue 5
points 3–4; DOMAIN.md §3.2). Rules: OP-TRIAGE, OP-REFER, OP-ANSWER, OP-REOPEN.

Every action locks the opinion row, checks who acts and the state (a wrong state is a 409
naming it), writes, records its audit event and the public history step (OpinionEvent: the
words the citizen reads on the tracking page, never a name or a phone number) and tells the
people concerned — all in one transaction.

States (renda.opinions.choices.OpinionState):
- received / passed_up → any outcome (passed_up: waiting in the higher congress's queue);
- with_deputy → answered, suggestion, refer, close (the deputy's follow-up concludes);
- reopened (after a dissatisfied rating, once) → answered, refer, close: the second look;
- referred → answered only through the unit's `answer_referral`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.choices import Role
from renda.accounts.models import User
from renda.audit.actions import record_event
from renda.calendar.actions import set_deadline
from renda.deputies.models import Deputyship
from renda.errors import DomainError, InvalidInput, NotFound, require
from renda.notifications.actions import notify
from renda.orgs.models import HandlingUnit
from renda.rules.profiles import profile_for
from renda.search.index import index

from ..choices import OpinionState, Outcome, ReferralState
from ..models import TEXT_MAX, Opinion, OpinionEvent, Referral
from ..permissions import active_referral_for, can_triage, deputyship_ids_of
from ..stats import refresh_opinion_facts

S = OpinionState
# The outcomes each state allows (OP-TRIAGE, OP-REOPEN).
ALLOWED: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset(Outcome.values),
    S.PASSED_UP: frozenset(Outcome.values),
    S.WITH_DEPUTY: frozenset({Outcome.ANSWERED, Outcome.SUGGESTION, Outcome.REFER, Outcome.CLOSE}),
    S.REOPENED: frozenset({Outcome.ANSWERED, Outcome.REFER, Outcome.CLOSE}),
}
# States in which an opinion waits for triage (the queue's "to triage" filter).
TO_TRIAGE = (S.RECEIVED, S.PASSED_UP, S.REOPENED)
REFERRAL_PURPOSE = "opinion referral answer"
SUGGESTION_TITLE_MAX = 100


def opinion_url(opinion: Opinion | int) -> str:
    pk = opinion if isinstance(opinion, int) else opinion.pk
    return f"/opinions/handling/{pk}/"


def label_of(opinion: Opinion) -> str:
    """How notifications name an opinion: its number and category, no personal data."""
    return _("opinion No. %(pk)s (%(category)s)") % {
        "pk": opinion.pk,
        "category": opinion.category.name,
    }


def lock(opinion: Opinion | int) -> Opinion:
    pk = opinion if isinstance(opinion, int) else opinion.pk
    found = (
        Opinion.objects.select_for_update(of=("self",))
        .select_related("category", "congress", "station")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("Not found."))
    return found


def _wrong_state(opinion: Opinion, outcome: str | None = None) -> DomainError:
    if outcome:
        message = _("An opinion that is %(state)s cannot be given the outcome “%(outcome)s”.") % {
            "state": opinion.get_state_display(),
            "outcome": Outcome(outcome).label,
        }
    else:
        message = _("This cannot be done while the opinion is %(state)s.") % {
            "state": opinion.get_state_display()
        }
    return DomainError(f"{message} (state: {opinion.state})", code="wrong_state")


def _text(field: str, value: Any, *, required: bool, label: str) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: " + _("must be text."))
    if "\x00" in value:
        raise InvalidInput(f"{field}: " + _("must not contain NUL characters."))
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{field}: " + _("%(label)s is required.") % {"label": label})
    if len(value) > TEXT_MAX:
        raise InvalidInput(
            f"{field}: "
            + _("at most %(max)s characters (got %(n)s).") % {"max": TEXT_MAX, "n": len(value)}
        )
    return value


def _event(opinion: Opinion, kind: str, note: str, now: Any) -> None:
    """The public history step of a handling action, after its writes; the station's figures
    (its station-day facts) are recounted in the same transaction."""
    OpinionEvent.objects.create(opinion=opinion, kind=kind, at=now, public_note=note)
    refresh_opinion_facts([opinion.pk])


def _station_and_office(opinion: Opinion) -> list[Any]:
    """The station's staff and the deputy-affairs office of the opinion's congress."""
    from renda.suggestions.queries import office_staff

    people: list[Any] = []
    if opinion.station_id:
        people += list(opinion.station.staff.filter(is_active=True).order_by("pk"))
    people += office_staff(opinion.congress_id)
    return people


def _user_of(deputyship: Deputyship) -> User | None:
    user = deputyship.person.user
    return user if user is not None and user.is_active else None


def _deputy_for(opinion: Opinion, value: Any, by: Any) -> Deputyship:
    """The deputy named in the request, else the one the opinion is addressed to, else the
    acting deputy; a deputy of the opinion's congress, in office."""
    from renda.deputies.choices import DeputyshipStatus

    chosen: Deputyship | None = None
    if value not in (None, ""):
        if isinstance(value, Deputyship):
            chosen = value
        else:
            try:
                pk = int(value)
            except (TypeError, ValueError):
                raise InvalidInput("deputy: " + _("unknown deputy.")) from None
            chosen = Deputyship.objects.filter(pk=pk).first()
        if chosen is None:
            raise InvalidInput("deputy: " + _("unknown deputy."))
    elif opinion.deputy_id:
        chosen = opinion.deputy
    else:
        own = Deputyship.objects.filter(
            pk__in=deputyship_ids_of(by), congress_id=opinion.congress_id
        ).first()
        chosen = own
    if chosen is None:
        raise InvalidInput("deputy: " + _("choose the deputy."))
    if chosen.congress_id != opinion.congress_id or chosen.status != DeputyshipStatus.ACTIVE:
        raise InvalidInput("deputy: " + _("not a serving deputy of this opinion's congress."))
    return chosen


def _unit_for(opinion: Opinion, value: Any) -> HandlingUnit:
    unit: HandlingUnit | None = None
    if isinstance(value, HandlingUnit):
        unit = value
    elif value not in (None, ""):
        try:
            unit = HandlingUnit.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            unit = None
    if unit is None:
        raise InvalidInput("unit: " + _("choose the handling unit."))
    if unit.congress_id != opinion.congress_id or not unit.active:
        raise InvalidInput("unit: " + _("not an active handling unit of this opinion's congress."))
    return unit


@dataclass
class TriageResult:
    opinion: Opinion
    referral: Referral | None = None
    suggestion: Any = None


@transaction.atomic
def triage(opinion: Opinion | int, outcome: str, *, by: Any, **fields: Any) -> TriageResult:
    """Record the triage outcome of an opinion (OP-TRIAGE; fixed contract:
    POST /api/v1/opinions/{id}/triage). Fields by outcome:

    - answered: `text` (the answer on the spot, required) → answered; the citizen may rate it;
    - deputy: `deputy` (Deputyship id; default the addressed deputy, or the acting deputy)
      → with_deputy; the deputy is told;
    - suggestion: `deputy` as above, `title` (default: the opinion's start) → a DRAFT
      suggestion for that deputy (suggestions' create_draft), linked both ways → converted;
    - refer: `unit` (HandlingUnit id of the same congress) → referred, with a deadline of the
      profile's `opinion_referral_period` by the legal calendar; the unit is told;
    - merge: `into` (an earlier opinion of the same congress, not merged) → merged;
    - close: `text` (the explanation, required) → closed;
    - pass_up: `text` (why, optional) → passed_up, in the higher congress's queue.
    """
    if outcome not in Outcome.values:
        raise InvalidInput(
            "outcome: " + _("must be one of: %(values)s.") % {"values": ", ".join(Outcome.values)}
        )
    opinion = lock(opinion)
    require(can_triage(by, opinion), _("You may not triage this opinion."))
    if outcome not in ALLOWED.get(opinion.state, frozenset()):
        raise _wrong_state(opinion, outcome)
    now = timezone.now()
    previous_state = opinion.state
    handler = _HANDLERS[outcome]
    result: TriageResult = handler(opinion, by=by, now=now, **fields)
    opinion.outcome = outcome
    opinion.triaged_at = now
    opinion.save()
    data = {"outcome": outcome, "from": previous_state, "to": opinion.state}
    if result.referral is not None:
        data["referral"] = result.referral.pk
        data["unit"] = result.referral.unit_id
        data["due"] = result.referral.due
    if result.suggestion is not None:
        data["suggestion"] = result.suggestion.pk
    if outcome == Outcome.MERGE:
        data["into"] = opinion.merged_into_id
    if outcome == Outcome.PASS_UP:
        data["congress"] = opinion.congress_id
        data["passed_from"] = opinion.passed_from_id
    if outcome == Outcome.DEPUTY:
        data["deputy"] = opinion.follow_up_deputy_id
    record_event(opinion, f"opinion.triage_{outcome}", by=by, data=data)
    return result


def _answered(opinion: Opinion, *, by: Any, now: Any, text: Any = None, **_x: Any) -> TriageResult:
    opinion.explanation = _text("text", text, required=True, label=_("The answer"))
    opinion.state = S.ANSWERED
    opinion.answered_at = now
    _event(opinion, S.ANSWERED, opinion.explanation, now)
    return TriageResult(opinion)


def _deputy(opinion: Opinion, *, by: Any, now: Any, deputy: Any = None, **_x: Any) -> TriageResult:
    chosen = _deputy_for(opinion, deputy, by)
    opinion.follow_up_deputy = chosen
    opinion.state = S.WITH_DEPUTY
    _event(opinion, S.WITH_DEPUTY, _("A deputy follows up your opinion personally."), now)
    user = _user_of(chosen)
    if user is not None:
        notify(
            [user],
            title=_("Please follow up %(label)s personally") % {"label": label_of(opinion)},
            url=opinion_url(opinion),
        )
    return TriageResult(opinion)


def _suggestion(
    opinion: Opinion,
    *,
    by: Any,
    now: Any,
    deputy: Any = None,
    title: Any = None,
    **_x: Any,
) -> TriageResult:
    from renda.accounts.permissions import has_role
    from renda.suggestions.actions.submission import create_draft

    chosen = _deputy_for(opinion, deputy, by)
    user = _user_of(chosen)
    if user is None or not has_role(user, Role.DEPUTY, congress=opinion.congress_id):
        raise InvalidInput("deputy: " + _("this deputy has no account to write suggestions in."))
    title = _text("title", title, required=False, label=_("A title"))
    if not title:
        first = opinion.text.strip().splitlines()[0] if opinion.text.strip() else ""
        title = first[:60] or _("Opinion No. %(pk)s") % {"pk": opinion.pk}
    title = title[:SUGGESTION_TITLE_MAX]
    body = _("From citizens' opinion No. %(pk)s (%(category)s), received %(day)s:\n\n%(text)s") % {
        "pk": opinion.pk,
        "category": opinion.category.name,
        "day": timezone.localtime(opinion.created_at).date().isoformat(),
        "text": opinion.text,
    }
    # The draft is the deputy's own (they are its lead deputy and may change or drop it): the
    # suggestions app records it as theirs; this triage event records who turned it over.
    suggestion = create_draft(opinion.congress, by=user, title=title, body=body)
    opinion.suggestion = suggestion
    opinion.follow_up_deputy = chosen
    opinion.state = S.CONVERTED
    _event(opinion, S.CONVERTED, _("Your opinion was turned into a deputy's suggestion."), now)
    notify(
        [user],
        title=_("A draft suggestion was made for you from %(label)s")
        % {"label": label_of(opinion)},
        url=f"/suggestions/{suggestion.pk}/",
    )
    return TriageResult(opinion, suggestion=suggestion)


def refer_to_unit(opinion: Opinion, unit: HandlingUnit, *, by: Any, now: Any) -> Referral:
    """A referral with its deadline: the profile's `opinion_referral_period` from today, by the
    legal calendar (OP-REFER); the unit's clerks and heads watch it and are told."""
    from renda.suggestions.queries import unit_staff

    period = profile_for(opinion.congress).opinion_referral_period
    people = unit_staff([unit.pk]).get(unit.pk, [])
    referral = Referral.objects.create(opinion=opinion, unit=unit, referred_at=now, referred_by=by)
    deadline = set_deadline(
        purpose=REFERRAL_PURPOSE,
        start=timezone.localdate(now),
        kind=period.kind,
        amount=period.amount,
        owner=referral,
        watchers=people,
        by=by,
    )
    referral.deadline = deadline
    referral.due = deadline.due
    referral.save(update_fields=["deadline", "due"])
    notify(
        people,
        title=_("Referred to %(unit)s: %(label)s, answer due %(due)s")
        % {"unit": unit.name, "label": label_of(opinion), "due": deadline.due.isoformat()},
        url=opinion_url(opinion),
    )
    return referral


def _refer(opinion: Opinion, *, by: Any, now: Any, unit: Any = None, **_x: Any) -> TriageResult:
    chosen = _unit_for(opinion, unit)
    # A second referral (after a reopening) replaces any still active one.
    opinion.referrals.filter(state=ReferralState.ACTIVE).update(state=ReferralState.WITHDRAWN)
    referral = refer_to_unit(opinion, chosen, by=by, now=now)
    opinion.state = S.REFERRED
    _event(
        opinion,
        S.REFERRED,
        _("Referred to %(unit)s; the answer is due by %(due)s.")
        % {"unit": chosen.name, "due": referral.due.isoformat()},
        now,
    )
    return TriageResult(opinion, referral=referral)


def _merge(opinion: Opinion, *, by: Any, now: Any, into: Any = None, **_x: Any) -> TriageResult:
    try:
        target_pk = int(into) if not isinstance(into, Opinion) else into.pk
    except (TypeError, ValueError):
        raise InvalidInput("into: " + _("give the earlier opinion's number.")) from None
    if target_pk == opinion.pk:
        raise InvalidInput("into: " + _("an opinion cannot be merged into itself."))
    target = Opinion.objects.select_for_update(of=("self",)).filter(pk=target_pk).first()
    if target is None or target.congress_id != opinion.congress_id:
        raise InvalidInput("into: " + _("no such opinion in this congress."))
    if target.state == S.MERGED or target.merged_into_id is not None:
        raise InvalidInput(
            "into: " + _("that opinion is itself merged; merge into the one it was merged into.")
        )
    if (target.created_at, target.pk) > (opinion.created_at, opinion.pk):
        raise InvalidInput("into: " + _("merge into an earlier opinion, not a later one."))
    opinion.merged_into = target
    opinion.state = S.MERGED
    opinion.closed_at = now
    _event(
        opinion,
        S.MERGED,
        _("Merged with an earlier opinion on the same matter, which is handled together."),
        now,
    )
    return TriageResult(opinion)


def _close(opinion: Opinion, *, by: Any, now: Any, text: Any = None, **_x: Any) -> TriageResult:
    opinion.explanation = _text("text", text, required=True, label=_("An explanation"))
    opinion.state = S.CLOSED
    opinion.closed_at = now
    _event(opinion, S.CLOSED, opinion.explanation, now)
    return TriageResult(opinion)


def _pass_up(opinion: Opinion, *, by: Any, now: Any, text: Any = None, **_x: Any) -> TriageResult:
    from renda.suggestions.queries import office_staff

    reason = _text("text", text, required=False, label=_("A reason"))
    parent_id = opinion.congress.parent_id
    if parent_id is None:
        raise DomainError(
            _("This congress has no higher congress to pass the opinion up to."),
            code="no_higher_congress",
        )
    opinion.passed_from_id = opinion.congress_id
    opinion.congress_id = parent_id
    index(opinion)  # the index row's congress follows the opinion (issue 7)
    opinion.state = S.PASSED_UP
    if reason:
        opinion.explanation = reason
    note = _("Passed to the higher people's congress, which handles this matter.")
    _event(opinion, S.PASSED_UP, f"{note} {reason}".strip(), now)
    notify(
        office_staff(parent_id),
        title=_("Passed up to your congress: %(label)s") % {"label": label_of(opinion)},
        url=opinion_url(opinion),
    )
    return TriageResult(opinion)


_HANDLERS = {
    Outcome.ANSWERED: _answered,
    Outcome.DEPUTY: _deputy,
    Outcome.SUGGESTION: _suggestion,
    Outcome.REFER: _refer,
    Outcome.MERGE: _merge,
    Outcome.CLOSE: _close,
    Outcome.PASS_UP: _pass_up,
}


@transaction.atomic
def answer_referral(opinion: Opinion | int, *, text: Any, by: Any) -> Referral:
    """The referred unit answers (OP-ANSWER): its active referral is answered (late when after
    the due date), the opinion is answered and the citizen may rate it; the answer is the
    opinion's `explanation` (what the tracking page shows). The referrer and the station are
    told."""
    opinion = lock(opinion)
    referral = active_referral_for(by, opinion)
    require(referral is not None, _("Only the unit this opinion is referred to may answer it."))
    assert referral is not None
    if opinion.state != S.REFERRED:
        raise _wrong_state(opinion)
    answer = _text("text", text, required=True, label=_("The answer"))
    now = timezone.now()
    today = timezone.localdate(now)
    referral.answer = answer
    referral.answered_at = now
    referral.answered_by = by
    referral.state = ReferralState.ANSWERED
    referral.late = referral.due is not None and today > referral.due
    referral.save(update_fields=["answer", "answered_at", "answered_by", "state", "late"])
    opinion.state = S.ANSWERED
    opinion.answered_at = now
    opinion.explanation = answer
    opinion.save()
    _event(opinion, S.ANSWERED, answer, now)
    record_event(
        opinion,
        "opinion.unit_answered",
        by=by,
        data={
            "referral": referral.pk,
            "unit": referral.unit_id,
            "due": referral.due,
            "late": referral.late,
        },
    )
    notify(
        [referral.referred_by, *_station_and_office(opinion)],
        title=_("%(unit)s answered %(label)s")
        % {"unit": referral.unit.name, "label": label_of(opinion)},
        url=opinion_url(opinion),
    )
    return referral


def tell_reopened(opinion: Opinion) -> None:
    """OP-REOPEN: a dissatisfied rating reopened the opinion (receiving's `rate_opinion` sets
    the state): the station's staff and the office are told it is back in their queue for a
    second look. Call inside the rating's transaction."""
    notify(
        _station_and_office(opinion),
        title=_("Reopened after a dissatisfied rating: %(label)s") % {"label": label_of(opinion)},
        body=_(
            "The citizen was not satisfied with the answer. Take a second look: answer "
            "again, refer again or close it with an explanation."
        ),
        url=opinion_url(opinion),
    )
