"""The search API's contract and its errors (issue 7 point 4): clear 4xx, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from .builders import registered

pytestmark = pytest.mark.django_db


def test_search_contract(api: Any, world: Any) -> None:
    s = registered(world, "关于加快5G基站建设的建议", "农村信号差。")
    body = api("affairs").get("/search", q="５Ｇ基站", kind="suggestion").json()
    assert body["total"] == 1 and body["page"] == 1 and body["has_next"] is False
    hit = body["items"][0]
    assert (
        hit["id"] == s.pk and hit["kind"] == "suggestion" and hit["url"] == f"/suggestions/{s.pk}/"
    )
    assert hit["title"] == "关于加快<mark>5G基站</mark>建设的建议"
    assert hit["score"] > 0 and hit["meta"]["number"] == s.number


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "motion"},
        {"page": 0},
        {"page": 51},
        {"per_page": 500},
        {"year": 1800},
        {"year": "x"},
        {"state": "nonsense"},
        {"congress": -1},
    ],
)
def test_bad_parameters_are_a_clear_422(api: Any, world: Any, params: dict[str, Any]) -> None:
    response = api("affairs").get("/search", q="养老", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] in {"validation_error", "bad_kind", "bad_state"} and body["detail"]


def test_a_wrong_token_is_401_not_the_public_view(world: Any) -> None:
    from conftest import ApiClient

    assert ApiClient("wrong").get("/search", q="养老").status_code == 401


def test_similar_contract(api: Any, world: Any) -> None:
    s = registered(world, "关于城区停车难问题的建议", "老城区停车位严重不足，乱停车现象突出。")
    registered(world, "关于加强农村饮水安全的建议", "部分村庄饮用水水质不达标。")
    response = api("deputy").post(
        "/suggestions/similar",
        {"title": "关于解决老城区停车难的建议", "body": "停车位不足，车辆乱停。"},
    )
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [i["id"] for i in items] == [s.pk]
    assert 0 < items[0]["score"] <= 1 and "停车难" in items[0]["shared"]
    assert items[0]["title"] == s.title


@pytest.mark.parametrize(
    "payload",
    [{}, {"title": ""}, {"title": "x" * 201}, {"title": 3}, {"title": "停车", "congress": "a"}],
)
def test_similar_bad_input_is_422(api: Any, world: Any, payload: Any) -> None:
    assert api("deputy").post("/suggestions/similar", payload).status_code == 422


def test_similar_with_several_congresses_asks_which(api: Any, world: Any) -> None:
    response = api("admin").post("/suggestions/similar", {"title": "停车"})
    assert response.status_code == 422 and response.json()["error"] == "congress_required"


def test_similar_body_not_json_is_400(api: Any, world: Any) -> None:
    assert api("deputy").post("/suggestions/similar", raw="{").status_code == 400


def test_similar_looks_within_this_year_and_last_by_default(
    api: Any, world: Any, settings: Any
) -> None:
    """Merging and co-signing are affairs of the current handling years (RENDA_SIMILAR_YEARS):
    a matching suggestion of three years ago is left out, last year's is shown; 0: every year."""
    from django.utils import timezone

    from renda.suggestions.models import Suggestion

    this_year = timezone.localdate().year
    old = registered(world, "关于城区停车难问题的建议", "老城区停车位严重不足。")
    last = registered(world, "关于缓解老城区停车难的建议", "停车位不足，乱停车。")
    registered(world, "关于加强农村饮水安全的建议", "部分村庄饮用水水质不达标。")
    Suggestion.objects.filter(pk=old.pk).update(year=this_year - 2)
    Suggestion.objects.filter(pk=last.pk).update(year=this_year - 1)
    query = {"title": "关于解决老城区停车难的建议", "body": "停车位不足，车辆乱停。"}

    def found() -> set[int]:
        response = api("affairs").post("/suggestions/similar", query)
        assert response.status_code == 200, response.content
        return {i["id"] for i in response.json()["items"]}

    assert found() == {last.pk}
    settings.SIMILAR_YEARS = 1
    assert found() == set()
    settings.SIMILAR_YEARS = 0
    assert found() == {old.pk, last.pk}


def test_the_window_is_applied_in_the_suggestions_index_on_postgresql(world: Any) -> None:
    """search migrations 0003, 0004 and 0005: on PostgreSQL each kind's GIN index holds the id,
    so the years' bound and a common word's window are index conditions (the matches of older
    years are never read); the suggestions' also holds their units (test_units.py)."""
    from django.db import connection

    from renda.search.queries import _top

    if connection.vendor != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_document'"
            " AND indexname LIKE 'search_document_tsv%%'"
        )
        defs = dict(cursor.fetchall())
    assert sorted(defs) == [
        "search_document_tsv_answer_ids",
        "search_document_tsv_opinion_ids",
        "search_document_tsv_suggestion_units",
    ], defs
    assert "(tsv, object_id)" in defs["search_document_tsv_answer_ids"], defs
    assert "(tsv, object_id)" in defs["search_document_tsv_opinion_ids"], defs
    assert "(tsv, object_id, units)" in defs["search_document_tsv_suggestion_units"], defs
    old = registered(world, "关于城区停车难问题的建议", "老城区停车位严重不足。")
    new = registered(world, "关于缓解老城区停车难的建议", "停车位不足。")
    assert {pk for pk, _s in _top("suggestion", "停车难", 10)} >= {old.pk, new.pk}
    assert {pk for pk, _s in _top("suggestion", "停车难", 10, since=new.pk)} == {new.pk}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM search_document d WHERE d.tsv @@ to_tsquery('simple', %s)"
            " AND d.kind = 'suggestion' AND d.object_id >= %s::bigint",
            ["停车难", new.pk],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Cond" in plan and "object_id >=" in plan.split("Index Cond")[1], plan


def test_candidate_pairs_fewest_first_and_within_the_budget(monkeypatch: Any) -> None:
    """Similar suggestions' candidate query: any two of the rarest words, the rarest pairs
    first; after the first, only while they may match PAIR_BUDGET suggestions in all."""
    from renda.search import queries

    df = {"停车难": 10, "老城区": 40, "停车位": 300, "车辆": 5000}
    monkeypatch.setattr(queries, "PAIR_BUDGET", 1_000_000)
    everything = queries._pairs(list(df), df)
    assert len(everything) == 6 and everything[0] == ("停车难", "老城区")
    monkeypatch.setattr(queries, "PAIR_BUDGET", 100)
    assert queries._pairs(list(df), df) == [
        ("停车难", "老城区"),
        ("停车难", "停车位"),
        ("停车难", "车辆"),
        ("老城区", "停车位"),
    ]
    monkeypatch.setattr(queries, "PAIR_BUDGET", 1)
    assert queries._pairs(list(df), df) == [("停车难", "老城区")]  # the first always
    assert queries._pairs(["停车难"], df) == [("停车难",)]
