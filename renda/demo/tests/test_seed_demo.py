"""`manage.py seed_demo` and `manage.py demo_logins` (issue 2, point 8: demo data)."""

from __future__ import annotations

import re
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.test import Client

from renda.accounts.models import RoleAssignment, User
from renda.audit.models import AuditEvent
from renda.audit.queries import verify_chain
from renda.demo.dataset import LOGINS
from renda.notifications.models import Notification
from renda.orgs.models import Congress, HandlingUnit, Session, StandingCommitteeMembership, Term
from renda.suggestions.models import (
    Answer,
    Assignment,
    Commitment,
    Evaluation,
    KeySuggestion,
    ProgressReport,
    ReturnRequest,
    Sponsor,
    Suggestion,
    Topic,
)

REQUIRED_LOGINS = {
    "admin": {"admin"},
    "affairs": {"deputy_affairs"},
    "deputy": {"deputy"},
    "deputy2": {"deputy"},
    "edu_clerk": {"unit_clerk"},
    "edu_head": {"unit_head"},
    "transport_clerk": {"unit_clerk"},
    "station": {"station_staff"},
    "sc_member": {"sc_member", "deputy"},
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    models = [
        Congress,
        Term,
        Session,
        HandlingUnit,
        User,
        RoleAssignment,
        StandingCommitteeMembership,
        Notification,
        AuditEvent,
        Topic,
        Suggestion,
        Sponsor,
        Assignment,
        Answer,
        Evaluation,
        Commitment,
        KeySuggestion,
        ProgressReport,
        ReturnRequest,
    ]
    return {m.__name__: m.objects.count() for m in models}


def test_seed_makes_a_city_with_three_district_congresses(seeded):
    city = Congress.objects.get(division_code="330300")
    assert (city.name, city.level, city.rule_profile) == ("温州市人民代表大会", "city", "zhejiang")
    children = {c.division_code: c.region_name for c in city.children.all()}
    assert children == {"330302": "鹿城区", "330303": "龙湾区", "330304": "瓯海区"}
    for congress in Congress.objects.all():
        congress.full_clean()  # the demo obeys the same validation as real data
        term = congress.terms.get(number=14)
        assert term.start_date.isoformat().startswith("2022-01")
        current = term.sessions.order_by("-number").first()
        assert current.number == 5
        assert current.start_date.year == 2026


def test_seed_makes_about_forty_city_units_and_a_few_per_district(seeded):
    city = Congress.objects.get(division_code="330300")
    city_units = HandlingUnit.objects.filter(congress=city)
    assert 38 <= city_units.count() <= 45
    names = set(city_units.values_list("name", flat=True))
    assert {"温州市教育局", "温州市交通运输局", "温州市卫生健康委员会"} <= names
    kinds = set(city_units.values_list("kind", flat=True))
    assert kinds == {"government", "court", "procuratorate", "other"}
    for district in city.children.all():
        assert 3 <= district.units.count() <= 12


def test_seed_makes_three_hundred_deputies_with_realistic_names(seeded):
    deputies = RoleAssignment.objects.filter(role="deputy")
    assert deputies.count() == 300
    per_congress = {
        code: deputies.filter(congress__division_code=code).count()
        for code in ("330300", "330302", "330303", "330304")
    }
    assert per_congress == {"330300": 120, "330302": 60, "330303": 60, "330304": 60}
    people = User.objects.filter(roles__role="deputy").distinct()
    names = list(people.values_list("full_name", flat=True))
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n) for n in names)
    phones = list(User.objects.values_list("phone", flat=True))
    assert len(set(phones)) == len(phones)
    assert all(re.fullmatch(r"1380000\d{4}", p) for p in phones)


def test_seed_makes_a_standing_committee_of_thirty_five(seeded):
    """Issue 6: the city's standing committee is exactly the logins sc01 … sc35."""
    term = Term.objects.get(congress__division_code="330300", number=14)
    members = StandingCommitteeMembership.objects.filter(term=term)
    assert members.count() == 35
    assert members.filter(position="chair").count() == 1
    usernames = set(members.values_list("user__username", flat=True))
    assert usernames == {f"sc{i:02d}" for i in range(1, 36)}
    # Every member holds the sc_member role in the city congress, and is a city deputy.
    holders = set(
        RoleAssignment.objects.filter(role="sc_member", congress=term.congress).values_list(
            "user_id", flat=True
        )
    )
    assert set(members.values_list("user_id", flat=True)) == holders
    deputies = RoleAssignment.objects.filter(role="deputy", congress=term.congress)
    assert holders <= set(deputies.values_list("user_id", flat=True))


def test_the_sc_member_login_sits_on_the_longwan_standing_committee(seeded):
    """The `sc_member` login is a member of 龙湾区's standing committee (elected from its
    deputies: a 龙湾区 deputy too), and a city deputy elected in 龙湾区."""
    from renda.deputies.models import Deputyship

    term = Term.objects.get(congress__division_code="330303", number=14)
    members = StandingCommitteeMembership.objects.filter(term=term)
    assert members.filter(user__username="sc_member").exists()
    assert 15 <= members.count() <= 35 and members.filter(position="chair").count() == 1
    holders = set(
        RoleAssignment.objects.filter(role="sc_member", congress=term.congress).values_list(
            "user_id", flat=True
        )
    )
    assert set(members.values_list("user_id", flat=True)) == holders
    seats = Deputyship.objects.filter(person__user__username="sc_member", status="active")
    assert set(seats.values_list("congress__division_code", flat=True)) == {"330300", "330303"}
    assert seats.get(congress__division_code="330300").electoral_unit == "龙湾区"
    assert not RoleAssignment.objects.filter(
        user__username="sc_member", role="sc_member", congress__division_code="330300"
    ).exists()


