"""The index is kept by the actions that write the text (issue 7 point 1), in their
transaction; `rebuild_search_index` rewrites it for rows written otherwise."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from renda.search.models import SearchDocument, SearchTerm
from renda.search.queries import search
from renda.suggestions.actions.submission import update_draft
from renda.suggestions.models import Suggestion

from .builders import answered, draft, opinion

pytestmark = pytest.mark.django_db


def words_of(kind: str, pk: int) -> str:
    doc = SearchDocument.objects.get(kind=kind, object_id=pk)
    return f"{doc.title_words} | {doc.body_words}"


def test_drafting_and_editing_write_the_index(world: Any) -> None:
    s = draft(world, "关于加快养老服务中心建设的建议", "社区养老设施不足。")
    assert "养老" in words_of("suggestion", s.pk)
    update_draft(s, by=world["deputy"], title="关于完善医保报销流程的建议")
    words = words_of("suggestion", s.pk)
    assert "医保" in words and "养老服务" not in words.split(" | ")[0]
    assert SearchDocument.objects.filter(kind="suggestion", object_id=s.pk).count() == 1


def test_a_rolled_back_action_leaves_no_index_row(world: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        draft(world, "关于增设公交站台的建议")
        raise RuntimeError
    assert not SearchDocument.objects.exists()


def test_answers_are_indexed_with_the_suggestion_title_and_masked_text(world: Any) -> None:
    s = answered(world, "关于学校周边交通的建议", "已增设护学岗，联系电话13812345678。")
    answer = s.assignments.get().answers.get()
    words = words_of("answer", answer.pk)
    assert "学校" in words and "护学" in words
    # Masked as the public page masks it (138****5678): the hidden digits are not searchable.
    assert "13812345678" not in words and "1234" not in words


def test_opinions_are_indexed_masked_with_the_citizens_name(world: Any) -> None:
    o = opinion(world, "我是李四，电话13912345678，小区路灯坏了。", name="李四")
    words = words_of("opinion", o.pk)
    assert "路灯" in words and "李四" not in words and "13912345678" not in words


def test_rebuild_rewrites_every_row_and_drops_orphans(world: Any) -> None:
    s = draft(world, "关于加强食品安全监管的建议")
    Suggestion.objects.filter(pk=s.pk).update(title="关于治理河道污染的建议")  # a bulk write
    SearchDocument.objects.create(kind="suggestion", object_id=999_999, congress_id=1)
    out = StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=out)
    assert "河道" in words_of("suggestion", s.pk)
    assert not SearchDocument.objects.filter(object_id=999_999).exists()
    assert SearchTerm.objects.get(word="").documents == 1
    assert "suggestion" in out.getvalue()
    assert search(world["deputy"], "河道").total == 1


def test_the_vocabulary_holds_every_indexed_word(world: Any) -> None:
    from django.db import connection

    draft(world, "关于治理河道污染的建议", "沿岸排污口。")
    assert SearchTerm.objects.filter(word="河道").exists()  # written with the index row
    answered(world, "关于校车安全的建议", "已为全市校车加装定位设备。")
    assert SearchTerm.objects.filter(word="定位").exists()
    call_command("rebuild_search_index", "--terms", stdout=StringIO())
    assert SearchTerm.objects.get(word="河道").documents == 1
    # PostgreSQL counts suggestions only (ts_stat); SQLite's FTS5 vocabulary every kind. A word
    # only the answer holds stays in the vocabulary either way.
    pg = connection.vendor == "postgresql"
    assert SearchTerm.objects.get(word="校车").documents == (1 if pg else 2)
    assert SearchTerm.objects.get(word="定位").documents == (0 if pg else 1)


@pytest.mark.parametrize("jobs", [1, 2])
def test_rebuild_writes_what_the_actions_write(world: Any, jobs: int) -> None:
    """Rebuilt rows (words cut in worker processes when jobs > 1, written by COPY on
    PostgreSQL) are the rows the actions write; a second rebuild changes nothing."""
    from renda.search.index import rebuild

    draft(world, "关于加快养老服务中心建设的建议", "社区养老床位不足，电话13812345678。")
    answered(world, "关于学校周边交通的建议", "已增设护学岗，联系电话13812345678。")
    opinion(world, "我是李四，电话13912345678，小区路灯坏了。", name="李四")
    fields = ("kind", "object_id", "congress_id", "title_words", "body_words")
    written = set(SearchDocument.objects.values_list(*fields))
    assert {k for k, *_ in written} == {"suggestion", "answer", "opinion"}
    SearchDocument.objects.update(title_words="", body_words="x")
    for kind in ("suggestion", "answer", "opinion"):
        assert rebuild(kind, jobs=jobs) == sum(1 for k, *_ in written if k == kind)
    assert set(SearchDocument.objects.values_list(*fields)) == written
    ids = set(SearchDocument.objects.values_list("id", flat=True))
    rebuild("suggestion", jobs=jobs)
    assert set(SearchDocument.objects.values_list("id", flat=True)) == ids
