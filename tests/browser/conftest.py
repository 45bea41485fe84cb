"""Browser-test helpers: sign in through the real form, watch the console, check accessibility.

The `page` fixture (conftest.py at the root) is a phone-sized Chromium page on pytest-django's
live server; a test that uses it runs on a transactional database, so the `world` fixture's rows
are committed and the server thread sees them. `desktop` opens a 1280x800 page on the same
session. Screenshots go to test-artifacts/ when RENDA_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# The password the root conftest's `world` fixture gives every user.
PASSWORD = "correct-horse-battery-9"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@dataclass
class Watch:
    """Everything that went wrong in the browser: console errors, CSP violations, script
    exceptions and failed requests. A page is clean when `problems` stays empty."""

    problems: list[str] = field(default_factory=list)
    allowed_statuses: set[int] = field(default_factory=set)

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        page.on("response", self._response)

    def _console(self, msg: Any) -> None:
        text = msg.text
        if text.startswith("Failed to load resource"):
            return  # reported by _response, with its URL, unless the test expects that status
        if msg.type == "error" or "Content Security Policy" in text:
            self.problems.append(f"console {msg.type}: {text} ({page_url(msg)})")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.status not in self.allowed_statuses:
            self.problems.append(f"HTTP {response.status} for {response.url}")

    def assert_clean(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, "the browser reported problems:\n" + "\n".join(problems)


def page_url(msg: Any) -> str:
    location = msg.location or {}
    return location.get("url", "")


@pytest.fixture
def watch(page: Any) -> Iterator[Watch]:
    """Watches the phone page; a test that ends with unreported problems fails."""
    w = Watch()
    w.attach(page)
    yield w
    w.assert_clean()


@pytest.fixture
def desktop(chromium: Any, live_server: Any, page: Any) -> Iterator[Any]:
    """A desktop-sized page sharing the phone page's cookies (call `desktop.sync()` after
    signing in on the phone page)."""
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    pg = context.new_page()
    pg.set_default_timeout(10_000)

    def sync() -> None:
        context.clear_cookies()
        context.add_cookies(page.context.cookies())

    pg.sync = sync  # type: ignore[attr-defined]
    yield pg
    context.close()


def screenshot(page: Any, name: str) -> Path | None:
    """Save a full-page screenshot to test-artifacts/<name>.png when RENDA_SCREENSHOTS=1."""
    if os.environ.get("RENDA_SCREENSHOTS") != "1":
        return None
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form, as a person would."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def open_phone_menu(page: Any) -> None:
    toggler = page.locator("button.navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#nav-main.show").wait_for()


A11Y_SCRIPT = (Path(__file__).parent / "a11y.js").read_text(encoding="utf-8")


def accessibility_problems(page: Any) -> list[str]:
    return page.evaluate(A11Y_SCRIPT)


def assert_accessible(page: Any) -> None:
    problems = accessibility_problems(page)
    assert not problems, f"accessibility problems on {page.url}:\n" + "\n".join(problems)
