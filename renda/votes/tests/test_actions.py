"""The ballot engine's rules (issue 6 "Must hold"): quorum, one voter one ballot, thresholds at
the exact boundaries, LP-VOTE top-M with a run-off for a tie at the cut-off."""

from __future__ import annotations

import pytest

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.votes.actions import (
    ChoiceSpec,
    cast_vote,
    close_ballot,
    create_ballot,
    create_runoff,
    mark_attendance,
    open_ballot,
)
from renda.votes.models import Paper, Voter
from renda.votes.queries import ballot_result, quorum_status

from .builders import choice_ids, livelihood, meeting, members, motion


def _vote_motion(ballot, people, yes, no=0, abstain=None):
    """The first `yes` vote yes, the next `no` vote no, the rest (or `abstain` of them) abstain."""
    cid = choice_ids(ballot)[0]
    rest = people[yes + no :] if abstain is None else people[yes + no : yes + no + abstain]
    for p in people[:yes]:
        cast_vote(ballot, voter=p, answers={cid: "yes"})
    for p in people[yes : yes + no]:
        cast_vote(ballot, voter=p, answers={cid: "no"})
    for p in rest:
        cast_vote(ballot, voter=p, answers={cid: "abstain"})


# --- quorum ---------------------------------------------------------------------------------
@pytest.mark.parametrize("present, ok", [(17, False), (18, True)])
def test_sc_quorum_needs_more_than_half_of_all_members(world, present, ok):
    """SC-QUORUM: 35 members — 18 present opens the vote, 17 does not."""
    people = members(35)
    b = motion(world, meeting(world, people, present=present))
    if ok:
        assert open_ballot(b, by=world["affairs"]).state == "open"
    else:
        with pytest.raises(DomainError) as err:
            open_ballot(b, by=world["affairs"])
        assert err.value.code == "no_quorum"
        assert "SC-QUORUM" in err.value.detail and "17 of 35" in err.value.detail


@pytest.mark.parametrize("present, ok", [(19, False), (20, True)])
def test_congress_quorum_needs_two_thirds_of_the_deputies(world, present, ok):
    """CONGRESS-QUORUM: 30 deputies — 20 present (two thirds exactly) is enough, 19 is not."""
    people = members(30)
    m = meeting(world, people, kind="congress_session", present=present)
    assert quorum_status(m).needed == 20 and quorum_status(m).met is ok
    b = motion(world, m)
    if ok:
        open_ballot(b, by=world["affairs"])
    else:
        with pytest.raises(DomainError, match="CONGRESS-QUORUM"):
            open_ballot(b, by=world["affairs"])


def test_members_on_leave_count_in_the_whole_but_are_not_present(world):
    """SC-QUORUM counts all members: approved leave does not shrink the whole."""
    m = meeting(world, members(35), present=17, leave=10)
    q = quorum_status(m)
    assert (q.members, q.present, q.leave, q.met) == (35, 17, 10, False)


# --- thresholds -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "present, yes, passed",
    [(35, 18, True), (35, 17, False), (18, 18, True), (20, 17, False), (35, 0, False)],
)
def test_sc_majority_is_more_than_half_of_all_members_whatever_the_attendance(
    world, present, yes, passed
):
    """SC-MAJORITY: 35 members, 18 yes passes and 17 does not, however many are present;
    abstentions count as not-yes."""
    people = members(35)
    b = motion(world, meeting(world, people, present=present))
    open_ballot(b, by=world["affairs"])
    _vote_motion(b, people[:present], yes=yes)
    close_ballot(b, by=world["affairs"])
    r = ballot_result(b)
    assert r.rule == "SC-MAJORITY" and r.eligible == 35 and r.needed == 18
    row = r.tally[0]
    assert row.votes == yes and row.passed is passed
    assert row.answers == {"yes": yes, "no": 0, "abstain": present - yes}


def test_congress_motion_uses_congress_majority_of_all_deputies(world):
    """CONGRESS-MAJORITY: 30 deputies, 16 yes passes; 15 yes with 15 abstaining does not."""
    people = members(30)
    m = meeting(world, people, kind="congress_session")
    a, b = motion(world, m), motion(world, m)
    for ballot in (a, b):
        open_ballot(ballot, by=world["affairs"])
    _vote_motion(a, people, yes=16, no=14)
    _vote_motion(b, people, yes=15, no=0)
    for ballot in (a, b):
        close_ballot(ballot, by=world["affairs"])
    ra, rb = ballot_result(a), ballot_result(b)
    assert ra.rule == rb.rule == "CONGRESS-MAJORITY"
    assert ra.tally[0].passed is True and rb.tally[0].passed is False


