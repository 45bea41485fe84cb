"""Search behaviour (issue 7 points 1–2): short words, mixed scripts, full-width and traditional
forms, ranking, filters and escaped, highlighted snippets — on SQLite (FTS5) and PostgreSQL
(tsvector) alike."""

from __future__ import annotations

from typing import Any

import pytest

from renda.errors import InvalidInput
from renda.search.queries import search

from .builders import answered, draft, opinion, registered

pytestmark = pytest.mark.django_db


def ids(results: Any, kind: str = "suggestion") -> set[int]:
    return {h.id for h in results.hits if h.kind == kind}


@pytest.fixture
def archive(world: Any) -> dict[str, Any]:
    return {
        "elderly": registered(world, "关于加快养老服务中心建设的建议", "社区养老床位不足。"),
        "insurance": registered(world, "关于完善医保异地结算的建议", "异地就医报销手续繁琐。"),
        "5g": registered(world, "关于加快5G基站建设的建议", "农村地区信号覆盖不足。"),
        "school": registered(world, "关于学校周边交通安全的建议", "上下学时段道路拥堵。"),
    }


def test_two_character_words_are_found(world: Any, archive: dict[str, Any]) -> None:
    assert ids(search(world["affairs"], "养老")) == {archive["elderly"].pk}
    assert ids(search(world["affairs"], "医保")) == {archive["insurance"].pk}


def test_a_single_character_finds_the_words_it_begins(world: Any, archive: dict[str, Any]) -> None:
    assert archive["elderly"].pk in ids(search(world["affairs"], "养"))


def test_a_single_character_inside_or_at_the_end_of_a_word_is_found(
    world: Any, archive: dict[str, Any]
) -> None:
    # 路 ends 道路, 老 ends 养老, 堵 ends 拥堵: not prefixes of any indexed word.
    assert ids(search(world["affairs"], "路")) == {archive["school"].pk}
    assert ids(search(world["affairs"], "老")) == {archive["elderly"].pk}
    assert ids(search(world["affairs"], "堵")) == {archive["school"].pk}
    assert ids(search(world["affairs"], "學 路")) == {archive["school"].pk}  # with another word
    hit = search(world["affairs"], "路").hits[0]
    assert "<mark>路</mark>" in hit.snippet


def test_two_characters_inside_a_longer_word_are_found(world: Any, archive: dict[str, Any]) -> None:
    """保卡 is no word of its own: it is inside 社保卡 and 医保卡, found through the vocabulary as
    a single character is; 健康 (a word) still finds by itself."""
    s = registered(world, "关于增设社保卡医保卡服务网点的建议", "办卡网点太少。")
    assert ids(search(world["affairs"], "保卡")) == {s.pk}
    assert "社<mark>保卡</mark>" in search(world["affairs"], "保卡").hits[0].title
    assert ids(search(world["affairs"], "保卡 网点")) == {s.pk}
    assert not ids(search(world["affairs"], "卡医"))  # across two words: not a word's part


def test_a_single_character_finds_words_written_after_the_last_count(world: Any) -> None:
    """The vocabulary a single character is looked up in is kept by every index write, not
    only by rebuild_search_index: a word first written now is found at once."""
    from renda.search.index import refresh_terms

    refresh_terms()
    s = registered(world, "关于整治噪声扰民的建议", "夜间施工噪声扰民。")
    assert ids(search(world["affairs"], "扰")) == {s.pk}  # 扰民 begins with it
    assert ids(search(world["affairs"], "民")) == {s.pk}  # 扰民 ends with it


def test_a_single_character_finds_an_opinion_submitted_after_the_last_count(world: Any) -> None:
    """A citizen's submission writes its index row by the plain-INSERT path (index_new): its
    new words join the vocabulary too, so a character inside them finds it at once."""
    from renda.search.index import refresh_terms

    refresh_terms()
    opinion(world, "楼下夜市噪声扰民严重。")
    assert search(world["affairs"], "民", kind="opinion").total == 1  # 扰民 ends with it


def test_a_single_character_in_an_answer_is_found(world: Any) -> None:
    answered(world, "关于校车安全的建议", "已为全市校车加装定位设备。")
    results = search(world["affairs"], "位", kind="answer")
    assert results.total == 1


def test_mixed_chinese_latin_and_digits(world: Any, archive: dict[str, Any]) -> None:
    for q in ("5G基站", "5g 基站", "５Ｇ基站", "5G"):
        assert ids(search(world["affairs"], q)) == {archive["5g"].pk}, q


def test_traditional_characters_find_simplified_text(world: Any, archive: dict[str, Any]) -> None:
    assert ids(search(world["affairs"], "醫保")) == {archive["insurance"].pk}
    assert ids(search(world["affairs"], "養老服務")) == {archive["elderly"].pk}


def test_every_word_must_be_found(world: Any, archive: dict[str, Any]) -> None:
    assert ids(search(world["affairs"], "养老 医保")) == set()
    assert ids(search(world["affairs"], "异地 报销")) == {archive["insurance"].pk}


def test_a_title_match_ranks_above_a_text_match(world: Any) -> None:
    in_text = registered(world, "关于改善社区环境的建议", "建议增设垃圾分类设施。")
    in_title = registered(world, "关于推进垃圾分类的建议", "社区环境有待改善。")
    hits = search(world["affairs"], "垃圾分类").hits
    assert [h.id for h in hits] == [in_title.pk, in_text.pk]


