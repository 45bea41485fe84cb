"""The segmenter every index and query goes through (issue 7: search handles short words, mixed
scripts, full-width forms and traditional characters)."""

from renda.search.segment import add_words, normalize, segmented, tokens


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
