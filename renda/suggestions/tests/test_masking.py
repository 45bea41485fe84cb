"""SUG-PUBLIC: personal data in published text is masked."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from renda.suggestions.masking import mask_personal


@pytest.mark.parametrize(
    "text, expected",
    [
        ("请联系13800138000。", "请联系138****8000。"),
        ("电话:19912345678,谢谢", "电话:199****5678,谢谢"),
        ("手机 138-0013-8000", "手机 138-****-8000"),
        ("身份证330302199001011234", "身份证330302********1234"),
        ("身份证33030219900101123X", "身份证330302********123X"),
        ("身份证33030219900101123x号", "身份证330302********123x号"),
        ("A:13800138000 B:13900139000", "A:138****8000 B:139****9000"),
    ],
)
def test_mobile_and_id_numbers_are_masked(text: str, expected: str) -> None:
    """SUG-PUBLIC: mobile numbers keep 3+4 digits, ID numbers the first 6 and last 4."""
    assert mask_personal(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "订单号 213800138000 不是手机号",  # 12 digits: not a mobile number
        "12345678901",  # starts 12: not a mobile prefix
        "金额 1000000 元",
        "0571-87654321",  # a landline is public office data
        "3303021990010112345",  # 19 digits: not an ID number
        "",
    ],
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert mask_personal(text) == text


def test_none_gives_empty_text() -> None:
    assert mask_personal(None) == ""


def test_masking_works_on_escaped_html() -> None:
    """Escape first, then mask: markup stays escaped and the number is still masked."""
    raw = '<b onclick="x">13800138000</b>'
    masked = mask_personal(escape(raw))
    assert "138****8000" in masked
    assert "<b" not in masked and "&lt;b" in masked
    # And masking before escaping gives the same.
    assert escape(mask_personal(raw)) == masked
