"""Liaison stations in a real browser: station staff plan a reception day on a phone and mark
the one under way held; the office ranks stations on the station performance page (charts
drawn from local ECharts, a column heading re-ranks). Pages must be clean (no console or CSP
errors) and pass the accessibility check."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_station_staff_plan_a_reception_day_and_mark_one_held_on_a_phone(page, watch, world):
    from django.utils import timezone

    from renda.opinions.models import ReceptionDay
    from renda.opinions.tests.station_builders import station

    st = station(world.city, "城东代表联络站")
    st.staff.set([world["station"]])
    now = timezone.now()
    under_way = ReceptionDay.objects.create(
        station=st, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2)
    )
    sign_in(page, "station")
    page.goto("/opinions/office/stations/")
    page.get_by_role("link", name="接待日").click()
    page.wait_for_url(f"**/opinions/office/stations/{st.pk}/receptions/")
    assert_accessible(page)
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    page.locator("#id_starts_at").fill(f"{day}T09:00")
    page.locator("#id_ends_at").fill(f"{day}T11:30")
    page.locator("#id_note").fill("本月第二次接待日")
    page.locator("[data-testid=plan]").click()
    page.wait_for_url(f"**/opinions/office/stations/{st.pk}/receptions/")
    assert page.get_by_text("本月第二次接待日").is_visible()
    page.locator(f"[data-reception='{under_way.pk}'] [data-testid=mark-held]").click()
    page.wait_for_url(f"**/opinions/office/stations/{st.pk}/receptions/")
    badge = page.locator(f"[data-reception='{under_way.pk}'] [data-testid=reception-state]")
    assert badge.inner_text() == "已举行"
    assert_accessible(page)
    screenshot(page, "station-receptions-phone")
    under_way.refresh_from_db()
    assert under_way.state == "held"
    watch.assert_clean()


def test_office_ranks_stations_on_the_performance_page(page, desktop, watch, world):
    from django.utils import timezone

    from renda.opinions.stats import rebuild_opinion_facts
    from renda.opinions.tests.station_builders import at, opinion, station

    today = timezone.localdate()
    busy, quiet = station(world.city, "城西代表联络站"), station(world.city, "城南代表联络点")
    for _ in range(3):
        opinion(busy, at(today), answered=at(today), outcome="answered", rating="dissatisfied")
    opinion(quiet, at(today), answered=at(today), outcome="answered", rating="satisfied")
    rebuild_opinion_facts()
    sign_in(page, "affairs")
    desktop.sync()
    watch.attach(desktop)
    desktop.goto("/opinions/office/station-stats/")
    desktop.locator("[data-chart=stations][data-drawn=true]").wait_for()
    desktop.locator("[data-chart=ratings][data-drawn=true]").wait_for()
    rows = desktop.locator("[data-testid=station-ranking] tbody th")
    assert rows.all_inner_texts() == ["城西代表联络站", "城南代表联络点"]
    desktop.locator("[data-testid=station-ranking] thead a[data-sort=satisfaction_rate]").click()
    desktop.wait_for_url("**sort=satisfaction_rate**")
    assert rows.all_inner_texts() == ["城南代表联络点", "城西代表联络站"]
    assert_accessible(desktop)
    screenshot(desktop, "station-performance-desktop")
    page.goto("/opinions/office/station-stats/")
    page.locator("[data-chart=stations][data-drawn=true]").wait_for()
    assert_accessible(page)
    screenshot(page, "station-performance-phone")
    watch.assert_clean()
