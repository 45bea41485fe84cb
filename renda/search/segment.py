"""Chinese word segmentation shared by search, similar suggestions and routing (issue 7).

Chinese has no spaces, so every text the platform indexes or learns from goes through one
function, `tokens()`, and every query goes through the same one: what is indexed and what is
asked for are cut alike. Text is first normalised (`normalize()`): full-width forms to
half-width (NFKC), traditional characters to simplified (zhconv), case folded — so "５Ｇ基站",
"5g基站" and "5G基站" are one query, and so are 醫保 and 医保.

Segmentation is jieba with the platform's domain dictionary (`dictionary.txt`: 人大, 代表建议,
民生实事, 承办单位, ...) plus words added at run time with `add_words()` (e.g. place names from the
registry). The tokenizer is built once per process, lazily, and keeps its dictionary cache in the
data directory (no network, nothing written outside RENDA_DATA_DIR).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import jieba
import zhconv
from django.conf import settings

DICTIONARY = Path(__file__).with_name("dictionary.txt")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _get_tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.tmp_dir = str(settings.DATA_DIR)
                tokenizer.initialize()
                tokenizer.load_userdict(str(DICTIONARY))
                _tokenizer = tokenizer
    return _tokenizer


def warm_up() -> None:
    """Load the dictionary now (about a second of CPU and 60 MB), not on the first search or
    submission: the web server calls it before forking its workers, which then share it
    (renda/serve.py; renda/gunicorn_conf.py)."""
    _get_tokenizer()


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter words it must keep whole (place names, unit names)."""
    tokenizer = _get_tokenizer()
    for word in words:
        word = normalize(word).strip()
        if word:
            tokenizer.add_word(word)
    _cut_cached.cache_clear()


def found_whole(word: str) -> bool:
    """Whether every indexed text with a word beginning with `word` holds `word` itself, so
    that asking for it whole finds what asking for it as a prefix finds. True for a word of the
    dictionary of 2 or 3 characters (normalised, as `query_words` gives them): jieba's search
    mode also yields every 2-character dictionary word inside a word longer than 2, and every
    3-character one inside a word longer than 3 (养老院 → 养老, 养老院), and a word made of such
    pieces holds them alike. A whole word is looked up as one key of the index: 农村 饮水 安全 as
    prefixes merged every word beginning with 农村 and with 安全 (130 ms at 1 M), as words 11 ms
    (docs/search.md, "Whole words"). A word added to the dictionary after texts were indexed
    is found whole only in texts indexed since (as by the segmenter itself: `add_words`)."""
    return 2 <= len(word) <= 3 and bool(_get_tokenizer().FREQ.get(word))


def normalize(text: str) -> str:
    """Full-width → half-width, traditional → simplified, case folded."""
    text = unicodedata.normalize("NFKC", text or "")
    return zhconv.convert(text, "zh-hans").casefold()


def is_cjk(ch: str) -> bool:
    """Whether a character is a Chinese character (the unified ideographs and their
    extensions, the compatibility ideographs)."""
    return len(ch) == 1 and (
        "\u3400" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003ffff"
    )


def _is_word(token: str) -> bool:
    # Drop whitespace and punctuation/symbol-only tokens; keep letters, digits and CJK.
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokens(text: str, *, for_search: bool = True, normalized: bool = False) -> list[str]:
    """The words of `text`, normalised.

    `for_search` also yields the shorter words inside long ones (中华人民共和国 → 中华, 人民,
    共和国, ...) so that a short query finds them. `normalized`: `text` already went through
    `normalize()` (a caller that needs the normalised text too does it once)."""
    words: list[str] = []
    for clause in _CLAUSE_BREAK.split(text if normalized else normalize(text)):
        if clause:
            words.extend(_cut(clause, for_search))
    return words


# Where jieba never joins two sides into one word (whitespace and punctuation outside its word
# characters): each clause is cut on its own, and clauses seen before (answer boilerplate such
# as 经认真研究，现答复如下) come from a bounded cache — the same words, cut once.
_CLAUSE_BREAK = re.compile(r"[\s，。；：！？、,;:!?（）()《》「」“”‘’\"'\[\]【】]+")


@lru_cache(maxsize=50_000)
def _cut_cached(clause: str, for_search: bool) -> tuple[str, ...]:
    tokenizer = _get_tokenizer()
    cut = tokenizer.cut_for_search(clause) if for_search else tokenizer.cut(clause)
    return tuple(token for token in (t.strip() for t in cut) if token and _is_word(token))


def _cut(clause: str, for_search: bool) -> tuple[str, ...]:
    if len(clause) > 200:  # long runs are rarely repeated: not worth a cache slot
        return _cut_cached.__wrapped__(clause, for_search)
    return _cut_cached(clause, for_search)


def segmented(text: str) -> str:
    """`text` as space-separated words, the form full-text indexes store."""
    return " ".join(tokens(text))


# A query is cut to this many characters and this many words: enough for any real question,
# and it keeps every lexeme far below PostgreSQL's 2 047-byte limit and the query plan small.
QUERY_MAX_CHARS = 200
QUERY_MAX_WORDS = 12


def clean(text: str) -> str:
    """`text` without what no database can hold or no person meant: NUL and other control
    characters, lone surrogates (not encodable as UTF-8) and unassigned code points."""
    return "".join(
        ch if unicodedata.category(ch) not in ("Cc", "Cs", "Cn", "Co") else " " for ch in text or ""
    )


def marked_words(query: str) -> list[str]:
    """The words of a query to mark in snippets: every piece, long and short (护理员 and 护理)."""
    return list(dict.fromkeys(tokens(clean(query)[:QUERY_MAX_CHARS])))[: QUERY_MAX_WORDS * 3]


def query_words(query: str) -> list[str]:
    """The words to look for: the query cut like the indexed text, keeping only the smallest
    pieces (中华人民共和国 → 中华, 华人, 人民, 共和 — each is in the index of a text containing
    it, whatever way that text was cut as a whole). Each is then matched as a prefix of the
    indexed words, so a single 养 finds 养老 (docs/search.md, "Short words")."""
    words = tokens(clean(query)[:QUERY_MAX_CHARS])
    unique = list(dict.fromkeys(words))
    smallest = [w for w in unique if not any(o != w and o in w for o in unique)]
    return smallest[:QUERY_MAX_WORDS]
