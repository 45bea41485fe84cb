"""POST /api/v1/routing/suggest (issue 7's fixed contract): the office's proposals, every role
checked (permission matrix), bad input a clear 4xx, no history → no units and why."""

from __future__ import annotations

import pytest

from renda.routing.actions import import_history, train_model

from .archive import rows, write_csv

ROLES = [
    "admin", "affairs", "county_affairs", "deputy", "deputy2", "edu_clerk", "edu_head",
    "transport_clerk", "station", "sc_member", "committee", "supervisor", "leader", "nobody",
]  # fmt: skip
ALLOWED = {"affairs": 200, "county_affairs": 200, "admin": 422}  # admin: must name the congress


@pytest.mark.parametrize("username", ROLES)
def test_permission_matrix(api, username):
    r = api(username).post("/routing/suggest", {"title": "关于加强学校安全的建议"})
    assert r.status_code == ALLOWED.get(username, 404), r.content
    assert set(r.json()) >= ({"units", "model"} if r.status_code == 200 else {"error", "detail"})


def test_anonymous_is_refused(api):
    assert api().post("/routing/suggest", {"title": "学校"}).status_code == 401


def test_admin_names_the_congress_and_others_cannot_reach_one_not_theirs(api, world):
    r = api("admin").post("/routing/suggest", {"title": "学校", "congress": world.city.pk})
    assert r.status_code == 200
    r = api("county_affairs").post("/routing/suggest", {"title": "学校", "congress": world.city.pk})
    assert r.status_code == 404


@pytest.mark.parametrize(
    "body",
    [{}, {"title": ""}, {"title": 3}, {"title": "学校", "body": ["x"]}, {"title": "x" * 201}],
)
def test_bad_input_is_a_422(api, body):
    r = api("affairs").post("/routing/suggest", body)
    assert r.status_code == 422 and r.json()["error"] == "validation_error"


def test_not_json_is_a_400(api):
    assert api("affairs").post("/routing/suggest", raw="{nope").status_code == 400


def test_no_history_gives_no_units_and_says_why(api):
    r = api("affairs").post("/routing/suggest", {"title": "关于加强学校安全的建议"})
    assert r.json()["units"] == [] and r.json()["model"] is None
    assert "too little history" in r.json()["detail"]


def test_top_five_with_score_reason_and_model(api, world, tmp_path):
    import_history(world.city, write_csv(tmp_path / "h.csv", rows(80)))
    train_model(world.city)
    r = api("affairs").post(
        "/routing/suggest", {"title": "关于增加学校教师编制的建议", "body": "中小学教师不足。"}
    )
    data = r.json()
    assert r.status_code == 200
    assert data["units"][0] == {
        "id": world.edu.pk,
        "name": "市教育局",
        "score": data["units"][0]["score"],
        "reason": data["units"][0]["reason"],
    }
    assert 0.5 < data["units"][0]["score"] <= 1 and data["units"][0]["reason"]
    assert len(data["units"]) == 2  # two units in this congress (at most five)
    assert data["model"]["samples"] == 80 and data["model"]["accuracy"] == 1.0
    assert data["model"]["trained_at"]
