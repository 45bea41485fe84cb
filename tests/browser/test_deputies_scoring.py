"""Performance points (DEP-SCORE) in a real browser: the deputy opens their portrait on a phone
and sees the charts drawn (ECharts, local, no CSP violation), the grade and what is still
missing this year; the office changes a point value in the score table and sees the scores
recomputed with the new table. Every page clean and accessible, on a phone and a desktop."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from renda.deputies.actions.scoring import recompute_scores
from renda.deputies.models import DeputyScore, ScoreRuleTable, YearScoring
from renda.deputies.tests.scoring_builders import add_records, deputyship_of

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year


def _records(world: Any) -> Any:
    d = deputyship_of(world, "deputy")
    add_records(d, "session", 1, year=YEAR)
    add_records(d, "suggestion", 4, year=YEAR)
    add_records(d, "inspection", 2, year=YEAR)
    add_records(d, "leave", 1, year=YEAR)
    for kind, n in (("session", 1), ("training", 2), ("report_back", 1), ("reception", 3)):
        add_records(d, kind, n, year=YEAR - 1)
    recompute_scores(world.city, YEAR - 1, by=world["affairs"])
    recompute_scores(world.city, YEAR, by=world["affairs"])
    return d


def test_deputy_sees_the_portrait_on_a_phone(page: Any, watch: Any, desktop: Any, world: Any):
    _records(world)
    sign_in(page, "deputy")
    page.locator("[data-nav=my_score]").first.wait_for(state="attached")
    page.goto("/deputies/my-score/")
    assert page.locator("h1").inner_text() == "我的履职积分"
    assert page.locator("[data-testid=score-total]").inner_text() == "41"  # 20 + 12 + 10 − 1
    assert page.locator("[data-testid=score-grade]").inner_text() == "不合格"
    assert "再得 19 分" in page.locator("[data-testid=score-next]").inner_text()
    missing = page.locator("[data-testid=score-missing]")
    assert "尚未向选民述职" in missing.inner_text()
    assert "尚未参加学习培训" in missing.inner_text()
    assert missing.locator("[data-kind=session]").count() == 0
    for name in ("kinds", "years"):
        chart = page.locator(f"[data-score-chart={name}][data-drawn=true]")
        chart.wait_for()
        box = chart.locator("canvas").bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 200, (name, box)
    # The same figures as tables (the charts' accessible equivalent).
    assert (
        page.locator("[data-testid=score-by-kind] tr[data-kind=suggestion]")
        .inner_text()
        .split()[-1]
        == "12"
    )
    assert page.locator("[data-testid=score-by-year] tbody tr").count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width
    assert_accessible(page)
    screenshot(page, "score-portrait-phone")

    # Last year: complete on reporting back and training, nothing said about them.
    page.locator("[data-testid=score-year]").select_option(str(YEAR - 1))
    page.locator("[data-testid=score-year-form] button[type=submit]").click()
    page.wait_for_url(f"**year={YEAR - 1}**")
    assert page.locator("[data-testid=score-missing] [data-kind=report_back]").count() == 0
    page.locator("[data-score-chart=kinds][data-drawn=true] canvas").wait_for()

    desktop.sync()
    desktop.goto("/deputies/my-score/")
    desktop.locator("[data-score-chart=years][data-drawn=true] canvas").wait_for()
    assert_accessible(desktop)
    screenshot(desktop, "score-portrait-desktop")


def test_office_changes_a_point_value_and_sees_scores_recomputed(
    page: Any, watch: Any, desktop: Any, world: Any
):
    deputy = _records(world)
    old = ScoreRuleTable.objects.get(current=True)
    sign_in(page, "affairs")
    page.goto("/deputies/scores/")
    first = page.locator("[data-testid=scores-table-list] tbody tr").first
    assert first.get_attribute("data-deputy") == str(deputy.pk)
    assert first.locator("[data-testid=score-total]").inner_text() == "41"
    assert_accessible(page)
    screenshot(page, "scores-list-phone")

    page.locator("[data-testid=scores-edit-rules]").click()
    page.wait_for_url("**/deputies/scores/rules/**")
    assert_accessible(page)
    screenshot(page, "score-rules-phone")
    page.locator("input[name=points_suggestion]").fill("5")
    page.locator("input[name=name]").fill("2026年修订积分办法")
    page.locator("[data-testid=rules-save]").click()
    page.wait_for_url("**/deputies/scores/?**")
    assert "已重新计算" in page.locator("#messages").inner_text()
    first = page.locator("[data-testid=scores-table-list] tbody tr").first
    assert (
        first.locator("[data-testid=score-total]").inner_text() == "44"
    )  # 4 suggestions × 5 = 20, held at the cap 15
    assert page.locator("[data-testid=scores-table]").inner_text() == "2026年修订积分办法"
    new = ScoreRuleTable.objects.get(current=True)
    assert DeputyScore.objects.get(deputyship=deputy, year=YEAR).rule_table == new
    assert YearScoring.objects.filter(year=YEAR, rule_table=old).exists()  # the history stays
    assert_accessible(page)

    # The history names both tables.
    desktop.sync()
    desktop.goto("/deputies/scores/history/")
    rows = desktop.locator("[data-testid=history-table] tbody tr")
    assert rows.count() == 3
    assert "2026年修订积分办法" in rows.first.inner_text()
    assert_accessible(desktop)
    screenshot(desktop, "score-history-desktop")


def test_office_sees_a_form_error_on_the_field(page: Any, watch: Any, world: Any):
    watch.allowed_statuses.add(422)
    _records(world)
    sign_in(page, "affairs")
    page.goto("/deputies/scores/rules/")
    page.locator("input[name=band_fair]").fill("85")  # above "excellent" (80): overlapping
    page.locator("[data-testid=rules-save]").click()
    page.locator("[data-testid=rules-errors]").wait_for()
    field = page.locator("input[name=band_fair]")
    assert field.get_attribute("aria-invalid") == "true"
    assert "不能重叠" in page.locator("#id_band_fair-error").inner_text()
    assert ScoreRuleTable.objects.count() == 1
    assert_accessible(page)
