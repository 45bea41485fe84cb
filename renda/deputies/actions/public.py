"""Actions of the public part: citizens' messages left on a deputy's profile, standing-committee
members' fixed contacts, and the annual deputy-work plan (DEP-PLAN). Each is one transaction
with its audit event and notifications."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.models import User
from renda.audit.actions import record_event
from renda.errors import DomainError, InvalidInput, require
from renda.notifications.actions import notify
from renda.orgs.models import Congress, StandingCommitteeMembership

from ..choices import DeputyshipStatus
from ..models import NAME_MAX, CitizenMessage, ContactLink, Deputyship, WorkPlan
from ..permissions import is_office_of
from ..permissions_public import can_manage_plans, can_mark_read

MESSAGE_MAX = 2000
PHONE_MAX = 20
PLAN_TITLE_MAX = 200
PLAN_BODY_MAX = 50000
NOTE_MAX = 500


def _clean_text(
    value: Any, limit: int, label: str, *, required: bool = False, lines: bool = False
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("%(field)s: text is needed.") % {"field": label})
    if "\x00" in value:
        raise InvalidInput(_("%(field)s: must not contain NUL characters.") % {"field": label})
    text = value.strip() if lines else " ".join(value.split())
    if required and not text:
        raise InvalidInput(_("%(field)s is required.") % {"field": label})
    if len(text) > limit:
        raise InvalidInput(_("%(field)s: at most %(n)d characters.") % {"field": label, "n": limit})
    return text


def clean_contact_phone(value: Any) -> str:
    """A phone a citizen leaves: digits, with spaces, dashes or a leading + (not checked for
    being a mobile number: a landline is fine)."""
    phone = _clean_text(value, PHONE_MAX, _("Phone"))
    digits = phone.replace(" ", "").replace("-", "").removeprefix("+")
    if phone and not (digits.isdigit() and 5 <= len(digits) <= PHONE_MAX):
        raise InvalidInput(_("A phone number has only digits (5 to 20)."), code="phone")
    return phone


# --- citizens' messages -----------------------------------------------------------------------
@transaction.atomic
def leave_message(
    deputyship: Deputyship, *, text: Any, name: Any = "", phone: Any = ""
) -> CitizenMessage:
    """A citizen leaves a message for a deputy on the deputy's public profile (no account). Kept
    in the deputy's inbox (and the office's, for follow-up); the deputy is told. Only an active
    deputy takes messages (DEP-SUSPEND, DEP-TERMINATE: not one whose duties are suspended or
    whose deputyship ended)."""
    deputyship = (
        Deputyship.objects.select_for_update()
        .select_related("person", "person__user")
        .get(pk=deputyship.pk)
    )
    if deputyship.status != DeputyshipStatus.ACTIVE:
        raise DomainError(
            _("This deputy does not take messages now (%(status)s).")
            % {"status": deputyship.get_status_display()},
            code="not_active",
        )
    message = CitizenMessage.objects.create(
        deputyship=deputyship,
        text=_clean_text(text, MESSAGE_MAX, _("Message"), required=True, lines=True),
        name=_clean_text(name, NAME_MAX, _("Your name")),
        phone=clean_contact_phone(phone),
    )
    # No personal data in the audit trail: who wrote is not known, what they left is the row.
    record_event(
        message,
        "citizen_message.received",
        by=None,
        data={"deputyship": deputyship.pk, "chars": len(message.text)},
    )
    notify(
        [deputyship.person.user],
        title=_("A citizen left you a message"),
        body=_("Read it in your citizens' messages."),
        url=reverse("deputies:messages"),
    )
    return message


@transaction.atomic
def mark_message_read(message: CitizenMessage, *, by: Any) -> CitizenMessage:
    """The deputy marks a citizen's message read (the office reading it does not)."""
    message = (
        CitizenMessage.objects.select_for_update()
        .select_related("deputyship", "deputyship__person")
        .get(pk=message.pk)
    )
    require(can_mark_read(by, message), _("Only the deputy marks their messages read."))
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
        record_event(message, "citizen_message.read", by=by)
    return message


