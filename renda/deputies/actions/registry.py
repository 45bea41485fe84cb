"""The registry: registering deputies, changing their records, suspending and ending deputyships
(DEP-SUSPEND, DEP-TERMINATE). The deputy role (RoleAssignment) follows the deputyships: a person
holds it in a congress exactly while they have an active deputyship there."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.choices import Role
from renda.accounts.models import RoleAssignment, User
from renda.audit.actions import record_event, record_events
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
from ..permissions import can_manage_deputies, can_see_private, is_own

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


def check_person(
    data: PersonIn, *, today: date | None = None
) -> tuple[dict[str, Any] | None, list[InvalidInput]]:
    """The person's fields, checked: the ID-card number by GB 11643, and the birth month and
    gender consistent with it. Returns (clean fields, []) or (None, every problem found), so a
    roster row's report names all its problems at once."""
    errors: list[InvalidInput] = []

    def field(check: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        except InvalidInput as exc:
            errors.append(exc)
            return None

    name = field(_text, data.name, NAME_MAX, _("Name"), required=True)
    card = None
    try:
        card = parse_id_number(data.id_number, today=today)
    except IdCardError as exc:
        errors.append(InvalidInput(str(exc), code="id_number"))
    born = card.birth_date.replace(day=1) if card else None
    if (
        born
        and data.birth_month
        and (data.birth_month.year, data.birth_month.month)
        != (
            born.year,
            born.month,
        )
    ):
        errors.append(
            InvalidInput(
                _("The birth month %(given)s does not match the ID-card number (%(card)s).")
                % {"given": data.birth_month.strftime("%Y-%m"), "card": born.strftime("%Y-%m")},
                code="birth_month",
            )
        )
    gender = data.gender or (card.gender if card else "")
    if gender and gender not in Gender.values:
        errors.append(InvalidInput(_("Unknown gender: %(value)s") % {"value": gender}))
    elif card and gender != card.gender:
        errors.append(
            InvalidInput(_("The gender does not match the ID-card number."), code="gender")
        )
    party = data.party or ""
    if party and party not in Party.values:
        errors.append(
            InvalidInput(_("Unknown political affiliation: %(value)s") % {"value": party})
        )
    sector = data.sector or ""
    if sector and sector not in Sector.values:
        errors.append(InvalidInput(_("Unknown sector: %(value)s") % {"value": sector}))
    phone = field(_text, data.phone, 20, _("Mobile phone")) or ""
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        errors.append(
            InvalidInput(
                _("A mobile phone number has 11 digits and starts with 1: %(value)s")
                % {"value": phone},
                code="phone",
            )
        )
    tags: list[str] = []
    for tag in data.expertise or []:
        tag = field(_text, tag, 30, _("Expertise"))
        if tag and tag not in tags:
            tags.append(tag)
    clean = {
        "name": name,
        "id_number": card.number if card else "",
        "gender": gender,
        "ethnicity": field(_text, data.ethnicity, 20, _("Ethnicity")),
        "birth_month": born,
        "party": party,
        "workplace": field(_text, data.workplace, 200, _("Workplace and post")),
        "sector": sector,
        "address": field(_text, data.address, 200, _("Address")),
        "phone": phone,
        "expertise": tags,
    }
    return (None, errors) if errors else (clean, [])


def clean_person(data: PersonIn, *, today: date | None = None) -> dict[str, Any]:
    """check_person for one record: raises InvalidInput naming the first problem."""
    clean, errors = check_person(data, today=today)
    if errors:
        raise errors[0]
    assert clean is not None
    return clean


CHUNK = 500  # ids per IN (...) query: far below SQLite's and PostgreSQL's parameter limits


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _new_usernames(phones: list[str]) -> list[str]:
    """For each new person: the mobile number when it is free (people remember it), otherwise
    a random name. Two queries per 500 people, whatever their number."""
    wanted = [p for p in phones if p]
    taken = {
        name.lower()
        for chunk in _chunks(sorted(set(wanted)))
        for name in User.objects.filter(username__in=chunk).values_list("username", flat=True)
    }
    names: list[str] = []
    for phone in phones:
        if phone and phone.lower() not in taken:
            taken.add(phone.lower())
            names.append(phone)
            continue
        while True:
            name = f"deputy-{secrets.token_hex(4)}"
            if name not in taken and not User.objects.filter(username=name).exists():
                taken.add(name)
                names.append(name)
                break
    return names


def _tags(names: set[str]) -> dict[str, ExpertiseTag]:
    """The expertise tags by name, the missing ones created."""
    have = {t.name: t for t in ExpertiseTag.objects.filter(name__in=names)}
    missing = [ExpertiseTag(name=n) for n in sorted(names - set(have))]
    if missing:
        ExpertiseTag.objects.bulk_create(missing, ignore_conflicts=True)
        have = {t.name: t for t in ExpertiseTag.objects.filter(name__in=names)}
    return have


def _set_expertise(wanted: dict[Person, list[str]]) -> None:
    """Each person's expertise tags become exactly these (two or three queries for them all)."""
    if not wanted:
        return
    tags = _tags({t for names in wanted.values() for t in names})
    through = Person.expertise.through
    ids = [p.pk for p in wanted]
    for chunk in _chunks(ids):
        through.objects.filter(person_id__in=chunk).delete()
    through.objects.bulk_create(
        [
            through(person_id=p.pk, expertisetag_id=tags[name].pk)
            for p, names in wanted.items()
            for name in names
        ],
        batch_size=CHUNK,
    )


def _person_changes(person: Person, clean: dict[str, Any]) -> dict[str, Any]:
    """What `clean` changes on the person (a blank never wipes what the registry knows)."""
    changed: dict[str, Any] = {}
    for name in PERSON_FIELDS:
        new = clean[name]
        old = getattr(person, name)
        if new in ("", None) or old == new:
            continue
        changed[name] = [str(old), str(new)]
        setattr(person, name, new)
    return changed


def upsert_people(
    cleans: list[dict[str, Any]], *, by: Any, account_events: bool = True
) -> list[tuple[Person, bool, dict[str, Any]]]:
    """The people with these ID-card numbers (one each), created (with an account the office
    activates by setting a first password) or updated; for each: (person, created, changed
    fields). In bulk, a few queries per 500 people (a roster import); must run inside the
    caller's transaction; the caller has checked permission. `account_events=False`: the
    caller records the new accounts in its own events (a roster import: one per deputyship)."""
    existing: dict[str, Person] = {}
    for chunk in _chunks([c["id_number"] for c in cleans]):
        for person in (
            Person.objects.select_for_update().select_related("user").filter(id_number__in=chunk)
        ):
            existing[person.id_number] = person
    events: list[tuple[Any, str, dict[str, Any] | None]] = []
    new = [c for c in cleans if c["id_number"] not in existing]
    if new:
        users = []
        for clean, username in zip(new, _new_usernames([c["phone"] for c in new]), strict=True):
            user = User(
                username=username,
                full_name=clean["name"],
                phone=clean["phone"],
                must_change_password=True,
            )
            # What set_unusable_password stores, without 40 calls to the CSPRNG per person.
            user.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
            users.append(user)
        User.objects.bulk_create(users, batch_size=CHUNK)
        people = [
            Person(user=user, **{k: clean[k] for k in PERSON_FIELDS})
            for clean, user in zip(new, users, strict=True)
        ]
        Person.objects.bulk_create(people, batch_size=CHUNK)
        events += [(u, "account.created", {"username": u.username}) for u in users]
        created = {p.id_number for p in people}
        existing.update({p.id_number: p for p in people})
    else:
        created = set()
    results: list[tuple[Person, bool, dict[str, Any]]] = []
    changed_people: list[Person] = []
    changed_users: list[User] = []
    tags_wanted: dict[Person, list[str]] = {}
    old_tags: dict[int, set[str]] = {}
    existing_ids = [p.pk for n, p in existing.items() if n not in created]
    through = Person.expertise.through
    for chunk in _chunks(existing_ids):
        for person_id, name in through.objects.filter(person_id__in=chunk).values_list(
            "person_id", "expertisetag__name"
        ):
            old_tags.setdefault(person_id, set()).add(name)
    for clean in cleans:
        person = existing[clean["id_number"]]
        if person.id_number in created:
            if clean["expertise"]:
                tags_wanted[person] = clean["expertise"]
            results.append((person, True, {}))
            continue
        changed = _person_changes(person, clean)
        if changed:
            changed_people.append(person)
        user = person.user
        if (clean["phone"] and user.phone != clean["phone"]) or user.full_name != person.name:
            if clean["phone"] and user.phone != clean["phone"]:
                changed["phone"] = ["", ""]  # personal data: the audit says it changed, not to what
                user.phone = clean["phone"]
            user.full_name = person.name
            changed_users.append(user)
        tags = clean["expertise"]
        if tags and set(tags) != old_tags.get(person.pk, set()):
            tags_wanted[person] = tags
            changed["expertise"] = tags
        results.append((person, False, changed))
    if changed_people:
        now = timezone.now()
        for person in changed_people:
            person.updated_at = now
        Person.objects.bulk_update(changed_people, [*PERSON_FIELDS, "updated_at"], batch_size=CHUNK)
    if changed_users:
        User.objects.bulk_update(changed_users, ["phone", "full_name"], batch_size=CHUNK)
    _set_expertise(tags_wanted)
    if account_events:
        record_events(events, by=by)
    return results


def upsert_person(clean: dict[str, Any], *, by: Any) -> tuple[Person, bool, dict[str, Any]]:
    """upsert_people for one person."""
    return upsert_people([clean], by=by)[0]


def sync_deputy_roles(
    person_ids: list[int], congress_id: int, *, by: Any, audit: bool = True
) -> None:
    """The deputy role in a congress exactly while the person has an active deputyship there
    (for many people at once: a few queries per 500). `audit=False`: the caller's events say
    it (a roster import's deputyship events)."""
    active: set[int] = set()
    users: dict[int, int] = {}
    for chunk in _chunks(sorted(set(person_ids))):
        for person_id, user_id in Person.objects.filter(pk__in=chunk).values_list("pk", "user_id"):
            users[person_id] = user_id
        active.update(
            Deputyship.objects.filter(
                person_id__in=chunk, congress_id=congress_id, status=DeputyshipStatus.ACTIVE
            ).values_list("person__user_id", flat=True)
        )
    holding: set[int] = set()
    for chunk in _chunks(sorted(users.values())):
        holding.update(
            RoleAssignment.objects.filter(
                user_id__in=chunk, role=Role.DEPUTY, congress_id=congress_id, unit=None
            ).values_list("user_id", flat=True)
        )
    data = {"role": Role.DEPUTY, "congress": congress_id, "unit": None, "by": "deputyship"}
    give = sorted(active - holding)
    take = sorted((set(users.values()) - active) & holding)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=u, role=Role.DEPUTY, congress_id=congress_id) for u in give],
        batch_size=CHUNK,
    )
    for chunk in _chunks(take):
        RoleAssignment.objects.filter(
            user_id__in=chunk, role=Role.DEPUTY, congress_id=congress_id, unit=None
        ).delete()
    if not audit:
        return
    people = {u.pk: u for chunk in _chunks(give + take) for u in User.objects.filter(pk__in=chunk)}
    record_events(
        [(people[u], "account.role_assigned", data) for u in give]
        + [(people[u], "account.role_removed", data) for u in take],
        by=by,
    )


