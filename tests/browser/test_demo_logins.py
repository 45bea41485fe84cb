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
