"""Shared test fixtures: a small world with one named user per role, API and browser helpers."""

from __future__ import annotations

import os
import shutil
import warnings
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

PASSWORD = "correct-horse-battery-9"
_PASSWORD_HASH: dict[str, str] = {}


# The people of the `world` fixture: username -> (role, congress, unit) records.
WORLD_ROLES: dict[str, list[tuple[str, str | None, str | None]]] = {
    "admin": [("admin", None, None)],
    "affairs": [("deputy_affairs", "city", None)],
    "deputy": [("deputy", "city", None)],
    "deputy2": [("deputy", "city", None)],
    "edu_clerk": [("unit_clerk", "city", "edu")],
    "edu_head": [("unit_head", "city", "edu")],
    "transport_clerk": [("unit_clerk", "city", "transport")],
    "station": [("station_staff", "city", None)],
    "sc_member": [("sc_member", "city", None), ("deputy", "city", None)],
    "committee": [("committee", "city", None)],
    "supervisor": [("gov_supervisor", "city", None)],
    "leader": [("leader", "city", None)],
    "county_affairs": [("deputy_affairs", "county", None)],
    "nobody": [],
}
# Every user of the world, for permission matrices (each endpoint × each role).
WORLD_USERS: tuple[str, ...] = tuple(WORLD_ROLES)


@dataclass
class World:
    city: Any
    county: Any
    term: Any
    session: Any
    edu: Any
    transport: Any
    users: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.users[key]


def make_user(username: str, **extra: Any) -> Any:
    from renda.accounts.models import User

    # Hash once per run: argon2 is slow on purpose, tests need not be.
    if "hash" not in _PASSWORD_HASH:
        _PASSWORD_HASH["hash"] = make_password(PASSWORD)
    return User.objects.create(
        username=username,
        password=_PASSWORD_HASH["hash"],
        full_name=extra.pop("full_name", username),
        **extra,
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any) -> Any:
    """pytest-django's, and at the end the search pool's connections closed (renda/search/
    fanout.py: transactional tests search side by side), or the test database cannot be
    dropped while they are open."""
    yield
    from renda.search import fanout

    fanout.close()


@pytest.fixture(autouse=True)
def _english_for_assertions(request: Any) -> Any:
    """Tests assert on English messages (the msgids). Simplified Chinese stays the platform's
    default: tests marked `chinese` and the browser tests (which send Accept-Language zh-CN)
    see it, and renda/home/tests/test_language.py proves it."""
    if request.node.get_closest_marker("chinese") or request.node.get_closest_marker("browser"):
        yield
        return
    from django.test import override_settings
    from django.utils import translation

    with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _legal_calendar_filled(request: Any) -> None:
    """The official calendar the migration filled, even after a transactional (browser) test has
    flushed every table: a flush removes rows that data migrations wrote (CALENDAR-UNKNOWN-YEAR
    would otherwise make every deadline provisional in the tests that follow)."""
    names = set(request.fixturenames)
    if "live_server" in names or "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    import importlib

    from django.apps import apps

    from renda.calendar.models import CalendarYear

    if not CalendarYear.objects.exists():
        importlib.import_module("renda.calendar.migrations.0002_fill_from_chinese_calendar").fill(
            apps, None
        )
    from renda.opinions.models import OpinionCategory

    if not OpinionCategory.objects.exists():  # the default category tree (a data migration)
        importlib.import_module("renda.opinions.migrations.0002_default_categories").forwards(
            apps, None
        )


