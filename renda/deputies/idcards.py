"""Resident identity card numbers (公民身份号码, GB 11643-1999): shape, check digit, birth date.

An 18-character number: 6 digits of the address code, 8 of the birth date (YYYYMMDD), 3 of the
order code (odd for men, even for women) and a check character computed by ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^[1-9][0-9]{16}[0-9X]$")


@dataclass(frozen=True)
class IdCard:
    number: str
    birth_date: date
    gender: str  # "male" | "female"


class IdCardError(ValueError):
    """Why a number is not a valid identity card number (a translated sentence)."""


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise(number: str) -> str:
    """Spaces dropped, a lower-case x upper-cased, full-width digits made ASCII."""
    text = (number or "").strip().replace(" ", "").replace("\u3000", "")
    text = text.translate({0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF58: "X"})
    return text.upper()


def parse_id_number(number: str, *, today: date | None = None) -> IdCard:
    """The card's birth date and gender, or IdCardError saying what is wrong (GB 11643)."""
    text = normalise(number)
    if not text:
        raise IdCardError(_("The ID-card number is missing."))
    if len(text) == 15 and text.isdigit():
        raise IdCardError(
            _("This is an old 15-digit number: give the 18-character number of the current card.")
        )
    if len(text) != 18:
        raise IdCardError(
            _("An ID-card number has 18 characters; this one has %(n)d.") % {"n": len(text)}
        )
    if not _SHAPE.match(text):
        raise IdCardError(_("An ID-card number is 17 digits followed by a digit or X."))
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise IdCardError(
            _("The birth date in the ID-card number (%(digits)s) is not a real date.")
            % {"digits": text[6:14]}
        ) from None
    today = today or date.today()  # noqa: DTZ011 - a calendar date, no time zone involved
    if born.year < 1900 or born > today:
        raise IdCardError(
            _("The birth date in the ID-card number (%(date)s) is not possible.")
            % {"date": born.isoformat()}
        )
    expected = check_char(text[:17])
    if text[17] != expected:
        raise IdCardError(
            _("The ID-card number's check character is wrong (a digit was probably mistyped).")
        )
    gender = "male" if int(text[16]) % 2 == 1 else "female"
    return IdCard(number=text, birth_date=born, gender=gender)


def mask_id_number(number: str) -> str:
    """330302********1234: enough to recognise a card, not to use it."""
    text = number or ""
    if len(text) < 10:
        return "*" * len(text)
    return f"{text[:6]}{'*' * (len(text) - 10)}{text[-4:]}"
