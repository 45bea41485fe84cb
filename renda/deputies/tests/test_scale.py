"""`seed_scale --deputyships`: synthetic deputies at scale are valid data — GB 11643 numbers
that pass the import's own check, the exact number of records asked for, tallies that agree
with the records, and pages that work on them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from renda.accounts.models import User
from renda.deputies import tallies
from renda.deputies.idcards import parse_id_number
from renda.deputies.models import (
    Attendance,
    Delegation,
    DeputyGroup,
    Deputyship,
    DutyRecord,
    Person,
)
from renda.deputies.scale import OFFICE, PROVINCE_CODE, Options, seed_deputies
from renda.orgs.models import Congress

pytestmark = pytest.mark.django_db


def test_seed_makes_valid_people_exact_records_and_right_tallies() -> None:
    result = seed_deputies(
        Options(deputyships=300, records=6000, big=120, congresses=4, batch=70),
        progress=lambda s: None,
    )
    assert Deputyship.objects.count() == 300
    assert Congress.objects.filter(division_code__startswith="58").count() == 4
    big = Congress.objects.get(division_code=PROVINCE_CODE)
    assert Deputyship.objects.filter(congress=big).count() == 120
    sessions = Attendance.objects.count()
    # The records asked for, plus one per session attendance of the big congress.
    assert DutyRecord.objects.count() == 6000 + sessions
    assert Delegation.objects.filter(congress=big).count() == 20
    assert DeputyGroup.objects.filter(congress=big).exists()
    for p in Person.objects.all():
        card = parse_id_number(p.id_number)  # the import's own GB 11643 check
        assert card.gender == p.gender and card.birth_date.replace(day=1) == p.birth_month
        assert 2 <= len(p.name) <= 3
    assert Person.objects.values("id_number").distinct().count() == 300
    assert tallies.check() == []
    assert result.rows["DutyRecord"] == DutyRecord.objects.count()
    # Some deputies lack each duty: the coverage lists are not empty.
    assert Attendance.objects.filter(outcome="absent").exists()
    office = Client()
    office.force_login(User.objects.get(username=OFFICE))
    response = office.get(f"/deputies/office/coverage/?congress={big.pk}")
    assert response.status_code == 200
    code = Deputyship.objects.filter(congress=big).first().public_code
    assert Client().get(f"/d/{code}/").status_code == 200


def test_seeding_twice_is_refused() -> None:
    call_command(
        "seed_scale", "--deputyships", "40", "--duty-records", "200", "--big", "10",
        stdout=StringIO(),
    )  # fmt: skip
    with pytest.raises(CommandError, match="already seeded"):
        call_command("seed_scale", "--deputyships", "40", stdout=StringIO())


def test_seed_scale_needs_suggestions_or_deputyships() -> None:
    with pytest.raises(CommandError, match="--suggestions"):
        call_command("seed_scale", stdout=StringIO())
