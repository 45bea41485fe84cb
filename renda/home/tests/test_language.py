"""Simplified Chinese is the default language; English is one switch away."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.chinese


def test_the_default_language_is_simplified_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_pages_and_api_errors_speak_chinese_by_default(client, db):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'lang="zh-Hans"' in page.content.decode()
    assert "登录" in page.content.decode()
    error = client.get("/api/v1/calendar/deadline", {"start": "2026-13-01", "days": 1})
    assert error.status_code == 422
    detail = error.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail


def test_english_on_request(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/")
    assert 'lang="en"' in page.content.decode()
    assert "Sign in" in page.content.decode()
