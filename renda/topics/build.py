"""Counting keywords month by month (streamed: one month's counts in memory at a time).

A text counts once per word (document frequency): twenty suggestions about 学校 weigh more than
one that repeats it twenty times. Words are the segmenter's (renda.search.segment), of two
characters or more, without stop words and numbers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from renda.orgs.models import Congress
from renda.search.segment import tokens
from renda.suggestions.choices import UnitRole
from renda.suggestions.models import Assignment, Suggestion

from .models import KeywordMonth, Source

# Words that say nothing about the matter (the phrasing of every suggestion and opinion).
STOP_WORDS = frozenset(
    "关于 建议 议案 意见 的 了 和 与 及 或 在 对 为 是 有 等 进一步 加强 加快 推进 推动 完善 提升 "
    "提高 支持 优化 促进 实施 建立 健全 问题 工作 发展 建设 管理 政策 我省 我市 全省 全市 方面 "
    "有关 相关 解决 开展 加大 力度 进行 希望 要求 反映 情况 存在 目前 近年来 一定 我们 他们 "
    "这个 那个 没有 不能 可以 已经 还是 就是 因为 所以 但是 如果 以及 其中 部分 通过 根据 "
    "统筹 规范 水平 突出 群众 市民 居民 单位 部门 政府 相关部门".split()
)
TEXT_CHARS = 400
NUMBER = re.compile(r"^[\d.%年月日号]+$")


def keywords(text: str) -> set[str]:
    return {
        w
        for w in tokens(text[:TEXT_CHARS], for_search=False)
        if len(w) >= 2 and w not in STOP_WORDS and not NUMBER.match(w) and len(w) <= 40
    }


def _month(moment: Any) -> date:
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return moment.replace(day=1)


def delegation_of(congress: Congress) -> dict[int, int]:
    """The delegation (代表团) of each deputy (user id) of the congress: the region a suggestion
    is counted under. A deputy with deputyships in several terms counts under the latest."""
    from renda.deputies.models import Deputyship

    rows = (
        Deputyship.objects.filter(congress=congress, delegation__isnull=False)
        .order_by("term__start_date", "pk")
        .values_list("person__user_id", "delegation_id")
    )
    return {user: delegation for user, delegation in rows}


def _suggestions(congress: Congress, since: date | None) -> Iterator[tuple[date, int, int, str]]:
    qs = Suggestion.objects.filter(congress=congress).exclude(submitted_at=None)
    if since:
        qs = qs.filter(submitted_at__date__gte=since)
    leads = Assignment.objects.filter(suggestion__congress=congress, role=UnitRole.LEAD)
    region_of = delegation_of(congress)
    rows = qs.order_by("submitted_at", "pk").values_list(
        "pk", "submitted_at", "lead_deputy_id", "title", "body"
    )
    batch: list[tuple[int, Any, int, str, str]] = []

    def flush() -> Iterator[tuple[date, int, int, str]]:
        unit_of = dict(
            leads.filter(suggestion_id__in=[b[0] for b in batch])
            .order_by("suggestion_id", "pk")
            .values_list("suggestion_id", "unit_id")
        )
        for pk, at, deputy, title, body in batch:
            yield (
                _month(at),
                unit_of.get(pk, 0),
                region_of.get(deputy, 0),
                f"{title}\n{body[:TEXT_CHARS]}",
            )
        batch.clear()

    for row in rows.iterator(chunk_size=5000):
        batch.append(row)
        if len(batch) >= 5000:
            yield from flush()
    if batch:
        yield from flush()


def _opinions(congress: Congress, since: date | None) -> Iterator[tuple[date, int, int, str]]:
    from renda.opinions.models import Opinion

    qs = Opinion.objects.filter(congress=congress)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    rows = qs.order_by("created_at", "pk").values_list("created_at", "station_id", "text")
    for at, station, text in rows.iterator(chunk_size=5000):
        yield _month(at), 0, station or 0, text


def rebuild(congress: Congress, since: date | None = None) -> int:
    """Recount the congress's keywords from `since` (a month's first day; None: everything).
    Each month is replaced in its own transaction, so the dashboard never sees half a month."""
    since = since.replace(day=1) if since else None
    written = 0
    for source, rows in (
        (Source.SUGGESTION, _suggestions(congress, since)),
        (Source.OPINION, _opinions(congress, since)),
    ):
        current: date | None = None
        counts: Counter[tuple[int, int, str]] = Counter()
        for month, unit, region, text in rows:
            if month != current:
                if current is not None:
                    written += _write(congress, source, current, counts)
                current, counts = month, Counter()
            for word in keywords(text):
                counts[(unit, region, word)] += 1
        if current is not None:
            written += _write(congress, source, current, counts)
    return written


def _write(
    congress: Congress, source: str, month: date, counts: Counter[tuple[int, int, str]]
) -> int:
    with transaction.atomic():
        KeywordMonth.objects.filter(congress=congress, source=source, month=month).delete()
        KeywordMonth.objects.bulk_create(
            [
                KeywordMonth(
                    congress=congress,
                    month=month,
                    source=source,
                    unit_id=u,
                    region_id=r,
                    word=w,
                    count=n,
                )
                for (u, r, w), n in counts.items()
            ],
            batch_size=5000,
        )
    return len(counts)
