"""Validation of congresses, terms and sessions: division codes (GB/T 2260) and dates."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from renda.orgs.models import Congress, Session, StandingCommitteeMembership, Term


def _congress(**kw) -> Congress:
    fields = {"name": "某人大", "level": "city", "region_name": "某市", "division_code": "330300"}
    fields.update(kw)
    return Congress(**fields)


@pytest.mark.parametrize(
    "code",
    ["33030", "3303000", "abcdef", "330300 ", "", "030300", "930300", "３３０３００", "33030x"],
)
def test_division_code_must_be_six_digits(db, code):
    with pytest.raises(ValidationError) as excinfo:
        _congress(division_code=code).full_clean()
    assert "division_code" in excinfo.value.message_dict


@pytest.mark.parametrize(
    "level, code",
    [
        ("provincial", "330000"),
        ("city", "330300"),
        ("county", "330302"),
        ("township", "330302001"),
        ("national", "100000"),
    ],
)
def test_division_code_fits_each_level(db, level, code):
    _congress(level=level, division_code=code).full_clean()


@pytest.mark.parametrize(
    "level, code",
    [
        ("provincial", "330300"),
        ("city", "330000"),
        ("city", "330302"),
        ("county", "330300"),
        ("township", "330302"),
        ("county", "330302001"),
    ],
)
def test_division_code_of_the_wrong_shape_for_its_level_is_refused(db, level, code):
    with pytest.raises(ValidationError) as excinfo:
        _congress(level=level, division_code=code).full_clean()
    assert "division_code" in excinfo.value.message_dict


def test_county_must_lie_inside_its_parent_city(world):
    with pytest.raises(ValidationError) as excinfo:
        _congress(level="county", division_code="330402", parent=world.city).full_clean()
    assert "parent" in excinfo.value.message_dict
    _congress(level="county", division_code="330303", parent=world.city).full_clean()


def test_parent_must_be_of_a_higher_level(world):
    with pytest.raises(ValidationError) as excinfo:
        _congress(level="city", division_code="330400", parent=world.county).full_clean()
    assert "parent" in excinfo.value.message_dict


def test_division_code_is_unique(world):
    with pytest.raises(ValidationError) as excinfo:
        _congress(division_code="330300").full_clean()
    assert "division_code" in excinfo.value.message_dict


def test_session_cannot_end_before_it_starts(world):
    session = Session(
        term=world.term, number=6, start_date=date(2027, 2, 10), end_date=date(2027, 2, 9)
    )
    with pytest.raises(ValidationError):
        session.full_clean()


def test_database_refuses_a_session_ending_before_it_starts(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            term=world.term, number=6, start_date=date(2027, 2, 10), end_date=date(2027, 2, 9)
        )


def test_one_day_session_is_valid(world):
    Session(
        term=world.term, number=6, start_date=date(2027, 2, 10), end_date=date(2027, 2, 10)
    ).full_clean()


def test_session_must_fall_within_its_term(world):
    before = Session(
        term=world.term, number=6, start_date=date(2021, 12, 30), end_date=date(2022, 1, 2)
    )
    with pytest.raises(ValidationError):
        before.full_clean()
    world.term.end_date = date(2026, 12, 31)
    after = Session(
        term=world.term, number=6, start_date=date(2026, 12, 30), end_date=date(2027, 1, 2)
    )
    with pytest.raises(ValidationError):
        after.full_clean()


def test_session_number_is_unique_within_a_term(world):
    duplicate = Session(
        term=world.term, number=5, start_date=date(2026, 3, 1), end_date=date(2026, 3, 2)
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_term_cannot_end_before_it_starts(world):
    term = Term(
        congress=world.city, number=15, start_date=date(2027, 1, 1), end_date=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError):
        term.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        term.save()


def test_sc_membership_term_must_belong_to_its_congress(world):
    membership = StandingCommitteeMembership(
        congress=world.county, term=world.term, user=world["sc_member"], start_date=date(2022, 1, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "term" in excinfo.value.message_dict
