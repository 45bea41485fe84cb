"""Masking what a citizen typed before it is shown publicly: phone numbers, ID-card numbers and
e-mail addresses written into the text of an opinion (or an answer) never reach a public page."""

from __future__ import annotations

import re

# An 18-character resident ID (17 digits and a digit or X), or an old 15-digit one.
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8,11}([0-9Xx])(?![0-9A-Za-z])")
# Mobile numbers (1 and 10 digits, maybe +86, maybe split by spaces or dashes) and landlines
# (area code and 7-8 digits), and any other run of 7 or more digits.
_PHONE = re.compile(r"(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}|0\d{2,3}[\s-]?\d{7,8}|\d{7,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_personal(text: str, names: tuple[str, ...] = ()) -> str:
    """The text with ID numbers, phone numbers and e-mail addresses replaced by stars, and the
    names given (the name the citizen left) too, wherever they were typed into it."""
    if not text:
        return ""
    for name in names:
        if name and len(name.strip()) >= 2:
            text = text.replace(name.strip(), "*" * len(name.strip()))
    text = _ID.sub(lambda m: "*" * len(m.group(0)), text)
    text = _EMAIL.sub("***@***", text)
    return _PHONE.sub(lambda m: "*" * len(m.group(0)), text)
