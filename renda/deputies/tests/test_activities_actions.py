"""Activities, check-in, leave and closing (issue 4 point 3): the rules, on the real database.

Check-in: only within the window, only for oneself, once (a replay is a 409), only active
deputies of the congress or invited ones (DEP-SUSPEND: not while suspended). Leave: asked before
the start, decided by the organiser. Closing: every invitee's outcome and duty record, once
(DEP-SCORE deducts for leave and absence; DEP-TERMINATE reads the sessions' outcomes)."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from conftest import make_user
from renda.accounts.models import RoleAssignment
from renda.audit.models import AuditEvent
from renda.deputies.actions.activities import (
    ActivityIn,
    Invitees,
    cancel_activity,
    check_in,
    close_activity,
    create_activity,
    decide_leave,
    invite,
    mark_attendance,
    remove_invitee,
    request_leave,
    update_activity,
    withdraw_leave,
)
from renda.deputies.actions.registry import suspend_deputyship
from renda.deputies.models import (
    Activity,
    Attendance,
    Delegation,
    DeputyGroup,
    Deputyship,
    DutyRecord,
    GroupMembership,
    LeaveRequest,
    Person,
)
from renda.deputies.queries_activities import session_attendance
from renda.errors import DomainError, Forbidden, InvalidInput, NotFound
from renda.notifications.models import Notification
from renda.orgs.models import Session, Term

from .activity_builders import DEPUTIES, deputyship_of, organised, running

SHANGHAI = timezone.get_fixed_timezone(480)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def county_deputy(world, username="county_dep"):
    """A deputy of the county congress only (not of the city)."""
    user = make_user(username)
    term = Term.objects.create(congress=world.county, number=9, start_date=date(2022, 1, 1))
    person = Person.objects.create(user=user, name="县代表")
    d = Deputyship.objects.create(person=person, congress=world.county, term=term)
    RoleAssignment.objects.create(user=user, role="deputy", congress=world.county)
    return user, d


def outcomes(activity):
    return {
        a.deputyship.person.user.username: a.outcome
        for a in Attendance.objects.filter(activity=activity).select_related(
            "deputyship__person__user"
        )
    }


# --- organising -----------------------------------------------------------------------------
def test_office_organises_an_activity_invites_deputies_and_tells_them(world):
    a = organised(world)
    assert a.state == "planned" and a.organiser == world["affairs"] and len(a.code) >= 24
    assert set(outcomes(a)) == set(DEPUTIES)
    assert AuditEvent.objects.filter(verb="activity.created", object_id=str(a.pk)).exists()
    for name in DEPUTIES:
        note = Notification.objects.get(recipient=world[name])
        assert a.title in note.title and note.url == f"/deputies/activities/{a.pk}/"


def test_default_check_in_window_is_thirty_minutes_before_the_start_to_the_end(world):
    start = timezone.now() + timedelta(days=1)
    a = organised(world, starts=start, hours=3)
    assert a.checkin_opens_at == start - timedelta(minutes=30)
    assert a.checkin_closes_at == start + timedelta(hours=3)


def test_check_in_window_can_be_set(world):
    start = timezone.now() + timedelta(days=1)
    a = organised(
        world,
        starts=start,
        checkin_opens_at=start - timedelta(hours=1),
        checkin_closes_at=start + timedelta(minutes=15),
    )
    assert a.checkin_opens_at == start - timedelta(hours=1)
    assert a.checkin_closes_at == start + timedelta(minutes=15)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"hours": -1}, "ends_at"),
        ({"hours": 24 * 40}, "ends_at"),
        ({"checkin_opens_at": "+3h", "checkin_closes_at": "+1h"}, "checkin_closes_at"),
        ({"checkin_opens_at": "+5h", "checkin_closes_at": "+6h"}, "checkin_opens_at"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"kind": "suggestion"}, "kind"),
        ({"kind": "nonsense"}, "kind"),
    ],
)
def test_bad_activity_input_is_refused_naming_the_field(world, change, field):
    start = timezone.now() + timedelta(days=1)
    for key in ("checkin_opens_at", "checkin_closes_at"):
        if key in change:
            change[key] = start + timedelta(hours=int(change[key][1:-1]))
    with pytest.raises(InvalidInput) as err:
        organised(world, starts=start, **change)
    assert err.value.detail.startswith(f"{field}:")
    assert not Activity.objects.exists()


def test_a_naive_or_far_away_time_is_handled_not_a_crash(world):
    with pytest.raises(InvalidInput):
        organised(world, starts=at(1900, 1, 1, 9))
    a = organised(world, starts=datetime(2030, 5, 1, 9, 0))  # naive: Beijing time
    assert timezone.localtime(a.starts_at).hour == 9


def test_a_session_activity_links_the_session_covering_its_start(world):
    """DEP-TERMINATE counts sessions: a session's attendance names the session."""
    a = organised(world, kind="session", starts=at(2026, 2, 10, 9), invite=())
    assert a.session == world.session
    other = organised(world, kind="session", starts=at(2026, 6, 1, 9), invite=())
    assert other.session is None


