"""GB 11643 identity card numbers: shape, check character, birth date, gender."""

from __future__ import annotations

from datetime import date

import pytest

from renda.deputies.idcards import IdCardError, check_char, mask_id_number, parse_id_number


def test_a_valid_number_gives_birth_date_and_gender():
    card = parse_id_number("330302198001010019", today=date(2026, 1, 1))
    assert card.birth_date == date(1980, 1, 1)
    assert card.gender == "male"
    assert parse_id_number("330302198505050022").gender == "female"


def test_check_character_x_and_lower_case_and_spaces_are_accepted():
    first17 = "11010519491231002"
    assert check_char(first17) == "X"
    card = parse_id_number(f" {first17}x ")
    assert card.number == f"{first17}X"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("", "missing"),
        ("330302800101001", "15-digit"),
        ("33030219800101001", "18 characters"),
        ("33030219800101001A", "17 digits"),
        ("330302198002300012", "not a real date"),
        ("330302189901010016", "not possible"),
        ("330302198001010018", "check character"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(number, words):
    with pytest.raises(IdCardError, match=words):
        parse_id_number(number, today=date(2026, 1, 1))


def test_a_birth_date_in_the_future_is_refused():
    first17 = "33030220300101001"
    with pytest.raises(IdCardError, match="not possible"):
        parse_id_number(first17 + check_char(first17), today=date(2026, 1, 1))


def test_masking_keeps_region_and_last_four_only():
    assert mask_id_number("330302198001010019") == "330302********0019"
