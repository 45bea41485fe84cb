"""The registry: registering deputies, changing their records, suspending and ending deputyships
(DEP-SUSPEND, DEP-TERMINATE). The deputy role (RoleAssignment) follows the deputyships: a person
holds it in a congress exactly while they have an active deputyship there."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.choices import Role
from renda.accounts.models import RoleAssignment, User
from renda.audit.actions import record_event
from renda.errors import DomainError, InvalidInput, require
from renda.orgs.models import Congress, Term

from ..choices import DeputyshipStatus, EndGround, Gender, Party, Sector, SuspendGround
from ..idcards import IdCardError, parse_id_number
from ..models import (
    NAME_MAX,
    PUBLISHABLE_FIELDS,
    Delegation,
    Deputyship,
    ExpertiseTag,
    Person,
)
from ..permissions import can_manage_deputies, is_own

PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_month",
    "id_number",
    "party",
    "workplace",
    "sector",
    "address",
)


@dataclass
class PersonIn:
    """A person's details as a form, the API or a roster row gives them (not yet checked)."""

    name: str
    id_number: str
    gender: str = ""
    ethnicity: str = ""
    birth_month: date | None = None
    party: str = ""
    workplace: str = ""
    sector: str = ""
    address: str = ""
    phone: str = ""
    expertise: list[str] = field(default_factory=list)


