"""The deputies' public part in a real browser: a citizen scans the deputy code on a phone, sees
the profile — what the deputy agreed to publish and the year's duties, nothing private — and
leaves a message the deputy then reads and marks read; the office opens the coverage dashboard
(chart drawn, the DEP-TERMINATE list with its statement). Every page must be clean (no console
or CSP errors) and pass the accessibility check."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import caches
from django.utils import timezone

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRIVATE = (
    "330302198001010019",  # the world deputy's ID-card number
    "1980-01",
    "13800138000",
    "幸福路88号",
)


def _exposed_deputy(world: Any) -> Any:
    from renda.deputies.models import Deputyship
    from renda.deputies.tests.public_builders import activity, delegation, duty

    d = Deputyship.objects.get(person__user=world["deputy"])
    person = d.person
    person.name = "林志远"
    person.address = "温州市鹿城区幸福路88号"
    person.ethnicity = "汉族"
    person.workplace = "温州市第一中学 校长"
    person.save()
    d.delegation = delegation(world, "鹿城代表团")
    d.public_fields = ["gender", "ethnicity", "party", "workplace", "delegation"]
    d.save()
    year = timezone.localdate().year
    act = activity(world, kind="inspection", day=date(year, 1, 15), title="视察城市内涝治理")
    duty(d, "inspection", date(year, 1, 15), "视察城市内涝治理", activity=act, source="activity")
    duty(d, "training", date(year, 1, 20), "代表履职培训班")
    return d


def test_citizen_reads_the_profile_on_a_phone_and_leaves_a_message_the_deputy_reads(
    page: Any, watch: Any, world: Any
) -> None:
    caches["ratelimit"].clear()  # a flushed test database keeps the counters' table

    d = _exposed_deputy(world)
    page.goto(f"/d/{d.public_code}/")
    assert page.locator("h1").inner_text() == "林志远"
    fields = page.locator("[data-testid=deputy-fields]").inner_text()
    assert "汉族" in fields and "温州市第一中学 校长" in fields and "鹿城代表团" in fields
    duties = page.locator("[data-testid=deputy-duties]").inner_text()
    assert "视察城市内涝治理" in duties and "学习培训" in duties
    assert "代表履职培训班" not in duties  # an office entry shows its kind only
    content = page.content()
    for secret in PRIVATE:
        assert secret not in content, secret
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width
    assert page.locator("input[name=website]").is_hidden()  # the honeypot
    assert_accessible(page)
    screenshot(page, "deputy-profile-phone")

    page.locator("textarea[name=text]").fill("小区门口的路灯坏了三个月，请代表帮忙反映。")
    page.locator("input[name=name]").fill("王大妈")
    page.locator("input[name=phone]").fill("13700001111")
    page.locator("[data-testid=message-submit]").click()
    # Kept as an opinion addressed to the deputy (issue 5): the citizen gets a tracking code.
    page.wait_for_url("**/track/*/?sent=1")
    from renda.opinions.models import Opinion

    opinion = Opinion.objects.get()
    assert opinion.deputy_id == d.pk and opinion.phone == "13700001111"
    assert page.locator("[data-testid=tracking-code]").inner_text().strip() == (
        opinion.tracking_code
    )
    assert "13700001111" not in page.content()
    screenshot(page, "deputy-profile-sent-phone")

    # A message kept from before the change, still read and marked read in the inbox.
    from renda.deputies.actions.public import leave_message

    message = leave_message(d, text="老留言：学校门口需要减速带。", phone="13700002222")
    sign_in(page, "deputy")
    panel = page.locator("[data-panel=deputy-public]")
    assert "1" in panel.inner_text()
    page.goto("/deputies/me/messages/")
    sent = page.locator("[data-testid=deputy-opinion]").first
    assert "路灯坏了三个月" in sent.inner_text() and "13700001111" in sent.inner_text()
    row = page.locator("[data-testid=citizen-message]").first
    assert "学校门口需要减速带" in row.inner_text() and "13700002222" in row.inner_text()
    assert row.get_attribute("data-unread") == "1"
    assert_accessible(page)
    screenshot(page, "deputy-messages-phone")
    row.locator("[data-testid=mark-read]").click()
    page.locator("[data-testid=citizen-message][data-unread='0']").wait_for()
    message.refresh_from_db()
    assert message.read_at is not None

    page.goto("/deputies/me/code/")
    assert page.locator("[data-testid=my-code] svg").count() == 1
    assert f"/d/{d.public_code}/" in page.locator("[data-testid=profile-link]").inner_text()
    assert_accessible(page)
    screenshot(page, "deputy-code-phone")
    watch.assert_clean()


def test_office_opens_the_coverage_dashboard_and_the_flag_list(
    page: Any, watch: Any, desktop: Any, world: Any
) -> None:
    from renda.deputies.models import Deputyship
    from renda.deputies.tests.public_builders import absent, days_ago, duty, session

    deps = {u: Deputyship.objects.get(person__user=world[u]) for u in ("deputy", "deputy2")}
    duty(deps["deputy"], "report_back", days_ago(20))
    duty(deps["deputy2"], "training", days_ago(20))
    absent(world, deps["deputy2"], session(world, 3, date(2024, 1, 20)))
    absent(world, deps["deputy2"], session(world, 4, date(2025, 1, 20)))

    sign_in(page, "affairs")
    page.goto("/deputies/office/coverage/")
    assert page.locator("h1").inner_text() == "代表履职覆盖情况"
    assert page.locator("[data-count=report_back]").inner_text() == "2"
    assert page.locator("[data-count=training]").inner_text() == "2"
    assert page.locator("[data-count=flagged]").inner_text() == "1"
    chart = page.locator("[data-chart=coverage][data-drawn=true]")
    chart.wait_for()
    assert chart.locator("canvas").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width
    assert_accessible(page)
    screenshot(page, "coverage-phone")

    page.locator("[data-list=flagged]").first.click()
    page.wait_for_url("**list=flagged**")
    statement = page.locator("[data-testid=flag-statement]").inner_text()
    assert "不会自行终止" in statement
    assert page.locator("[data-testid=flagged-row]").count() == 1
    assert deps["deputy2"].person.name in page.locator("[data-testid=flagged-row]").inner_text()
    assert_accessible(page)

    desktop.sync()
    desktop.goto("/deputies/office/coverage/")
    desktop.locator("[data-chart=coverage][data-drawn=true] canvas").wait_for()
    assert_accessible(desktop)
    screenshot(desktop, "coverage-desktop")
    watch.assert_clean()
