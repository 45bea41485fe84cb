"""Permission matrix of search and similar suggestions (issue 7 point 3): every role finds only
what it may see — a deputy their own and the published answers, a unit what is assigned to it,
the office its congress, the public only published answers — and personal data never reaches a
snippet (SUG-PUBLIC: published text is masked)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import WORLD_USERS
from renda.suggestions.actions.assignment import assign

from .builders import answered, draft, opinion, registered

pytestmark = pytest.mark.django_db

OFFICE = {"affairs", "committee", "leader", "supervisor", "admin"}
EVERYONE = {*WORLD_USERS, None}


@pytest.fixture
def records(world: Any) -> dict[str, Any]:
    d = draft(world, "关于养老金调整的建议（草稿）", "草稿正文。")
    s2 = assign(
        registered(world, "关于养老机构消防安全的建议", deputy="deputy2"),
        lead_units=[world.transport],
        co_units=[],
        by=world["affairs"],
    )
    s3 = answered(world, "关于社区养老食堂的建议", "已在全市新建养老食堂二十家。")
    s4 = answered(
        world, "关于养老护理补贴的建议", "补贴已发放，经办人电话13812345678。", public=False
    )
    o = opinion(world, "我叫李四，电话13912345678，希望小区建养老驿站。", name="李四")
    return {
        "draft": d,
        "s2": s2,
        "s3": s3,
        "s4": s4,
        "a3": s3.assignments.get().answers.get(),
        "a4": s4.assignments.get().answers.get(),
        "opinion": o,
    }


def expected(records: dict[str, Any], user: str | None) -> set[tuple[str, int]]:
    r = records
    out = {("answer", r["a3"].pk)}  # published: everyone
    if user == "deputy":
        out |= {("suggestion", r["draft"].pk)}
    if user in OFFICE or user == "deputy2" or user == "transport_clerk":
        out |= {("suggestion", r["s2"].pk)}
    if user in OFFICE or user in {"deputy", "edu_clerk", "edu_head"}:
        out |= {("suggestion", r["s3"].pk), ("suggestion", r["s4"].pk), ("answer", r["a4"].pk)}
    if user in {"station", "affairs", "admin"}:
        out |= {("opinion", r["opinion"].pk)}
    return out


@pytest.mark.parametrize("user", sorted(EVERYONE, key=str))
def test_search_finds_exactly_what_each_role_may_see(
    api: Any, records: dict[str, Any], user: str | None
) -> None:
    response = api(user).get("/search", q="养老", per_page=50)
    assert response.status_code == 200, response.content
    body = response.json()
    found = {(h["kind"], h["id"]) for h in body["items"]}
    assert found == expected(records, user)
    assert body["total"] == len(found)
    text = response.content.decode()
    for secret in ("13812345678", "13912345678", "李四"):
        assert secret not in text


@pytest.mark.parametrize("user", sorted(EVERYONE, key=str))
def test_a_published_answer_links_to_the_public_page_unless_the_suggestion_is_visible(
    api: Any, records: dict[str, Any], user: str | None
) -> None:
    items = api(user).get("/search", q="食堂", kind="answer").json()["items"]
    assert len(items) == 1
    full = user in OFFICE or user in {"deputy", "edu_clerk", "edu_head"}
    s3 = records["s3"].pk
    assert items[0]["url"] == (f"/suggestions/{s3}/" if full else f"/suggestions/public/{s3}/")


SIMILAR_ALLOWED = {"deputy", "deputy2", "sc_member", "affairs", "county_affairs", "admin"}


@pytest.mark.parametrize("user", sorted(EVERYONE, key=str))
def test_similar_suggestions_matrix(
    api: Any, world: Any, records: dict[str, Any], user: str | None
) -> None:
    payload: dict[str, Any] = {"title": "关于养老机构消防安全检查的建议"}
    if user in {"admin", "county_affairs"}:
        payload["congress"] = world.city.pk
    response = api(user).post("/suggestions/similar", payload)
    if user is None:
        assert response.status_code == 401
        return
    if user not in SIMILAR_ALLOWED:
        assert response.status_code == 403, response.content
        return
    if user == "county_affairs":  # not their congress: as if it did not exist
        assert response.status_code == 404
        return
    assert response.status_code == 200, response.content
    ids = {i["id"] for i in response.json()["items"]}
    # s2 (deputy2's, assigned) is seen by its lead deputy and the office only; a draft never.
    assert (records["s2"].pk in ids) == (user in {"deputy2", "affairs", "admin"})
    assert records["draft"].pk not in ids


@pytest.mark.parametrize("cap", [1, 1000])
@pytest.mark.parametrize("user", ["edu_clerk", "edu_head", "transport_clerk", "deputy"])
def test_a_busy_unit_finds_exactly_what_it_may_see(
    api: Any, records: dict[str, Any], monkeypatch: Any, settings: Any, user: str, cap: int
) -> None:
    """Every unit counted busy (best matches first, checked row by row): the same hits and
    total as the narrow path — also when the best matches hold too few of the unit's own
    (cap 1: the narrow path takes over)."""
    from renda.search import queries

    settings.SEARCH_BUSY_UNIT = 1
    monkeypatch.setattr(queries, "CANDIDATE_CAP", cap)
    body = api(user).get("/search", q="养老", per_page=50).json()
    found = {(h["kind"], h["id"]) for h in body["items"]}
    assert found == expected(records, user)
    assert body["total"] == len(found)


def test_only_a_unit_with_many_assignments_is_busy(
    world: Any, records: dict[str, Any], settings: Any
) -> None:
    from renda.search import queries

    assert not queries._busy(world["edu_clerk"], "suggestion")  # 2 assignments < SEARCH_BUSY_UNIT
    settings.SEARCH_BUSY_UNIT = 2
    assert queries._busy(world["edu_clerk"], "suggestion")
    assert queries._busy(world["edu_clerk"], "answer")
    assert not queries._busy(world["transport_clerk"], "suggestion")  # 1 assignment
    assert not queries._busy(world["deputy"], "suggestion")
    assert not queries._busy(world["edu_clerk"], "opinion")