@pytest.fixture
def world(db: Any) -> World:
    """A city congress with one county below it, two units, and one user per role.

    Users: admin, affairs (deputy_affairs), deputy, deputy2, edu_clerk, edu_head,
    transport_clerk, station (station_staff), sc_member, committee, supervisor
    (gov_supervisor), leader, county_affairs (deputy_affairs of the county), nobody (no role).
    """
    from renda.accounts.models import RoleAssignment
    from renda.orgs.models import Congress, HandlingUnit, Session, Term

    city = Congress.objects.create(
        name="示范市人民代表大会", level="city", region_name="示范市", division_code="330300"
    )
    county = Congress.objects.create(
        name="示范区人民代表大会",
        level="county",
        region_name="示范区",
        division_code="330302",
        parent=city,
    )
    term = Term.objects.create(congress=city, number=14, start_date=date(2022, 1, 1))
    session = Session.objects.create(
        term=term, number=5, start_date=date(2026, 2, 10), end_date=date(2026, 2, 14)
    )
    edu = HandlingUnit.objects.create(congress=city, name="市教育局", kind="government")
    transport = HandlingUnit.objects.create(congress=city, name="市交通运输局", kind="government")
    users = {}
    places = {"city": city, "county": county, "edu": edu, "transport": transport, None: None}
    for username, roles in WORLD_ROLES.items():
        user = make_user(username, email=f"{username}@example.org", phone="13800138000")
        for role, congress, unit in roles:
            RoleAssignment.objects.create(
                user=user, role=role, congress=places[congress], unit=places[unit]
            )
        users[username] = user
    _register_world_deputies(users, city, term)
    return World(city, county, term, session, edu, transport, users)


# ID-card numbers (GB 11643, valid check characters) of the world's deputies.
WORLD_ID_NUMBERS = {
    "deputy": "330302198001010019",
    "deputy2": "330302198505050022",
    "sc_member": "330302197003030035",
}


def _register_world_deputies(users: dict[str, Any], city: Any, term: Any) -> None:
    """The world's city deputies in the registry (Person + Deputyship), as the roles say."""
    from renda.deputies.models import DEFAULT_PUBLIC_FIELDS, Deputyship, Person

    for username, number in WORLD_ID_NUMBERS.items():
        user = users[username]
        person = Person.objects.create(
            user=user,
            name=user.full_name,
            id_number=number,
            gender="male" if int(number[16]) % 2 else "female",
            birth_month=date(int(number[6:10]), int(number[10:12]), 1),
            party="cpc",
            workplace="示范市某单位",
        )
        Deputyship.objects.create(
            person=person,
            congress=city,
            term=term,
            electoral_unit="示范区",
            public_fields=list(DEFAULT_PUBLIC_FIELDS),
        )


@pytest.fixture
def signed_in(client: Client, world: World) -> Any:
    """signed_in("edu_clerk") -> a Django test client with that person's session."""

    def _as(username: str) -> Client:
        c = Client()
        c.force_login(world[username])
        return c

    return _as


class ApiClient:
    """Calls /api/v1 with a bearer token, as an outside tool would."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers())

    def post(self, path: str, body: Any = None, raw: str | None = None) -> Any:
        import json

        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            f"/api/v1{path}", data, content_type="application/json", headers=self._headers()
        )


@pytest.fixture
def api(world: World) -> Any:
    """api("deputy") -> an ApiClient holding a real token for that user; api() is anonymous."""
    from renda.accounts.actions import issue_api_token

    def _as(username: str | None = None) -> ApiClient:
        if username is None:
            return ApiClient()
        token, _row = issue_api_token(world[username])
        return ApiClient(token)

    return _as


# --- Browser (Playwright + the system Chromium) ---------------------------------------------
CHROMIUM = os.environ.get("RENDA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _browser_missing_reason() -> str | None:
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="module")
def chromium() -> Any:
    """The system Chromium, one per test module.

    Playwright's sync API runs an asyncio loop in this thread while the browser is open, which
    trips Django's async-safety check on every ORM call from the test; the check is lifted only
    for as long as the browser lives (module scope, so the rest of the suite keeps it).
    """
    reason = _browser_missing_reason()
    if reason:
        if os.environ.get("RENDA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"BROWSER TESTS REQUIRED but cannot run: {reason}", pytrace=False)
        msg = f"!!! BROWSER TESTS SKIPPED: {reason}. Install chromium to run them. !!!"
        warnings.warn(msg, stacklevel=1)
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Any:
    context = chromium.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def _search_vocabulary_forgotten() -> None:
    """Each test starts without this process's set of words known to be in the search
    vocabulary (renda.search.index): a flush between tests empties the table behind it."""
    from renda.search.index import _forget_known

    _forget_known()
