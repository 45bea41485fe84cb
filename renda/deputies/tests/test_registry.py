"""The registry's actions: register, one person in several congresses, the deputy role following
the deputyship, DEP-SUSPEND and DEP-TERMINATE, DEP-PUBLIC fields."""

from __future__ import annotations

from datetime import date

import pytest

from renda.accounts.models import RoleAssignment
from renda.audit.models import AuditEvent
from renda.deputies.actions.registry import (
    PersonIn,
    end_deputyship,
    register_deputy,
    resume_deputyship,
    set_public_fields,
    suspend_deputyship,
)
from renda.deputies.idcards import check_char
from renda.deputies.models import Deputyship, Person
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.orgs.models import Term


def card(first17: str) -> str:
    return first17 + check_char(first17)


def person_in(**kw) -> PersonIn:
    data = {
        "name": "王小明",
        "id_number": card("33030219750612003"),
        "party": "cpc",
        "phone": "13912345678",
        "workplace": "示范市第一中学校长",
    }
    data.update(kw)
    return PersonIn(**data)


def is_deputy(user, congress) -> bool:
    return RoleAssignment.objects.filter(user=user, role="deputy", congress=congress).exists()


def test_office_registers_a_deputy_with_an_account_and_the_deputy_role(world):
    d = register_deputy(
        congress=world.city,
        term=world.term,
        person=person_in(),
        electoral_unit="鹿城区",
        by=world["affairs"],
    )
    person = d.person
    assert person.gender == "male"  # from the ID-card number
    assert person.birth_month == date(1975, 6, 1)
    assert person.user.username == "13912345678"
    assert not person.user.has_usable_password()
    assert is_deputy(person.user, world.city)
    assert AuditEvent.objects.filter(verb="deputyship.created", object_id=str(d.pk)).exists()


def test_one_person_is_a_city_and_a_county_deputy_at_once(world):
    county_term = Term.objects.create(congress=world.county, number=9, start_date=date(2022, 1, 1))
    city = register_deputy(
        congress=world.city,
        term=world.term,
        person=person_in(),
        electoral_unit="鹿城区",
        by=world["affairs"],
    )
    county = register_deputy(
        congress=world.county,
        term=county_term,
        person=person_in(phone=""),
        electoral_unit="第3选区",
        by=world["county_affairs"],
    )
    assert city.person_id == county.person_id
    assert Person.objects.filter(id_number=person_in().id_number).count() == 1
    assert is_deputy(city.person.user, world.city) and is_deputy(city.person.user, world.county)


@pytest.mark.parametrize("username", ["county_affairs", "deputy", "edu_clerk", "nobody"])
def test_only_the_congress_office_registers(world, username):
    with pytest.raises(Forbidden):
        register_deputy(
            congress=world.city,
            term=world.term,
            person=person_in(),
            electoral_unit="x",
            by=world[username],
        )
    assert not Person.objects.filter(name="王小明").exists()


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"id_number": "330302197506120039"}, "id_number"),
        ({"birth_month": date(1975, 7, 1)}, "birth_month"),
        ({"gender": "female"}, "gender"),
        ({"phone": "12345"}, "phone"),
        ({"name": "  "}, "invalid"),
    ],
)
def test_inconsistent_details_are_refused_and_nothing_is_written(world, kw, code):
    before = Person.objects.count()
    with pytest.raises(InvalidInput) as exc:
        register_deputy(
            congress=world.city,
            term=world.term,
            person=person_in(**kw),
            electoral_unit="x",
            by=world["affairs"],
        )
    assert exc.value.code == code
    assert Person.objects.count() == before


def world_deputyship(world, username="deputy") -> Deputyship:
    return Deputyship.objects.get(person__user=world[username], congress=world.city)


def test_suspension_withdraws_the_role_and_resuming_gives_it_back_DEP_SUSPEND(world):
    d = world_deputyship(world)
    suspend_deputyship(d, ground="detained", on=date(2026, 5, 1), by=world["affairs"])
    assert not is_deputy(world["deputy"], world.city)
    with pytest.raises(DomainError):
        suspend_deputyship(d, ground="detained", on=date(2026, 5, 1), by=world["affairs"])
    resume_deputyship(d, on=date(2026, 6, 1), by=world["affairs"])
    assert is_deputy(world["deputy"], world.city)


def test_ending_needs_a_legal_ground_and_is_the_office_decision_DEP_TERMINATE(world):
    d = world_deputyship(world)
    with pytest.raises(InvalidInput):
        end_deputyship(d, ground="bored", on=date(2026, 5, 1), by=world["affairs"])
    with pytest.raises(Forbidden):
        end_deputyship(d, ground="resigned", on=date(2026, 5, 1), by=world["deputy"])
    end_deputyship(d, ground="resigned", on=date(2026, 5, 1), by=world["affairs"])
    d.refresh_from_db()
    assert (d.status, d.end_ground, d.status_since) == ("ended", "resigned", date(2026, 5, 1))
    assert not is_deputy(world["deputy"], world.city)
    with pytest.raises(DomainError):
        end_deputyship(d, ground="resigned", on=date(2026, 5, 1), by=world["affairs"])


def test_published_fields_never_include_personal_data_DEP_PUBLIC(world):
    d = world_deputyship(world)
    with pytest.raises(InvalidInput):
        set_public_fields(d, fields=["id_number"], by=world["affairs"])
    set_public_fields(d, fields=["photo", "party"], by=world["deputy"])
    d.refresh_from_db()
    assert d.public_fields == ["photo", "party"]
    with pytest.raises(Forbidden):
        set_public_fields(d, fields=[], by=world["deputy2"])