def test_only_a_session_activity_links_a_session_and_only_of_its_congress(world):
    with pytest.raises(InvalidInput, match="^session:"):
        organised(world, kind="training", session=world.session.pk)
    county_term = Term.objects.create(congress=world.county, number=9, start_date=date(2022, 1, 1))
    county_session = Session.objects.create(
        term=county_term, number=1, start_date=date(2026, 2, 1), end_date=date(2026, 2, 3)
    )
    with pytest.raises(InvalidInput, match="^session:"):
        organised(world, kind="session", session=county_session.pk)


@pytest.mark.parametrize("username", ["deputy", "edu_clerk", "county_affairs", "nobody", "leader"])
def test_only_the_office_and_station_staff_organise(world, username):
    with pytest.raises(Forbidden):
        organised(world, by=username)


def test_station_staff_organise_reception_activities_only(world):
    a = organised(world, by="station", kind="reception", title="代表进站接待选民")
    assert a.organiser == world["station"]
    with pytest.raises(InvalidInput, match="^kind:"):
        organised(world, by="station", kind="inspection")


def test_invite_all_active_deputies_skips_suspended_ones(world):
    suspend_deputyship(
        deputyship_of(world, "deputy2"), ground="detained", on=date(2026, 1, 5), by=world["admin"]
    )
    a = organised(world, invite=(), all_deputies=True)
    assert set(outcomes(a)) == {"deputy", "sc_member"}


def test_invite_a_delegation_and_a_mixed_group(world):
    """A group may mix levels: its county member is invited though not a city deputy."""
    delegation = Delegation.objects.create(congress=world.city, term=world.term, name="鹿城代表团")
    Deputyship.objects.filter(pk=deputyship_of(world, "deputy").pk).update(delegation=delegation)
    group = DeputyGroup.objects.create(congress=world.city, name="五马街道代表小组")
    _user, county = county_deputy(world)
    GroupMembership.objects.create(group=group, deputyship=county)
    start = timezone.now() + timedelta(days=1)
    a = create_activity(
        world.city,
        ActivityIn(
            kind="group_activity",
            title="小组活动",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        ),
        invitees=Invitees(delegations=[delegation.pk], groups=[group.pk]),
        by=world["affairs"],
    )
    assert set(outcomes(a)) == {"deputy", "county_dep"}


