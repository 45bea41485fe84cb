"""Reads for meetings and ballots: the rule in force, quorum, results, what a voter may vote on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from renda.rules.profiles import RuleProfile, Threshold, profile_for

from .choices import BallotKind, BallotState, MeetingKind, Rule
from .models import Ballot, BallotChoice, Meeting, MeetingMember, Voter


def rule_for(kind: str, meeting_kind: str) -> str:
    """The rule that decides a ballot: LP-VOTE for livelihood projects; a motion at a standing
    committee SC-MAJORITY, at a congress session CONGRESS-MAJORITY; APPT-VOTE for appointments;
    an evaluation has no threshold (shares only)."""
    if kind == BallotKind.LIVELIHOOD:
        return Rule.LP_VOTE
    if kind == BallotKind.APPOINTMENT:
        return Rule.APPT_VOTE
    if kind == BallotKind.EVALUATION:
        return Rule.SHARES
    if meeting_kind == MeetingKind.SC_MEETING:
        return Rule.SC_MAJORITY
    return Rule.CONGRESS_MAJORITY


def majority_for(rule: str, profile: RuleProfile) -> Threshold | None:
    """The per-congress threshold of a rule (rule profile fields; RULES.md defaults)."""
    return {
        Rule.LP_VOTE: profile.lp_majority,
        Rule.SC_MAJORITY: profile.sc_majority,
        Rule.CONGRESS_MAJORITY: profile.congress_majority,
        Rule.APPT_VOTE: profile.appointment_majority,
    }.get(rule)


def quorum_for(meeting: Meeting) -> tuple[str, Threshold]:
    """SC-QUORUM (more than half of all members) or CONGRESS-QUORUM (two thirds of deputies)."""
    profile = profile_for(meeting.congress)
    if meeting.kind == MeetingKind.SC_MEETING:
        return "SC-QUORUM", profile.sc_quorum
    return "CONGRESS-QUORUM", profile.congress_quorum


@dataclass(frozen=True)
class Quorum:
    rule: str
    members: int
    present: int
    leave: int
    needed: int
    met: bool


def quorum_status(meeting: Meeting) -> Quorum:
    """The roll's counts now and whether the quorum is met (SC-QUORUM / CONGRESS-QUORUM)."""
    counts = MeetingMember.objects.filter(meeting=meeting).aggregate(
        members=Count("pk"),
        present=Count("pk", filter=Q(present=True)),
        leave=Count("pk", filter=Q(leave=True)),
    )
    rule, threshold = quorum_for(meeting)
    members, present = counts["members"], counts["present"]
    return Quorum(
        rule=rule,
        members=members,
        present=present,
        leave=counts["leave"],
        needed=threshold.needed(members),
        met=threshold.met(present, members),
    )


@dataclass
class TallyRow:
    choice: BallotChoice
    votes: int
    answers: dict[str, int]
    passed: bool | None
    rank: int = 0


@dataclass
class BallotResult:
    """What a ballot's result says. Before close: only eligible, present and voted; the tally is
    empty (nobody sees a tally while the ballot is open)."""

    ballot: Ballot
    eligible: int
    present: int
    voted: int
    rule: str
    state: str
    needed: int | None = None
    tally: list[TallyRow] = field(default_factory=list)
    runoff_needed: list[BallotChoice] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ballot": self.ballot.pk,
            "state": self.state,
            "rule": self.rule,
            "eligible": self.eligible,
            "present": self.present,
            "voted": self.voted,
            "needed": self.needed,
            "tally": [
                {
                    "choice": row.choice.pk,
                    "label": row.choice.label,
                    "ref_type": row.choice.ref_type,
                    "ref_id": row.choice.ref_id,
                    "votes": row.votes,
                    "answers": row.answers,
                    "passed": row.passed,
                    "rank": row.rank,
                }
                for row in self.tally
            ],
            "runoff_needed": [c.pk for c in self.runoff_needed],
        }


