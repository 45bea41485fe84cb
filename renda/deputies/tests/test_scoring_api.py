"""The scoring API (DEP-SCORE): `GET /api/v1/deputies/{id}/score` (fixed contract) and the
office's `/deputies/scoring/...` endpoints — a permission matrix over every world user for
each, the contract's fields, and bad input (a 422 naming the field, never a 500)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.utils import timezone

from conftest import WORLD_USERS
from renda.deputies.actions.scoring import recompute_scores
from renda.deputies.models import DeputyScore, ScoreRuleTable, YearScoring
from renda.deputies.scoring_rules import DEFAULT_RULES

from .scoring_builders import add_records, deputyship_of

YEAR = timezone.localdate().year
LAST = YEAR - 1
OFFICE = {"admin", "affairs"}


@pytest.fixture
def scored(world: Any) -> Any:
    d = deputyship_of(world, "deputy")
    add_records(d, "session", 1, year=YEAR)
    add_records(d, "suggestion", 7, year=YEAR)
    add_records(d, "absence", 1, year=YEAR)
    recompute_scores(world.city, YEAR, by=world["affairs"])
    return d


def _body(world: Any, **extra: Any) -> dict[str, Any]:
    rules = copy.deepcopy(DEFAULT_RULES)
    rules["points"]["suggestion"] = 4
    return {"congress": world.city.pk, "name": "新办法", "rules": rules, **extra}


@pytest.mark.parametrize("username", WORLD_USERS)
def test_permission_matrix(world, api, scored, username):
    """The deputy sees their own score; the congress's office and admins every deputy's and
    the office endpoints; everyone else 404 (the same as a missing deputy)."""
    client = api(username)
    c = str(world.city.pk)
    own = client.get(f"/deputies/{scored.pk}/score")
    assert own.status_code == (200 if username in OFFICE | {"deputy"} else 404)
    reads = [
        client.get("/deputies/scoring/rules", congress=c),
        client.get("/deputies/scoring/scores", congress=c),
        client.get("/deputies/scoring/history", congress=c),
    ]
    allowed = username in OFFICE
    assert [r.status_code for r in reads] == [200 if allowed else 404] * 3
    recompute = client.post(
        "/deputies/scoring/recompute", {"congress": world.city.pk, "year": YEAR}
    )
    assert recompute.status_code == (200 if allowed else 404)
    change = client.post("/deputies/scoring/rules", _body(world))
    assert change.status_code == (201 if allowed else 404)
    assert YearScoring.objects.count() == (3 if allowed else 1)
    assert ScoreRuleTable.objects.count() == (2 if allowed else 1)


def test_anonymous_gets_401(api, world, scored):
    anonymous = api()
    assert anonymous.get(f"/deputies/{scored.pk}/score").status_code == 401
    assert anonymous.get("/deputies/scoring/scores").status_code == 401
    assert (
        anonymous.post("/deputies/scoring/recompute", {"congress": 1, "year": YEAR}).status_code
        == 401
    )


def test_score_contract(world, api, scored):
    """Fixed contract: {"total", "grade", "by_kind": {...}, "rule_table": id}."""
    body = api("deputy").get(f"/deputies/{scored.pk}/score", year=str(YEAR)).json()
    stored = DeputyScore.objects.get(deputyship=scored, year=YEAR)
    assert body["total"] == 30.0  # 20 + 15 (capped) − 5
    assert body["grade"] == "poor"
    assert body["rule_table"] == stored.rule_table_id
    assert body["by_kind"]["suggestion"] == {"count": 7, "points": 15.0, "capped": True}
    assert body["by_kind"]["absence"] == {"count": 1, "points": -5.0, "capped": False}
    assert body["by_kind"]["training"] == {"count": 0, "points": 0.0, "capped": False}
    assert body["deputy"] == scored.pk and body["year"] == YEAR and body["live"] is False
    assert body["computed_at"] is not None
    assert "training" in body["missing"] and "session" not in body["missing"]
    assert body["next_grade"] == {"grade": "fair", "points_missing": 30.0}
    # Without `year`: this year.
    assert api("deputy").get(f"/deputies/{scored.pk}/score").json()["total"] == 30.0


def test_score_of_the_current_year_is_live_before_any_computation(world, api):
    d = deputyship_of(world, "deputy2")
    add_records(d, "report_back", 1, year=YEAR)
    body = api("deputy2").get(f"/deputies/{d.pk}/score").json()
    assert body["live"] is True and body["computed_at"] is None and body["total"] == 10.0
    assert body["rule_table"] == ScoreRuleTable.objects.get(current=True).pk


def test_past_year_never_computed_is_404(world, api, scored):
    assert api("deputy").get(f"/deputies/{scored.pk}/score", year=str(LAST)).status_code == 404


@pytest.mark.parametrize("year", ["abc", str(YEAR + 1), "1800", "2026.5", "-1", "9" * 30])
def test_score_bad_year_is_422(world, api, scored, year):
    response = api("deputy").get(f"/deputies/{scored.pk}/score", year=year)
    assert response.status_code == 422 and response.json()["detail"].startswith("year:")


@pytest.mark.parametrize("pk", ["abc", "0", "-1", "99999999999999999999", "424242"])
def test_score_bad_or_missing_id_is_404(world, api, pk):
    assert api("affairs").get(f"/deputies/{pk}/score").status_code == 404


def test_scores_list_ranked(world, api, scored):
    body = api("affairs").get("/deputies/scoring/scores", year=str(YEAR)).json()
    assert body["count"] == 3 and body["year"] == YEAR
    assert body["rule_table"] == ScoreRuleTable.objects.get().pk
    assert [(r["name"], r["rank"], r["total"]) for r in body["results"]] == [
        ("deputy", 1, 30.0),
        ("deputy2", 2, 0.0),
        ("sc_member", 2, 0.0),
    ]
    page = api("affairs").get("/deputies/scoring/scores", limit="1", offset="1").json()
    assert [r["name"] for r in page["results"]] == ["deputy2"] and page["count"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "x"}, "year"),
        ({"grade": "great"}, "grade"),
        ({"delegation": "424242"}, "delegation"),
        ({"group": "424242"}, "group"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"offset": "-1"}, "offset"),
    ],
)
def test_scores_list_bad_filter_is_422(world, api, scored, params, field):
    response = api("affairs").get("/deputies/scoring/scores", **params)
    assert response.status_code == 422 and response.json()["detail"].startswith(f"{field}:")


def test_county_office_sees_only_its_congress(world, api, scored):
    county = api("county_affairs")
    assert county.get("/deputies/scoring/scores").json()["congress"] == world.county.pk
    assert county.get("/deputies/scoring/scores", congress=str(world.city.pk)).status_code == 404
    assert county.post("/deputies/scoring/rules", _body(world)).status_code == 404


def test_set_rules_recomputes_and_keeps_history(world, api, scored):
    old = ScoreRuleTable.objects.get()
    response = api("affairs").post("/deputies/scoring/rules", _body(world, recompute_years=[LAST]))
    assert response.status_code == 201
    body = response.json()
    new = ScoreRuleTable.objects.get(current=True)
    assert body["rule_table"]["id"] == new.pk and body["rule_table"]["current"] is True
    assert sorted(r["year"] for r in body["recomputed"]) == [LAST, YEAR]
    assert all(r["queued"] is False and r["scoring"] for r in body["recomputed"])
    score = api("deputy").get(f"/deputies/{scored.pk}/score").json()
    assert score["rule_table"] == new.pk and score["total"] == 30.0  # 7 × 4 = 28 → cap 15
    history = api("affairs").get("/deputies/scoring/history").json()
    assert [h["rule_table"] for h in history] == [new.pk, new.pk, old.pk]
    assert api("affairs").get("/deputies/scoring/rules").json()["id"] == new.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rules": {"points": {"leave": 3}}}, "points.leave"),
        ({"rules": {"points": {"tea": 3}}}, "points.tea"),
        ({"rules": []}, "rules"),
        ({"name": ""}, "name"),
        ({"congress": "1"}, "congress"),
        ({"congress": True}, "congress"),
        ({"recompute_years": ["2025"]}, "recompute_years"),
        ({"recompute_years": [YEAR + 1]}, "recompute_years"),
    ],
)
def test_set_rules_bad_input_is_422_naming_the_field(world, api, scored, change, field):
    body = _body(world)
    if "rules" in change and isinstance(change["rules"], dict):
        body["rules"]["points"].update(change["rules"]["points"])
    else:
        body.update(change)
    response = api("affairs").post("/deputies/scoring/rules", body)
    assert response.status_code == 422, response.json()
    assert field in response.json()["detail"].split(":")[0]
    assert ScoreRuleTable.objects.count() == 1


def test_set_rules_bands_overlap_is_422(world, api, scored):
    body = _body(world)
    body["rules"]["bands"] = [
        {"min": 60, "grade": "good"},
        {"min": 70, "grade": "fair"},
        {"min": None, "grade": "poor"},
    ]
    response = api("affairs").post("/deputies/scoring/rules", body)
    assert response.status_code == 422 and response.json()["detail"].startswith("bands[1].min:")


def test_malformed_bodies_are_refused(world, api, scored):
    client = api("affairs")
    assert client.post("/deputies/scoring/rules", raw="{not json").status_code == 400
    assert client.post("/deputies/scoring/rules", raw="[1]").status_code == 422
    assert (
        client.post("/deputies/scoring/recompute", {"congress": world.city.pk}).status_code == 422
    )
    assert (
        client.post(
            "/deputies/scoring/recompute", {"congress": world.city.pk, "year": "2026"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/deputies/scoring/recompute", {"congress": world.city.pk, "year": YEAR + 1}
        ).status_code
        == 422
    )
    huge = _body(world, name="x" * 5000)
    assert client.post("/deputies/scoring/rules", huge).status_code == 422


def test_recompute_big_congress_is_202(
    world, api, scored, settings, django_capture_on_commit_callbacks
):
    settings.DEPUTY_SCORE_INLINE_MAX = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = api("affairs").post(
            "/deputies/scoring/recompute", {"congress": world.city.pk, "year": YEAR}
        )
    assert response.status_code == 202
    assert response.json() == {"year": YEAR, "queued": True, "scoring": None}
