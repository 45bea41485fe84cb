"""Highlighted snippets (issue 7 point 1): the words found, marked in the record's own text.

The text is escaped piece by piece and only our own `<mark>` tags are added, so a snippet never
carries markup a user typed. Words are found in the normalised text (full-width, traditional,
case folded — as they were indexed) and marked at the same places in the original, so a search
for 医保 marks 醫保 where a user wrote it that way."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .segment import normalize

SNIPPET_CHARS = 120


def _aligned(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the original character's index."""
    whole = normalize(text)
    if len(whole) == len(text):
        return whole, list(range(len(text)))
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        n = normalize(ch)
        chars.append(n)
        where.extend([i] * len(n))
    return "".join(chars), where


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    norm, where = _aligned(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        if not word:
            continue
        start = norm.find(word)
        while start != -1 and len(spans) < 200:
            end = start + len(word)
            spans.append((where[start], where[end - 1] + 1))
            start = norm.find(word, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def highlight(text: str, words: list[str], *, width: int | None = None) -> SafeString:
    """`text` escaped, the words marked; cut to about `width` characters around the first
    word found (with … where cut) when `width` is given."""
    text = text or ""
    spans = _spans(text, words)
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - width // 3, len(text) - width))
        end = start + width
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece of user text is escaped above