def test_picked_deputies_must_be_active_deputies_of_the_congress(world):
    _user, county = county_deputy(world)
    start = timezone.now() + timedelta(days=1)
    data = ActivityIn(
        kind="training", title="培训", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    for bad in ([county.pk], [10**12], ["1"], [True]):
        with pytest.raises(InvalidInput, match="^deputies:"):
            create_activity(world.city, data, invitees=Invitees(deputies=bad), by=world["affairs"])
    other_group = DeputyGroup.objects.create(congress=world.county, name="县小组")
    with pytest.raises(InvalidInput, match="^groups:"):
        create_activity(
            world.city, data, invitees=Invitees(groups=[other_group.pk]), by=world["affairs"]
        )


def test_invite_more_tells_only_the_new_invitees(world):
    a = organised(world, invite=("deputy",))
    Notification.objects.all().delete()
    added = invite(a, Invitees(all_deputies=True), by=world["affairs"])
    assert len(added) == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "deputy2",
        "sc_member",
    }
    assert invite(a, Invitees(all_deputies=True), by=world["affairs"]) == []


def test_update_tells_invitees_of_a_new_time_and_keeps_the_changes_in_the_history(world):
    a = organised(world)
    Notification.objects.all().delete()
    later = a.starts_at + timedelta(hours=1)
    update_activity(
        a,
        ActivityIn(
            kind=a.kind,
            title=a.title,
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            location="新地点",
        ),
        by=world["affairs"],
    )
    a.refresh_from_db()
    assert a.location == "新地点" and a.checkin_opens_at == later - timedelta(minutes=30)
    event = AuditEvent.objects.get(verb="activity.updated")
    assert "location" in event.data and "starts_at" in event.data
    assert Notification.objects.filter(title__startswith="Changed").count() == 3


def test_station_staff_manage_only_what_they_organised(world):
    office_one = organised(world, kind="reception")
    with pytest.raises(Forbidden):
        cancel_activity(office_one, reason="x", by=world["station"])
    own = organised(world, by="station", kind="reception")
    cancel_activity(own, reason="场地维修", by=world["station"])
    assert Activity.objects.get(pk=own.pk).state == "cancelled"


def test_cancel_needs_a_reason_tells_invitees_and_happens_once(world):
    a = organised(world)
    with pytest.raises(InvalidInput, match="^reason:"):
        cancel_activity(a, reason=" ", by=world["affairs"])
    Notification.objects.all().delete()
    cancel_activity(a, reason="台风预警", by=world["affairs"])
    assert Notification.objects.filter(body="台风预警").count() == 3
    with pytest.raises(DomainError) as err:
        cancel_activity(a, reason="again", by=world["affairs"])
    assert err.value.code == "cancelled"


def test_remove_an_invitee_withdraws_their_leave_request(world):
    a = organised(world)
    leave = request_leave(a, reason="出差", by=world["deputy2"])
    remove_invitee(a, deputyship_of(world, "deputy2").pk, by=world["affairs"])
    assert "deputy2" not in outcomes(a)
    assert LeaveRequest.objects.get(pk=leave.pk).state == "withdrawn"
    with pytest.raises(NotFound):
        remove_invitee(a, deputyship_of(world, "deputy2").pk, by=world["affairs"])


def test_an_invitation_is_not_withdrawn_once_the_activity_started(world):
    """Otherwise an organiser could make an absence without leave vanish."""
    a = running(world)
    with pytest.raises(DomainError) as err:
        remove_invitee(a, deputyship_of(world, "sc_member").pk, by=world["affairs"])
    assert err.value.code == "started"
    assert "sc_member" in outcomes(a)


# --- check-in -------------------------------------------------------------------------------
def test_deputy_checks_in_with_the_code_within_the_window(world):
    a = running(world)
    row = check_in(a, code=a.code, by=world["deputy"])
    assert row.checked_in_at is not None and row.invited
    assert AuditEvent.objects.filter(verb="attendance.checked_in", object_id=str(row.pk)).exists()


def test_the_code_checks_in_the_signed_in_person_only(world):
    """The code names the activity; the person is whoever is signed in: deputy2 using the code
    deputy was shown checks in deputy2, never deputy."""
    a = running(world)
    check_in(a, code=a.code, by=world["deputy2"])
    rows = Attendance.objects.filter(activity=a, checked_in_at__isnull=False)
    assert [r.deputyship.person.user.username for r in rows] == ["deputy2"]


