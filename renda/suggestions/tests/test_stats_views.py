"""The statistics dashboard, the API and the Excel export: who may see them (every role of the
world), bad input, and THE SAME NUMBERS on all three for the same data (docs/statistics.md)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import WORLD_USERS
from renda.suggestions.stats import COUNTS, FIGURES, RATES, StatsFilter, suggestion_stats
from renda.suggestions.stats_export import sheet_titles

from .stats_builders import TODAY, at, build_stats_world

PAGE = "/suggestions/office/stats/"
XLSX = "/suggestions/office/stats.xlsx"
API = "/stats/suggestions"
API_XLSX = "/stats/suggestions.xlsx"

# Who sees which congress's figures: office roles and the administrator all of the city's,
# unit staff their own unit's, the county's office its own congress; everyone else 404.
OFFICE = {"admin", "affairs", "committee", "supervisor", "leader"}
UNIT = {"edu_clerk": "edu", "edu_head": "edu", "transport_clerk": "transport"}
DENIED = {"deputy", "deputy2", "station", "sc_member", "nobody"}
assert OFFICE | set(UNIT) | DENIED | {"county_affairs"} == set(WORLD_USERS)


@pytest.fixture
def data(world: Any) -> dict[str, Any]:
    return build_stats_world(world)


def _xlsx(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content), read_only=True)


@pytest.mark.parametrize("username", WORLD_USERS)
def test_permission_matrix_page_api_and_xlsx(world, signed_in, api, username):
    """Office roles and the administrator: 200 with the city's figures; unit staff: 200 with
    their own unit forced; the county's office: its own congress, the city's is 404; deputies,
    station staff, standing-committee members and people with no role: 404 everywhere."""
    client, token = signed_in(username), api(username)
    city = {"congress": str(world.city.pk)}
    responses = [
        client.get(PAGE, city),
        client.get(XLSX, city),
        token.get(API, **city),
        token.get(API_XLSX, **city),
    ]
    codes = [r.status_code for r in responses]
    if username in OFFICE:
        assert codes == [200] * 4
        assert responses[2].json()["unit"] is None
    elif username in UNIT:
        assert codes == [200] * 4
        unit = getattr(world, UNIT[username])
        assert responses[2].json()["unit"] == unit.pk
        assert [r["id"] for r in responses[2].json()["by_unit"]] in ([], [unit.pk])
        assert responses[0].context["f"].unit == unit
    else:
        assert codes == [404] * 4, codes
    if username == "county_affairs":
        assert token.get(API).json()["congress"] == world.county.pk
        assert client.get(PAGE).status_code == 200


def test_anonymous_is_sent_to_sign_in_or_refused(client, api, world):
    assert client.get(PAGE).status_code == 302
    assert client.get(XLSX).status_code == 302
    assert api().get(API).status_code == 401
    assert api().get(API_XLSX).status_code == 401


def test_a_unit_cannot_see_another_units_figures(world, signed_in, api):
    for unit in (world.transport.pk, 999_999):
        assert api("edu_clerk").get(API, unit=str(unit)).status_code == 404
        assert signed_in("edu_clerk").get(PAGE, {"unit": unit}).status_code == 404
    assert api("edu_clerk").get(API, unit=str(world.edu.pk)).status_code == 200
    # The office of another congress: the city's unit is not one of its units.
    assert api("county_affairs").get(API, unit=str(world.edu.pk)).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "99999"}, "year"),
        ({"year": "-1"}, "year"),
        ({"year": "2026.5"}, "year"),
        ({"unit": "abc"}, "unit"),
        ({"unit": "9" * 30}, "unit"),
        ({"session": "x"}, "session"),
        ({"session": "999999"}, "session"),
        ({"congress": "0"}, "congress"),
        ({"deputies": "0"}, "deputies"),
        ({"deputies": "5000"}, "deputies"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(world, signed_in, api, params, field):
    response = api("affairs").get(API, **params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"{field}:")
    if field != "deputies":
        page = signed_in("affairs").get(PAGE, params)
        assert page.status_code == 422
        assert field in page.content.decode()
        assert signed_in("affairs").get(XLSX, params).status_code == 422


def test_unknown_unit_or_congress_is_404(world, api):
    assert api("affairs").get(API, unit="424242").status_code == 404
    assert api("affairs").get(API, congress="424242").status_code == 404
    assert api("affairs").get(API, congress=str(world.county.pk)).status_code == 404


def _page_value(html: str, figure: str) -> str:
    marker = f'data-figure="{figure}">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)].strip()


def _pct_text(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


@pytest.mark.parametrize("unit", [None, "edu"])
def test_dashboard_api_and_excel_give_the_same_numbers(world, data, signed_in, api, unit):
    """One data set, three outputs: every figure of every row equal (rates: the API's per cent
    is the workbook's fraction × 100; the page shows the same with one decimal)."""
    params = {"year": "2026"}
    if unit:
        params["unit"] = str(getattr(world, unit).pk)
    with at(TODAY):
        expected = suggestion_stats(
            StatsFilter(
                congress=world.city,
                year=2026,
                unit=getattr(world, unit) if unit else None,
                today=TODAY,
            ),
            deputy_limit=None,
        )
        body = api("affairs").get(API, **params).json()
        page = signed_in("affairs").get(PAGE, params)
        book = _xlsx(signed_in("affairs").get(XLSX, params).getvalue())
        api_book = _xlsx(api("affairs").get(API_XLSX, **params).getvalue())

    # API = the function.
    assert body["totals"] == expected.totals
    for name in ("by_year", "by_session", "by_unit", "by_topic", "by_deputy"):
        assert body[name] == getattr(expected, name), name

    # The page: headline cards and the per-unit table.
    html = page.content.decode()
    assert page.context["stats"].totals == body["totals"]
    assert _page_value(html, "received") == str(body["totals"]["received"])
    assert _page_value(html, "overdue_now") == str(body["totals"]["overdue_now"])
    for key in ("on_time_rate", "a_share", "satisfaction_rate", "commitments_met_rate"):
        assert _pct_text(body["totals"][key]) in (_page_value(html, key), "") or (
            body["totals"][key] is None
        )
        if body["totals"][key] is not None:
            assert _page_value(html, key) == _pct_text(body["totals"][key])

    # The workbooks (page link and API) = the API, figure by figure.
    titles = sheet_titles()
    for workbook in (book, api_book):
        totals = {
            row[0]: row[1]
            for row in workbook[titles["totals"]].iter_rows(min_row=8, values_only=True)
        }
        from renda.suggestions.stats import figure_label

        for key in FIGURES:
            cell = totals[str(figure_label(key))]
            _assert_same(key, cell, body["totals"][key])
        for name in ("by_year", "by_session", "by_unit", "by_topic", "by_deputy"):
            rows = list(workbook[titles[name]].iter_rows(min_row=2, values_only=True))
            assert len(rows) == len(body[name]), name
            for got, want in zip(rows, body[name], strict=True):
                assert got[0] == want["id"] and got[1] == want["name"]
                for key, cell in zip(FIGURES, got[2:], strict=True):
                    _assert_same(key, cell, want[key])
        definitions = list(workbook[titles["definitions"]].iter_rows(values_only=True))
        assert len([r for r in definitions if len(r) > 1 and r[1]]) == len(FIGURES) + 1  # + header


def _assert_same(key: str, cell: Any, value: Any) -> None:
    if key in COUNTS:
        assert cell == value, key
    elif value is None:
        assert cell is None, key
    else:
        assert key in RATES and round(cell * 100, 1) == value, key


def test_excel_percentages_carry_a_percent_format(world, data, signed_in):
    response = signed_in("affairs").get(XLSX, {"year": "2026"})
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.getvalue()))  # not read-only: formats
    ws = book[sheet_titles()["by_unit"]]
    header = [c.value for c in ws[1]]
    col = header.index("On-time answer rate") + 1
    assert ws.cell(row=2, column=col).number_format == "0.0%"