# --- standing-committee members' fixed contacts -----------------------------------------------
@transaction.atomic
def add_contact_link(
    member: StandingCommitteeMembership, deputyship: Deputyship, *, by: Any
) -> ContactLink:
    """The office records that a standing-committee member keeps fixed contact with a deputy of
    the same congress and term (常委会组成人员联系基层代表)."""
    member = StandingCommitteeMembership.objects.select_for_update().get(pk=member.pk)
    require(is_office_of(by, member.congress_id), _("Only the congress's office records contacts."))
    deputyship = Deputyship.objects.select_related("person").get(pk=deputyship.pk)
    if deputyship.congress_id != member.congress_id or deputyship.term_id != member.term_id:
        raise InvalidInput(
            _("The deputy must be of the same congress and term as the member."), code="deputy"
        )
    if deputyship.status != DeputyshipStatus.ACTIVE:
        raise InvalidInput(_("The deputy's deputyship is not active."), code="deputy")
    if deputyship.person.user_id == member.user_id:
        raise InvalidInput(_("A member cannot be their own contact."), code="deputy")
    if ContactLink.objects.filter(member=member, deputyship=deputyship).exists():
        raise DomainError(_("This contact is already recorded."), code="exists")
    try:
        with transaction.atomic():
            link = ContactLink.objects.create(member=member, deputyship=deputyship)
    except IntegrityError:
        raise DomainError(_("This contact is already recorded."), code="exists") from None
    record_event(member, "contact_link.added", by=by, data={"deputyship": deputyship.pk})
    return link


@transaction.atomic
def remove_contact_link(link: ContactLink, *, by: Any) -> None:
    link = ContactLink.objects.select_for_update().select_related("member").get(pk=link.pk)
    require(
        is_office_of(by, link.member.congress_id), _("Only the congress's office records contacts.")
    )
    member, deputyship_id = link.member, link.deputyship_id
    link.delete()
    record_event(member, "contact_link.removed", by=by, data={"deputyship": deputyship_id})


# --- the annual deputy-work plan (DEP-PLAN) ----------------------------------------------------
def _clean_plan(*, year: Any, title: Any, body: Any, adopted_on: Any) -> dict[str, Any]:
    today = timezone.localdate()
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= today.year + 1:
        raise InvalidInput(
            _("Year: between 2000 and %(max)d.") % {"max": today.year + 1}, code="year"
        )
    if not isinstance(adopted_on, date):
        raise InvalidInput(_("Adopted on: a date (YYYY-MM-DD) is needed."), code="adopted_on")
    if adopted_on > today:
        raise InvalidInput(_("Adopted on: cannot be in the future."), code="adopted_on")
    if adopted_on.year not in (year, year - 1):
        raise InvalidInput(
            _("Adopted on: in the plan's year or the year before."), code="adopted_on"
        )
    return {
        "year": year,
        "title": _clean_text(title, PLAN_TITLE_MAX, _("Title"), required=True),
        "body": _clean_text(body, PLAN_BODY_MAX, _("Text"), required=True, lines=True),
        "adopted_on": adopted_on,
    }


@transaction.atomic
def create_plan(
    congress: Congress, *, year: Any, title: Any, body: Any, adopted_on: Any, by: Any
) -> WorkPlan:
    """DEP-PLAN: the office writes the year's deputy-work plan as adopted by the director's
    council (a draft until published). One plan a year; a published one is corrected by a new
    version (correct_plan)."""
    require(can_manage_plans(by, congress), _("Only the congress's office writes its plans."))
    data = _clean_plan(year=year, title=title, body=body, adopted_on=adopted_on)
    Congress.objects.select_for_update().get(pk=congress.pk)  # one creator a congress at a time
    if WorkPlan.objects.filter(congress=congress, year=data["year"]).exists():
        raise DomainError(
            _(
                "There is already a plan for %(year)d: edit its draft, or correct it with a "
                "new version."
            )
            % {"year": data["year"]},
            code="exists",
        )
    plan = WorkPlan.objects.create(congress=congress, version=1, **data)
    record_event(plan, "work_plan.created", by=by, data={"year": plan.year, "version": 1})
    return plan


def _lock_plan(plan: WorkPlan) -> WorkPlan:
    return WorkPlan.objects.select_for_update().select_related("congress").get(pk=plan.pk)


