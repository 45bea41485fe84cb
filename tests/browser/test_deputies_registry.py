"""The deputy registry in a real browser (issue 4 point 7): the office imports a roster with one
bad row, sees the per-row report, cannot confirm it, uploads the corrected file and imports it;
and the office finds a deputy on a phone by typing (htmx) and opens the record."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from renda.deputies.tests.roster_builders import id_for, person_row, xlsx_bytes

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page: Any, term_pk: int, path: Any) -> None:
    form = page.locator("[data-testid=import-form]")
    form.locator("select[name=term]").select_option(str(term_pk))
    form.locator("input[name=file]").set_input_files(str(path))
    form.locator("[data-testid=check-file]").click()
    page.wait_for_load_state()


def test_office_imports_a_roster_only_once_every_row_is_right(
    page, watch, world, desktop, tmp_path
):
    from renda.deputies.models import Delegation, Deputyship, Person

    Delegation.objects.create(congress=world.city, term=world.term, name="鹿城代表团")
    rows = [person_row(i, 代表团="鹿城代表团") for i in range(1, 6)]
    bad = [dict(r) for r in rows]
    bad[2]["身份证号码"] = bad[2]["身份证号码"][:17] + (
        "1" if bad[2]["身份证号码"][17] != "1" else "2"
    )
    bad_file = tmp_path / "名册-有误.xlsx"
    bad_file.write_bytes(xlsx_bytes(bad))
    good_file = tmp_path / "名册.xlsx"
    good_file.write_bytes(xlsx_bytes(rows))

    sign_in(page, "affairs")
    page.goto("/")
    page.locator("[data-panel=affairs] a[href='/deputies/import/']").click()
    page.wait_for_url("**/deputies/import/")
    assert_accessible(page)
    screenshot(page, "registry-import-phone")
    _upload(page, world.term.pk, bad_file)

    # The report: one bad row (Excel's row 4), named with its error; nothing to confirm.
    assert page.locator("[data-testid=rows-bad]").inner_text() == "1"
    bad_row = page.locator("[data-testid=bad-rows] li[data-row='4']")
    with translation.override("zh-hans"):
        wrong = gettext(
            "The ID-card number's check character is wrong (a digit was probably mistyped)."
        )
    assert wrong in bad_row.inner_text()
    assert page.locator("[data-testid=confirm-import]").count() == 0
    assert page.locator("[data-testid=not-importable]").is_visible()
    assert_accessible(page)
    screenshot(page, "registry-import-report-bad-phone")
    desktop.sync()
    desktop.goto("/deputies/import/")
    assert not Person.objects.filter(id_number=id_for(1)).exists()

    # The corrected file, uploaded from the same page, is right and can be confirmed.
    _upload(page, world.term.pk, good_file)
    assert page.locator("[data-testid=rows-create]").inner_text() == "5"
    assert_accessible(page)
    screenshot(page, "registry-import-report-good-phone")
    assert not Person.objects.filter(id_number=id_for(1)).exists()  # not before confirming
    page.locator("[data-testid=confirm-import]").click()
    page.wait_for_url(f"**/deputies/?term={world.term.pk}")
    assert "5" in page.locator("#messages").inner_text()
    assert Deputyship.objects.filter(term=world.term, delegation__name="鹿城代表团").count() == 5
    assert page.locator("[data-testid=registry-rows] [data-testid=deputy-link]").count() == 8
    assert_accessible(page)


def test_office_finds_a_deputy_on_a_phone_by_typing(page, watch, world, desktop):
    from playwright.sync_api import expect

    from renda.deputies.models import Deputyship, Person

    Person.objects.filter(user=world["deputy2"]).update(name="郑丽华", workplace="示范市人民医院")
    d = Deputyship.objects.get(person__user=world["deputy2"])
    sign_in(page, "affairs")
    page.goto("/deputies/")
    assert_accessible(page)
    screenshot(page, "registry-list-phone")
    assert page.locator("[data-testid=registry-rows] [data-testid=deputy-link]").count() == 3
    page.locator("input[name=q]").fill("人民医院")  # as one types: htmx swaps the results only
    links = "[data-testid=registry-rows] [data-testid=deputy-link]"
    expect(page.locator(links)).to_have_count(1)
    assert "q=" in page.url  # the address keeps the search (shareable, back button)
    screenshot(page, "registry-list-search-phone")
    page.locator("[data-testid=deputy-link]").click()
    page.wait_for_url(f"**/deputies/{d.pk}/")
    assert page.locator("[data-testid=deputy-name]").inner_text() == "郑丽华"
    number = Person.objects.get(pk=d.person_id).id_number
    assert page.locator("[data-testid=id-number]").inner_text() != number  # masked
    page.locator("[data-testid=reveal-id]").click()
    page.locator(f"[data-testid=id-number]:text('{number}')").wait_for()
    assert_accessible(page)
    screenshot(page, "registry-detail-phone")
    desktop.sync()
    for path, name in (
        ("/deputies/", "registry-list-desktop"),
        (f"/deputies/{d.pk}/", "registry-detail-desktop"),
        ("/deputies/import/", "registry-import-desktop"),
        ("/deputies/groups/", "registry-groups-desktop"),
    ):
        desktop.goto(path)
        assert_accessible(desktop)
        screenshot(desktop, name)
