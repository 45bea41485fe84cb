"""The calendar pages: who sees what, the schedule form, and saving it twice."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from renda.audit.models import AuditEvent
from renda.calendar.actions import set_deadline
from renda.calendar.models import CalendarYear, Deadline, SpecialDay

pytestmark = pytest.mark.django_db

EDITORS = {"admin"}
READERS = {"affairs", "county_affairs", "edu_clerk", "edu_head", "transport_clerk"}
OTHERS = {
    "deputy",
    "deputy2",
    "station",
    "sc_member",
    "committee",
    "supervisor",
    "leader",
    "nobody",
}
ALL = sorted(EDITORS | READERS | OTHERS)

SCHEDULE = {
    "holidays": "元旦 2027-01-01 2027-01-03\n春节 2027-02-06 2027-02-13\n清明节 2027-04-05",
    "workdays": "2027-02-14 春节调休\n2027-02-20",
}


def test_every_role_of_the_world_fixture_is_in_the_matrix(world):
    assert set(world.users) == set(ALL)


@pytest.mark.parametrize("username", ALL)
def test_overview_permissions(signed_in, username):
    response = signed_in(username).get("/calendar/")
    assert response.status_code == (404 if username in OTHERS else 200)


@pytest.mark.parametrize("username", ALL)
def test_year_page_permissions_and_form_only_for_administrators(signed_in, username):
    response = signed_in(username).get("/calendar/2026/")
    if username in OTHERS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert "春节".encode() in response.content
    assert (b'name="holidays"' in response.content) == (username in EDITORS)


@pytest.mark.parametrize("username", ALL)
def test_saving_a_schedule_permissions(signed_in, username):
    response = signed_in(username).post("/calendar/2027/", SCHEDULE)
    expected = {True: 302}.get(username in EDITORS) or (403 if username in READERS else 404)
    assert response.status_code == expected
    assert CalendarYear.objects.filter(year=2027).exists() == (username in EDITORS)


def test_anonymous_is_sent_to_sign_in(client):
    for path in ("/calendar/", "/calendar/2026/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_overview_calls_the_administrator_to_enter_a_missing_year(signed_in):
    """CALENDAR-UNKNOWN-YEAR: in November the next year is needed and shown as missing."""
    with time_machine.travel(date(2026, 11, 23), tick=False):
        response = signed_in("admin").get("/calendar/")
    assert b'data-gap="2027"' in response.content
    assert b'href="/calendar/2027/"' in response.content


def test_overview_jumps_to_another_year(signed_in):
    c = signed_in("admin")
    assert c.get("/calendar/", {"year": "2030"})["Location"] == "/calendar/2030/"
    response = c.get("/calendar/", {"year": "abc"}, follow=True)
    assert response.status_code == 200
    assert "1900" in response.content.decode()


def test_unknown_year_page_says_weekends_only(signed_in):
    """CALENDAR-UNKNOWN-YEAR."""
    response = signed_in("affairs").get("/calendar/2027/")
    assert b'data-status="missing"' in response.content


@pytest.mark.parametrize("path", ["/calendar/0/", "/calendar/99999/"])
def test_years_out_of_range_are_404(signed_in, path):
    assert signed_in("admin").get(path).status_code == 404


def test_saving_recomputes_deadlines_and_says_how_many(signed_in, world):
    """CALENDAR-UNKNOWN-YEAR: the page tells the administrator how many deadlines moved."""
    set_deadline(
        purpose="answer",
        start=date(2026, 12, 31),
        kind="days",
        amount=1,
        watchers=[world["edu_clerk"]],
    )
    response = signed_in("admin").post(
        "/calendar/2027/", SCHEDULE, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Deadlines recomputed: 1; of which moved: 1" in response.content.decode()
    assert Deadline.objects.get().due == date(2027, 1, 4)
    assert SpecialDay.objects.get(date=date(2027, 2, 20)).name == "调休"
    assert b'data-kind="holiday"' in response.content
    assert b"calendar.schedule_entered" in response.content  # the year's history


def test_posting_twice_is_harmless(signed_in):
    c = signed_in("admin")
    assert c.post("/calendar/2027/", SCHEDULE).status_code == 302
    events = AuditEvent.objects.count()
    second = c.post("/calendar/2027/", SCHEDULE, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert second.status_code == 200
    assert "Nothing changed" in second.content.decode()
    assert AuditEvent.objects.count() == events
    assert SpecialDay.objects.filter(year=2027).count() == 3 + 8 + 1 + 2


@pytest.mark.parametrize(
    "holidays, workdays, expected",
    [
        ("春节 2027-02-30 2027-03-01", "", "Line 1"),
        ("春节", "", "no date found"),
        ("2027-02-06 2027-02-13", "", "holiday&#x27;s name"),
        ("春节 2027-02-06 2027-02-07 2027-02-08", "", "first and a last day only"),
        ("元旦 2027-01-01\n春节 2027-02-13 2027-02-06", "", "Line 2"),
        ("元旦 2026-12-31 2027-01-01", "", "must be in 2027"),
        ("元旦 2027-01-01", "2027-02-15 春节调休", "Saturday or a Sunday"),
        ("元旦 2027-01-01", "春节调休", "no date found"),
        ("", "", "at least one holiday"),
        ("元旦 2027-01-01\n" * 41, "", "At most 40 lines"),
        ("x" * 5000, "", "at most 4000"),
    ],
)
def test_form_errors_are_clear_and_nothing_is_saved(signed_in, holidays, workdays, expected):
    with time_machine.travel(date(2026, 11, 23), tick=False):
        response = signed_in("admin").post(
            "/calendar/2027/",
            {"holidays": holidays, "workdays": workdays},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert expected in response.content.decode(), response.content.decode()[-3000:]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_form_accepts_chinese_and_slashed_dates(signed_in):
    data = {"holidays": "春节：2027年2月6日至2027年2月13日\n清明节 2027/4/5", "workdays": ""}
    assert signed_in("admin").post("/calendar/2027/", data).status_code == 302
    assert SpecialDay.objects.filter(year=2027, name="春节").count() == 8
    assert SpecialDay.objects.get(date=date(2027, 4, 5)).name == "清明节"


def test_known_year_form_is_prefilled_with_its_schedule(signed_in):
    response = signed_in("admin").get("/calendar/2026/")
    assert "春节 2026-02-15 2026-02-23" in response.content.decode()
    assert "2026-02-14 春节" in response.content.decode()
