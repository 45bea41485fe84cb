"""Hot topics (issue 7 point 5): keywords counted per month from suggestions and opinions
(stop words out, a text counts once per word), the words rising this year against the same
months of last year, filters, the Excel export and every role's access."""

from __future__ import annotations

from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from renda.suggestions.tests.assignment_builders import at, registered
from renda.topics.build import keywords, rebuild
from renda.topics.models import KeywordMonth
from renda.topics.queries import hot_topics, rising_score

ROLES = [
    "admin", "affairs", "county_affairs", "deputy", "deputy2", "edu_clerk", "edu_head",
    "transport_clerk", "station", "sc_member", "committee", "supervisor", "leader", "nobody",
]  # fmt: skip
TODAY = date(2026, 6, 15)


@pytest.fixture
def counted(world):
    """Last spring one suggestion about school meals; this spring four about parking and one
    about school meals, and two citizens' opinions about parking."""
    from renda.opinions.actions.receiving import submit_opinion
    from renda.opinions.tests.receiving_builders import category, station

    with at(date(2025, 3, 10)):
        registered(world, title="关于改善学校食堂管理的建议")
    for day in (date(2026, 3, 2), date(2026, 3, 9), date(2026, 4, 1), date(2026, 5, 6)):
        with at(day):
            registered(world, title=f"关于缓解老城区停车难的建议（{day.day}）")
    with at(date(2026, 4, 2)):
        registered(world, title="关于改善学校食堂管理的建议")
        st = station(world)
        for _ in range(2):
            submit_opinion(category=category().pk, text="小区停车难，停车位太少。", station=st)
    rebuild(world.city)
    return world


def test_keywords_drop_stop_words_numbers_and_single_characters():
    words = keywords("关于进一步加强2026年老城区停车管理的建议")
    assert "停车" in words
    assert not words & {"关于", "进一步", "加强", "建议", "的", "2026"}


def test_counts_per_month_source_and_text(counted):
    rows = KeywordMonth.objects.filter(congress=counted.city, word="停车难")
    by = {(r.month, r.source): r.count for r in rows}
    assert by[(date(2026, 3, 1), "suggestion")] == 2
    assert by[(date(2026, 4, 1), "opinion")] == 2  # "停车" twice in one opinion counts once


def test_rebuild_is_repeatable(counted):
    before = sorted(KeywordMonth.objects.values_list("month", "source", "word", "count"))
    rebuild(counted.city)
    rebuild(counted.city, since=date(2026, 4, 1))
    assert sorted(KeywordMonth.objects.values_list("month", "source", "word", "count")) == before


def test_rising_words_against_the_same_months_of_last_year(counted):
    topics = hot_topics(counted.city.pk, year=2026, today=TODAY)
    first = topics.rising[0]
    assert first.word == "停车难" and first.this == 6 and first.last == 0
    assert "食堂" not in [r.word for r in topics.rising]  # 1 → 1: below the minimum count
    assert topics.months[0] == "2025-01" and topics.months[-1] == "2026-06"
    assert sum(topics.trend["停车难"]) == 6


def test_filters_by_source_and_unit(counted):
    only_opinions = hot_topics(counted.city.pk, year=2026, today=TODAY, source="opinion")
    assert only_opinions.rising == [] or only_opinions.rising[0].this <= 2
    none = hot_topics(counted.city.pk, year=2026, today=TODAY, unit_id=counted.edu.pk)
    assert none.rising == []  # nothing assigned yet


def test_rising_score_damps_small_numbers():
    assert rising_score(40, 0) > rising_score(3, 1) > 0
    assert abs(rising_score(10, 10)) < 0.01
    assert rising_score(2, 20) < 0


def test_build_command(counted):
    out = StringIO()
    call_command("build_hot_topics", congress=str(counted.city.pk), stdout=out)
    assert "keyword rows" in out.getvalue()


@pytest.mark.parametrize("username", ROLES)
def test_permission_matrix(signed_in, username):
    client = signed_in(username)
    allowed = username in {"admin", "affairs", "county_affairs"}
    assert client.get("/topics/").status_code == (200 if allowed else 404)
    assert client.get("/topics/export.xlsx").status_code == (200 if allowed else 404)


