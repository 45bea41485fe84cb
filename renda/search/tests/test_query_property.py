"""No query string breaks search (issue 7 point 2): arbitrary unicode — FTS5 and tsquery syntax,
quotes, NUL, lone surrogates, 10 000 characters — is never an error and never a 500, on SQLite
and PostgreSQL alike (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.search.queries import search, similar_suggestions

from .builders import answered, opinion, registered

pytestmark = pytest.mark.django_db

SYNTAX = [
    '"',
    "'",
    "*",
    "^",
    ":",
    "&",
    "|",
    "!",
    "<->",
    "<2>",
    "(",
    ")",
    "\\",
    "-",
    "+",
    "NEAR(",
    " AND ",
    " OR ",
    " NOT ",
    "title_words:",
    "{",
    "}",
    "\x00",
    "\ud800",
    "\udfff",
    "养老",
    "醫保",
    "５Ｇ",
    "5g",
    "a.b",
    "c++",
    "%",
    "_",
    "'':*",
    "\u200b",
    "\ufeff",
    "\U0002a6a5",
]
ANY_CHAR = st.characters(codec=None, categories=None)  # every code point, surrogates included
QUERIES = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.lists(st.sampled_from(SYNTAX), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(ANY_CHAR, max_size=5)), max_size=10).map(
        "".join
    ),
)
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def indexed(world: Any) -> Any:
    registered(world, "关于加快养老服务中心建设的建议", '社区"养老"床位不足* AND OR NEAR(x)')
    answered(world, "关于5G基站的建议", "已建成 c++ a.b 基站 'quoted' \\ 十处。")
    opinion(world, "希望增加养老驿站。")
    return world


@PROPERTY
@given(q=QUERIES)
def test_any_query_is_answered(indexed: Any, q: str) -> None:
    for user in (indexed["affairs"], indexed["deputy"], None):
        results = search(user, q)
        assert results.total >= len(results.hits)
        for hit in results.hits:
            assert "<script" not in hit.snippet


@PROPERTY
@given(title=QUERIES, body=QUERIES)
def test_any_text_is_compared_for_similar_suggestions(indexed: Any, title: str, body: str) -> None:
    similar_suggestions(indexed["affairs"], title=title, body=body, congress=indexed.city.pk)


@pytest.mark.parametrize("length", [10_000, 100_000])
def test_very_long_queries(indexed: Any, length: int) -> None:
    for q in ("养" * length, "a" * length, ("养老 " * length)[:length], '"*' * (length // 2)):
        search(indexed["affairs"], q)
        similar_suggestions(indexed["affairs"], title=q, body=q, congress=indexed.city.pk)


@PROPERTY
@given(q=st.text(st.characters(codec="utf-8"), max_size=80))
def test_the_api_never_fails(indexed: Any, q: str) -> None:
    from django.test import Client

    response = Client().get("/api/v1/search", {"q": q})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "raw", ["q=%ED%A0%80", "q=%FF%FE", "q=%00", "q=" + "%E5%85%BB" * 10_000, "q=%27%3A%2A%26"]
)
def test_the_api_takes_any_bytes(indexed: Any, client: Any, raw: str) -> None:
    response = client.get("/api/v1/search?" + raw + "&kind=answer")
    assert response.status_code == 200, response.content
