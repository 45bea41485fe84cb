"""Activities in a real browser: a deputy checks in by opening the activity link on a phone
(signed out: through the sign-in page and back); the office organises an activity with the
deputy search and shows its activity code; the organiser marks a deputy without a phone
present, closes the activity and sees the outcomes; a deputy asks for leave and reads "My
duties". Every page must be clean (no console or CSP errors) and pass the accessibility check."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from .conftest import PASSWORD, assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _running(world: Any, **kw: Any) -> Any:
    from django.utils import timezone

    from renda.deputies.tests.activity_builders import organised

    return organised(world, starts=timezone.now() - timedelta(minutes=10), **kw)


def test_deputy_checks_in_by_opening_the_activity_link_on_a_phone(page, watch, world):
    from renda.deputies.models import Attendance

    activity = _running(world, title="城市内涝治理专题视察")
    link = f"/deputies/checkin/{activity.code}/"
    page.goto(link)  # what the phone's camera opens: signed out, so the sign-in page first
    page.wait_for_url("**/accounts/login/**")
    page.locator("input[name=username]").fill("deputy")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{link}")
    assert page.locator("[data-testid=activity-title]").inner_text() == "城市内涝治理专题视察"
    button = page.locator("[data-testid=checkin-button]")
    assert button.is_visible()
    box = button.bounding_box()
    assert box and box["width"] > 300 and box["height"] >= 60  # a big button on a phone
    assert_accessible(page)
    screenshot(page, "activity-checkin-phone")

    button.click()
    page.wait_for_url(f"**{link}")
    assert page.locator("[data-testid=checked-in]").is_visible()
    assert page.locator("[data-testid=checkin-button]").count() == 0
    row = Attendance.objects.get(activity=activity, deputyship__person__user=world["deputy"])
    assert row.checked_in_at is not None
    assert_accessible(page)
    screenshot(page, "activity-checked-in-phone")

    # Opening the link again (a second scan) shows the check-in, records nothing new.
    page.goto(link)
    assert page.locator("[data-testid=checked-in]").is_visible()
    assert Attendance.objects.filter(activity=activity, checked_in_at__isnull=False).count() == 1
    watch.assert_clean()


def test_office_organises_an_activity_and_shows_its_code(page, desktop, watch, world):
    from django.utils import timezone
    from playwright.sync_api import expect

    from renda.deputies.models import Activity, Attendance, Deputyship

    sign_in(page, "affairs")
    desktop.sync()
    watch.attach(desktop)
    desktop.goto("/deputies/activities/new/")
    assert_accessible(desktop)
    start = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0)
    desktop.locator("select[name=kind]").select_option("training")
    desktop.locator("input[name=title]").fill("新任代表履职培训")
    desktop.locator("input[name=location]").fill("市人大常委会机关二楼报告厅")
    desktop.locator("input[name=starts_at]").fill(start.strftime("%Y-%m-%dT%H:%M"))
    desktop.locator("input[name=ends_at]").fill(
        (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    )
    desktop.locator("input[name=invite][value=picked]").check()
    desktop.locator("[data-testid=deputy-search]").fill("deputy2")
    pick = Deputyship.objects.get(person__user=world["deputy2"]).pk
    # The search narrows the list as one types (htmx), then the deputy is ticked.
    expect(desktop.locator("#options-deputies input[name=deputies]")).to_have_count(1)
    desktop.locator(f"#options-deputies input[value='{pick}']").check()
    screenshot(desktop, "activity-new-desktop")
    desktop.locator("[data-testid=save]").click()
    desktop.wait_for_load_state()

    activity = Activity.objects.get()
    assert list(
        Attendance.objects.filter(activity=activity).values_list("deputyship", flat=True)
    ) == [pick]
    assert desktop.locator("[data-testid=code-card] svg.qr-code").is_visible()
    assert activity.code in desktop.locator("[data-testid=checkin-url]").input_value()
    assert_accessible(desktop)
    screenshot(desktop, "activity-detail-organiser-desktop")

    desktop.locator("[data-testid=show-code]").click()
    desktop.wait_for_url(f"**/deputies/activities/{activity.pk}/code/")
    qr = desktop.locator("[data-testid=qr] svg").bounding_box()
    assert qr and qr["width"] >= 400  # big enough to project
    assert_accessible(desktop)
    screenshot(desktop, "activity-code-desktop")

    # The phone view of the organiser's page stacks the code under the details.
    page.goto(f"/deputies/activities/{activity.pk}/")
    assert_accessible(page)
    screenshot(page, "activity-detail-organiser-phone")
    watch.assert_clean()


def test_organiser_marks_present_closes_and_sees_outcomes(page, desktop, watch, world):
    from renda.deputies.actions.activities import check_in
    from renda.deputies.models import Attendance, DutyRecord

    activity = _running(world, title="市人大代表集中视察")
    check_in(activity, code=activity.code, by=world["deputy"])
    sign_in(page, "affairs")
    desktop.sync()
    watch.attach(desktop)
    desktop.goto(f"/deputies/activities/{activity.pk}/")
    present = desktop.locator("[data-section=present] [data-testid=board-row]")
    assert present.count() == 1
    missing = desktop.locator("[data-section=missing] [data-testid=board-row]")
    assert missing.count() == 2
    assert_accessible(desktop)
    screenshot(desktop, "activity-board-desktop")

    # deputy2 came without a phone: marked present by hand.
    from renda.deputies.models import Deputyship

    d2 = Deputyship.objects.get(person__user=world["deputy2"]).pk
    desktop.locator(
        f"[data-section=missing] [data-deputy='{d2}'] [data-testid=mark-present]"
    ).click()
    desktop.wait_for_load_state()
    assert desktop.locator("[data-section=present] [data-testid=board-row]").count() == 2

    desktop.locator("[data-testid=close-link]").click()
    desktop.wait_for_url(f"**/deputies/activities/{activity.pk}/close/")
    assert "sc_member" in desktop.locator("[data-testid=absent-names]").inner_text()
    assert_accessible(desktop)
    screenshot(desktop, "activity-close-confirm-desktop")
    desktop.locator("[data-testid=close]").click()
    desktop.wait_for_load_state()

    assert desktop.locator("[data-section=attended] [data-testid=board-row]").count() == 2
    assert desktop.locator("[data-section=absent] [data-testid=board-row]").count() == 1
    # Marked by hand stays visible after the close; a deputy's own check-in is not "by hand".
    d1 = Deputyship.objects.get(person__user=world["deputy"]).pk
    assert desktop.locator(f"[data-deputy='{d2}'] [data-testid=by-hand]").count() == 1
    assert desktop.locator(f"[data-deputy='{d1}'] [data-testid=by-hand]").count() == 0
    assert desktop.locator(".alert-success").is_visible()
    outcomes = dict(
        Attendance.objects.filter(activity=activity).values_list(
            "deputyship__person__user__username", "outcome"
        )
    )
    assert outcomes == {"deputy": "attended", "deputy2": "attended", "sc_member": "absent"}
    assert DutyRecord.objects.filter(activity=activity).count() == 3
    assert_accessible(desktop)
    screenshot(desktop, "activity-closed-desktop")
    page.goto(f"/deputies/activities/{activity.pk}/")
    screenshot(page, "activity-closed-phone")
    watch.assert_clean()


def test_deputy_asks_for_leave_and_reads_my_duties(page, watch, world):
    from renda.deputies.models import LeaveRequest
    from renda.deputies.tests.activity_builders import organised

    activity = organised(world, title="代表联络站进站接待", kind="reception")
    sign_in(page, "deputy2")
    page.goto("/deputies/duties/")
    item = page.locator(f"[data-testid=upcoming-item][data-activity='{activity.pk}']")
    assert item.is_visible()
    assert_accessible(page)
    item.locator("[data-testid=leave-button]").click()
    page.wait_for_url(f"**/deputies/activities/{activity.pk}/leave/")
    page.locator("textarea[name=reason]").fill("当天在省里参加培训。")
    page.locator("[data-testid=ask-leave]").click()
    page.wait_for_url(f"**/deputies/activities/{activity.pk}/")
    assert page.locator("[data-leave-state=requested]").is_visible()
    assert LeaveRequest.objects.get().reason == "当天在省里参加培训。"
    assert_accessible(page)
    screenshot(page, "activity-deputy-leave-phone")
    page.goto("/deputies/duties/")
    assert page.locator("[data-testid=pending-leave]").is_visible()
    assert_accessible(page)
    screenshot(page, "my-duties-phone")
    watch.assert_clean()
