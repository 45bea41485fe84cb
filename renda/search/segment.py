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
import threading
import unicodedata
from collections.abc import Iterable
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


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter words it must keep whole (place names, unit names)."""
    tokenizer = _get_tokenizer()
    for word in words:
        word = normalize(word).strip()
        if word:
            tokenizer.add_word(word)


def normalize(text: str) -> str:
    """Full-width → half-width, traditional → simplified, case folded."""
    text = unicodedata.normalize("NFKC", text or "")
    return zhconv.convert(text, "zh-hans").casefold()


def _is_word(token: str) -> bool:
    # Drop whitespace and punctuation/symbol-only tokens; keep letters, digits and CJK.
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokens(text: str, *, for_search: bool = True) -> list[str]:
    """The words of `text`, normalised.

    `for_search` also yields the shorter words inside long ones (中华人民共和国 → 中华, 人民,
    共和国, ...) so that a short query finds them."""
    tokenizer = _get_tokenizer()
    text = normalize(text)
    cut = tokenizer.cut_for_search(text) if for_search else tokenizer.cut(text)
    return [token for token in (t.strip() for t in cut) if token and _is_word(token)]


def segmented(text: str) -> str:
    """`text` as space-separated words, the form full-text indexes store."""
    return " ".join(tokens(text))