def test_a_replayed_check_in_is_recorded_once(world):
    a = running(world)
    first = check_in(a, code=a.code, by=world["deputy"])
    with pytest.raises(DomainError) as err:
        check_in(a, code=a.code, by=world["deputy"])
    assert err.value.code == "already_checked_in" and err.value.status == 409
    assert timezone.localtime(first.checked_in_at).strftime("%H:%M") in err.value.detail
    assert Attendance.objects.filter(activity=a, checked_in_at__isnull=False).count() == 1
    assert AuditEvent.objects.filter(verb="attendance.checked_in").count() == 1


def test_a_wrong_code_is_not_found(world):
    a = running(world)
    other = running(world, title="另一个活动")
    for code in ("", "x" * 24, other.code, None, 12):
        with pytest.raises(NotFound):
            check_in(a, code=code, by=world["deputy"])


def test_check_in_outside_the_window_says_when_it_is_open(world):
    start = at(2030, 3, 1, 9)
    a = organised(world, starts=start, hours=2)
    with time_machine.travel(at(2030, 3, 1, 8, 29), tick=False):
        with pytest.raises(DomainError) as early:
            check_in(a, code=a.code, by=world["deputy"])
    assert early.value.code == "outside_window" and early.value.status == 409
    assert "2030-03-01 08:30" in early.value.detail and "2030-03-01 11:00" in early.value.detail
    with time_machine.travel(at(2030, 3, 1, 8, 30), tick=False):
        check_in(a, code=a.code, by=world["deputy"])
    with time_machine.travel(at(2030, 3, 1, 11, 0, 1), tick=False):
        with pytest.raises(DomainError) as late:
            check_in(a, code=a.code, by=world["deputy2"])
    assert "has closed" in late.value.detail and "08:30" in late.value.detail


@pytest.mark.parametrize("username", ["affairs", "station", "admin", "edu_clerk", "nobody"])
def test_never_a_non_deputy(world, username):
    a = running(world)
    with pytest.raises(Forbidden):
        check_in(a, code=a.code, by=world[username])
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()


def test_a_deputy_of_another_congress_cannot_check_in(world):
    user, _d = county_deputy(world)
    a = running(world)
    with pytest.raises(Forbidden):
        check_in(a, code=a.code, by=user)


def test_an_uninvited_deputy_of_the_congress_checks_in_as_uninvited(world):
    """Check-in is congress-wide: any active deputy of the activity's congress."""
    a = running(world, invite=("deputy",))
    row = check_in(a, code=a.code, by=world["deputy2"])
    assert row.invited is False


def test_a_suspended_deputy_cannot_check_in(world):
    """DEP-SUSPEND: duties suspended, no check-in (invited or not)."""
    a = running(world)
    suspend_deputyship(
        deputyship_of(world, "deputy"), ground="detained", on=date(2026, 1, 5), by=world["admin"]
    )
    with pytest.raises(Forbidden):
        check_in(a, code=a.code, by=world["deputy"])


def test_no_check_in_once_cancelled_or_closed(world):
    a = running(world)
    cancel_activity(a, reason="取消", by=world["affairs"])
    with pytest.raises(DomainError) as err:
        check_in(a, code=a.code, by=world["deputy"])
    assert err.value.code == "cancelled"
    b = running(world)
    close_activity(b, by=world["affairs"])
    with pytest.raises(DomainError) as err:
        check_in(b, code=b.code, by=world["deputy"])
    assert err.value.code == "closed"