def test_appointment_is_voted_person_by_person(world):
    """APPT-VOTE: each person passes or fails on their own yes votes (> half of all members)."""
    people = members(35)
    m = meeting(world, people, present=30)
    b = create_ballot(
        meeting=m,
        kind="appointment",
        title="任命名单",
        choices=[ChoiceSpec("张三（副主任）"), ChoiceSpec("李四（委员）")],
        by=world["affairs"],
    )
    open_ballot(b, by=world["affairs"])
    zhang, li = choice_ids(b)
    for i, p in enumerate(people[:30]):
        cast_vote(b, voter=p, answers={zhang: "yes", li: "yes" if i < 17 else "no"})
    close_ballot(b, by=world["affairs"])
    r = ballot_result(b)
    assert r.rule == "APPT-VOTE"
    assert [(row.votes, row.passed) for row in r.tally] == [(30, True), (17, False)]


# --- LP-VOTE ------------------------------------------------------------------------------
def _lp_vote(world, people, picks, n=6, m=3):
    """`picks`: for each voter, the positions (1-based) they choose."""
    mt = meeting(world, people, kind="congress_session")
    b = livelihood(world, mt, n=n, max_choices=m)
    open_ballot(b, by=world["affairs"])
    ids = choice_ids(b)
    for p, chosen in zip(people, picks, strict=True):
        cast_vote(b, voter=p, choices=[ids[i - 1] for i in chosen])
    close_ballot(b, by=world["affairs"])
    return b, ids


def test_lp_vote_top_m_and_more_than_half_of_all_deputies(world):
    """LP-VOTE: within the top M and votes from more than half of all deputies (10 → 6)."""
    people = members(10)
    picks = [(1, 2, 3)] * 6 + [(1, 2, 4)] * 3 + [(5,)]
    b, ids = _lp_vote(world, people, picks)
    r = ballot_result(b)
    assert r.rule == "LP-VOTE" and r.needed == 6
    votes = {row.choice.pk: (row.votes, row.passed, row.rank) for row in r.tally}
    assert votes[ids[0]] == (9, True, 1)
    assert votes[ids[1]] == (9, True, 1)
    assert votes[ids[2]] == (6, True, 3)  # third place, 6 of 10: chosen
    assert votes[ids[3]] == (3, False, 4)
    assert r.runoff_needed == []


def test_lp_vote_within_top_m_but_not_a_majority_is_not_chosen(world):
    """LP-VOTE: third place with 5 of 10 votes (exactly half) is not chosen."""
    people = members(10)
    picks = [(1, 2, 3)] * 5 + [(1, 2, 4)] * 4 + [(1, 2)]
    b, ids = _lp_vote(world, people, picks)
    passed = {row.choice.pk: row.passed for row in ballot_result(b).tally}
    assert passed[ids[2]] is False and passed[ids[0]] and passed[ids[1]]


def test_lp_vote_tie_at_the_cut_off_goes_to_a_run_off_among_the_tied(world):
    """LP-VOTE: projects 3 and 4 tie at the third place with a majority each: neither is
    chosen yet; a run-off among the two, for the one place left."""
    people = members(10)
    picks = [(1, 2, 3)] * 4 + [(1, 2, 4)] * 4 + [(1, 3, 4), (2, 3, 4)]  # 9, 9, 6, 6
    b, ids = _lp_vote(world, people, picks)
    r = ballot_result(b)
    passed = {row.choice.pk: row.passed for row in r.tally}
    assert passed[ids[0]] is True and passed[ids[1]] is True
    assert passed[ids[2]] is False and passed[ids[3]] is False
    assert [c.pk for c in r.runoff_needed] == [ids[2], ids[3]]
    runoff = create_runoff(b, by=world["affairs"])
    assert runoff.runoff_of == b and runoff.max_choices == 1 and runoff.rule == "LP-VOTE"
    assert [c.ref_id for c in runoff.choices.all()] == [103, 104]
    with pytest.raises(DomainError):
        create_runoff(b, by=world["affairs"])
    open_ballot(runoff, by=world["affairs"])
    r_ids = choice_ids(runoff)
    for i, p in enumerate(people):
        cast_vote(runoff, voter=p, choices=[r_ids[0] if i < 7 else r_ids[1]])
    close_ballot(runoff, by=world["affairs"])
    assert [row.passed for row in ballot_result(runoff).tally] == [True, False]