def _refuse_published(plan: WorkPlan) -> None:
    if plan.published_at is not None:
        raise DomainError(
            _("A published plan is not changed: publish a correction as a new version."),
            code="published",
        )


@transaction.atomic
def update_plan(
    plan: WorkPlan, *, title: Any, body: Any, adopted_on: Any, correction_note: Any = None, by: Any
) -> WorkPlan:
    """The office edits a draft plan; a published one is refused (409)."""
    plan = _lock_plan(plan)
    require(
        can_manage_plans(by, plan.congress_id), _("Only the congress's office writes its plans.")
    )
    _refuse_published(plan)
    data = _clean_plan(year=plan.year, title=title, body=body, adopted_on=adopted_on)
    fields = ["title", "body", "adopted_on"]
    for name in fields:
        setattr(plan, name, data[name])
    if correction_note is not None and plan.version > 1:
        plan.correction_note = _clean_text(
            correction_note, NOTE_MAX, _("What this version corrects"), required=True
        )
        fields.append("correction_note")
    plan.save(update_fields=fields)
    record_event(
        plan, "work_plan.updated", by=by, data={"year": plan.year, "version": plan.version}
    )
    return plan


@transaction.atomic
def correct_plan(
    plan: WorkPlan, *, title: Any, body: Any, adopted_on: Any, correction_note: Any, by: Any
) -> WorkPlan:
    """DEP-PLAN: a published plan is corrected by a new version of the same year (a draft until
    published), saying what it corrects; the published one stays, marked superseded."""
    plan = _lock_plan(plan)
    require(
        can_manage_plans(by, plan.congress_id), _("Only the congress's office writes its plans.")
    )
    if plan.published_at is None:
        raise DomainError(_("This plan is not published yet: edit it instead."), code="draft")
    if WorkPlan.objects.filter(
        congress_id=plan.congress_id, year=plan.year, version__gt=plan.version
    ).exists():
        raise DomainError(
            _("A later version of this plan exists: correct that one."), code="superseded"
        )
    data = _clean_plan(year=plan.year, title=title, body=body, adopted_on=adopted_on)
    note = _clean_text(correction_note, NOTE_MAX, _("What this version corrects"), required=True)
    new = WorkPlan.objects.create(
        congress_id=plan.congress_id, version=plan.version + 1, correction_note=note, **data
    )
    record_event(
        new,
        "work_plan.created",
        by=by,
        data={"year": new.year, "version": new.version, "corrects": plan.pk},
    )
    return new


def _active_deputy_users(congress_id: int) -> Any:
    return User.objects.filter(
        person__deputyships__congress_id=congress_id,
        person__deputyships__status=DeputyshipStatus.ACTIVE,
        is_active=True,
    ).distinct()


@transaction.atomic
def publish_plan(plan: WorkPlan, *, by: Any) -> WorkPlan:
    """DEP-PLAN: the plan adopted by the director's council is published and every active
    deputy of the congress is told (inbox rows in bulk, in this transaction)."""
    plan = _lock_plan(plan)
    require(
        can_manage_plans(by, plan.congress_id), _("Only the congress's office publishes its plans.")
    )
    if plan.published_at is not None:
        raise DomainError(_("This plan is already published."), code="published")
    if plan.adopted_on > timezone.localdate():
        raise InvalidInput(_("Adopted on: cannot be in the future."), code="adopted_on")
    if plan.version > 1 and not plan.correction_note:
        raise InvalidInput(
            _("Say what this version corrects before publishing it."), code="correction_note"
        )
    plan.published_at = timezone.now()
    plan.published_by = by
    plan.save(update_fields=["published_at", "published_by"])
    if plan.version > 1:
        title = _("The deputy-work plan for %(year)d was corrected (version %(version)d)") % {
            "year": plan.year,
            "version": plan.version,
        }
    else:
        title = _("The deputy-work plan for %(year)d is published") % {"year": plan.year}
    told = notify(
        _active_deputy_users(plan.congress_id),
        title=title,
        body=plan.title,
        url=reverse("deputies:plan", args=[plan.pk]),
    )
    record_event(
        plan,
        "work_plan.published",
        by=by,
        data={"year": plan.year, "version": plan.version, "deputies_told": len(told)},
    )
    return plan
