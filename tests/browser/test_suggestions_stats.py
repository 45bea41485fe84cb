"""The suggestion statistics dashboard in a real browser, as the deputy-affairs office: the
charts are drawn (ECharts, local, no CSP violation), the year filter changes the figures, the
Excel export downloads and opens with openpyxl with the page's numbers, and the page is
accessible on a phone and on a desktop."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from renda.suggestions.stats import StatsFilter, figure_label, suggestion_stats
from renda.suggestions.stats_export import sheet_titles
from renda.suggestions.tests.stats_builders import build_stats_world

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expected(world: Any, year: int) -> dict[str, Any]:
    f = StatsFilter(congress=world.city, year=year, today=timezone.localdate())
    return suggestion_stats(f).totals


def _figure(page: Any, key: str) -> str:
    return page.locator(f"[data-testid=stats-cards] [data-figure={key}]").inner_text().strip()


def _charts_drawn(page: Any) -> None:
    for name in ("ratings", "units", "trend"):
        chart = page.locator(f"[data-chart={name}][data-drawn=true]")
        chart.wait_for()
        assert chart.locator("canvas").count() == 1, name
        box = chart.locator("canvas").bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 150, (name, box)


def test_office_reads_the_dashboard_filters_a_year_and_downloads_excel(
    page: Any, watch: Any, desktop: Any, world: Any
) -> None:
    build_stats_world(world)
    year = timezone.localdate().year
    this_year, last_year = _expected(world, year), _expected(world, year - 1)
    assert this_year["received"] != last_year["received"]

    sign_in(page, "affairs")
    page.goto("/suggestions/office/stats/")
    assert page.locator("h1").inner_text() == "建议办理统计"
    assert _figure(page, "received") == str(this_year["received"])
    assert _figure(page, "on_time_rate") == f"{this_year['on_time_rate']:.1f}%"
    _charts_drawn(page)
    # The tables scroll sideways on a phone instead of widening the page (the hidden "no data"
    # words inside them are positioned against the scrolling box, not the card).
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width
    assert_accessible(page)
    screenshot(page, "stats-phone")

    # Last year: the figures change, the charts are drawn again.
    page.locator("[data-testid=year-filter]").select_option(str(year - 1))
    page.locator("[data-testid=stats-filters] button[type=submit]").click()
    page.wait_for_url(f"**year={year - 1}**")
    assert _figure(page, "received") == str(last_year["received"])
    page.locator("[data-chart=ratings][data-drawn=true] canvas").wait_for()

    # The Excel export of the same filter holds the same numbers.
    with page.expect_download() as info:
        page.locator("[data-testid=stats-xlsx]").click()
    download = info.value
    assert download.suggested_filename.endswith(f"-{year - 1}.xlsx")
    with open(download.path(), "rb") as fh:  # the saved file has no .xlsx suffix
        book = load_workbook(io.BytesIO(fh.read()), read_only=True)
    titles = sheet_titles()
    assert "按承办单位" in book.sheetnames  # Chinese headers for a Chinese page
    totals = dict(row[:2] for row in book[titles["totals"]].iter_rows(min_row=8, values_only=True))
    assert totals[str(figure_label("received"))] == last_year["received"]
    assert round(totals[str(figure_label("on_time_rate"))] * 100, 1) == last_year["on_time_rate"]
    # The clicked button is hovered and focused, its colours fading (Bootstrap's 0.15 s
    # transition): judge the contrast of the page at rest, not of a frame mid-fade.
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(400)
    assert_accessible(page)
    watch.assert_clean()

    # A desktop screen: all three charts side by side and readable.
    desktop.sync()
    desktop.goto("/suggestions/office/stats/?year=")
    _charts_drawn(desktop)
    assert_accessible(desktop)
    screenshot(desktop, "stats-desktop")