def test_a_tie_at_the_cut_off_without_a_majority_needs_no_run_off(world):
    people = members(10)
    picks = [(1, 2, 3)] * 3 + [(1, 2, 4)] * 3 + [(1, 2)] * 4
    b, _ids = _lp_vote(world, people, picks)
    assert ballot_result(b).runoff_needed == []
    with pytest.raises(DomainError):
        create_runoff(b, by=world["affairs"])


def test_lp_vote_needs_more_candidates_than_places(world):
    """LP-VOTE (差额): N > M and N at least the profile's ratio x M (default 6/5)."""
    m = meeting(world, members(3), kind="congress_session")
    for n, mx in [(3, 3), (5, 5), (11, 10)]:
        with pytest.raises(InvalidInput) as err:
            livelihood(world, m, n=n, max_choices=mx)
        assert err.value.code == "lp_ratio"
    assert livelihood(world, m, n=12, max_choices=10).max_choices == 10


def test_evaluation_has_shares_and_no_threshold(world):
    people = members(4)
    m = meeting(world, people, kind="congress_session")
    b = create_ballot(
        meeting=m,
        kind="evaluation",
        title="民生实事满意度测评",
        choices=[ChoiceSpec("项目1"), ChoiceSpec("项目2")],
        by=world["affairs"],
    )
    open_ballot(b, by=world["affairs"])
    a1, a2 = choice_ids(b)
    for ans in ["satisfied", "satisfied", "basic", "dissatisfied"]:
        cast_vote(b, voter=people.pop(), answers={a1: ans, a2: "basic"})
    close_ballot(b, by=world["affairs"])
    r = ballot_result(b)
    assert r.rule == "SHARES" and r.needed is None
    assert r.tally[0].answers == {"satisfied": 2, "basic": 1, "dissatisfied": 1}
    assert r.tally[0].passed is None and r.tally[1].answers["basic"] == 4


# --- one voter, one ballot ------------------------------------------------------------------
def test_refusals_before_open_twice_after_close(world):
    people = members(3)
    b = motion(world, meeting(world, people))
    cid = choice_ids(b)[0]
    with pytest.raises(DomainError) as err:
        cast_vote(b, voter=people[0], answers={cid: "yes"})
    assert err.value.code == "not_open" and err.value.status == 409
    open_ballot(b, by=world["affairs"])
    cast_vote(b, voter=people[0], answers={cid: "yes"})
    with pytest.raises(DomainError) as err:
        cast_vote(b, voter=people[0], answers={cid: "no"})
    assert err.value.code == "already_voted"
    close_ballot(b, by=world["affairs"])
    with pytest.raises(DomainError) as err:
        cast_vote(b, voter=people[1], answers={cid: "yes"})
    assert err.value.code == "closed"
    assert Paper.objects.filter(ballot=b).count() == Voter.objects.filter(ballot=b).count() == 1


def test_refusals_for_who_may_vote(world):
    """Only an eligible *present* member: absent, on leave, or not on the roll → 403."""
    people = members(5)
    m = meeting(world, people, present=3, leave=1)
    b = motion(world, m)
    open_ballot(b, by=world["affairs"])
    mark_attendance(m, user=people[2], present=False, by=world["affairs"])  # left the hall
    cid = choice_ids(b)[0]
    for who, code in [(p, "not_present") for p in people[2:]]:
        with pytest.raises(Forbidden) as err:
            cast_vote(b, voter=who, answers={cid: "yes"})
        assert err.value.code == code
    with pytest.raises(Forbidden) as err:
        cast_vote(b, voter=world["deputy"], answers={cid: "yes"})
    assert err.value.code == "not_member"
    assert not Paper.objects.exists()


def test_refusals_for_what_is_on_the_paper(world):
    """More than M, a choice not on the ballot, a repeated choice, answers on a choosing
    ballot, a missing or unknown answer → 422, and nothing recorded."""
    people = members(3)
    mt = meeting(world, people, kind="congress_session")
    lp = livelihood(world, mt, n=6, max_choices=3)
    mo = motion(world, mt)
    open_ballot(lp, by=world["affairs"])
    open_ballot(mo, by=world["affairs"])
    ids = choice_ids(lp)
    voter = people[0]
    bad = [
        (lp, {"choices": ids[:4]}, "too_many_choices"),
        (lp, {"choices": [choice_ids(mo)[0]]}, "not_on_ballot"),
        (lp, {"choices": [ids[0], ids[0]]}, "duplicate_choice"),
        (lp, {"choices": ["x"]}, "not_on_ballot"),
        (lp, {"answers": {ids[0]: "yes"}}, "bad_answers"),
        (mo, {"answers": {}}, "missing_answer"),
        (mo, {"answers": {choice_ids(mo)[0]: "maybe"}}, "bad_answer"),
        (mo, {"answers": {ids[0]: "yes"}}, "not_on_ballot"),
        (mo, {"choices": choice_ids(mo)}, "bad_answers"),
    ]
    for ballot, kwargs, code in bad:
        with pytest.raises(InvalidInput) as err:
            cast_vote(ballot, voter=voter, **kwargs)
        assert err.value.code == code, (kwargs, err.value.code)
    assert not Voter.objects.exists() and not Paper.objects.exists()
    cast_vote(lp, voter=voter, choices=[])  # a blank paper is a vote (counted as voted)
    assert ballot_result(lp).voted == 1


