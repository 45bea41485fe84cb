"""The overdue board (issue 3 point 9): the deputy-affairs office and the government
supervision office (政府督查室) see the overdue answers they supervise; the government
supervision office has it on its home page."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import WORLD_USERS
from renda.suggestions.tasks import check_deadlines

from .answer_builders import at, handled

BOARD = "/suggestions/overdue/"
MAY_SEES = {"admin", "affairs", "county_affairs", "supervisor"}


@pytest.fixture
def overdue(world):
    """One government unit's answer overdue (due 2026-06-02), escalated on 06-18."""
    with at(date(2026, 3, 2)):
        s = handled(world, leads=("edu",))
    check_deadlines(date(2026, 6, 3))
    check_deadlines(date(2026, 6, 18))
    return s


@pytest.mark.parametrize("username", WORLD_USERS)
def test_overdue_board_permission_per_role(signed_in, world, overdue, username):
    """Point 9: the office (its congresses) and the government supervision office see the
    board; everyone else gets a 404, as for a page that is not there."""
    with at(date(2026, 6, 20)):
        response = signed_in(username).get(BOARD)
    if username not in MAY_SEES:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    shown = overdue.title.encode() in response.content
    assert shown == (username != "county_affairs")  # another congress's office
    if shown:
        assert b"escalated to the head" in response.content


def test_the_government_supervision_office_sees_government_units_only(signed_in, world):
    world.transport.kind = "other"
    world.transport.save(update_fields=["kind"])
    with at(date(2026, 3, 2)):
        gov = handled(world, leads=("edu",))
    with at(date(2026, 3, 3)):
        other = handled(world, leads=("transport",))
        other.title = "关于调整公交票价的建议"
        other.save(update_fields=["title"])
    with at(date(2026, 6, 20)):
        supervisor = signed_in("supervisor").get(BOARD).content.decode()
        office = signed_in("affairs").get(BOARD).content.decode()
    assert gov.title in supervisor and other.title not in supervisor
    assert gov.title in office and other.title in office


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(BOARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", WORLD_USERS)
def test_home_overdue_panel_only_for_the_government_supervision_office(
    signed_in, world, overdue, username
):
    """The gov_supervisor role's home page has the overdue board; nobody else's has it."""
    with at(date(2026, 6, 20)):
        response = signed_in(username).get("/")
    assert response.status_code == 200
    has_panel = b'data-panel="overdue"' in response.content
    assert has_panel == (username == "supervisor")
    if has_panel:
        assert overdue.title.encode() in response.content
        assert BOARD.encode() in response.content