def test_snippets_mark_the_words_and_escape_what_users_typed(world: Any) -> None:
    s = registered(world, "关于<script>alert(1)</script>养老的建议", "<b>醫保</b> & 养老")
    hit = search(world["affairs"], "医保 养老").hits[0]
    assert hit.id == s.pk
    assert "<script>" not in hit.title and "&lt;script&gt;" in hit.title
    assert "<mark>养老</mark>" in hit.title
    assert "<mark>醫保</mark>" in hit.snippet  # marked where the user wrote it traditionally
    assert "<b>" not in hit.snippet and "&amp;" in hit.snippet


def test_long_texts_give_a_short_snippet_around_the_word(world: Any) -> None:
    body = "前言。" * 200 + "关键在于加强养老护理员培训。" + "结语。" * 200
    registered(world, "关于护理的建议", body)
    hit = search(world["affairs"], "护理员").hits[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "<mark>护理员</mark>" in hit.snippet and len(hit.snippet) < 300


def test_filters_by_kind_year_state_and_congress(world: Any, archive: dict[str, Any]) -> None:
    d = draft(world, "关于养老金调整的建议")
    deputy = world["deputy"]
    assert ids(search(deputy, "养老")) == {archive["elderly"].pk, d.pk}
    assert ids(search(deputy, "养老", state="draft")) == {d.pk}
    assert ids(search(deputy, "养老", year=d.year - 1)) == set()
    assert ids(search(deputy, "养老", congress=world.county.pk)) == set()
    assert search(deputy, "养老", kind="opinion").hits == []


def test_all_kinds_together_ranked_with_a_total(world: Any) -> None:
    answered(world, "关于校车安全的建议", "已为全市校车加装定位设备。")
    opinion(world, "希望加强校车安全检查。")
    results = search(world["affairs"], "校车")
    assert {h.kind for h in results.hits} == {"suggestion", "answer", "opinion"}
    assert results.total == 3 and not results.total_capped


def test_paging(world: Any) -> None:
    for i in range(5):
        registered(world, f"关于第{i}条公交线路的建议")
    first = search(world["affairs"], "公交", per_page=2)
    third = search(world["affairs"], "公交", per_page=2, page=3)
    assert first.total == 5 and first.has_next
    assert len(third.hits) == 1 and not third.has_next
    seen = {
        h.id for p in (1, 2, 3) for h in search(world["affairs"], "公交", per_page=2, page=p).hits
    }
    assert len(seen) == 5


def test_an_unknown_kind_is_refused(world: Any) -> None:
    with pytest.raises(InvalidInput):
        search(world["affairs"], "养老", kind="motion")


def test_a_query_with_no_words_finds_nothing(world: Any, archive: dict[str, Any]) -> None:
    for q in ("", "   ", "，。！", '"*"', "\x00"):
        assert search(world["affairs"], q).hits == []


def test_a_whole_word_finds_the_longer_words_beginning_with_it(world: Any) -> None:
    """养老 is asked for whole (a dictionary word: `segment.found_whole`), not as a prefix, and
    still finds 养老院 and 养老服务, which the index also holds it for."""
    from django.db import connection

    from renda.search.queries import match_expression

    home = registered(world, "关于新建养老院的建议", "床位紧张。")
    service = registered(world, "推进养老服务", "建设日间照料中心。")
    whole = match_expression(["养老"])
    assert whole == ("'养老'" if connection.vendor == "postgresql" else '"养老"')
    assert {home.pk, service.pk} <= ids(search(world["affairs"], "养老"))


def test_a_total_past_the_cap_stays_at_the_cap_across_kinds(world: Any, monkeypatch: Any) -> None:
    """ "More than 1 000" whatever the kinds: each kind is capped alone, and so is their sum."""
    from renda.search import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    for i in range(2):
        answered(world, f"关于第{i}辆校车的建议", "已为校车加装定位设备。")
    results = search(world["affairs"], "校车")  # 2 suggestions and 2 answers
    assert results.total == 2 and results.total_capped
    assert {h.kind for h in results.hits} == {"suggestion", "answer"}


def test_after_a_capped_kind_the_best_hits_of_the_next_are_the_same(
    world: Any, monkeypatch: Any
) -> None:
    """Once the total is "more than", a later kind's best matches are checked a few at a time
    until the hits wanted are found (`_kind_hits(counted=False)`): the same hits as checking
    every candidate — here the two best answers are not public, so deputy2 needs the third."""
    from renda.search import queries
    from renda.search.segment import query_words

    answered(world, "关于校车的建议", "校车校车校车，校车定位。", public=False)
    answered(world, "关于校车线路的建议", "校车校车，校车线路调整。", public=False)
    public = answered(world, "关于学生出行的建议", "已增开校车。")
    monkeypatch.setattr(queries, "FIRST_CHECK", 1)
    checked: list[int] = []
    real = queries._allowed

    def spy(user: Any, kind: str, ids: list[int], filters: Any) -> set[int]:
        checked.append(len(ids))
        return real(user, kind, ids, filters)

    monkeypatch.setattr(queries, "_allowed", spy)
    match = queries.match_expression(query_words("校车"))
    filters = {"congress": None, "year": None, "state": None}
    where = queries._filters("answer", None, None, None)
    user = world["deputy2"]
    every = queries._kind_hits(user, "answer", match, 1, where, filters)
    assert checked == [3]
    checked.clear()
    few = queries._kind_hits(user, "answer", match, 1, where, filters, counted=False)
    assert checked == [2, 1]  # the best two (not public), then the rest
    answer = public.assignments.get().answers.get()
    assert few[0] == every[0] == [(answer.pk, every[0][0][1])]
