"""One voter, one ballot under concurrency (issue 6): 50 simultaneous attempts by one member
record exactly one paper and one register row (real database, real threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from renda.errors import DomainError
from renda.votes.actions import cast_vote, close_ballot, open_ballot
from renda.votes.models import Paper, Voter
from renda.votes.recount import recount

from .builders import choice_ids, livelihood, meeting, members


def _at_once(n, fn):
    barrier = threading.Barrier(n)
    results: list[object] = []

    def work():
        try:
            barrier.wait(timeout=30)
            results.append(fn())
        except BaseException as exc:  # noqa: BLE001 - counted below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_attempts_by_one_deputy_record_one_ballot(world):
    people = members(3)
    b = livelihood(world, meeting(world, people, kind="congress_session"), n=4, max_choices=2)
    open_ballot(b, by=world["affairs"])
    ids = choice_ids(b)
    voter = people[0]
    results = _at_once(50, lambda: cast_vote(b, voter=voter, choices=[ids[0]]))
    receipts = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(receipts) == 1 and len(refused) == 49, [
        r for r in results if not isinstance(r, (str, DomainError))
    ]
    assert {e.code for e in refused} == {"already_voted"}
    assert Voter.objects.filter(ballot=b).count() == 1
    assert Paper.objects.filter(ballot=b).count() == 1
    close_ballot(b, by=world["affairs"])
    assert recount(b).ok
