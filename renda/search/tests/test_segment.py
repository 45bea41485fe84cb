"""The segmenter every index and query goes through (issue 7: search handles short words, mixed
scripts, full-width forms and traditional characters)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from renda.search.segment import add_words, found_whole, normalize, segmented, tokens


def test_domain_words_are_kept_whole():
    assert "民生实事项目" in tokens("关于今年民生实事项目的建议", for_search=False)
    assert "承办单位" in tokens("请承办单位尽快答复", for_search=False)


def test_short_words_and_mixed_scripts():
    words = tokens("加快5G基站建设，推进养老和医保服务")
    for word in ("5g", "基站", "养老", "医保"):
        assert word in words
    assert "，" not in words


def test_full_width_and_traditional_forms_normalise_alike():
    assert normalize("５Ｇ基站") == normalize("5G基站") == "5g基站"
    assert tokens("醫保與養老") == tokens("医保与养老")


def test_long_words_also_yield_their_parts_for_search():
    words = tokens("中华人民共和国")
    assert "中华人民共和国" in words and "人民" in words


def test_added_words_are_kept_whole():
    assert "栖霞湖滨" not in tokens("栖霞湖滨社区", for_search=False)
    add_words(["栖霞湖滨"])
    assert "栖霞湖滨" in tokens("栖霞湖滨社区", for_search=False)


def test_empty_and_symbol_only_text():
    assert tokens("") == [] and tokens("！？…  ") == []
    assert segmented("养老 服务") == "养老 服务"


# --- whole words (docs/search.md, "Whole words") ----------------------------------------------
def test_only_dictionary_words_of_two_or_three_characters_are_asked_for_whole():
    assert found_whole("养老") and found_whole("养老院") and found_whole("医保")
    assert not found_whole("养")  # one character: a prefix (养老, 养殖 …)
    assert not found_whole("中华人民共和国")  # its 4+ character prefixes are not yielded
    assert not found_whole("5g") and not found_whole("栖霞湖")  # not dictionary words


# Words of the dictionary and single characters, joined with no space: the texts a prefix query
# finds by words beginning with a whole word (养老院建设, 医保卡办理 …).
_pieces = st.sampled_from(
    "养老 养老院 养老服务 医保 医保卡 社区 社区服务 农村 农村公路 饮水 安全 安全生产 老旧 小区 "
    "改造 停车 停车场 学校 交通 道路 公路 中华人民共和国 民生实事 民生实事项目 代表建议 项目 "
    "建 设 院 卡 站 区".split()
)


@given(st.lists(_pieces, min_size=1, max_size=8).map("".join))
@settings(max_examples=300, deadline=None)
def test_a_whole_word_is_in_every_text_with_a_word_beginning_with_it(text: str) -> None:
    """What makes asking for it whole find what the prefix finds (queries.match_expression)."""
    words = set(tokens(text))
    for word in words:
        for n in range(2, len(word)):
            if found_whole(word[:n]):
                assert word[:n] in words, (text, word)