def _at_once(n, fn):
    barrier = threading.Barrier(n)
    results: list[object] = []

    def work():
        try:
            barrier.wait(timeout=20)
            results.append(fn())
        except BaseException as exc:  # noqa: BLE001 - counted below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_the_same_check_in_sent_four_times_at_once_is_recorded_once(world):
    a = running(world)
    results = _at_once(4, lambda: check_in(a, code=a.code, by=world["deputy"]))
    wins = [r for r in results if isinstance(r, Attendance)]
    losses = [r for r in results if isinstance(r, DomainError)]
    assert len(wins) == 1 and len(losses) == 3, results
    assert all(e.code == "already_checked_in" for e in losses)
    assert AuditEvent.objects.filter(verb="attendance.checked_in").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_uninvited_deputy_checking_in_twice_at_once_gets_one_row(world):
    a = running(world, invite=())
    results = _at_once(3, lambda: check_in(a, code=a.code, by=world["deputy2"]))
    assert sum(isinstance(r, Attendance) for r in results) == 1, results
    assert Attendance.objects.filter(activity=a).count() == 1


# --- leave ----------------------------------------------------------------------------------
def test_an_invited_deputy_asks_for_leave_before_the_start_and_the_organiser_is_told(world):
    a = organised(world)
    Notification.objects.all().delete()
    leave = request_leave(a, reason="参加省里的培训", by=world["deputy"])
    assert leave.state == "requested"
    note = Notification.objects.get()
    assert note.recipient == world["affairs"] and note.body == "参加省里的培训"


def test_leave_requests_close_when_the_activity_starts(world):
    start = at(2030, 3, 1, 9)
    a = organised(world, starts=start)
    with time_machine.travel(at(2030, 3, 1, 9, 0), tick=False):
        with pytest.raises(DomainError) as err:
            request_leave(a, reason="临时有事", by=world["deputy"])
    assert err.value.code == "leave_closed" and "2030-03-01 09:00" in err.value.detail


def test_leave_is_for_invited_deputies_with_a_reason_one_at_a_time(world):
    a = organised(world, invite=("deputy",))
    with pytest.raises(Forbidden):
        request_leave(a, reason="x", by=world["deputy2"])
    with pytest.raises(Forbidden):
        request_leave(a, reason="x", by=world["affairs"])
    with pytest.raises(InvalidInput, match="^reason:"):
        request_leave(a, reason="   ", by=world["deputy"])
    with pytest.raises(InvalidInput, match="^reason:"):
        request_leave(a, reason="长" * 1001, by=world["deputy"])
    request_leave(a, reason="出差", by=world["deputy"])
    with pytest.raises(DomainError) as err:
        request_leave(a, reason="出差", by=world["deputy"])
    assert err.value.code == "leave_exists"


def test_organiser_approves_or_refuses_and_the_deputy_is_told(world):
    a = organised(world)
    one = request_leave(a, reason="出差", by=world["deputy"])
    two = request_leave(a, reason="家事", by=world["deputy2"])
    Notification.objects.all().delete()
    decide_leave(one, approve=True, by=world["affairs"])
    decide_leave(two, approve=False, note="本次视察需全员参加", by=world["affairs"])
    assert LeaveRequest.objects.get(pk=one.pk).state == "approved"
    refused = LeaveRequest.objects.get(pk=two.pk)
    assert refused.state == "refused" and refused.decided_by == world["affairs"]
    assert Notification.objects.get(recipient=world["deputy"]).title.startswith("Leave approved")
    assert Notification.objects.get(recipient=world["deputy2"]).body == "本次视察需全员参加"
    with pytest.raises(DomainError) as err:
        decide_leave(one, approve=False, by=world["affairs"])
    assert err.value.code == "wrong_state"
    # A refused request may be asked again.
    assert request_leave(a, reason="家事，补充说明", by=world["deputy2"]).state == "requested"


@pytest.mark.parametrize("username", ["deputy", "deputy2", "station", "county_affairs"])
def test_only_the_organiser_decides_leave(world, username):
    a = organised(world)
    leave = request_leave(a, reason="出差", by=world["deputy"])
    with pytest.raises(Forbidden):
        decide_leave(leave, approve=True, by=world[username])