def test_demo_logins_hold_their_roles_and_need_no_password_change(seeded):
    for username, roles in REQUIRED_LOGINS.items():
        user = User.objects.get(username=username)
        assert {ra.role for ra in user.roles.all()} == roles, username
        assert user.must_change_password is False
    assert User.objects.get(username="admin").is_superuser
    edu = HandlingUnit.objects.get(name="温州市教育局")
    assert RoleAssignment.objects.filter(user__username="edu_clerk", unit=edu).exists()
    assert RoleAssignment.objects.filter(user__username="edu_head", unit=edu).exists()
    assert RoleAssignment.objects.filter(
        user__username="transport_clerk", unit__name="温州市交通运输局"
    ).exists()
    assert RoleAssignment.objects.filter(
        user__username="affairs", role="deputy_affairs", congress__division_code="330300"
    ).exists()
    assert not User.objects.filter(must_change_password=True).exists()


def test_the_demo_password_is_hashed_once_and_shared(seeded):
    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1
    assert hashes.pop().startswith("argon2")


def test_every_demo_login_signs_in_through_the_login_form(seeded):
    for login in LOGINS:
        client = Client()
        response = client.post(
            "/accounts/login/",
            {"username": login.username, "password": settings.RENDA_DEMO_PASSWORD},
        )
        assert response.status_code == 302, (login.username, response.content[:300])
        assert "/accounts/" not in response["Location"], login.username
        assert client.get("/").status_code == 200, login.username
    wrong = Client().post("/accounts/login/", {"username": "deputy", "password": "wrong-one-123"})
    assert wrong.status_code == 200  # the form again, with an error


def test_deputy_and_affairs_have_something_in_their_inbox(seeded):
    for username in ("deputy", "affairs"):
        notes = Notification.objects.filter(recipient__username=username)
        assert notes.count() >= 2
        assert notes.filter(read_at__isnull=True).exists()
        assert notes.filter(read_at__isnull=False).exists()
    # Inbox only: nothing waits to be mailed.
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.exists()


def test_seed_is_audited_once_and_the_chain_verifies(seeded):
    assert AuditEvent.objects.filter(verb="demo.seeded").count() == 1
    assert AuditEvent.objects.filter(verb="congress.created").count() == 4
    assert verify_chain()[1] is None


def test_running_twice_changes_nothing(seeded):
    before = snapshot()
    hashes = dict(User.objects.values_list("username", "password"))
    output = seed()
    assert "nothing to do" in output
    assert snapshot() == before
    assert dict(User.objects.values_list("username", "password")) == hashes


def test_seed_fills_in_what_is_missing(seeded):
    """Idempotent by natural keys: a deleted unit or role comes back, nothing is duplicated."""
    HandlingUnit.objects.filter(name="温州市体育局").delete()
    RoleAssignment.objects.filter(user__username="deputy2").delete()
    before = snapshot()
    seed()
    after = snapshot()
    assert after["HandlingUnit"] == before["HandlingUnit"] + 1
    assert after["RoleAssignment"] == before["RoleAssignment"] + 1
    assert after["User"] == before["User"]


def test_demo_logins_prints_the_url_logins_roles_and_password(seeded):
    out = StringIO()
    call_command("demo_logins", "--url", "http://127.0.0.1:8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123" in text
    assert settings.RENDA_DEMO_PASSWORD in text
    for username, roles in REQUIRED_LOGINS.items():
        line = next(ln for ln in text.splitlines() if ln.split()[:1] == [username])
        assert all(role in line for role in roles), line


def test_demo_logins_says_nothing_about_the_demo_in_production(seeded, settings):
    settings.RENDA_ENV = "production"
    out = StringIO()
    call_command("demo_logins", "--url", "https://renda.example.gov.cn", stdout=out)
    assert out.getvalue().strip() == "Renda is running at https://renda.example.gov.cn"


def test_every_demo_deputy_is_in_the_registry_with_consistent_details(seeded):
    """Issue 4 point 5: the ~300 generated deputies and the deputy logins have a Person and a
    Deputyship of their congress's current term; ID-card numbers valid (GB 11643) and agreeing
    with the birth month and gender; delegations, groups (one mixing city and district
    deputies, with a leader) and expertise tags."""
    from renda.deputies.idcards import parse_id_number
    from renda.deputies.models import DeputyGroup, Deputyship, Person

    deputies = RoleAssignment.objects.filter(role="deputy")
    seats = Deputyship.objects.filter(status="active", term__number=14)
    assert {(r.user_id, r.congress_id) for r in deputies} == set(
        seats.values_list("person__user_id", "congress_id")
    )
    assert {"deputy", "deputy2", "sc_member"} <= set(
        seats.values_list("person__user__username", flat=True)
    )
    for person in Person.objects.all():
        card = parse_id_number(person.id_number)
        assert (card.gender, card.birth_date.replace(day=1)) == (person.gender, person.birth_month)
    assert Person.objects.values("party").distinct().count() >= 5
    assert Person.objects.values("ethnicity").distinct().count() >= 3
    assert not seats.filter(delegation=None).exists()
    mixed = DeputyGroup.objects.get(name="五马街道代表小组")
    levels = set(mixed.members.values_list("congress__level", flat=True))
    assert levels == {"city", "county"}
    assert mixed.memberships.filter(is_leader=True).count() == 1
    assert Person.objects.filter(expertise__isnull=False).distinct().count() >= 250
