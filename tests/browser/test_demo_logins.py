"""The demo as `make run` serves it: every demo login signs in with the printed password and
sees its own home page, in Chinese, without console errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from .conftest import assert_accessible, screenshot, sign_in

# The logins the foundation issue names, and the home panel each must see.
DEMO_LOGINS = {
    "admin": "admin",
    "affairs": "affairs",
    "deputy": "deputy",
    "deputy2": "deputy",
    "edu_clerk": "unit",
    "edu_head": "unit",
    "transport_clerk": "unit",
    "station": "station",
    "sc_member": "sc",
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_demo_login_signs_in_and_sees_its_work(page: Any, watch: Any) -> None:
    call_command("seed_demo", verbosity=0)
    from renda.accounts.models import User

    for username, panel in DEMO_LOGINS.items():
        page.context.clear_cookies()
        sign_in(page, username, settings.RENDA_DEMO_PASSWORD)
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        person = User.objects.get(username=username)
        assert person.display_name in page.locator("h1").inner_text()
        assert page.locator(f'[data-panel="{panel}"]').is_visible(), username
        assert page.locator('[data-panel="inbox"]').count() == 1
        with translation.override("zh-hans"):
            assert translation.gettext("Unread notifications") in page.content()
        assert_accessible(page)
        screenshot(page, f"demo-{username}-phone")
        watch.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_demo_suggestions_fill_the_pages(page: Any, desktop: Any, watch: Any) -> None:
    """After `seed_demo` the unit queue (with an overdue answer), the statistics dashboard and
    the public answers page all have content."""
    call_command("seed_demo", verbosity=0)
    from renda.demo.stories import STORIES

    titles = [s.title for s in STORIES]

    def shows_a_demo_suggestion(html: str) -> bool:
        return any(t in html for t in titles)

    sign_in(page, "edu_clerk", settings.RENDA_DEMO_PASSWORD)
    page.goto("/suggestions/unit/")
    assert shows_a_demo_suggestion(page.content())
    with translation.override("zh-hans"):
        assert translation.gettext("overdue") in page.content()
    assert_accessible(page)
    screenshot(page, "demo-unit-queue-phone")
    watch.assert_clean()

    sign_in(desktop, "affairs", settings.RENDA_DEMO_PASSWORD)
    desktop.goto("/suggestions/office/stats/")
    assert "温州市教育局" in desktop.content()
    screenshot(desktop, "demo-stats-desktop")
    desktop.goto("/suggestions/office/")
    screenshot(desktop, "demo-office-inbox-desktop")

    page.context.clear_cookies()
    page.goto("/suggestions/public/")
    assert shows_a_demo_suggestion(page.content())
    assert_accessible(page)
    screenshot(page, "demo-public-answers-phone")
    watch.assert_clean()
