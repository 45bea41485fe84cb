"""Load the demo world (renda.demo.dataset) into the database, once.

Idempotent: every row is looked up by its natural key (division code, term and session number,
unit name, username, role tuple) and only missing rows are created; a second run changes
nothing and records nothing. Congresses, terms, sessions and units go through the orgs actions
(each audited); people, roles and memberships are bulk-created for speed, and one
"demo.seeded" event records the whole load, in the same transaction. The demo suggestions are
played through the suggestion actions (renda.demo.suggestion_seeding); their messages stay in
the inbox: the demo mails and texts nobody.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from renda.accounts.models import RoleAssignment, User
from renda.audit.actions import record_event
from renda.notifications.actions import inbox_only, mark_read, notify
from renda.notifications.models import Notification
from renda.orgs import actions as org_actions
from renda.orgs.models import Congress, HandlingUnit, Session, StandingCommitteeMembership, Term

from .dataset import (
    CITY,
    COUNTIES,
    COUNTY_SC_CODE,
    COUNTY_SC_SIZE,
    DEMO_NOTIFICATIONS,
    LOGINS,
    SC_POSITIONS,
    SC_SIZE,
    TERM_NUMBER,
    UNIT_STAFF,
    CongressSpec,
    demo_phone,
    deputy_names,
)
from .deputies_activities import seed_activities
from .deputies_public import seed_deputies_public
from .deputies_registry import seed_deputies_registry
from .deputies_scoring import seed_deputies_scoring
from .livelihood import seed_livelihood
from .opinions import seed_opinions
from .suggestion_seeding import seed_suggestions
from .votes import seed_votes


class _Seeder:
    def __init__(self, password: str) -> None:
        self.password = password
        self._hash: str | None = None
        self.created: Counter[str] = Counter()

    @property
    def password_hash(self) -> str:
        # Argon2 is slow on purpose: hash once, give every demo person the same encoded hash.
        if self._hash is None:
            self._hash = make_password(self.password)
        return self._hash

    # --- organisations (through the orgs actions, so each is audited) -----------------------
    def congress(self, spec: CongressSpec, parent: Congress | None, by: Any) -> Congress:
        congress = Congress.objects.filter(division_code=spec.division_code).first()
        if congress is None:
            congress = org_actions.create_congress(
                name=spec.name,
                level=spec.level,
                region_name=spec.region_name,
                division_code=spec.division_code,
                parent=parent,
                rule_profile="zhejiang",
                by=by,
            )
            self.created["congresses"] += 1
        return congress

    def term_and_sessions(self, congress: Congress, spec: CongressSpec, by: Any) -> Term:
        term = Term.objects.filter(congress=congress, number=TERM_NUMBER).first()
        if term is None:
            term = org_actions.create_term(
                congress, number=TERM_NUMBER, start_date=spec.term_start, by=by
            )
            self.created["terms"] += 1
        have = set(Session.objects.filter(term=term).values_list("number", flat=True))
        for number, (start, end) in enumerate(spec.sessions, start=1):
            if number not in have:
                org_actions.create_session(
                    term, number=number, start_date=start, end_date=end, by=by
                )
                self.created["sessions"] += 1
        return term

    def units(self, congress: Congress, spec: CongressSpec, by: Any) -> dict[str, HandlingUnit]:
        units = {u.name: u for u in HandlingUnit.objects.filter(congress=congress)}
        for name, kind in spec.units:
            if name not in units:
                units[name] = org_actions.create_unit(congress, name=name, kind=kind, by=by)
                self.created["units"] += 1
        return units

    # --- people (bulk) ------------------------------------------------------------------------
    def users(self, wanted: list[dict[str, Any]]) -> dict[str, User]:
        names = [w["username"] for w in wanted]
        existing = {u.username: u for u in User.objects.filter(username__in=names)}
        missing = [
            User(password=self.password_hash, **w) for w in wanted if w["username"] not in existing
        ]
        if missing:
            User.objects.bulk_create(missing)
            self.created["people"] += len(missing)
            existing.update({u.username: u for u in User.objects.filter(username__in=names)})
        return existing

    def roles(self, wanted: list[tuple[User, str, Congress | None, HandlingUnit | None]]) -> None:
        users = {u.pk for u, *_ in wanted}
        have = set(
            RoleAssignment.objects.filter(user_id__in=users).values_list(
                "user_id", "role", "congress_id", "unit_id"
            )
        )
        missing = []
        for user, role, congress, unit in wanted:
            key = (user.pk, role, getattr(congress, "pk", None), getattr(unit, "pk", None))
            if key not in have:
                have.add(key)
                missing.append(RoleAssignment(user=user, role=role, congress=congress, unit=unit))
        if missing:
            RoleAssignment.objects.bulk_create(missing)
            self.created["roles"] += len(missing)

    def sc_members(self, term: Term, members: list[tuple[User, str]]) -> None:
        have = set(
            StandingCommitteeMembership.objects.filter(term=term).values_list("user_id", flat=True)
        )
        missing = [
            StandingCommitteeMembership(
                congress_id=term.congress_id,
                term=term,
                user=user,
                position=position,
                start_date=term.start_date,
            )
            for user, position in members
            if user.pk not in have
        ]
        if missing:
            StandingCommitteeMembership.objects.bulk_create(missing)
            self.created["sc_memberships"] += len(missing)

    def notifications(self, users: dict[str, User]) -> None:
        for username, messages in DEMO_NOTIFICATIONS.items():
            user = users.get(username)
            if user is None:
                continue
            have = set(Notification.objects.filter(recipient=user).values_list("title", flat=True))
            for title, body, read in messages:
                if title in have:
                    continue
                # In the inbox only: the demo does not mail or text anyone.
                (note,) = notify([user], title=title, body=body, email=False)
                if read:
                    mark_read(user, [note.pk])
                self.created["notifications"] += 1


def _unit_staff_by_unit() -> dict[str, tuple[str, str]]:
    """Unit name -> (clerk username, head username): demo logins first, then UNIT_STAFF."""
    clerks: dict[str, str] = {}
    heads: dict[str, str] = {}
    for login in LOGINS:
        for role, _code, unit in login.roles:
            if unit and role == "unit_clerk":
                clerks.setdefault(unit, login.username)
            if unit and role == "unit_head":
                heads.setdefault(unit, login.username)
    for person in UNIT_STAFF:
        (clerks if person.role == "unit_clerk" else heads).setdefault(person.unit, person.username)
    return {unit: (clerks.get(unit, heads[unit]), heads[unit]) for unit in heads}


def _login_rows() -> list[dict[str, Any]]:
    return [
        {
            "username": login.username,
            "full_name": login.full_name,
            "email": f"{login.username}@example.org",
            "phone": demo_phone(i),
            "is_superuser": login.superuser,
            "is_staff": login.superuser,
            "must_change_password": False,  # the demo works at once
        }
        for i, login in enumerate(LOGINS, start=1)
    ]


def _staff_rows() -> list[dict[str, Any]]:
    return [
        {
            "username": person.username,
            "full_name": person.full_name,
            "email": f"{person.username}@example.org",
            "phone": demo_phone(600 + i),
            "must_change_password": False,
        }
        for i, person in enumerate(UNIT_STAFF, start=1)
    ]


@transaction.atomic
def seed_demo(*, password: str) -> Counter[str]:
    """Create whatever part of the demo world is missing; return what was created."""
    with inbox_only():
        return _seed_demo(password)


def _seed_demo(password: str) -> Counter[str]:
    seeder = _Seeder(password)
    logins = seeder.users(_login_rows())
    admin = logins["admin"]

    city = seeder.congress(CITY, None, admin)
    congresses = {CITY.division_code: city}
    terms: dict[str, Term] = {}
    units: dict[str, HandlingUnit] = {}
    for spec in (CITY, *COUNTIES):
        congress = congresses.get(spec.division_code) or seeder.congress(spec, city, admin)
        congresses[spec.division_code] = congress
        terms[spec.division_code] = seeder.term_and_sessions(congress, spec, admin)
        units.update(seeder.units(congress, spec, admin))

    # Demo logins' roles.
    wanted_roles: list[tuple[User, str, Congress | None, HandlingUnit | None]] = []
    for login in LOGINS:
        for role, code, unit_name in login.roles:
            unit = units[unit_name] if unit_name else None
            wanted_roles.append((logins[login.username], role, congresses.get(code or ""), unit))

    # Generated deputies: the rest of each congress's deputies, with realistic names.
    login_deputies = Counter(
        code for login in LOGINS for role, code, _unit in login.roles if role == "deputy"
    )
    specs = (CITY, *COUNTIES)
    names = deputy_names(
        sum(s.deputies - login_deputies[s.division_code] for s in specs),
        taken={login.full_name for login in LOGINS},
    )
    rows, owner = [], {}
    phone = 100
    for spec in specs:
        for i in range(1, spec.deputies - login_deputies[spec.division_code] + 1):
            username = f"{spec.key}_dep_{i:03d}"
            if spec is CITY and i <= SC_SIZE:
                # The city's standing committee (below): logins sc01 … sc35 (issue 6:
                # meetings and votes need named logins).
                username = f"sc{i:02d}"
            phone += 1
            rows.append(
                {
                    "username": username,
                    "full_name": names[len(rows)],
                    "email": f"{username}@example.org",
                    "phone": demo_phone(phone),
                    "must_change_password": False,
                }
            )
            owner[username] = spec.division_code
    deputies = seeder.users(rows)
    wanted_roles += [
        (user, "deputy", congresses[owner[name]], None) for name, user in deputies.items()
    ]

    # The standing committees: the city's is sc01 … sc35; 龙湾区's is the sc_member login and
    # the first generated 龙湾区 deputies. Every member also holds the sc_member role there.
    def committee(code: str, size: int) -> list[tuple[User, str]]:
        people = sorted(
            (u for name, u in deputies.items() if owner[name] == code), key=lambda u: u.username
        )[:size]
        return [
            (user, SC_POSITIONS[i] if i < len(SC_POSITIONS) else "member")
            for i, user in enumerate(people)
        ]

    committees = {
        CITY.division_code: committee(CITY.division_code, SC_SIZE),
        COUNTY_SC_CODE: committee(COUNTY_SC_CODE, COUNTY_SC_SIZE - 1),
    }
    for login in LOGINS:
        for role, code, _unit in login.roles:
            if role == "sc_member" and code in committees:
                committees[code].append((logins[login.username], login.sc_position or "member"))
    for code, members in committees.items():
        # (the logins' own sc_member roles are already wanted; roles() adds each once)
        wanted_roles += [(user, "sc_member", congresses[code], None) for user, _pos in members]

    # Clerks and heads of the units the demo suggestions are assigned to.
    staff_users = seeder.users(_staff_rows())
    wanted_roles += [
        (staff_users[p.username], p.role, congresses[p.congress], units[p.unit]) for p in UNIT_STAFF
    ]
    seeder.roles(wanted_roles)
    seeder.created.update(seed_deputies_registry(congresses, terms))
    for code, members in committees.items():
        seeder.sc_members(terms[code], members)
    seeder.notifications(logins)

    everyone = {**logins, **deputies, **staff_users}
    seeder.created.update(
        seed_suggestions(
            today=timezone.localdate(),
            users=everyone,
            congresses=congresses,
            units=units,
            staff=_unit_staff_by_unit(),
        )
    )
    # Activities first: their closed attendance makes duty records the scores count.
    seeder.created.update(seed_activities(today=timezone.localdate(), users=everyone, city=city))
    seeder.created.update(
        seed_deputies_scoring(
            today=timezone.localdate(), congresses=congresses, city_code=CITY.division_code
        )
    )

    seeder.created.update(seed_deputies_public(everyone, congresses))
    seeder.created.update(seed_opinions(everyone, congresses))
    seeder.created.update(seed_votes(today=timezone.localdate(), users=everyone, city=city))
    seeder.created.update(seed_livelihood(everyone, congresses))
    if seeder.created:
        record_event(city, "demo.seeded", by=None, data=dict(sorted(seeder.created.items())))
    return seeder.created