def sync_deputy_role(person: Person, congress_id: int, *, by: Any) -> None:
    """sync_deputy_roles for one person."""
    sync_deputy_roles([person.pk], congress_id, by=by)


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


@dataclass
class SeatIn:
    """A person's seat in a term as a form or a roster row gives it (not yet checked)."""

    person: Person
    electoral_unit: str
    delegation: Delegation | None = None


def upsert_deputyships(
    seats: list[SeatIn],
    *,
    congress: Congress,
    term: Term,
    by: Any,
    account_events: bool = True,
) -> list[tuple[Deputyship, bool, dict[str, Any]]]:
    """Each person's deputyship in this term, created or updated; for each: (deputyship,
    created, changes). One audit event per deputyship created or changed, naming the account;
    the deputy role follows (its own events unless `account_events=False`: then the
    deputyship's event says it). In bulk (a roster import), inside the caller's transaction;
    the caller has checked permission."""
    from ..models import DEFAULT_PUBLIC_FIELDS

    _check_term(congress, term)
    units = []
    for seat in seats:
        _check_delegation(term, seat.delegation)
        units.append(_text(seat.electoral_unit, 100, _("Electoral unit"), required=True))
    existing: dict[int, Deputyship] = {}
    for chunk in _chunks([s.person.pk for s in seats]):
        for d in Deputyship.objects.select_for_update().filter(person_id__in=chunk, term=term):
            existing[d.person_id] = d
    today = timezone.localdate()
    new = [
        Deputyship(
            person=seat.person,
            congress=congress,
            term=term,
            electoral_unit=unit,
            delegation=seat.delegation,
            status_since=today,
            public_fields=list(DEFAULT_PUBLIC_FIELDS),
        )
        for seat, unit in zip(seats, units, strict=True)
        if seat.person.pk not in existing
    ]
    Deputyship.objects.bulk_create(new, batch_size=CHUNK)
    created = {d.person_id: d for d in new}
    events: list[tuple[Any, str, dict[str, Any] | None]] = [
        (
            d,
            "deputyship.created",
            {
                "congress": congress.pk,
                "term": term.pk,
                "person": d.person_id,
                "account": d.person.user.username,
                **({} if account_events else {"role": Role.DEPUTY}),
            },
        )
        for d in new
    ]
    results: list[tuple[Deputyship, bool, dict[str, Any]]] = []
    changed_rows: list[Deputyship] = []
    for seat, unit in zip(seats, units, strict=True):
        if seat.person.pk in created:
            results.append((created[seat.person.pk], True, {}))
            continue
        deputyship = existing[seat.person.pk]
        changed: dict[str, Any] = {}
        if deputyship.electoral_unit != unit:
            changed["electoral_unit"] = [deputyship.electoral_unit, unit]
            deputyship.electoral_unit = unit
        if seat.delegation is not None and deputyship.delegation_id != seat.delegation.pk:
            changed["delegation"] = [deputyship.delegation_id, seat.delegation.pk]
            deputyship.delegation = seat.delegation
        if changed:
            changed_rows.append(deputyship)
            events.append((deputyship, "deputyship.updated", changed))
        results.append((deputyship, False, changed))
    if changed_rows:
        for d in changed_rows:
            d.updated_at = timezone.now()
        Deputyship.objects.bulk_update(
            changed_rows, ["electoral_unit", "delegation", "updated_at"], batch_size=CHUNK
        )
    record_events(events, by=by)
    if new:
        sync_deputy_roles([d.person_id for d in new], congress.pk, by=by, audit=account_events)
    return results


