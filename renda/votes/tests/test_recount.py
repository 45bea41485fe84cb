"""`manage.py recount <ballot>` recomputes the tally from the stored papers and detects any
paper changed, added or deleted since close (issue 6 "Reproducible")."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renda.votes.actions import cast_vote, close_ballot, open_ballot
from renda.votes.models import Ballot, Paper
from renda.votes.sealing import paper_hash

from .builders import choice_ids, livelihood, meeting, members


def _closed(world):
    people = members(6)
    b = livelihood(world, meeting(world, people, kind="congress_session"), n=4, max_choices=2)
    open_ballot(b, by=world["affairs"])
    ids = choice_ids(b)
    for i, p in enumerate(people):
        cast_vote(b, voter=p, choices=[ids[0], ids[1 + i % 3]])
    return close_ballot(b, by=world["affairs"])


def _recount(ballot):
    out = StringIO()
    call_command("recount", str(ballot.pk), stdout=out)
    return out.getvalue()


def test_recount_prints_the_same_result(world):
    b = _closed(world)
    out = _recount(b)
    assert "项目1: 6" in out and "项目2: 2" in out and "Recount matches" in out
    assert Ballot.objects.get(pk=b.pk).tally["passed"][str(choice_ids(b)[0])] is True


def test_a_changed_paper_is_detected(world):
    b = _closed(world)
    p = Paper.objects.filter(ballot=b).first()
    Paper.objects.filter(pk=p.pk).update(content={"choices": [choice_ids(b)[3]]})
    with pytest.raises(CommandError, match=f"paper {p.key}: its content does not match"):
        _recount(b)


def test_a_changed_paper_with_its_hash_recomputed_is_caught_by_the_seal(world):
    b = _closed(world)
    p = Paper.objects.filter(ballot=b).first()
    content = {"choices": [choice_ids(b)[3]]}
    Paper.objects.filter(pk=p.pk).update(
        content=content, content_hash=paper_hash(b.pk, p.key, content, p.receipt_hash)
    )
    with pytest.raises(CommandError, match="do not match the seal"):
        _recount(b)


def test_an_added_paper_is_detected(world):
    b = _closed(world)
    content = {"choices": [choice_ids(b)[3]]}
    Paper.objects.create(
        key="0" * 32,
        ballot=b,
        content=content,
        receipt_hash="x" * 64,
        content_hash=paper_hash(b.pk, "0" * 32, content, "x" * 64),
    )
    with pytest.raises(CommandError, match="7 papers stored but 6 sealed at close \\(added"):
        _recount(b)


def test_a_deleted_paper_is_detected(world):
    b = _closed(world)
    Paper.objects.filter(ballot=b).first().delete()
    with pytest.raises(CommandError, match="deleted papers"):
        _recount(b)


def test_a_resealed_ballot_is_caught_by_the_audit_trail(world):
    """Someone who deletes a paper and writes a new seal on the ballot still differs from the
    seal the hash-chained audit trail recorded at close."""
    from renda.votes.sealing import seal_digest

    b = _closed(world)
    Paper.objects.filter(ballot=b).first().delete()
    rest = Paper.objects.filter(ballot=b)
    Ballot.objects.filter(pk=b.pk).update(
        seal=seal_digest(b.pk, [(p.key, p.content_hash) for p in rest]), paper_count=rest.count()
    )
    with pytest.raises(CommandError, match="audit trail recorded at close"):
        _recount(b)


def test_an_open_ballot_is_not_recounted(world):
    people = members(2)
    b = livelihood(world, meeting(world, people, kind="congress_session"), n=4, max_choices=2)
    open_ballot(b, by=world["affairs"])
    with pytest.raises(CommandError, match="only a closed ballot"):
        _recount(b)
    with pytest.raises(CommandError, match="No ballot"):
        call_command("recount", "999999")
