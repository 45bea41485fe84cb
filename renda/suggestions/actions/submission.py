"""Writing and submitting suggestions and motions: drafts, co-signing, submission, numbering.

Rules: MOTION-COSIGN (a motion needs enough confirmed co-signers before it can be submitted).
Numbering: during a session of the congress a submission is numbered in that session's
sequence, between sessions in the year's; one sequence per kind; numbers never repeat, even
under concurrent submission (the scope's NumberCounter row is locked while a number is taken).
The number format is the setting RENDA_SUGGESTION_NUMBER_FORMAT (docs/suggestions.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from renda.accounts.choices import Role
from renda.accounts.models import RoleAssignment, User
from renda.accounts.permissions import has_role
from renda.audit.actions import record_event
from renda.deputies.actions.duties import record_platform_duty
from renda.errors import DomainError, InvalidInput, NotFound, require
from renda.notifications.actions import notify
from renda.orgs.models import Congress, Session
from renda.rules.profiles import profile_for
from renda.search.index import index

from ..choices import COSIGN_STATES, Kind, SponsorRole, State
from ..facts import refresh_facts
from ..models import BODY_MAX, TITLE_MAX, NumberCounter, Sponsor, Suggestion, Topic
from ..permissions import can_edit_draft
from ..queries import office_staff
from .common import copy_state, lock, require_state

NUMBER_MAX = Suggestion._meta.get_field("number").max_length or 40
MAX_COSIGNERS = 500

# "<kind>.<scope>" -> a str.format pattern. Fields: {year}, {term}, {session}, {seq},
# {congress} (the division code). Session formats must differ from year formats: numbers are
# unique per congress and kind, and a session's sequence restarts at 1.
DEFAULT_NUMBER_FORMATS: dict[str, str] = {
    "suggestion.year": "{year}-{seq:04d}",
    "suggestion.session": "{term}届{session}次-{seq:04d}",
    "motion.year": "议案{year}-{seq:04d}",
    "motion.session": "议案{term}届{session}次-{seq:04d}",
}


# --- Input checks shared by the phase's actions -----------------------------------------------
def _invalid(field: str, message: str) -> InvalidInput:
    """A 422 that names the field, as the API contract asks."""
    return InvalidInput(f"{field}: {message}", code="invalid")


def clean_text(
    field: str, value: Any, *, max_length: int, required: bool, label: str | None = None
) -> str:
    """Text as typed (HTML stays text: templates escape it), trimmed at the ends; refuses what a
    database cannot hold (NUL) and what is too long; `required` refuses blank."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _invalid(field, _("must be text."))
    if "\x00" in value:
        raise _invalid(field, _("must not contain NUL characters."))
    value = value.strip()
    if required and not value:
        raise _invalid(field, _("%(label)s is required.") % {"label": label or field})
    if len(value) > max_length:
        raise _invalid(
            field,
            _("at most %(max)s characters (got %(n)s).") % {"max": max_length, "n": len(value)},
        )
    return value


def clean_title(value: Any, *, required: bool = True) -> str:
    return clean_text("title", value, max_length=TITLE_MAX, required=required, label=_("A title"))


def clean_body(value: Any, *, required: bool = False) -> str:
    return clean_text("body", value, max_length=BODY_MAX, required=required, label=_("The text"))


def _clean_kind(kind: Any) -> str:
    if kind not in Kind.values:
        raise _invalid("kind", _("must be one of: %(kinds)s.") % {"kinds": ", ".join(Kind.values)})
    return str(kind)


def _clean_topic(congress: Congress, topic: Any) -> Topic | None:
    if topic is None:
        return None
    if isinstance(topic, Topic):
        found = topic if topic.congress_id == congress.pk and topic.active else None
    else:
        found = Topic.objects.filter(pk=topic, congress=congress, active=True).first()
    if found is None:
        raise _invalid("topic", _("unknown topic for this congress."))
    return found


def is_deputy_of(user: Any, congress: Congress | int) -> bool:
    return has_role(user, Role.DEPUTY, congress=congress)


