"""Citizens' opinions in a real browser on a phone-sized screen (issue 5): a citizen scans a
station's code, fills in the opinion with a photo, gets the tracking code and follows it; when
the opinion is answered, the citizen reads the answer and rates it. Pages must be clean (no
console or CSP errors), fit the phone's width and pass the accessibility check; no name or
phone ever shows."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from PIL import Image

from .conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME, PHONE = "王大妈", "13700001111"


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width


def test_citizen_submits_on_a_phone_and_follows_the_code(
    page: Any, watch: Any, world: Any, tmp_path: Path
) -> None:
    caches["ratelimit"].clear()  # a flushed test database keeps the counters' table
    from renda.opinions.models import Opinion, OpinionImage
    from renda.opinions.tests.receiving_builders import reception_day, station

    st = station(world)
    reception_day(st, world)
    # The citizen finds the station in the public list first.
    page.goto("/stations/")
    page.locator("[data-testid=station-item]").first.click()
    page.wait_for_url(f"**/stations/{st.public_code}/")
    assert world["deputy"].full_name in page.locator("[data-testid=station-deputies]").inner_text()
    assert page.locator("[data-testid=reception-days] li").count() == 1
    _fits(page)
    assert_accessible(page)
    screenshot(page, "station-page-phone")
    photo = tmp_path / "lamp.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (120, 90), (90, 90, 200)).save(buf, format="JPEG")
    photo.write_bytes(buf.getvalue())

    page.goto(f"/s/{st.public_code}/")
    assert st.name in page.locator("[data-testid=form-station]").inner_text()
    assert page.locator("input[name=website]").is_hidden()  # the honeypot
    _fits(page)
    assert_accessible(page)
    screenshot(page, "opinion-form-phone")

    page.locator("select[name=category]").select_option(label="公共交通")
    page.locator("textarea[name=text]").fill("公交101路晚上八点后就停运了，下夜班回不了家。")
    page.locator("input[name=location]").fill("五马街公交站")
    page.locator("input[name=photos]").set_input_files(str(photo))
    page.locator("input[name=name]").fill(NAME)
    page.locator("input[name=phone]").fill(PHONE)
    page.locator("input[name=publish_consent]").check()
    page.locator("[data-testid=opinion-submit]").click()
    page.wait_for_url("**/track/*/?sent=1")

    opinion = Opinion.objects.get()
    assert (opinion.station_id, opinion.phone) == (st.pk, PHONE)
    assert OpinionImage.objects.filter(opinion=opinion).count() == 1
    code = page.locator("[data-testid=tracking-code]").inner_text().strip()
    assert code == opinion.tracking_code
    assert code in page.locator("[data-testid=tracking-link]").inner_text()
    assert page.locator("[data-testid=state]").inner_text().strip()
    content = page.content()
    assert NAME not in content and PHONE not in content
    _fits(page)
    assert_accessible(page)
    screenshot(page, "opinion-sent-phone")

    # Later: the citizen types the code to follow it.
    page.goto("/track/")
    page.locator("input[name=code]").fill(code)
    page.locator("[data-testid=track-form] button[type=submit]").click()
    page.wait_for_url(f"**/track/{code}/")
    assert page.locator("[data-testid=history] li").count() == 1
    watch.assert_clean()


def test_citizen_rates_an_answered_opinion(page: Any, watch: Any, world: Any) -> None:
    caches["ratelimit"].clear()
    from renda.opinions.actions.receiving import submit_opinion
    from renda.opinions.models import Opinion
    from renda.opinions.tests.receiving_builders import answer, category, station

    st = station(world)
    opinion = submit_opinion(
        station=st,
        category=category().pk,
        text="小区门口路灯坏了三个月。",
        name=NAME,
        phone=PHONE,
        channel="station_code",
    )
    answer(opinion, world, text="已安排维修，本周内修好。")

    page.goto(f"/track/{opinion.tracking_code}/")
    assert "已安排维修" in page.locator("[data-testid=answer]").inner_text()
    _fits(page)
    assert_accessible(page)
    screenshot(page, "opinion-answered-phone")
    page.locator("[data-testid=rating-form] input[value=basically_satisfied]").check()
    page.locator("[data-testid=rating-submit]").click()
    page.wait_for_selector("[data-testid=rated]")
    assert page.locator("[data-testid=rating-form]").count() == 0
    opinion = Opinion.objects.get(pk=opinion.pk)
    assert opinion.rating == "basically_satisfied"
    content = page.content()
    assert NAME not in content and PHONE not in content
    screenshot(page, "opinion-rated-phone")
    watch.assert_clean()