def upsert_deputyship(
    person: Person,
    *,
    congress: Congress,
    term: Term,
    electoral_unit: str,
    delegation: Delegation | None,
    by: Any,
) -> tuple[Deputyship, bool, dict[str, Any]]:
    """upsert_deputyships for one seat."""
    seat = SeatIn(person=person, electoral_unit=electoral_unit, delegation=delegation)
    return upsert_deputyships([seat], congress=congress, term=term, by=by)[0]


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


@transaction.atomic
def edit_deputy(
    deputyship: Deputyship,
    *,
    person: PersonIn,
    electoral_unit: str,
    delegation: Delegation | None,
    by: Any,
) -> Deputyship:
    """The office corrects a deputy's personal and seat details (the same checks as a
    registration: GB 11643, birth month and gender agreeing with the ID-card number). Unlike a
    roster row, a blank here clears the field."""
    deputyship = _lock(deputyship)
    require(can_manage_deputies(by, deputyship.congress_id))
    clean = clean_person(person)
    _check_delegation(deputyship.term, delegation)
    unit = _text(electoral_unit, 100, _("Electoral unit"), required=True)
    row = Person.objects.select_for_update().select_related("user").get(pk=deputyship.person_id)
    if (
        clean["id_number"] != row.id_number
        and Person.objects.filter(id_number=clean["id_number"]).exclude(pk=row.pk).exists()
    ):
        raise InvalidInput(
            _("Another person in the registry has this ID-card number."), code="id_number"
        )
    changed = []
    for name in PERSON_FIELDS:
        if getattr(row, name) != clean[name]:
            setattr(row, name, clean[name])
            changed.append(name)
    if changed:
        row.save()
    user = row.user
    if user.phone != clean["phone"] or user.full_name != row.name:
        if user.phone != clean["phone"]:
            changed.append("phone")
        user.phone, user.full_name = clean["phone"], row.name
        user.save(update_fields=["phone", "full_name"])
    if set(clean["expertise"]) != set(row.expertise.values_list("name", flat=True)):
        _set_expertise({row: clean["expertise"]})
        changed.append("expertise")
    if changed:
        # Personal data: the audit names the fields that changed, not their values.
        record_event(row, "person.updated", by=by, data={"fields": sorted(changed)})
    seat: dict[str, Any] = {}
    if deputyship.electoral_unit != unit:
        seat["electoral_unit"] = [deputyship.electoral_unit, unit]
        deputyship.electoral_unit = unit
    new_delegation = delegation.pk if delegation else None
    if deputyship.delegation_id != new_delegation:
        seat["delegation"] = [deputyship.delegation_id, new_delegation]
        deputyship.delegation = delegation
    if seat:
        deputyship.save(update_fields=["electoral_unit", "delegation", "updated_at"])
    if seat or changed:
        record_event(
            deputyship, "deputyship.updated", by=by, data={**seat, "person": sorted(changed)}
        )
    return deputyship


