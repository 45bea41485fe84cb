"""GET /api/v1/calendar/…: the fixed deadline contract, bad input as 422, public access."""

from __future__ import annotations

import pytest

from conftest import WORLD_USERS

pytestmark = pytest.mark.django_db

ROLES = [None, *WORLD_USERS]


def test_deadline_contract_months():
    """PERIOD-MONTH: the documented shape, exactly."""
    from django.test import Client

    response = Client().get("/api/v1/calendar/deadline", {"start": "2024-01-31", "months": "1"})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2024-01-31",
        "due": "2024-02-29",
        "provisional": False,
        "rules": ["PERIOD-START", "PERIOD-MONTH"],
    }


@pytest.mark.parametrize("username", ROLES)
def test_deadline_answers_everyone_including_anonymous(api, username):
    """Public information: anonymous callers and every role get the same answer."""
    response = api(username).get("/calendar/deadline", start="2026-09-30", days="1")
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2026-10-08"  # after the National Day holiday (PERIOD-REST-DAY)
    assert body["rules"] == ["PERIOD-START", "PERIOD-REST-DAY"]


def test_deadline_working_days_into_unknown_year_is_provisional(api):
    """CALENDAR-UNKNOWN-YEAR, PERIOD-WORKDAYS."""
    body = api().get("/calendar/deadline", start="2026-12-25", working_days="5").json()
    assert body == {
        "start": "2026-12-25",
        "due": "2027-01-01",
        "provisional": True,
        "rules": ["PERIOD-START", "PERIOD-WORKDAYS", "CALENDAR-UNKNOWN-YEAR"],
    }


@pytest.mark.parametrize(
    "params, words",
    [
        ({"months": "1"}, "start"),
        ({"start": "", "months": "1"}, "start"),
        ({"start": "2026-02-30", "months": "1"}, "2026-02-30"),
        ({"start": "2026/02/01", "months": "1"}, "YYYY-MM-DD"),
        ({"start": "yesterday", "days": "1"}, "YYYY-MM-DD"),
        ({"start": "2026-01-01T00:00", "days": "1"}, "YYYY-MM-DD"),
        ({"start": "0001-01-01", "days": "1"}, "between"),
        ({"start": "9999-12-31", "days": "1"}, "between"),
        ({"start": "2026-01-01"}, "exactly one"),
        ({"start": "2026-01-01", "days": "1", "months": "1"}, "exactly one"),
        ({"start": "2026-01-01", "days": "1", "working_days": "1"}, "exactly one"),
        ({"start": "2026-01-01", "days": "-1"}, "between 1 and"),
        ({"start": "2026-01-01", "days": "0"}, "between 1 and"),
        ({"start": "2026-01-01", "days": "3651"}, "between 1 and"),
        ({"start": "2026-01-01", "months": "121"}, "between 1 and"),
        ({"start": "2026-01-01", "working_days": "1001"}, "between 1 and"),
        ({"start": "2026-01-01", "days": "9" * 40}, "between 1 and"),
        ({"start": "2026-01-01", "days": "abc"}, "days"),
        ({"start": "2026-01-01", "months": "1.5"}, "months"),
        ({"start": "2026-01-01", "working_days": ""}, "working_days"),
    ],
)
def test_bad_input_is_a_clear_422(api, params, words):
    response = api().get("/calendar/deadline", **params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) >= {"error", "detail"}
    assert words in body["detail"]


def test_year_lists_rest_days_and_swapped_workdays(api):
    """PERIOD-WORKDAYS: 2026's swapped Saturday 2026-02-14 is listed as a working day."""
    body = api().get("/calendar/2026").json()
    assert body["known"] is True and body["source"] == "package"
    assert {"date": "2026-02-14", "name": "春节"} in body["workdays"]
    assert {"date": "2026-10-01", "name": "国庆节"} in body["rest_days"]


def test_unknown_year_is_listed_as_not_known(api):
    """CALENDAR-UNKNOWN-YEAR."""
    body = api().get("/calendar/2027").json()
    assert body == {
        "year": 2027,
        "known": False,
        "source": None,
        "entered_at": None,
        "rest_days": [],
        "workdays": [],
    }


@pytest.mark.parametrize("path", ["/calendar/0", "/calendar/12345", "/calendar/abc"])
def test_year_out_of_range_is_404(api, path):
    response = api().get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_years_lists_known_and_missing(api):
    years = {row["year"]: row for row in api().get("/calendar/years").json()}
    assert years[2026]["known"] is True and years[2026]["workdays"] == 6
    assert years[2004]["source"] == "package"
