"""Masking personal data in published text (SUG-PUBLIC: answers are published with phone numbers
and ID numbers masked).

- Mainland mobile numbers, 1[3-9] and nine more digits: 13800138000 → 138****8000.
- Resident ID numbers, 17 digits and a digit or X: keep the first 6 and the last 4.

Numbers are matched only when not part of a longer run of digits, so an order number or an
amount is left alone. Masking only replaces digits with "*": it is safe on escaped HTML (escape
first, then mask) and on plain text the template escapes afterwards.
"""

from __future__ import annotations

import re

_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
# Written with separators: 138-0013-8000, 138 0013 8000.
_MOBILE_SPACED = re.compile(r"(?<!\d)(1[3-9]\d)([ -])(\d{4})\2(\d{4})(?!\d)")


def mask_personal(text: str | None) -> str:
    """The text with mobile numbers and ID-card numbers masked."""
    if not text:
        return ""
    text = _ID_CARD.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _MOBILE_SPACED.sub(
        lambda m: m.group(1) + m.group(2) + "****" + m.group(2) + m.group(4), text
    )