def test_attendance_cannot_be_present_and_on_leave(world):
    people = members(2)
    m = meeting(world, people, present=0)
    with pytest.raises(InvalidInput):
        mark_attendance(m, user=people[0], present=True, leave=True, by=world["affairs"])
    with pytest.raises(InvalidInput):
        mark_attendance(m, user=world["deputy"], present=True, by=world["affairs"])


def test_only_the_office_of_the_congress_runs_meetings_and_ballots(world):
    people = members(3)
    m = meeting(world, people)
    for who in ("deputy", "county_affairs", "sc_member", "nobody"):
        with pytest.raises(Forbidden):
            mark_attendance(m, user=people[0], present=True, by=world[who])
        with pytest.raises(Forbidden):
            create_ballot(
                meeting=m, kind="motion", title="x", choices=[ChoiceSpec("x")], by=world[who]
            )
    b = motion(world, m)
    with pytest.raises(Forbidden):
        open_ballot(b, by=world["deputy"])
    open_ballot(b, by=world["admin"])  # an administrator may
    with pytest.raises(Forbidden):
        close_ballot(b, by=world["county_affairs"])


def test_the_result_before_close_shows_only_how_many_voted(world):
    people = members(3)
    b = motion(world, meeting(world, people))
    open_ballot(b, by=world["affairs"])
    cast_vote(b, voter=people[0], answers={choice_ids(b)[0]: "yes"})
    r = ballot_result(b)
    assert (r.eligible, r.present, r.voted, r.tally) == (3, 3, 1, [])


# --- secrecy ---------------------------------------------------------------------------------
def test_a_paper_has_no_voter_no_time_and_a_random_key(world):
    """Secret: the paper's columns hold no voter and no timestamp; keys are random hex, not
    sequential; the vote's audit event names the voter but holds no choice."""
    fields = {f.name for f in Paper._meta.get_fields()}
    assert fields == {"key", "ballot", "content", "receipt_hash", "content_hash"}
    people = members(5)
    b = motion(world, meeting(world, people))
    open_ballot(b, by=world["affairs"])
    receipts = [cast_vote(b, voter=p, answers={choice_ids(b)[0]: "yes"}) for p in people]
    keys = list(Paper.objects.values_list("key", flat=True))
    assert all(len(k) == 32 and int(k, 16) >= 0 for k in keys)
    assert len(set(receipts)) == 5 and all(len(r) == 17 for r in receipts)
    stored = set(Paper.objects.values_list("receipt_hash", flat=True))
    assert not any(r in stored for r in receipts)  # only hashes are kept
    events = AuditEvent.objects.filter(verb="ballot.voted")
    assert events.count() == 5 and all(e.data == {} for e in events)
    close_ballot(b, by=world["affairs"])
    after = list(Paper.objects.filter(ballot=b).values_list("key", flat=True))
    assert sorted(after) == sorted(keys)


@pytest.mark.django_db(transaction=True)
def test_close_rewrites_the_papers_so_the_table_keeps_no_arrival_order(world):
    """Secret: before close a paper shares its PostgreSQL transaction id (xmin) with the
    register row written with it; after close every paper carries the close's transaction id
    and the table's rows are in key order."""
    from django.db import connection

    people = members(6)
    b = motion(world, meeting(world, people))
    open_ballot(b, by=world["affairs"])
    for p in people:
        cast_vote(b, voter=p, answers={choice_ids(b)[0]: "yes"})
    close_ballot(b, by=world["affairs"])
    keys = list(Paper.objects.filter(ballot=b).values_list("key", flat=True))
    assert len(keys) == 6
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT xmin::text FROM votes_paper WHERE ballot_id = %s", [b.pk])
        paper_xids = {row[0] for row in cur.fetchall()}
        cur.execute("SELECT key FROM votes_paper WHERE ballot_id = %s ORDER BY ctid", [b.pk])
        physical = [row[0] for row in cur.fetchall()]
    assert len(paper_xids) == 1
    assert physical == sorted(physical)