@transaction.atomic
def edit_own_details(
    deputyship: Deputyship, *, address: str, phone: str, expertise: list[str], by: Any
) -> Deputyship:
    """A deputy keeps their own contact details and expertise up to date ("My deputy record");
    everything else on the record is the office's."""
    deputyship = _lock(deputyship)
    require(is_own(by, deputyship))
    row = Person.objects.select_for_update().select_related("user").get(pk=deputyship.person_id)
    data = PersonIn(
        name=row.name,
        id_number=row.id_number or "",
        address=address,
        phone=phone,
        expertise=expertise,
    )
    clean = clean_person(data)
    changed = []
    if row.address != clean["address"]:
        row.address = clean["address"]
        row.save(update_fields=["address", "updated_at"])
        changed.append("address")
    if row.user.phone != clean["phone"]:
        row.user.phone = clean["phone"]
        row.user.save(update_fields=["phone"])
        changed.append("phone")
    if set(clean["expertise"]) != set(row.expertise.values_list("name", flat=True)):
        _set_expertise({row: clean["expertise"]})
        changed.append("expertise")
    if changed:
        record_event(row, "person.updated", by=by, data={"fields": changed, "by_self": True})
    return deputyship


@transaction.atomic
def show_id_number(deputyship: Deputyship, *, by: Any) -> str:
    """The whole ID-card number, for the office (or the deputy) who asks to see it; each look is
    in the audit trail (personal data)."""
    require(can_see_private(by, deputyship))
    person = deputyship.person
    if not is_own(by, deputyship):
        record_event(person, "person.id_number_shown", by=by, data={})
    return person.id_number or ""
