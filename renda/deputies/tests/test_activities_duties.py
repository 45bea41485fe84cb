"""Duty records (issue 4 point 3): the office records a duty by hand and removes one it entered
(with a reason, audited); records the platform made are not editable. The deputy's "My duties"
(by year, kind filters, upcoming activities with leave buttons) and the home-page panels."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import WORLD_USERS
from renda.audit.models import AuditEvent
from renda.deputies.actions.activities import check_in, close_activity, request_leave
from renda.deputies.actions.manual_duties import record_manual_duty, remove_manual_duty
from renda.deputies.models import DutyRecord
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.suggestions.actions.submission import create_draft, submit

from .activity_builders import deputyship_of, organised, running

OFFICE = {"admin", "affairs"}
DUTY_OFFICES = {"admin", "affairs", "county_affairs"}
CITY_DEPUTIES = {"deputy", "deputy2", "sc_member"}


def manual(world, username="deputy", **kw):
    data = {
        "kind": "inspection",
        "occurred_on": timezone.localdate() - timedelta(days=3),
        "title": "参加市人大常委会组织的执法检查",
        "by": world["affairs"],
        **kw,
    }
    return record_manual_duty(deputyship_of(world, username), **data)


# --- the actions ----------------------------------------------------------------------------
def test_the_office_records_a_duty_by_hand_and_the_deputy_is_told(world):
    r = manual(world, note="随市人大常委会执法检查组赴瓯海区")
    assert (r.source, r.kind, r.note, r.created_by) == (
        "manual",
        "inspection",
        "随市人大常委会执法检查组赴瓯海区",
        world["affairs"],
    )
    assert r.year == r.occurred_on.year
    assert AuditEvent.objects.filter(verb="duty.recorded", data__record=r.pk).exists()
    assert Notification.objects.get(recipient=world["deputy"]).url == "/deputies/duties/"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kind": "suggestion"}, "kind"),
        ({"kind": "motion"}, "kind"),
        ({"occurred_on": date(2999, 1, 1)}, "occurred_on"),
        ({"occurred_on": date(2020, 1, 1)}, "occurred_on"),  # before the term (2022)
        ({"occurred_on": "2026-01-01"}, "occurred_on"),
        ({"title": " "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_bad_manual_records_are_refused(world, change, field):
    with pytest.raises(InvalidInput) as err:
        manual(world, **change)
    assert err.value.detail.startswith(f"{field}:")
    assert not DutyRecord.objects.exists()


@pytest.mark.parametrize("username", ["station", "county_affairs", "deputy", "committee"])
def test_only_the_congress_office_records_by_hand(world, username):
    with pytest.raises(Forbidden):
        manual(world, by=world[username])


def test_the_office_removes_a_manual_record_with_a_reason_kept_in_the_history(world):
    r = manual(world)
    with pytest.raises(InvalidInput, match="^reason:"):
        remove_manual_duty(r, reason="", by=world["affairs"])
    with pytest.raises(Forbidden):
        remove_manual_duty(r, reason="重复", by=world["county_affairs"])
    remove_manual_duty(r, reason="与活动签到重复登记", by=world["affairs"])
    assert not DutyRecord.objects.filter(pk=r.pk).exists()
    event = AuditEvent.objects.get(verb="duty.removed")
    assert event.data["reason"] == "与活动签到重复登记" and event.data["title"] == r.title


def test_records_the_platform_made_are_not_editable(world):
    s = create_draft(world.city, title="关于增设公交站点的建议", body="正文。", by=world["deputy"])
    submit(s, by=world["deputy"])
    a = running(world)
    check_in(a, code=a.code, by=world["deputy"])
    close_activity(a, by=world["affairs"])
    for record in DutyRecord.objects.filter(deputyship=deputyship_of(world, "deputy")):
        with pytest.raises(DomainError) as err:
            remove_manual_duty(record, reason="x", by=world["affairs"])
        assert err.value.code == "not_manual"
    assert DutyRecord.objects.filter(deputyship=deputyship_of(world, "deputy")).count() == 2


# --- My duties ------------------------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_my_duties_is_for_deputies(signed_in, world, username):
    response = signed_in(username).get("/deputies/duties/")
    assert response.status_code == (200 if username in CITY_DEPUTIES else 404)


def test_my_duties_lists_the_years_records_with_kind_filters(signed_in, world):
    this_year = timezone.localdate().year
    manual(world, kind="training", title="代表履职培训", occurred_on=timezone.localdate())
    manual(world, kind="inspection", title="执法检查", occurred_on=timezone.localdate())
    manual(world, username="deputy2", title="别人的记录", occurred_on=timezone.localdate())
    old = manual(world, kind="report_back", title="向选民述职", occurred_on=date(2023, 6, 1))
    c = signed_in("deputy")
    html = c.get("/deputies/duties/").content.decode()
    records = html.split('data-testid="records"')[1]
    assert "代表履职培训" in records and "执法检查" in records
    assert "别人的记录" not in records and "向选民述职" not in records
    assert f'<option value="{this_year}" selected>' in html and '<option value="2023">' in html
    only = (
        c.get("/deputies/duties/?kind=training").content.decode().split('data-testid="records"')[1]
    )
    assert "代表履职培训" in only and "执法检查" not in only
    past = c.get("/deputies/duties/?year=2023").content.decode()
    assert old.title in past
    for junk in ("?year=abc", "?year=1800", "?kind=nonsense", "?page=x", "?year=99999"):
        assert c.get(f"/deputies/duties/{junk}").status_code == 200


def test_my_duties_shows_upcoming_invitations_with_leave_and_check_in_state(signed_in, world):
    later = organised(world, title="下周的视察")
    open_now = running(world, title="正在进行的培训", kind="training")
    asked = organised(world, title="已请假的活动")
    request_leave(asked, reason="出差", by=world["deputy"])
    organised(world, title="没邀请我的活动", invite=("deputy2",))
    html = signed_in("deputy").get("/deputies/duties/").content.decode()
    upcoming = html.split('data-testid="upcoming"')[1].split("</section>")[0]
    assert later.title in upcoming and open_now.title in upcoming and asked.title in upcoming
    assert "没邀请我的活动" not in upcoming
    later_item = upcoming.split(f'data-activity="{later.pk}"')[1].split("</li>")[0]
    assert 'data-testid="leave-button"' in later_item
    now_item = upcoming.split(f'data-activity="{open_now.pk}"')[1].split("</li>")[0]
    assert 'data-testid="scan-now"' in now_item and 'data-testid="leave-button"' not in now_item
    pending = html.split('data-testid="pending-leave"')[1].split("</section>")[0]
    assert asked.title in pending


# --- the office's pages ---------------------------------------------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_office_duty_pages_matrix(signed_in, world, username):
    r = manual(world)
    c = signed_in(username)
    assert c.get("/deputies/duty-records/").status_code == (
        200 if username in DUTY_OFFICES else 404
    )
    assert c.get("/deputies/duty-records/new/").status_code == (
        200 if username in DUTY_OFFICES else 404
    )
    assert c.get(f"/deputies/duty-records/{r.pk}/remove/").status_code == (
        200 if username in OFFICE else 404
    )
    c.post(f"/deputies/duty-records/{r.pk}/remove/", {"reason": "重复"})
    assert DutyRecord.objects.filter(pk=r.pk).exists() == (username not in OFFICE)


def test_the_office_list_filters_and_hides_other_congresses(signed_in, world):
    manual(world, title="林代表的执法检查")
    manual(world, username="deputy2", kind="training", title="郑代表的培训")
    c = signed_in("affairs")
    html = c.get("/deputies/duty-records/?q=deputy2").content.decode()
    table = html.split('data-testid="records"')[1]
    assert "郑代表的培训" in table and "林代表的执法检查" not in table
    year = (timezone.localdate() - timedelta(days=3)).year
    kind = c.get(f"/deputies/duty-records/?kind=inspection&source=manual&year={year}").content
    assert "林代表的执法检查".encode() in kind and "郑代表的培训".encode() not in kind
    assert (
        "林代表的执法检查".encode() not in c.get("/deputies/duty-records/?source=platform").content
    )
    other = signed_in("county_affairs").get("/deputies/duty-records/").content.decode()
    assert "林代表的执法检查" not in other
    assert c.get("/deputies/duty-records/?year=abcd&kind=x&source=%00&page=-1").status_code == 200


def test_the_office_records_through_the_form(signed_in, world):
    c = signed_in("affairs")
    d = deputyship_of(world, "deputy2").pk
    page = c.get("/deputies/duty-records/new/").content.decode()
    assert f'value="{d}"' in page and 'type="radio"' in page
    data = {
        "congress": world.city.pk,
        "deputy": d,
        "kind": "report_back",
        "occurred_on": str(timezone.localdate()),
        "title": "向原选区选民述职",
        "note": "五马街道",
    }
    assert c.post("/deputies/duty-records/new/", data).status_code == 302
    r = DutyRecord.objects.get()
    assert (r.deputyship_id, r.kind, r.note) == (d, "report_back", "五马街道")
    future = c.post(
        "/deputies/duty-records/new/", {**data, "occurred_on": "2999-01-01", "title": "未来"}
    )
    assert future.status_code == 200 and "occurred_on" in future.context["form"].errors
    stranger = c.post("/deputies/duty-records/new/", {**data, "deputy": "999999"})
    assert stranger.status_code == 200 and "deputy" in stranger.context["form"].errors
    assert DutyRecord.objects.count() == 1


def test_a_platform_record_shows_no_remove_form(signed_in, world):
    a = running(world)
    close_activity(a, by=world["affairs"])
    r = DutyRecord.objects.filter(activity=a).first()
    c = signed_in("affairs")
    assert b'data-testid="not-manual"' in c.get(f"/deputies/duty-records/{r.pk}/remove/").content
    c.post(f"/deputies/duty-records/{r.pk}/remove/", {"reason": "x"})
    assert DutyRecord.objects.filter(pk=r.pk).exists()


# --- home panels ----------------------------------------------------------------------------
def _panel(html: str, key: str) -> str:
    return html.split(f'data-panel="{key}"')[1].split("</section>")[0]


def test_the_deputys_panel_shows_upcoming_activities_and_leave_awaiting_a_decision(
    signed_in, world
):
    a = organised(world, title="代表小组活动")
    b = organised(world, title="专题调研")
    request_leave(b, reason="出差", by=world["deputy"])
    html = signed_in("deputy").get("/").content.decode()
    panel = _panel(html, "deputy-activities")
    assert a.title in panel and b.title in panel
    assert "leave: awaiting decision" in panel


def test_the_office_panel_shows_activities_to_close_and_leave_to_decide(signed_in, world):
    started = running(world, title="已开始的视察")
    later = organised(world, title="下周的培训")
    quiet = organised(world, title="无人请假的活动")
    request_leave(later, reason="出差", by=world["deputy"])
    panel = _panel(signed_in("affairs").get("/").content.decode(), "organiser-activities")
    assert started.title in panel and "to close" in panel
    assert later.title in panel and "1 leave request" in panel
    assert quiet.title not in panel
    county = _panel(signed_in("county_affairs").get("/").content.decode(), "organiser-activities")
    assert started.title not in county


def test_station_staff_panel_shows_only_their_own_activities(signed_in, world):
    own = organised(world, by="station", kind="reception", title="进站接待", starts=timezone.now())
    running(world, title="办公室的活动")
    panel = _panel(signed_in("station").get("/").content.decode(), "organiser-activities")
    assert own.title in panel and "办公室的活动" not in panel