def ballot_result(ballot: Ballot) -> BallotResult:
    """The result of a ballot: after close from the tally sealed at close (recount checks it
    against the papers); before close, the counts only. Read afresh: a caller's copy of the
    ballot may predate its close."""
    ballot = Ballot.objects.select_related("meeting__congress").get(pk=ballot.pk)
    voted = Voter.objects.filter(ballot=ballot).count()
    if ballot.eligible is None:
        q = quorum_status(ballot.meeting)
        eligible, present = q.members, q.present
    else:
        eligible, present = ballot.eligible, ballot.present_at_open or 0
    majority = majority_for(ballot.rule, profile_for(ballot.meeting.congress))
    result = BallotResult(
        ballot=ballot,
        eligible=eligible,
        present=present,
        voted=voted,
        rule=ballot.rule,
        state=ballot.state,
        needed=majority.needed(eligible) if majority else None,
    )
    if ballot.state != BallotState.CLOSED or not ballot.tally:
        return result
    choices = {c.pk: c for c in ballot.choices.all()}
    counts = ballot.tally["counts"]
    passed = ballot.tally["passed"]
    rows = [
        TallyRow(
            choice=choices[int(cid)],
            votes=int(row["votes"]),
            answers=dict(row["answers"]),
            passed=passed.get(cid),
        )
        for cid, row in counts.items()
    ]
    rows.sort(key=lambda r: r.choice.position)
    ranked = sorted(rows, key=lambda r: -r.votes)
    for row in rows:
        row.rank = 1 + sum(1 for other in ranked if other.votes > row.votes)
    result.tally = rows
    result.runoff_needed = [choices[int(cid)] for cid in ballot.tally.get("runoff", [])]
    return result


def open_ballots_for(user: Any) -> QuerySet[Ballot]:
    """The open ballots of meetings this person is on the roll of, each with `has_voted`."""
    if not getattr(user, "is_authenticated", False):
        return Ballot.objects.none()
    return (
        Ballot.objects.filter(state=BallotState.OPEN, meeting__members__user=user)
        .annotate(has_voted=Exists(Voter.objects.filter(ballot=OuterRef("pk"), user=user)))
        .select_related("meeting")
        .order_by("meeting__date", "pk")
    )


def roll_entry(ballot: Ballot, user: Any) -> MeetingMember | None:
    return MeetingMember.objects.filter(meeting_id=ballot.meeting_id, user=user).first()


def has_voted(ballot: Ballot, user: Any) -> bool:
    return Voter.objects.filter(ballot=ballot, user=user).exists()


def default_roll(congress: Any, kind: str, on: Any) -> list[int]:
    """Who is on a new meeting's roll: the standing committee's members serving on that day
    (SC meeting), or the congress's active deputies (congress session) — user ids."""
    from renda.deputies.choices import DeputyshipStatus
    from renda.deputies.models import Deputyship
    from renda.orgs.models import StandingCommitteeMembership

    if kind == MeetingKind.SC_MEETING:
        qs = StandingCommitteeMembership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on),
            congress=congress,
            start_date__lte=on,
        ).values_list("user_id", flat=True)
    else:
        qs = Deputyship.objects.filter(
            congress=congress, status=DeputyshipStatus.ACTIVE
        ).values_list("person__user_id", flat=True)
    return sorted(set(qs))


def meetings_with_counts(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return qs.annotate(
        member_count=Count("members", distinct=True),
        present_count=Count("members", filter=Q(members__present=True), distinct=True),
    ).order_by("-date", "-pk")


def find_paper(code: str) -> Any:
    """The one paper a receipt code belongs to (by the code's hash), or None."""
    from .models import Paper
    from .sealing import normalise_receipt, receipt_hash

    canonical = normalise_receipt(code)
    if not canonical:
        return None
    return (
        Paper.objects.filter(receipt_hash=receipt_hash(canonical))
        .select_related("ballot__meeting")
        .first()
    )


def paper_lines(paper: Any) -> list[tuple[str, str]]:
    """A paper's content as (choice label, answer) lines for the receipt check."""
    from .choices import ANSWER_LABELS, AnswerMode

    labels = dict(paper.ballot.choices.values_list("pk", "label"))
    if paper.ballot.answers == AnswerMode.SELECT:
        return [(labels.get(int(c), "?"), "✓") for c in paper.content.get("choices", [])]
    return [
        (labels.get(int(c), "?"), str(ANSWER_LABELS.get(a, a)))
        for c, a in paper.content.get("answers", {}).items()
    ]