def suggestion_url(suggestion: Suggestion) -> str:
    return f"/suggestions/{suggestion.pk}/"


# --- Drafts and co-signers --------------------------------------------------------------------
def _check_cosigners(
    congress: Congress, lead: Any, cosigners: Iterable[Any], existing: Iterable[int] = ()
) -> list[User]:
    """Co-signers are deputies of the same congress, not the lead, each named once."""
    users = list(cosigners or [])
    if len(users) > MAX_COSIGNERS:
        raise _invalid("cosigners", _("at most %(n)s co-signers.") % {"n": MAX_COSIGNERS})
    ids = [getattr(u, "pk", u) for u in users]
    if len(set(ids)) != len(ids):
        raise _invalid("cosigners", _("a deputy is named twice."))
    if lead.pk in ids:
        raise _invalid("cosigners", _("the lead deputy cannot co-sign their own suggestion."))
    if set(ids) & set(existing):
        raise _invalid("cosigners", _("a deputy named is already invited."))
    deputies = set(
        RoleAssignment.objects.filter(
            role=Role.DEPUTY, congress=congress, user_id__in=ids, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    strangers = [str(i) for i in ids if i not in deputies]
    if strangers:
        raise _invalid(
            "cosigners",
            _("not deputies of this congress: %(ids)s.") % {"ids": ", ".join(strangers)},
        )
    by_id = User.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


def _invite(suggestion: Suggestion, cosigners: Sequence[User], by: Any) -> None:
    Sponsor.objects.bulk_create(
        [Sponsor(suggestion=suggestion, deputy=u, role=SponsorRole.COSIGNER) for u in cosigners]
    )
    if cosigners:
        notify(
            cosigners,
            title=_("%(name)s asks you to co-sign: %(title)s")
            % {"name": by.display_name, "title": suggestion.title},
            body=_("Confirm or decline in your account; you count as a co-signer once confirmed."),
            url=suggestion_url(suggestion),
        )


@transaction.atomic
def create_draft(
    congress: Congress,
    *,
    by: Any,
    kind: str = Kind.SUGGESTION,
    title: str,
    body: str = "",
    topic: Any = None,
    cosigners: Iterable[Any] = (),
) -> Suggestion:
    """A deputy of the congress starts a suggestion or motion (draft); the creator is the lead
    deputy (a confirmed lead sponsor); invited co-signers are told and count once they confirm
    (MOTION-COSIGN)."""
    require(
        is_deputy_of(by, congress),
        _("Only deputies of this congress may write suggestions and motions here."),
    )
    kind = _clean_kind(kind)
    title = clean_title(title)
    body = clean_body(body)
    topic_obj = _clean_topic(congress, topic)
    users = _check_cosigners(congress, by, cosigners)
    now = timezone.now()
    suggestion = Suggestion.objects.create(
        congress=congress,
        kind=kind,
        state=State.DRAFT,
        title=title,
        body=body,
        topic=topic_obj,
        lead_deputy=by,
        year=timezone.localdate().year,
    )
    Sponsor.objects.create(
        suggestion=suggestion, deputy=by, role=SponsorRole.LEAD, confirmed_at=now
    )
    _invite(suggestion, users, by)
    index(suggestion)  # issue 7: searchable in the same transaction
    record_event(
        suggestion,
        "suggestion.drafted",
        by=by,
        data={"kind": kind, "cosigners": [u.pk for u in users]},
    )
    return suggestion


_UNCHANGED: Any = object()


@transaction.atomic
def update_draft(
    suggestion: Suggestion,
    *,
    by: Any,
    title: Any = _UNCHANGED,
    body: Any = _UNCHANGED,
    topic: Any = _UNCHANGED,
) -> Suggestion:
    """Autosave of a draft by its lead deputy: idempotent (the same values write nothing and
    record nothing), so the form may call it as often as it likes."""
    suggestion = lock(suggestion)
    require(can_edit_draft(by, suggestion), _("Only the lead deputy edits this draft."))
    require_state(suggestion, State.DRAFT)
    changes: dict[str, Any] = {}
    if title is not _UNCHANGED:
        changes["title"] = clean_title(title)
    if body is not _UNCHANGED:
        changes["body"] = clean_body(body)
    if topic is not _UNCHANGED:
        new_topic = _clean_topic(suggestion.congress, topic)
        changes["topic_id"] = new_topic.pk if new_topic else None
    changed = [f for f, v in changes.items() if getattr(suggestion, f) != v]
    if not changed:
        return suggestion
    for field in changed:
        setattr(suggestion, field, changes[field])
    suggestion.save(update_fields=[*changed, "updated_at"])
    if "title" in changed or "body" in changed:
        index(suggestion)
    fields = [f.removesuffix("_id") for f in changed]
    record_event(suggestion, "suggestion.draft_saved", by=by, data={"fields": fields})
    return suggestion


@transaction.atomic
def invite_cosigners(suggestion: Suggestion, cosigners: Iterable[Any], *, by: Any) -> Suggestion:
    """The lead deputy asks more deputies of the congress to co-sign a draft (MOTION-COSIGN)."""
    suggestion = lock(suggestion)
    require(can_edit_draft(by, suggestion), _("Only the lead deputy invites co-signers."))
    require_state(suggestion, State.DRAFT)
    existing = suggestion.sponsors.values_list("deputy_id", flat=True)
    users = _check_cosigners(suggestion.congress, by, cosigners, existing=list(existing))
    if not users:
        raise _invalid("cosigners", _("name at least one deputy."))
    _invite(suggestion, users, by)
    record_event(
        suggestion,
        "suggestion.cosigners_invited",
        by=by,
        data={"cosigners": [u.pk for u in users]},
    )
    return suggestion


def _pending_invitation(suggestion: Suggestion, by: Any) -> Sponsor:
    sponsor = (
        Sponsor.objects.select_for_update()
        .filter(suggestion=suggestion, deputy_id=getattr(by, "pk", None), role=SponsorRole.COSIGNER)
        .first()
    )
    require(sponsor is not None, _("Only an invited co-signer answers this invitation."))
    assert sponsor is not None
    if sponsor.confirmed_at or sponsor.declined_at:
        raise DomainError(
            _("You have already confirmed this co-signature.")
            if sponsor.confirmed_at
            else _("You have already declined this co-signature."),
            code="already_answered",
        )
    return sponsor


# Co-signatures are answered before registration: a motion needs them to be submitted, a
# suggestion may gather them until the office takes it.


@transaction.atomic
def confirm_cosign(suggestion: Suggestion, *, by: Any) -> Sponsor:
    """An invited co-signer confirms in their own account; only then do they count
    (MOTION-COSIGN)."""
    suggestion = lock(suggestion)
    sponsor = _pending_invitation(suggestion, by)
    require_state(suggestion, *COSIGN_STATES)
    sponsor.confirmed_at = timezone.now()
    sponsor.save(update_fields=["confirmed_at"])
    record_event(suggestion, "suggestion.cosign_confirmed", by=by, data={"deputy": by.pk})
    notify(
        [suggestion.lead_deputy],
        title=_("%(name)s co-signed: %(title)s")
        % {"name": by.display_name, "title": suggestion.title},
        url=suggestion_url(suggestion),
    )
    return sponsor


@transaction.atomic
def decline_cosign(suggestion: Suggestion, *, by: Any) -> Sponsor:
    """An invited co-signer declines; they never count and no longer see a draft."""
    suggestion = lock(suggestion)
    sponsor = _pending_invitation(suggestion, by)
    require_state(suggestion, *COSIGN_STATES)
    sponsor.declined_at = timezone.now()
    sponsor.save(update_fields=["declined_at"])
    record_event(suggestion, "suggestion.cosign_declined", by=by, data={"deputy": by.pk})
    notify(
        [suggestion.lead_deputy],
        title=_("%(name)s declined to co-sign: %(title)s")
        % {"name": by.display_name, "title": suggestion.title},
        url=suggestion_url(suggestion),
    )
    return sponsor


# --- Leaving before registration: the lead removes a co-signer, a co-signer withdraws ----------
# Decision (MOTION-COSIGN, docs/suggestions.md "Withdrawing a co-signature"): co-signing is
# each deputy's own act, so until the office registers it a co-signer may withdraw and the lead
# may remove one. A submitted motion that so falls below the legal number of co-signers is no
# longer a motion the law lets stand: it goes back to `draft` (out of the office's inbox), keeps
# its number, and the lead deputy may gather co-signers and submit it again.


def _cosigner_row(suggestion: Suggestion, deputy_id: Any) -> Sponsor | None:
    return (
        Sponsor.objects.select_for_update()
        .select_related("deputy")
        .filter(suggestion=suggestion, deputy_id=deputy_id, role=SponsorRole.COSIGNER)
        .first()
    )


def _back_to_draft_if_short(suggestion: Suggestion, *, by: Any) -> bool:
    """MOTION-COSIGN: a submitted motion below the co-signer threshold returns to draft (the
    lead deputy and the office are told). Returns whether it did."""
    if suggestion.kind != Kind.MOTION or suggestion.state != State.SUBMITTED:
        return False
    needed = profile_for(suggestion.congress).cosigners_needed(suggestion.congress.level)
    have = confirmed_cosigners(suggestion)
    if have >= needed:
        return False
    suggestion.state = State.DRAFT
    suggestion.save(update_fields=["state", "updated_at"])
    copy_state(suggestion)
    record_event(
        suggestion,
        "suggestion.back_to_draft",
        by=by,
        data={"number": suggestion.number, "confirmed_cosigners": have, "needed": needed},
    )
    refresh_facts(suggestion.pk)  # the statistics' fact rows, in this transaction
    notify(
        [suggestion.lead_deputy, *office_staff(suggestion.congress_id)],
        title=_("Motion %(number)s is back to draft: %(have)d of %(needed)d co-signers left")
        % {"number": suggestion.number, "have": have, "needed": needed},
        body=_(
            "A motion needs enough confirmed co-signers (MOTION-COSIGN). The lead deputy may "
            "ask more deputies and submit it again; it keeps its number."
        ),
        url=suggestion_url(suggestion),
    )
    return True


@transaction.atomic
def remove_cosigner(suggestion: Suggestion, deputy: Any, *, by: Any) -> Suggestion:
    """The lead deputy withdraws an invitation or removes a co-signer while the suggestion is a
    draft or submitted and not yet registered; a submitted motion left short of co-signers goes
    back to draft (MOTION-COSIGN). The deputy removed is told (unless they had declined)."""
    suggestion = lock(suggestion)
    require(can_edit_draft(by, suggestion), _("Only the lead deputy removes co-signers."))
    require_state(suggestion, *COSIGN_STATES)
    deputy_id = getattr(deputy, "pk", deputy)
    valid = isinstance(deputy_id, int) and 0 < deputy_id < 2**63
    sponsor = _cosigner_row(suggestion, deputy_id) if valid else None
    if sponsor is None:
        raise NotFound(_("This deputy is not a co-signer of this suggestion."))
    was = "confirmed" if sponsor.confirmed_at else "declined" if sponsor.declined_at else "invited"
    removed = sponsor.deputy
    sponsor.delete()
    back = _back_to_draft_if_short(suggestion, by=by)
    record_event(
        suggestion,
        "suggestion.cosigner_removed",
        by=by,
        data={"deputy": removed.pk, "was": was, "back_to_draft": back},
    )
    if was != "declined":
        notify(
            [removed],
            title=(
                _("%(name)s withdrew the invitation to co-sign: %(title)s")
                if was == "invited"
                else _("%(name)s removed you from the co-signers of: %(title)s")
            )
            % {"name": by.display_name, "title": suggestion.title},
        )
    return suggestion


@transaction.atomic
def withdraw_cosign(suggestion: Suggestion, *, by: Any) -> Suggestion:
    """A co-signer withdraws their confirmed signature while the suggestion is a draft or
    submitted and not yet registered; a submitted motion left short of co-signers goes back to
    draft (MOTION-COSIGN). The lead deputy is told."""
    suggestion = lock(suggestion)
    sponsor = _cosigner_row(suggestion, getattr(by, "pk", None))
    require(sponsor is not None, _("Only a co-signer withdraws their own signature."))
    assert sponsor is not None
    if not sponsor.confirmed_at or sponsor.declined_at:
        raise DomainError(
            _("You have not co-signed this; answer the invitation instead."), code="not_cosigned"
        )
    require_state(suggestion, *COSIGN_STATES)
    sponsor.delete()
    back = _back_to_draft_if_short(suggestion, by=by)
    record_event(
        suggestion,
        "suggestion.cosign_withdrawn",
        by=by,
        data={"deputy": by.pk, "back_to_draft": back},
    )
    notify(
        [suggestion.lead_deputy],
        title=_("%(name)s withdrew their co-signature: %(title)s")
        % {"name": by.display_name, "title": suggestion.title},
        url=suggestion_url(suggestion),
    )
    return suggestion


# --- MOTION-COSIGN ------------------------------------------------------------------------------
def confirmed_cosigners(suggestion: Suggestion) -> int:
    return Sponsor.objects.filter(
        suggestion=suggestion,
        role=SponsorRole.COSIGNER,
        confirmed_at__isnull=False,
        declined_at__isnull=True,
    ).count()


def require_motion_cosigners(suggestion: Suggestion) -> None:
    """MOTION-COSIGN: a motion needs at least profile.cosigners_needed(level) CONFIRMED
    co-signers (10 at county level and above, 5 at township level); the refusal says how many
    more are needed."""
    needed = profile_for(suggestion.congress).cosigners_needed(suggestion.congress.level)
    have = confirmed_cosigners(suggestion)
    if have < needed:
        more = needed - have
        raise InvalidInput(
            "cosigners: "
            + ngettext(
                "A motion needs at least %(needed)d confirmed co-signers; it has %(have)d: "
                "%(more)d more is needed.",
                "A motion needs at least %(needed)d confirmed co-signers; it has %(have)d: "
                "%(more)d more are needed.",
                more,
            )
            % {"needed": needed, "have": have, "more": more},
            code="cosigners_needed",
        )


# --- Numbering ----------------------------------------------------------------------------------
def session_on(congress: Congress, day: date) -> Session | None:
    """The session of this congress's current term held on `day`, if any."""
    return (
        Session.objects.filter(
            term__congress=congress,
            term__start_date__lte=day,
            start_date__lte=day,
            end_date__gte=day,
        )
        .exclude(term__end_date__lt=day)
        .select_related("term")
        .order_by("-start_date", "-pk")
        .first()
    )


def number_format(kind: str, scope: str) -> str:
    """The pattern for one kind and scope: RENDA_SUGGESTION_NUMBER_FORMAT overrides defaults."""
    configured = getattr(settings, "RENDA_SUGGESTION_NUMBER_FORMAT", None) or {}
    if not isinstance(configured, dict):
        raise ImproperlyConfigured(
            "RENDA_SUGGESTION_NUMBER_FORMAT is a dict like {'suggestion.year': '{year}-{seq:04d}'}"
        )
    key = f"{kind}.{scope}"
    return str(configured.get(key) or DEFAULT_NUMBER_FORMATS[key])


def _locked_counter(congress: Congress, scope: str) -> NumberCounter:
    """The scope's counter under a row lock, created on first use. Two first submissions at once
    both try to create it: the loser's insert fails on the unique constraint (after the winner
    commits), its savepoint rolls back, and it then locks the winner's row."""
    for _attempt in range(5):
        counter = (
            NumberCounter.objects.select_for_update().filter(congress=congress, scope=scope).first()
        )
        if counter is not None:
            return counter
        try:
            with transaction.atomic():
                return NumberCounter.objects.create(congress=congress, scope=scope, last=0)
        except IntegrityError:
            continue
    raise DomainError(_("Numbering is busy; try again."), code="busy")  # pragma: no cover


def assign_number(suggestion: Suggestion, day: date | None = None) -> None:
    """Give the (locked) suggestion the next number of its kind in today's scope: the session
    held today, otherwise the year. Never repeats: the counter row is locked until commit."""
    day = day or timezone.localdate()
    congress = suggestion.congress
    session = session_on(congress, day)
    if session is not None:
        scope, key = f"session:{session.pk}:{suggestion.kind}", "session"
    else:
        scope, key = f"year:{day.year}:{suggestion.kind}", "year"
    counter = _locked_counter(congress, scope)
    counter.last += 1
    counter.save(update_fields=["last"])
    fields = {
        "year": day.year,
        "term": session.term.number if session else "",
        "session": session.number if session else "",
        "seq": counter.last,
        "congress": congress.division_code,
    }
    pattern = number_format(suggestion.kind, key)
    try:
        number = pattern.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"RENDA_SUGGESTION_NUMBER_FORMAT[{suggestion.kind}.{key}] = {pattern!r}: {exc}"
        ) from exc
    if not number or len(number) > NUMBER_MAX:
        raise ImproperlyConfigured(
            f"RENDA_SUGGESTION_NUMBER_FORMAT gives {number!r}: 1 to {NUMBER_MAX} characters"
        )
    if (
        Suggestion.objects.filter(congress=congress, kind=suggestion.kind, number=number)
        .exclude(pk=suggestion.pk)
        .exists()
    ):
        # Only a format that drops the scope (e.g. no {session}) can get here.
        raise ImproperlyConfigured(
            f"RENDA_SUGGESTION_NUMBER_FORMAT repeats the number {number!r}: include the scope"
        )
    suggestion.year = day.year
    suggestion.session = session
    suggestion.sequence = counter.last
    suggestion.number = number


@transaction.atomic
def submit(suggestion: Suggestion, *, by: Any) -> Suggestion:
    """The lead deputy submits a draft: title and text required; a motion needs its confirmed
    co-signers (MOTION-COSIGN); it gets its number and the office is told."""
    suggestion = lock(suggestion)
    require(can_edit_draft(by, suggestion), _("Only the lead deputy submits this draft."))
    require_state(suggestion, State.DRAFT)
    require(
        is_deputy_of(by, suggestion.congress_id),
        _("Only deputies of this congress may submit here."),
    )
    clean_title(suggestion.title)
    clean_body(suggestion.body, required=True)
    if suggestion.kind == Kind.MOTION:
        require_motion_cosigners(suggestion)
    if not suggestion.number:
        # A motion sent back to draft (MOTION-COSIGN) keeps its number when submitted again.
        assign_number(suggestion)
    suggestion.state = State.SUBMITTED
    suggestion.submitted_at = timezone.now()
    suggestion.save(
        update_fields=[
            "state",
            "submitted_at",
            "year",
            "session",
            "sequence",
            "number",
            "updated_at",
        ]
    )
    copy_state(suggestion)
    record_event(
        suggestion,
        "suggestion.submitted",
        by=by,
        data={
            "number": suggestion.number,
            "kind": suggestion.kind,
            "session": suggestion.session_id,
            "year": suggestion.year,
            "confirmed_cosigners": confirmed_cosigners(suggestion),
        },
    )
    refresh_facts(suggestion.pk)  # the statistics' fact rows, in this transaction
    # The lead deputy's duty record (履职登记, issue 4): one per suggestion, however often a
    # motion sent back to draft is submitted again.
    record_platform_duty(
        user_id=suggestion.lead_deputy_id,
        congress_id=suggestion.congress_id,
        kind=suggestion.kind,  # "suggestion" | "motion": duty kinds of the same names
        occurred_on=timezone.localdate(suggestion.submitted_at),
        title=f"{suggestion.number} {suggestion.title}",
        ref=f"suggestion:{suggestion.pk}",
    )
    notify(
        office_staff(suggestion.congress_id),
        title=_("Submitted for registration: %(number)s %(title)s")
        % {"number": suggestion.number, "title": suggestion.title},
        url=suggestion_url(suggestion),
    )
    return suggestion