def test_a_deputy_withdraws_a_pending_request_only(world):
    a = organised(world)
    leave = request_leave(a, reason="出差", by=world["deputy"])
    with pytest.raises(Forbidden):
        withdraw_leave(leave, by=world["deputy2"])
    withdraw_leave(leave, by=world["deputy"])
    assert LeaveRequest.objects.get(pk=leave.pk).state == "withdrawn"
    again = request_leave(a, reason="出差", by=world["deputy"])
    decide_leave(again, approve=True, by=world["affairs"])
    with pytest.raises(DomainError):
        withdraw_leave(again, by=world["deputy"])


# --- marking and closing --------------------------------------------------------------------
def test_close_writes_each_invitees_outcome_and_duty_record_in_one_go(world):
    """DEP-SCORE: attended → the activity's kind; approved leave → leave; absent → absence."""
    start = timezone.now() + timedelta(hours=1)
    a = organised(world, starts=start, kind="training", title="代表履职培训")
    leave = request_leave(a, reason="出差", by=world["deputy2"])
    decide_leave(leave, approve=True, by=world["affairs"])
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        check_in(a, code=a.code, by=world["deputy"])
        summary = close_activity(a, by=world["affairs"])
    assert summary == {"attended": 1, "on_leave": 1, "absent": 1}
    assert outcomes(a) == {"deputy": "attended", "deputy2": "on_leave", "sc_member": "absent"}
    records = {
        r.deputyship.person.user.username: r
        for r in DutyRecord.objects.filter(activity=a).select_related("deputyship__person__user")
    }
    assert {u: r.kind for u, r in records.items()} == {
        "deputy": "training",
        "deputy2": "leave",
        "sc_member": "absence",
    }
    row = Attendance.objects.get(activity=a, deputyship=deputyship_of(world, "deputy"))
    assert records["deputy"].source_ref == f"attendance:{row.pk}"
    assert records["deputy"].source == "activity" and records["deputy"].title == "代表履职培训"
    assert records["deputy"].occurred_on == timezone.localtime(start).date()
    a.refresh_from_db()
    assert a.state == "closed" and a.closed_at is not None
    assert Notification.objects.filter(
        recipient=world["sc_member"], title__startswith="Recorded as absent"
    ).exists()


def test_closing_twice_is_a_409_and_records_nothing_more(world):
    a = running(world)
    close_activity(a, by=world["affairs"])
    with pytest.raises(DomainError) as err:
        close_activity(a, by=world["affairs"])
    assert err.value.status == 409 and err.value.code == "already_closed"
    assert DutyRecord.objects.filter(activity=a).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_organisers_closing_at_once_close_once(world):
    a = running(world)
    users = iter([world["affairs"], world["admin"]])
    lock = threading.Lock()

    def close():
        with lock:
            user = next(users)
        return close_activity(a, by=user)

    results = _at_once(2, close)
    assert sum(isinstance(r, dict) for r in results) == 1, results
    assert DutyRecord.objects.filter(activity=a).count() == 3


def test_not_closed_before_the_start_nor_with_leave_undecided(world):
    a = organised(world)
    with pytest.raises(DomainError) as err:
        close_activity(a, by=world["affairs"])
    assert err.value.code == "not_started"
    request_leave(a, reason="出差", by=world["deputy"])
    with time_machine.travel(a.starts_at + timedelta(minutes=1), tick=False):
        with pytest.raises(DomainError) as err:
            close_activity(a, by=world["affairs"])
    assert err.value.code == "leave_pending" and "1" in err.value.detail


