"""The demo's activities (renda.demo.deputies_activities): past sessions and activities closed
with attendance, leave and duty records; one waiting to be closed; one open today; upcoming ones
with a leave request to decide; manual records; all played through the real actions, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from renda.accounts.models import User
from renda.audit.queries import verify_chain
from renda.deputies.models import Activity, Attendance, DutyRecord, LeaveRequest
from renda.deputies.queries_activities import session_attendance
from renda.orgs.models import Congress


def _client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def test_past_activities_are_closed_with_outcomes_and_duty_records(seeded):
    closed = Activity.objects.filter(state="closed")
    assert closed.count() >= 3
    outcomes = set(Attendance.objects.filter(activity__in=closed).values_list("outcome", flat=True))
    assert outcomes == {"attended", "on_leave", "absent"}
    kinds = set(DutyRecord.objects.filter(activity__in=closed).values_list("kind", flat=True))
    assert {"session", "inspection", "training", "leave", "absence"} <= kinds
    # The office's two hand-recorded duties (the scoring demo adds its own year of records).
    hand = DutyRecord.objects.filter(
        source="manual", title__in=["参加省人大代表培训班", "列席市人大常委会会议"], note__gt=""
    )
    assert hand.count() == 2
    assert verify_chain()[1] is None


def test_sessions_give_dep_terminate_its_data(seeded):
    """DEP-TERMINATE: per deputy, per plenary session, what they did."""
    city = Congress.objects.get(division_code="330300")
    data = session_attendance(city.pk)
    deputy2 = data[
        Attendance.objects.filter(deputyship__person__user__username="deputy2")
        .values_list("deputyship_id", flat=True)
        .first()
    ]
    assert sorted(deputy2.values()) == ["absent", "on_leave"]


def test_the_demo_has_work_waiting_for_the_office_station_and_deputies(seeded):
    assert Activity.objects.filter(state="planned", organiser__username="station").exists()
    assert LeaveRequest.objects.filter(state="requested").count() == 1
    station = _client("station").get("/").content.decode()
    assert "代表联络站进站接待选民" in station.split('data-panel="organiser-activities"')[1]
    affairs = _client("affairs").get("/").content.decode()
    panel = affairs.split('data-panel="organiser-activities"')[1].split("</section>")[0]
    assert "老旧小区改造调研" in panel
    mine = _client("deputy").get("/deputies/duties/").content.decode()
    assert "城市内涝治理专题视察" in mine and "向原选区选民述职会" in mine
    assert _client("affairs").get("/deputies/activities/").status_code == 200


@pytest.mark.parametrize("username", ["deputy", "deputy2", "sc_member"])
def test_the_deputy_logins_have_duty_records_this_term(seeded, username):
    assert DutyRecord.objects.filter(deputyship__person__user__username=username).count() >= 2


def test_seeding_again_adds_no_activity(seeded):
    counts = (Activity.objects.count(), Attendance.objects.count(), DutyRecord.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert counts == (
        Activity.objects.count(),
        Attendance.objects.count(),
        DutyRecord.objects.count(),
    )