def _text(value: Any, limit: int, label: str, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if "\x00" in text:
        raise InvalidInput(_("%(field)s: must not contain NUL characters.") % {"field": label})
    if required and not text:
        raise InvalidInput(_("%(field)s is required.") % {"field": label})
    if len(text) > limit:
        raise InvalidInput(_("%(field)s: at most %(n)d characters.") % {"field": label, "n": limit})
    return text


def clean_person(data: PersonIn, *, today: date | None = None) -> dict[str, Any]:
    """The person's fields, checked: the ID-card number by GB 11643, and the birth month and
    gender consistent with it. Raises InvalidInput naming the first problem."""
    name = _text(data.name, NAME_MAX, _("Name"), required=True)
    try:
        card = parse_id_number(data.id_number, today=today)
    except IdCardError as exc:
        raise InvalidInput(str(exc), code="id_number") from None
    born = card.birth_date.replace(day=1)
    if data.birth_month and (data.birth_month.year, data.birth_month.month) != (
        born.year,
        born.month,
    ):
        raise InvalidInput(
            _("The birth month %(given)s does not match the ID-card number (%(card)s).")
            % {"given": data.birth_month.strftime("%Y-%m"), "card": born.strftime("%Y-%m")},
            code="birth_month",
        )
    gender = data.gender or card.gender
    if gender not in Gender.values:
        raise InvalidInput(_("Unknown gender: %(value)s") % {"value": gender})
    if gender != card.gender:
        raise InvalidInput(_("The gender does not match the ID-card number."), code="gender")
    party = data.party or ""
    if party and party not in Party.values:
        raise InvalidInput(_("Unknown political affiliation: %(value)s") % {"value": party})
    sector = data.sector or ""
    if sector and sector not in Sector.values:
        raise InvalidInput(_("Unknown sector: %(value)s") % {"value": sector})
    phone = _text(data.phone, 20, _("Mobile phone"))
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise InvalidInput(
            _("A mobile phone number has 11 digits and starts with 1: %(value)s")
            % {"value": phone},
            code="phone",
        )
    tags = []
    for tag in data.expertise or []:
        tag = _text(tag, 30, _("Expertise"))
        if tag and tag not in tags:
            tags.append(tag)
    return {
        "name": name,
        "id_number": card.number,
        "gender": gender,
        "ethnicity": _text(data.ethnicity, 20, _("Ethnicity")),
        "birth_month": born,
        "party": party,
        "workplace": _text(data.workplace, 200, _("Workplace and post")),
        "sector": sector,
        "address": _text(data.address, 200, _("Address")),
        "phone": phone,
        "expertise": tags,
    }


def _new_username(phone: str) -> str:
    """The mobile number when it is free (people remember it), otherwise a random name."""
    if phone and not User.objects.filter(username__iexact=phone).exists():
        return phone
    while True:
        name = f"deputy-{secrets.token_hex(4)}"
        if not User.objects.filter(username=name).exists():
            return name


def _set_expertise(person: Person, tags: list[str]) -> None:
    objs = [ExpertiseTag.objects.get_or_create(name=t)[0] for t in tags]
    person.expertise.set(objs)


def upsert_person(clean: dict[str, Any], *, by: Any) -> tuple[Person, bool, dict[str, Any]]:
    """The person with this ID-card number, created (with an account the office activates by
    setting a first password) or updated. Returns (person, created, changed fields). Must run
    inside the caller's transaction; the caller has checked permission."""
    person = (
        Person.objects.select_for_update()
        .select_related("user")
        .filter(id_number=clean["id_number"])
        .first()
    )
    tags = clean["expertise"]
    if person is None:
        user = User(
            username=_new_username(clean["phone"]),
            full_name=clean["name"],
            phone=clean["phone"],
            must_change_password=True,
        )
        user.set_unusable_password()
        user.save()
        record_event(user, "account.created", by=by, data={"username": user.username})
        person = Person.objects.create(user=user, **{k: clean[k] for k in PERSON_FIELDS})
        if tags:
            _set_expertise(person, tags)
        return person, True, {}
    changed: dict[str, Any] = {}
    for name in PERSON_FIELDS:
        new = clean[name]
        old = getattr(person, name)
        if new in ("", None) or old == new:
            continue  # a blank cell never wipes what the registry knows
        changed[name] = [str(old), str(new)]
        setattr(person, name, new)
    if changed:
        person.save()
    user = person.user
    user_fields = []
    if clean["phone"] and user.phone != clean["phone"]:
        changed["phone"] = ["", ""]  # personal data: the audit says it changed, not to what
        user.phone = clean["phone"]
        user_fields.append("phone")
    if user.full_name != person.name:
        user.full_name = person.name
        user_fields.append("full_name")
    if user_fields:
        user.save(update_fields=user_fields)
    if tags and set(tags) != set(person.expertise.values_list("name", flat=True)):
        _set_expertise(person, tags)
        changed["expertise"] = tags
    return person, False, changed


def sync_deputy_role(person: Person, congress_id: int, *, by: Any) -> None:
    """The deputy role in a congress exactly while the person has an active deputyship there."""
    active = Deputyship.objects.filter(
        person=person, congress_id=congress_id, status=DeputyshipStatus.ACTIVE
    ).exists()
    roles = RoleAssignment.objects.filter(
        user_id=person.user_id, role=Role.DEPUTY, congress_id=congress_id, unit=None
    )
    data = {"role": Role.DEPUTY, "congress": congress_id, "unit": None, "by": "deputyship"}
    if active and not roles.exists():
        RoleAssignment.objects.create(
            user_id=person.user_id, role=Role.DEPUTY, congress_id=congress_id
        )
        record_event(person.user, "account.role_assigned", by=by, data=data)
    elif not active and roles.exists():
        roles.delete()
        record_event(person.user, "account.role_removed", by=by, data=data)


def _check_term(congress: Congress, term: Term) -> None:
    if term.congress_id != congress.pk:
        raise InvalidInput(_("That term belongs to another congress."), code="term")


def _check_delegation(term: Term, delegation: Delegation | None) -> None:
    if delegation is not None and delegation.term_id != term.pk:
        raise InvalidInput(_("That delegation belongs to another term."), code="delegation")


def clean_public_fields(fields: Any) -> list[str]:
    """DEP-PUBLIC: only publishable fields; never personal data."""
    if not isinstance(fields, list | tuple) or not all(isinstance(f, str) for f in fields):
        raise InvalidInput(_("Published fields: a list of field names."))
    unknown = sorted(set(fields) - set(PUBLISHABLE_FIELDS))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be published: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    return [f for f in PUBLISHABLE_FIELDS if f in fields]


def upsert_deputyship(
    person: Person,
    *,
    congress: Congress,
    term: Term,
    electoral_unit: str,
    delegation: Delegation | None,
    by: Any,
) -> tuple[Deputyship, bool, dict[str, Any]]:
    """The person's deputyship in this term, created or updated (inside the caller's
    transaction; the caller has checked permission)."""
    _check_term(congress, term)
    _check_delegation(term, delegation)
    electoral_unit = _text(electoral_unit, 100, _("Electoral unit"), required=True)
    deputyship = Deputyship.objects.select_for_update().filter(person=person, term=term).first()
    if deputyship is None:
        from ..models import DEFAULT_PUBLIC_FIELDS

        deputyship = Deputyship.objects.create(
            person=person,
            congress=congress,
            term=term,
            electoral_unit=electoral_unit,
            delegation=delegation,
            status_since=timezone.localdate(),
            public_fields=list(DEFAULT_PUBLIC_FIELDS),
        )
        record_event(
            deputyship,
            "deputyship.created",
            by=by,
            data={"congress": congress.pk, "term": term.pk, "person": person.pk},
        )
        sync_deputy_role(person, congress.pk, by=by)
        return deputyship, True, {}
    changed: dict[str, Any] = {}
    if deputyship.electoral_unit != electoral_unit:
        changed["electoral_unit"] = [deputyship.electoral_unit, electoral_unit]
        deputyship.electoral_unit = electoral_unit
    if delegation is not None and deputyship.delegation_id != delegation.pk:
        changed["delegation"] = [deputyship.delegation_id, delegation.pk]
        deputyship.delegation = delegation
    if changed:
        deputyship.save(update_fields=["electoral_unit", "delegation", "updated_at"])
        record_event(deputyship, "deputyship.updated", by=by, data=changed)
    return deputyship, False, changed


@transaction.atomic
def register_deputy(
    *,
    congress: Congress,
    term: Term,
    person: PersonIn,
    electoral_unit: str,
    delegation: Delegation | None = None,
    by: Any,
) -> Deputyship:
    """The office registers a deputy of its congress for a term (the person is matched by the
    ID-card number, so a city deputy who is also a county deputy stays one person)."""
    require(
        can_manage_deputies(by, congress),
        _("Only the congress's deputy-affairs office registers its deputies."),
    )
    clean = clean_person(person)
    person_row, _created, changed = upsert_person(clean, by=by)
    if changed:
        record_event(person_row, "person.updated", by=by, data={"fields": sorted(changed)})
    deputyship, created, _changes = upsert_deputyship(
        person_row,
        congress=congress,
        term=term,
        electoral_unit=electoral_unit,
        delegation=delegation,
        by=by,
    )
    if not created and deputyship.status == DeputyshipStatus.ENDED:
        raise DomainError(
            _("This person's deputyship in that term has ended; it cannot be registered again."),
            code="ended",
        )
    return deputyship


def _lock(deputyship: Deputyship) -> Deputyship:
    return (
        Deputyship.objects.select_for_update()
        .select_related("person", "person__user", "congress")
        .get(pk=deputyship.pk)
    )


def _clean_date(value: Any, label: str) -> date:
    if not isinstance(value, date):
        raise InvalidInput(_("%(field)s: a date (YYYY-MM-DD) is needed.") % {"field": label})
    if value > timezone.localdate():
        raise InvalidInput(_("%(field)s: cannot be in the future.") % {"field": label})
    return value


def _wrong_status(deputyship: Deputyship) -> DomainError:
    return DomainError(
        _("This cannot be done while the deputyship is %(status)s.")
        % {"status": deputyship.get_status_display()}
        + f" (status: {deputyship.status})",
        code="wrong_state",
    )


@transaction.atomic
def suspend_deputyship(
    deputyship: Deputyship, *, ground: str, on: date, by: Any, note: str = ""
) -> Deputyship:
    """DEP-SUSPEND: the office records that a deputy's duties are suspended (代表法 第61条);
    the deputy role is withdrawn until they resume."""
    deputyship = _lock(deputyship)
    require(can_manage_deputies(by, deputyship.congress_id))
    if ground not in SuspendGround.values:
        raise InvalidInput(_("Unknown ground for suspension: %(g)s") % {"g": ground})
    on = _clean_date(on, _("Date"))
    if deputyship.status != DeputyshipStatus.ACTIVE:
        raise _wrong_status(deputyship)
    deputyship.status = DeputyshipStatus.SUSPENDED
    deputyship.suspend_ground = ground
    deputyship.status_since = on
    deputyship.save(update_fields=["status", "suspend_ground", "status_since", "updated_at"])
    record_event(
        deputyship,
        "deputyship.suspended",
        by=by,
        data={"ground": ground, "on": on, "note": _text(note, 500, _("Note"))},
    )
    sync_deputy_role(deputyship.person, deputyship.congress_id, by=by)
    return deputyship


@transaction.atomic
def resume_deputyship(deputyship: Deputyship, *, on: date, by: Any) -> Deputyship:
    """DEP-SUSPEND ends: the deputy's duties resume."""
    deputyship = _lock(deputyship)
    require(can_manage_deputies(by, deputyship.congress_id))
    on = _clean_date(on, _("Date"))
    if deputyship.status != DeputyshipStatus.SUSPENDED:
        raise _wrong_status(deputyship)
    deputyship.status = DeputyshipStatus.ACTIVE
    deputyship.suspend_ground = ""
    deputyship.status_since = on
    deputyship.save(update_fields=["status", "suspend_ground", "status_since", "updated_at"])
    record_event(deputyship, "deputyship.resumed", by=by, data={"on": on})
    sync_deputy_role(deputyship.person, deputyship.congress_id, by=by)
    return deputyship


@transaction.atomic
def end_deputyship(
    deputyship: Deputyship, *, ground: str, on: date, by: Any, note: str = ""
) -> Deputyship:
    """DEP-TERMINATE: the office records that a deputyship ended, with the legal ground and the
    date (代表法 第62、63条). Only ever a person's decision: the platform flags, never ends."""
    deputyship = _lock(deputyship)
    require(can_manage_deputies(by, deputyship.congress_id))
    if ground not in EndGround.values:
        raise InvalidInput(_("Unknown ground: %(g)s") % {"g": ground})
    on = _clean_date(on, _("Date"))
    if deputyship.status == DeputyshipStatus.ENDED:
        raise _wrong_status(deputyship)
    deputyship.status = DeputyshipStatus.ENDED
    deputyship.end_ground = ground
    deputyship.status_since = on
    deputyship.save(update_fields=["status", "end_ground", "status_since", "updated_at"])
    record_event(
        deputyship,
        "deputyship.ended",
        by=by,
        data={"ground": ground, "on": on, "note": _text(note, 500, _("Note"))},
    )
    sync_deputy_role(deputyship.person, deputyship.congress_id, by=by)
    return deputyship


@transaction.atomic
def set_public_fields(deputyship: Deputyship, *, fields: list[str], by: Any) -> Deputyship:
    """DEP-PUBLIC: what the profile publishes. The office and the deputy both may change it (the
    deputy, e.g., to withdraw a photo); every change is in the history with who made it."""
    deputyship = _lock(deputyship)
    require(is_own(by, deputyship) or can_manage_deputies(by, deputyship.congress_id))
    fields = clean_public_fields(fields)
    if fields != deputyship.public_fields:
        old = deputyship.public_fields
        deputyship.public_fields = fields
        deputyship.save(update_fields=["public_fields", "updated_at"])
        record_event(
            deputyship, "deputyship.publication_changed", by=by, data={"from": old, "to": fields}
        )
    return deputyship