def test_hand_marks_count_at_the_close(world):
    """A deputy without a phone is marked present; a check-in of someone not there is struck."""
    a = running(world, invite=("deputy", "deputy2"))
    check_in(a, code=a.code, by=world["deputy2"])
    mark_attendance(a, deputyship_of(world, "deputy").pk, present=True, by=world["affairs"])
    mark_attendance(a, deputyship_of(world, "deputy2").pk, present=False, by=world["affairs"])
    mark_attendance(a, deputyship_of(world, "sc_member").pk, present=True, by=world["affairs"])
    close_activity(a, by=world["affairs"])
    assert outcomes(a) == {"deputy": "attended", "deputy2": "absent", "sc_member": "attended"}
    marked = Attendance.objects.get(activity=a, deputyship=deputyship_of(world, "deputy"))
    assert marked.confirmed_by == world["affairs"]
    assert AuditEvent.objects.filter(verb="attendance.struck").count() == 1


def test_striking_an_uninvited_check_in_removes_it(world):
    a = running(world, invite=())
    check_in(a, code=a.code, by=world["deputy"])
    assert (
        mark_attendance(a, deputyship_of(world, "deputy").pk, present=False, by=world["affairs"])
        is None
    )
    assert not Attendance.objects.filter(activity=a).exists()


def test_hand_marks_wait_for_the_window_and_only_the_organiser_makes_them(world):
    a = organised(world, starts=timezone.now() + timedelta(days=1))
    with pytest.raises(DomainError) as err:
        mark_attendance(a, deputyship_of(world, "deputy").pk, present=True, by=world["affairs"])
    assert err.value.code == "not_open"
    b = running(world)
    with pytest.raises(Forbidden):
        mark_attendance(b, deputyship_of(world, "deputy").pk, present=True, by=world["deputy"])
    _user, county = county_deputy(world)
    with pytest.raises(NotFound):
        mark_attendance(b, county.pk, present=True, by=world["affairs"])


def test_an_uninvited_attendee_gets_a_duty_record_and_no_absence_is_made_up(world):
    a = running(world, invite=("deputy",))
    check_in(a, code=a.code, by=world["deputy2"])
    close_activity(a, by=world["affairs"])
    assert outcomes(a) == {"deputy": "absent", "deputy2": "attended"}
    assert not Attendance.objects.filter(
        activity=a, deputyship=deputyship_of(world, "sc_member")
    ).exists()


def test_nothing_changes_once_closed(world):
    a = running(world)
    close_activity(a, by=world["affairs"])
    for call in (
        lambda: update_activity(
            a,
            ActivityIn(kind=a.kind, title="新", starts_at=a.starts_at, ends_at=a.ends_at),
            by=world["affairs"],
        ),
        lambda: invite(a, Invitees(all_deputies=True), by=world["affairs"]),
        lambda: cancel_activity(a, reason="x", by=world["affairs"]),
        lambda: mark_attendance(
            a, deputyship_of(world, "deputy").pk, present=True, by=world["affairs"]
        ),
    ):
        with pytest.raises(DomainError) as err:
            call()
        assert err.value.code == "closed"


def test_session_attendance_gives_dep_terminate_the_outcome_per_session(world):
    """DEP-TERMINATE: a closed session's outcomes per deputy; attending one sitting of the
    session counts as attending it."""
    day1 = organised(world, kind="session", starts=at(2026, 2, 10, 9), title="第五次会议开幕")
    day2 = organised(world, kind="session", starts=at(2026, 2, 11, 9), title="第五次会议闭幕")
    leave = LeaveRequest.objects.create(
        activity=day1, deputyship=deputyship_of(world, "deputy2"), reason="病假"
    )
    with time_machine.travel(at(2026, 2, 10, 9, 5), tick=False):
        decide_leave(leave, approve=True, by=world["affairs"])
        check_in(day1, code=day1.code, by=world["deputy"])
        close_activity(day1, by=world["affairs"])
    with time_machine.travel(at(2026, 2, 11, 9, 5), tick=False):
        close_activity(day2, by=world["affairs"])
    data = session_attendance(world.city.pk)
    session = world.session.pk
    assert data[deputyship_of(world, "deputy").pk] == {session: "attended"}
    assert data[deputyship_of(world, "deputy2").pk] == {session: "on_leave"}
    assert data[deputyship_of(world, "sc_member").pk] == {session: "absent"}
