"""The page shell in a real browser: every role signs in through the form and looks at its home
page; sign-out, a wrong password, the language switch, keyboard use and the phone menu.

Every page visited must be clean (no console errors, no CSP violations, no failed requests) and
pass the small accessibility check in conftest.py (landmarks, one h1, labels, alt, contrast).
Expected text is taken through gettext in the page's language, so these tests keep passing when
the Chinese translations arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import pytest
from django.utils import translation

from .conftest import (
    assert_accessible,
    open_phone_menu,
    screenshot,
    sign_in,
)

# live_server needs committed rows: every test here runs on a transactional database.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANG = "zh-hans"  # the page fixture's browser sends Accept-Language: zh-CN


@dataclass(frozen=True)
class Expect:
    panels: tuple[str, ...]
    nav: tuple[str, ...]
    unread: int = 0


ALL = ("home", "notifications", "search")
ORGS = ("home", "orgs", "notifications", "search", "stats", "station_stats")
CAL = ("home", "calendar", "notifications", "search")
DEPUTY = (
    "home",
    "mine",
    "my_duties",
    "my_score",
    "my_votes",
    "citizen_messages",
    "notifications",
    "search",
    "opinions",
    "livelihood",
)
UNIT = (
    "home",
    "calendar",
    "notifications",
    "search",
    "stats",
    "unit_queue",
    "opinions",
    "livelihood",
)

# What each person of the world fixture must see: panels in page order, header entries.
EXPECT: dict[str, Expect] = {
    "admin": Expect(
        ("admin", "inbox"),
        (
            "home",
            "orgs",
            "calendar",
            "accounts",
            "notifications",
            "search",
            "office_inbox",
            "stats",
            "routing",
            "hot_topics",
            "deputies",
            "activities",
            "deputy_scores",
            "coverage",
            "meetings",
            "opinions",
            "stations",
            "station_stats",
            "livelihood",
        ),
        unread=2,
    ),
    "affairs": Expect(
        ("affairs", "organiser-activities", "coverage", "inbox"),
        (
            "home",
            "orgs",
            "calendar",
            "notifications",
            "search",
            "office_inbox",
            "stats",
            "routing",
            "hot_topics",
            "deputies",
            "activities",
            "deputy_scores",
            "coverage",
            "meetings",
            "opinions",
            "stations",
            "station_stats",
            "livelihood",
        ),
    ),
    "deputy": Expect(("deputy", "deputy-activities", "deputy-public", "inbox"), DEPUTY, unread=3),
    "deputy2": Expect(("deputy", "deputy-activities", "deputy-public", "inbox"), DEPUTY),
    "edu_clerk": Expect(("unit", "inbox"), UNIT, unread=1),
    "edu_head": Expect(("unit", "inbox"), UNIT),
    "transport_clerk": Expect(("unit", "inbox"), UNIT),
    "station": Expect(
        ("station", "organiser-activities", "inbox"),
        ("home", "notifications", "search", "activities", "opinions", "stations"),
    ),
    "sc_member": Expect(
        ("deputy", "sc", "deputy-activities", "deputy-public", "inbox"), DEPUTY, unread=12
    ),
    "committee": Expect(("supervision", "inbox"), ORGS),
    "supervisor": Expect(("overdue", "supervision", "inbox"), (*ORGS, "livelihood")),
    "leader": Expect(("supervision", "inbox"), ORGS),
}


def _give_notifications(world: Any, username: str, unread: int) -> None:
    from renda.notifications.actions import mark_read, notify

    user = world[username]
    notify([user], title="An answer you already read", email=False)
    mark_read(user)
    for i in range(unread):
        notify([user], title=f"Suggestion {i + 1} was assigned to you", email=False)


def _nav_keys(page: Any) -> list[str]:
    return page.locator("[data-testid=nav] a[data-nav]").evaluate_all(
        "els => els.map(e => e.dataset.nav)"
    )


def _expected_panels(user: Any) -> dict[str, Any]:
    from renda.accounts.permissions import is_admin, roles_of
    from renda.home.panels import panels_for

    roles = roles_of(user) | ({"admin"} if is_admin(user) else set())
    return {p.key: p for p in panels_for(user, roles)}


@pytest.mark.parametrize("username", list(EXPECT))
def test_each_role_sees_own_name_roles_panels_and_navigation(
    page: Any, desktop: Any, watch: Any, world: Any, username: str
) -> None:
    """Signed in through the form, each person sees their name, role badges, their own work
    panels with empty states that say what will appear, only the navigation their roles may use,
    and the unread count in the header when they have unread notifications."""
    expect = EXPECT[username]
    user = world[username]
    if expect.unread:
        _give_notifications(world, username, expect.unread)

    sign_in(page, username)
    assert urlparse(page.url).path == "/"
    assert page.locator("h1").inner_text().strip().endswith(user.display_name)
    assert page.locator("[data-testid=current-user]").text_content().strip() == user.display_name

    with translation.override(LANG):
        from renda.accounts.permissions import role_assignments

        role_labels = [str(ra.get_role_display()) for ra in role_assignments(user)]
        panels = {k: (str(p.title), str(p.empty_text)) for k, p in _expected_panels(user).items()}
    badges = page.locator("[data-testid=my-roles] li").all_inner_texts()
    assert len(badges) == len(role_labels)
    for label in role_labels:
        assert any(b.startswith(label) for b in badges), (label, badges)

    shown = page.locator("[data-panel]").evaluate_all("els => els.map(e => e.dataset.panel)")
    assert tuple(shown) == expect.panels
    for key in expect.panels:
        card = page.locator(f"[data-panel={key}]")
        title, empty_text = panels[key]
        assert card.locator("h2").inner_text().strip() == title
        if key == "inbox" and expect.unread:
            assert card.locator("li").count() == min(expect.unread, 5)
            assert card.locator("[data-testid=panel-empty]").count() == 0
        elif key != "admin":
            assert card.locator("[data-testid=panel-empty]").inner_text().strip() == empty_text

    assert tuple(_nav_keys(page)) == expect.nav
    bell = page.locator("[data-testid=unread-count-phone]")
    if expect.unread:
        assert bell.is_visible()
        assert bell.inner_text().strip() == str(expect.unread)
    else:
        assert bell.count() == 0
    assert_accessible(page)
    screenshot(page, f"home-{username}-phone")

    open_phone_menu(page)
    assert page.locator("[data-nav=home]").get_attribute("aria-current") == "page"
    assert_accessible(page)
    screenshot(page, f"home-{username}-phone-menu")

    desktop_watch = type(watch)()
    desktop_watch.attach(desktop)
    desktop.sync()
    desktop.goto("/")
    assert desktop.locator("button.navbar-toggler").is_hidden()
    assert desktop.locator("[data-nav=home]").is_visible()
    assert desktop.locator("[data-testid=current-user]").is_visible()
    header_count = desktop.locator("[data-testid=unread-count]")
    if expect.unread:
        assert header_count.inner_text().strip() == str(expect.unread)
    else:
        assert header_count.count() == 0
    assert_accessible(desktop)
    screenshot(desktop, f"home-{username}-desktop")
    desktop_watch.assert_clean()


@pytest.mark.parametrize("username", ["admin", "affairs", "edu_head", "deputy"])
def test_every_navigation_entry_opens_a_clean_accessible_page(
    page: Any, watch: Any, world: Any, username: str
) -> None:
    """Each header entry a role sees opens (no error status), marks itself current, and the page
    has no console errors, no CSP violations and passes the accessibility check."""
    sign_in(page, username)
    for key in _nav_keys(page):
        page.goto(page.locator(f"[data-nav={key}]").get_attribute("href"))
        link = page.locator(f"[data-nav={key}]")
        assert link.get_attribute("aria-current") == "page", key
        assert_accessible(page)
        screenshot(page, f"nav-{username}-{key}")
        watch.assert_clean()


def test_sign_out_ends_the_session(page: Any, watch: Any, world: Any) -> None:
    sign_in(page, "deputy")
    open_phone_menu(page)
    page.locator("[data-testid=sign-out]").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.locator("input[name=username]").is_visible()
    assert page.locator("[data-testid=current-user]").count() == 0
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)


def test_wrong_password_shows_an_error_and_stays_signed_out(
    page: Any, watch: Any, world: Any
) -> None:
    from renda.accounts.forms import SignInForm

    sign_in(page, "deputy", "not-the-password")
    assert "/accounts/login/" in page.url
    with translation.override(LANG):
        message = str(SignInForm.error_messages["invalid_login"])
    # The message names the username field's label; match the words before it.
    assert page.get_by_text(message.split("%(username)s")[0].strip()).first.is_visible()
    assert page.locator("input[name=username]").input_value() == "deputy"
    assert page.locator("[data-testid=current-user]").count() == 0
    assert_accessible(page)
    screenshot(page, "login-wrong-password")


def test_language_switch_to_english_and_back(page: Any, watch: Any, world: Any) -> None:
    """The footer's language select submits itself (app.js) and the page's lang follows."""
    sign_in(page, "deputy")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("footer button[type=submit]").is_hidden()  # app.js hid the fallback
    with page.expect_navigation():
        page.locator("#language-select").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#language-select").input_value() == "en"
    with translation.override("en"):
        assert page.locator("[data-nav=home]").inner_text().strip() == str(
            translation.gettext("My work")
        )
    assert urlparse(page.url).path == "/"  # back on the page it was switched from
    screenshot(page, "home-deputy-phone-en")
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(
    page: Any, watch: Any, world: Any
) -> None:
    sign_in(page, "deputy")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    assert page.locator("a.skip-link").is_visible()  # visible while focused
    screenshot(page, "skip-link-focused")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    # The next stop is inside main, not back in the header.
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_focus_is_visible_on_header_controls(page: Any, watch: Any, world: Any) -> None:
    sign_in(page, "deputy")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; })()"
    )
    assert outline[0] != "none" and outline[1] != "0px", outline


def test_phone_menu_toggler_opens_and_closes_the_navigation(
    page: Any, watch: Any, world: Any
) -> None:
    sign_in(page, "affairs")
    toggler = page.locator("button.navbar-toggler")
    assert toggler.is_visible()
    assert page.locator("[data-nav=orgs]").is_hidden()
    assert toggler.get_attribute("aria-expanded") == "false"
    toggler.click()
    page.locator("#nav-main.show").wait_for()
    assert toggler.get_attribute("aria-expanded") == "true"
    assert page.locator("[data-nav=orgs]").is_visible()
    assert page.locator("[data-testid=sign-out]").is_visible()
    toggler.click()
    page.locator("#nav-main:not(.show):not(.collapsing)").wait_for(state="attached")
    assert toggler.get_attribute("aria-expanded") == "false"


def test_login_page_is_clean_and_accessible_on_phone_and_desktop(
    page: Any, desktop: Any, watch: Any, world: Any
) -> None:
    page.goto("/accounts/login/")
    assert page.locator("button.navbar-toggler").count() == 0  # nothing to open when signed out
    assert_accessible(page)
    screenshot(page, "login-phone")
    desktop.goto("/accounts/login/")
    assert_accessible(desktop)
    screenshot(desktop, "login-desktop")


def test_not_found_page_keeps_the_shell(page: Any, watch: Any, world: Any) -> None:
    watch.allowed_statuses.add(404)
    sign_in(page, "deputy")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.locator("[data-testid=current-user]").count() == 1
    assert_accessible(page)
    screenshot(page, "404-phone")


def test_accessibility_check_catches_what_it_claims_to(page: Any) -> None:
    """The checker itself can fail: a page with each fault gets each one reported."""
    from .conftest import accessibility_problems

    page.set_content(
        """<html><body><h1>One</h1><h1>Two</h1>
        <input name="q"><img src="data:,">
        <p style="color:#aaa;background:#fff">too pale</p>
        <a href="/x"></a><nav><a class="nav-link active" href="/">Home</a></nav></body></html>"""
    )
    problems = "\n".join(accessibility_problems(page))
    for expected in [
        "no <header> landmark",
        "no <main> landmark",
        "2 <h1> elements",
        "<html> has no lang",
        "no aria-live region",
        "skip link",
        "form control without a label",
        "image without alt",
        "contrast",
        "without an accessible name",
        "without aria-current",
    ]:
        assert expected in problems, expected