def test_bad_filters_are_4xx(signed_in, world):
    client = signed_in("affairs")
    assert client.get("/topics/?year=1800").status_code == 422
    assert client.get("/topics/?year=abc").status_code == 422
    assert client.get("/topics/?unit=abc").status_code == 404
    assert client.get("/topics/?unit=99999999").status_code == 404
    assert client.get(f"/topics/?congress={world.county.pk}").status_code == 404
    assert client.get("/topics/?congress=x").status_code == 404


def test_dashboard_and_export_show_the_rising_words(signed_in, counted):
    client = signed_in("affairs")
    with at(TODAY):
        page = client.get("/topics/?year=2026").content.decode()
        assert 'data-testid="rising-word"' in page and "停车" in page
        assert 'id="topics-data"' in page
        r = client.get("/topics/export.xlsx?year=2026")
    book = load_workbook(BytesIO(r.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:3] == ("停车难", 6, 0)
    assert list(book.worksheets[1].iter_rows(values_only=True))[0][1] == "2025-01"


# --- by region (issue 7 point 5: "by month, by region, by unit") ----------------------------
@pytest.fixture
def regional(world):
    """This spring three suggestions about parking from deputy (东城代表团), one from deputy2 (no
    delegation), and two citizens' opinions about parking at one station."""
    from renda.deputies.models import Delegation, Deputyship
    from renda.opinions.actions.receiving import submit_opinion
    from renda.opinions.tests.receiving_builders import category, station

    east = Delegation.objects.create(congress=world.city, term=world.term, name="东城代表团")
    Deputyship.objects.filter(person__user=world["deputy"]).update(delegation=east)
    for day in (date(2026, 3, 2), date(2026, 3, 9), date(2026, 4, 1)):
        with at(day):
            registered(world, title=f"关于缓解老城区停车难的建议（{day.day}）")
    with at(date(2026, 4, 3)):
        registered(world, title="关于缓解老城区停车难的建议", deputy="deputy2")
        st = station(world)
        for _ in range(2):
            submit_opinion(category=category().pk, text="小区停车难，停车位太少。", station=st)
    rebuild(world.city)
    world.east, world.station_ = east, st
    return world


def test_counts_by_region_delegation_and_station(regional):
    w = regional
    everything = hot_topics(w.city.pk, year=2026, today=TODAY)
    assert everything.regions[("suggestion", w.east.pk)]["停车难"] == 3
    assert everything.regions[("opinion", w.station_.pk)]["停车难"] == 2
    east = hot_topics(w.city.pk, year=2026, today=TODAY, source="suggestion", region_id=w.east.pk)
    assert {r.word: r.this for r in east.rising}["停车难"] == 3
    assert set(east.regions) == {("suggestion", w.east.pk)}


def test_dashboard_and_export_by_region(signed_in, regional):
    w = regional
    client = signed_in("affairs")
    with at(TODAY):
        page = client.get("/topics/?year=2026").content.decode()
        assert 'data-testid="region-filter"' in page and 'data-testid="by-region"' in page
        assert "东城代表团" in page and w.station_.name in page
        filtered = client.get(f"/topics/?year=2026&region=suggestion:{w.east.pk}")
        assert filtered.status_code == 200
        assert f'value="suggestion:{w.east.pk}" selected' in filtered.content.decode()
        for bad in (
            "x",
            "suggestion:abc",
            "suggestion:99999",
            f"opinion:{w.station_.pk + 1000}",
            "vote:1",
        ):
            assert client.get(f"/topics/?region={bad}").status_code == 404, bad
        r = client.get("/topics/export.xlsx?year=2026")
    book = load_workbook(BytesIO(r.content), read_only=True)
    rows = list(book.worksheets[2].iter_rows(values_only=True))
    assert rows[0][:2] == ("Region", "Kind") or rows[0][:2] == ("地区", "类别")
    by_name = {row[0]: row for row in rows[1:]}
    col = rows[0].index("停车难")
    assert by_name["东城代表团"][col] == 3
    assert by_name[w.station_.name][col] == 2
