"""Key suggestions (重点督办): SUG-KEY — marked by the office with a supervising leader or
committee; the handling units report progress; the supervisors' board."""

from __future__ import annotations

from datetime import date

import pytest

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.suggestions.actions.key import add_progress_report, mark_key
from renda.suggestions.models import KeySuggestion, ProgressReport, Suggestion
from renda.suggestions.queries import key_suggestions_board

from .answer_builders import at, handled

MARCH_2 = date(2026, 3, 2)


@pytest.fixture
def sug(world):
    with at(MARCH_2):
        return handled(world, cos=("transport",))


def test_office_marks_a_key_suggestion_with_a_supervising_leader(world, sug):
    """SUG-KEY: each key suggestion has a supervising leader or committee, for a year."""
    with at(MARCH_2):
        key = mark_key(
            sug, supervisor=world["leader"], committee="教科文卫委员会", by=world["affairs"]
        )
    assert (key.year, key.supervisor, key.committee) == (2026, world["leader"], "教科文卫委员会")
    assert AuditEvent.objects.filter(verb="suggestion.marked_key").exists()
    told = set(
        Notification.objects.filter(title__contains="Key suggestion").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"leader", "edu_clerk", "edu_head", "transport_clerk"} <= told


def test_a_committee_alone_may_supervise(world, sug):
    """SUG-KEY: a committee instead of a leader."""
    with at(MARCH_2):
        key = mark_key(sug, committee="财经委员会", by=world["affairs"])
    assert key.supervisor is None and key.committee == "财经委员会"


def test_key_needs_a_leader_or_committee(world, sug):
    """SUG-KEY: neither named → 422; a supervisor who is not a leader → 422."""
    with at(MARCH_2):
        with pytest.raises(InvalidInput, match="supervisor"):
            mark_key(sug, by=world["affairs"])
        with pytest.raises(InvalidInput, match="supervisor"):
            mark_key(sug, supervisor=world["deputy2"], by=world["affairs"])
        with pytest.raises(InvalidInput, match="committee"):
            mark_key(sug, committee="委" * 101, by=world["affairs"])
        with pytest.raises(InvalidInput, match="year"):
            mark_key(sug, committee="财经委员会", year=1990, by=world["affairs"])
    assert not KeySuggestion.objects.exists()


def test_only_the_office_marks_key_suggestions(world, sug):
    for who in ("deputy", "edu_clerk", "leader", "committee"):
        with pytest.raises(Forbidden):
            mark_key(sug, committee="财经委员会", by=world[who])
    assert not KeySuggestion.objects.exists()


def test_key_twice_or_from_the_wrong_state_is_a_conflict(world, sug):
    mark_key(sug, committee="财经委员会", by=world["affairs"])
    with pytest.raises(DomainError) as err:
        mark_key(sug, committee="财经委员会", by=world["affairs"])
    assert err.value.code == "already_key"
    Suggestion.objects.filter(pk=sug.pk).update(state="submitted")
    sug.key.delete()
    with pytest.raises(DomainError) as err:
        mark_key(sug, committee="财经委员会", by=world["affairs"])
    assert "state: submitted" in err.value.detail


def test_handling_units_report_progress_to_the_supervisor(world, sug):
    """SUG-KEY: progress reports from the lead and co-units reach the supervisor."""
    key = mark_key(sug, supervisor=world["leader"], by=world["affairs"])
    add_progress_report(key, unit=world.edu, text="已完成线路调研。", by=world["edu_clerk"])
    add_progress_report(
        key, unit=world.transport, text="协办意见已送达。", by=world["transport_clerk"]
    )
    assert ProgressReport.objects.count() == 2
    assert (
        Notification.objects.filter(
            recipient=world["leader"], title__contains="reports progress"
        ).count()
        == 2
    )


def test_progress_reports_permissions_and_input(world, sug):
    key = mark_key(sug, committee="财经委员会", by=world["affairs"])
    for who in ("deputy", "affairs", "leader"):
        with pytest.raises(Forbidden):
            add_progress_report(key, unit=world.edu, text="x", by=world[who])
    with pytest.raises(Forbidden):  # a co-unit reporting for the lead unit
        add_progress_report(key, unit=world.edu, text="x", by=world["transport_clerk"])
    with pytest.raises(InvalidInput, match="text"):
        add_progress_report(key, unit=world.edu, text="   ", by=world["edu_clerk"])
    with pytest.raises(InvalidInput, match="unit"):
        add_progress_report(key, unit=999_999, text="x", by=world["edu_clerk"])
    assert not ProgressReport.objects.exists()


def test_supervisors_board_shows_what_each_may_follow(world, sug):
    """SUG-KEY: the supervision board: the leader, the office; not deputies or units."""
    key = mark_key(sug, supervisor=world["leader"], by=world["affairs"])
    add_progress_report(key, unit=world.edu, text="进展", by=world["edu_clerk"])
    (row,) = key_suggestions_board(world["leader"])
    assert row == key and row.report_count == 1 and row.last_report_at is not None
    assert list(key_suggestions_board(world["affairs"])) == [key]
    assert list(key_suggestions_board(world["affairs"], year=2025)) == []
    for who in ("deputy", "edu_clerk", "county_affairs", "nobody"):
        assert list(key_suggestions_board(world[who])) == []