@pytest.mark.chinese
def test_excel_headers_are_chinese_by_default(world, data, signed_in):
    response = signed_in("affairs").get(
        XLSX, {"year": "2026"}, headers={"accept-language": "zh-CN"}
    )
    book = _xlsx(response.getvalue())
    assert "按承办单位" in book.sheetnames and "口径说明" in book.sheetnames
    header = next(book["按承办单位"].iter_rows(max_row=1, values_only=True))
    assert "按时答复率" in header


def test_page_shows_dash_for_a_rate_without_denominator(world, signed_in):
    html = signed_in("affairs").get(PAGE, {"year": "2024"}).content.decode()
    assert 'data-figure="on_time_rate"><span aria-hidden="true">—</span>' in html
    assert 'data-chart="ratings"' in html and 'id="stats-chart-data"' in html


def test_page_opens_on_the_current_year_and_keeps_the_filter_in_the_excel_link(
    world, data, signed_in
):
    with at(TODAY):
        page = signed_in("affairs").get(PAGE)
        assert page.context["f"].year == 2026
        assert "year=2026" in page.context["xlsx_query"]
        everything = signed_in("affairs").get(PAGE, {"year": ""})
        assert everything.context["f"].year is None
        assert everything.context["stats"].totals["received"] == 10


def test_links_from_the_inbox_queue_and_home_panels(world, signed_in):
    for username, path in (
        ("affairs", "/suggestions/office/"),
        ("edu_clerk", "/suggestions/unit/"),
        ("affairs", "/"),
        ("edu_clerk", "/"),
    ):
        html = signed_in(username).get(path).content.decode()
        assert 'href="/suggestions/office/stats/"' in html, (username, path)
