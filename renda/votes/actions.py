"""Every state change of meetings and ballots: one atomic, audited function each (issue 6).

Secrecy (docs/votes.md): casting a vote writes a register row (`Voter`: who) and a paper
(`Paper`: what) with nothing joining them; the audit event of a vote names the voter and the
ballot, never the choice. At close the papers are rewritten in the order of their random keys
(so neither the database's row order nor its transaction ids keep the arrival order), sealed
into one digest and tallied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date as Date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.errors import DomainError, Forbidden, InvalidInput, require
from renda.rules.profiles import profile_for

from .choices import KIND_MODE, MODE_ANSWERS, AnswerMode, BallotKind, BallotState, MeetingKind
from .counting import count_papers, decide
from .models import Ballot, BallotChoice, Meeting, MeetingMember, Paper, Voter, new_paper_key
from .permissions import is_office
from .queries import majority_for, quorum_for, rule_for
from .sealing import new_receipt, paper_hash, receipt_hash, seal_digest

LABEL_MAX = BallotChoice._meta.get_field("label").max_length or 200
TITLE_MAX = Ballot._meta.get_field("title").max_length or 200


@dataclass(frozen=True)
class ChoiceSpec:
    """One choice to put on a ballot: a label, and what it stands for (e.g. a livelihood
    candidate: ref_type="livelihood.candidate", ref_id=its pk)."""

    label: str
    ref_type: str = ""
    ref_id: int | None = None
    detail: str = ""


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("A title is required."), code="title_required")
    if len(title) > TITLE_MAX:
        raise InvalidInput(_("The title is too long."), code="title_too_long")
    return title


# --- meetings -------------------------------------------------------------------------------
@transaction.atomic
def create_meeting(
    *,
    congress: Any,
    kind: str,
    title: str,
    date: Date,
    members: Iterable[Any],
    by: Any,
    session: Any = None,
) -> Meeting:
    """A congress session or standing-committee meeting with its roll: everyone who counts
    toward its thresholds (SC-QUORUM, CONGRESS-QUORUM), none present yet."""
    require(is_office(by, congress), _("Only the office of this congress runs its meetings."))
    if kind not in MeetingKind.values:
        raise InvalidInput(_("Unknown meeting kind."), code="bad_kind")
    people = list({getattr(m, "pk", m): m for m in members}.values())
    if not people:
        raise InvalidInput(_("A meeting needs members on its roll."), code="no_members")
    meeting = Meeting.objects.create(
        congress=congress,
        kind=kind,
        title=_title(title),
        date=date,
        session=session,
        created_by=by,
    )
    MeetingMember.objects.bulk_create(
        [MeetingMember(meeting=meeting, user_id=getattr(p, "pk", p)) for p in people]
    )
    record_event(meeting, "meeting.created", by=by, data={"kind": kind, "members": len(people)})
    return meeting


@transaction.atomic
def mark_attendance(
    meeting: Meeting, *, user: Any, present: bool, leave: bool = False, by: Any
) -> MeetingMember:
    """Record a member as present, absent, or absent on approved leave (the roll the quorum
    is counted from)."""
    require(is_office(by, meeting.congress_id), _("Only the office keeps the roll."))
    if present and leave:
        raise InvalidInput(_("A member on leave cannot be present."), code="present_and_leave")
    member = (
        MeetingMember.objects.select_for_update()
        .filter(meeting=meeting, user_id=getattr(user, "pk", user))
        .first()
    )
    if member is None:
        raise InvalidInput(_("This person is not on the meeting's roll."), code="not_on_roll")
    member.present, member.leave = bool(present), bool(leave)
    member.save(update_fields=["present", "leave"])
    record_event(
        meeting,
        "meeting.attendance",
        by=by,
        data={"user": member.user_id, "present": member.present, "leave": member.leave},
    )
    return member


@transaction.atomic
def mark_present(meeting: Meeting, *, users: Iterable[Any], by: Any) -> int:
    """Record many members present at once (a session's sign-in desk; "everyone present"):
    one update, one audit event. Returns how many rows changed."""
    require(is_office(by, meeting.congress_id), _("Only the office keeps the roll."))
    ids = sorted({getattr(u, "pk", u) for u in users})
    changed = (
        MeetingMember.objects.filter(meeting=meeting, user_id__in=ids)
        .exclude(present=True)
        .update(present=True, leave=False)
    )
    record_event(meeting, "meeting.attendance", by=by, data={"present": changed, "bulk": True})
    return changed


# --- ballots --------------------------------------------------------------------------------
def _check_choices(kind: str, mode: str, choices: Sequence[ChoiceSpec], max_choices: int) -> None:
    if not choices:
        raise InvalidInput(_("A ballot needs at least one choice."), code="no_choices")
    labels = [(c.label or "").strip() for c in choices]
    if any(not label for label in labels):
        raise InvalidInput(_("Every choice needs a label."), code="choice_label_required")
    if any(len(label) > LABEL_MAX for label in labels):
        raise InvalidInput(_("A choice label is too long."), code="choice_label_too_long")
    if len(set(labels)) != len(labels):
        raise InvalidInput(_("Two choices have the same label."), code="duplicate_choice")
    if kind == BallotKind.MOTION and len(choices) != 1:
        raise InvalidInput(
            _("A motion ballot puts exactly one item to the vote."), code="motion_one_item"
        )
    if mode == AnswerMode.SELECT and not 1 <= max_choices <= len(choices):
        raise InvalidInput(
            _("At most M must be between 1 and the number of choices."), code="bad_max_choices"
        )


@transaction.atomic
def create_ballot(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    choices: Sequence[ChoiceSpec],
    max_choices: int = 1,
    secret: bool = True,
    answers: str | None = None,
    by: Any,
    runoff_of: Ballot | None = None,
) -> Ballot:
    """Prepare a ballot (not yet open). The kind and the meeting's kind pick the rule
    (LP-VOTE, SC-MAJORITY, CONGRESS-MAJORITY, APPT-VOTE). LP-VOTE: N candidates for at most M
    places, N > M and N at least the profile's ratio x M (差额); a run-off is exempt from the
    ratio (it is among the tied)."""
    require(is_office(by, meeting.congress_id), _("Only the office prepares ballots."))
    if kind not in BallotKind.values:
        raise InvalidInput(_("Unknown ballot kind."), code="bad_kind")
    mode = answers or KIND_MODE[kind]
    if mode != KIND_MODE[kind]:
        raise InvalidInput(
            _("This kind of ballot is answered another way."), code="bad_answers_mode"
        )
    _check_choices(kind, mode, choices, max_choices)
    if mode != AnswerMode.SELECT:
        max_choices = len(choices)
    if kind == BallotKind.LIVELIHOOD and runoff_of is None:
        ratio = profile_for(meeting.congress).lp_candidate_ratio
        if len(choices) <= max_choices or not ratio.met(len(choices), max_choices):
            raise InvalidInput(
                _(
                    "LP-VOTE: a livelihood ballot offers more candidates than places "
                    "(here at least %(needed)d for %(m)d)."
                )
                % {"needed": max(ratio.needed(max_choices), max_choices + 1), "m": max_choices},
                code="lp_ratio",
            )
    ballot = Ballot.objects.create(
        meeting=meeting,
        kind=kind,
        title=_title(title),
        answers=mode,
        max_choices=max_choices,
        secret=bool(secret),
        rule=rule_for(kind, meeting.kind),
        runoff_of=runoff_of,
        created_by=by,
    )
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(
                ballot=ballot,
                position=i,
                label=c.label.strip(),
                detail=c.detail or "",
                ref_type=c.ref_type or "",
                ref_id=c.ref_id,
            )
            for i, c in enumerate(choices, start=1)
        ]
    )
    record_event(
        ballot,
        "ballot.created",
        by=by,
        data={
            "kind": kind,
            "choices": len(choices),
            "max_choices": max_choices,
            "rule": ballot.rule,
        },
    )
    return ballot


def _locked(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().select_related("meeting__congress").get(pk=ballot.pk)


@transaction.atomic
def open_ballot(ballot: Ballot, *, by: Any) -> Ballot:
    """Open the vote; refused without quorum counted from the roll (SC-QUORUM: more than half
    of all members present; CONGRESS-QUORUM: at least two thirds). Fixes the number of all
    members the thresholds count."""
    ballot = _locked(ballot)
    require(is_office(by, ballot.meeting.congress_id), _("Only the office opens ballots."))
    if ballot.state != BallotState.DRAFT:
        raise DomainError(_("This ballot has already been opened."), code="not_draft")
    rule, threshold = quorum_for(ballot.meeting)
    roll = MeetingMember.objects.filter(meeting_id=ballot.meeting_id)
    members = roll.count()
    present = roll.filter(present=True).count()
    if not threshold.met(present, members):
        raise DomainError(
            _(
                "%(rule)s: no quorum — %(present)d of %(members)d members present, "
                "%(needed)d needed."
            )
            % {
                "rule": rule,
                "present": present,
                "members": members,
                "needed": threshold.needed(members),
            },
            code="no_quorum",
        )
    ballot.state = BallotState.OPEN
    ballot.eligible, ballot.present_at_open = members, present
    ballot.opened_at = timezone.now()
    ballot.save(update_fields=["state", "eligible", "present_at_open", "opened_at"])
    record_event(
        ballot,
        "ballot.opened",
        by=by,
        data={"members": members, "present": present, "quorum": rule},
    )
    return ballot


def _content(ballot: Ballot, choices: Sequence[Any], answers: Mapping[Any, str] | None) -> dict:
    """The paper's content, checked against the ballot: a choice not on it, more than M, a
    repeated choice, a missing or unknown answer → InvalidInput (422)."""
    ids = list(ballot.choices.values_list("pk", flat=True))
    valid = set(ids)
    if ballot.answers == AnswerMode.SELECT:
        if answers:
            raise InvalidInput(_("This ballot is answered by choosing."), code="bad_answers")
        try:
            picked = [int(c) for c in choices]
        except (TypeError, ValueError):
            raise InvalidInput(_("A choice is not on this ballot."), code="not_on_ballot") from None
        if len(set(picked)) != len(picked):
            raise InvalidInput(_("A choice is given twice."), code="duplicate_choice")
        if not set(picked) <= valid:
            raise InvalidInput(_("A choice is not on this ballot."), code="not_on_ballot")
        if len(picked) > ballot.max_choices:
            raise InvalidInput(
                _("You may choose at most %(m)d.") % {"m": ballot.max_choices},
                code="too_many_choices",
            )
        return {"choices": sorted(picked)}
    if choices:
        raise InvalidInput(_("Answer each item instead of choosing."), code="bad_answers")
    options = MODE_ANSWERS[ballot.answers]
    given: dict[int, str] = {}
    for key, value in (answers or {}).items():
        try:
            cid = int(key)
        except (TypeError, ValueError):
            raise InvalidInput(_("An item is not on this ballot."), code="not_on_ballot") from None
        if cid not in valid:
            raise InvalidInput(_("An item is not on this ballot."), code="not_on_ballot")
        if value not in options:
            raise InvalidInput(
                _("Answer with one of: %(options)s.") % {"options": ", ".join(options)},
                code="bad_answer",
            )
        given[cid] = value
    if set(given) != valid:
        raise InvalidInput(_("Answer every item on the ballot."), code="missing_answer")
    return {"answers": {str(cid): given[cid] for cid in sorted(given)}}


@transaction.atomic
def cast_vote(
    ballot: Ballot,
    *,
    voter: Any,
    choices: Sequence[int] = (),
    answers: Mapping[int, str] | None = None,
) -> str:
    """Cast one secret ballot paper; returns the receipt code (shown once, only its hash kept).

    One voter, one ballot: only while open, only a member on the roll who is present, only
    once (the register's unique row; the ballot row's lock serialises the check), only valid
    content. The paper carries no voter and no time; the audit event names the voter, not the
    choice."""
    ballot = _locked(ballot)
    if ballot.state == BallotState.DRAFT:
        raise DomainError(_("This ballot is not open yet."), code="not_open")
    if ballot.state == BallotState.CLOSED:
        raise DomainError(_("This ballot is closed."), code="closed")
    member = MeetingMember.objects.filter(meeting_id=ballot.meeting_id, user=voter).first()
    if member is None:
        raise Forbidden(_("You are not a member of this meeting."), code="not_member")
    if not member.present:
        raise Forbidden(_("Only members recorded as present may vote."), code="not_present")
    content = _content(ballot, choices, answers)
    if Voter.objects.filter(ballot=ballot, user=voter).exists():
        raise DomainError(_("You have already voted on this ballot."), code="already_voted")
    try:
        with transaction.atomic():
            Voter.objects.create(
                ballot=ballot, user=voter, named_content=None if ballot.secret else content
            )
    except IntegrityError:
        raise DomainError(
            _("You have already voted on this ballot."), code="already_voted"
        ) from None
    receipt = new_receipt()
    r_hash = receipt_hash(receipt)
    key = new_paper_key()
    Paper.objects.create(
        key=key,
        ballot=ballot,
        content=content,
        receipt_hash=r_hash,
        content_hash=paper_hash(ballot.pk, key, content, r_hash),
    )
    record_event(ballot, "ballot.voted", by=voter)
    return receipt


def tally_papers(ballot: Ballot, contents: Iterable[dict]) -> dict[str, Any]:
    """The tally of these papers under the ballot's rule, as stored at close (and recomputed
    by recount): counts per choice, which pass, which go to a run-off."""
    order = list(ballot.choices.order_by("position").values_list("pk", flat=True))
    counts = count_papers(ballot.answers, order, contents)
    majority = majority_for(ballot.rule, profile_for(ballot.meeting.congress))
    passed, runoff = decide(
        ballot.rule,
        counts,
        order=order,
        eligible=ballot.eligible or 0,
        max_choices=ballot.max_choices,
        majority=majority,
    )
    return {
        "counts": {str(cid): counts[cid] for cid in order},
        "passed": {str(cid): passed[cid] for cid in order},
        "runoff": [str(cid) for cid in runoff],
    }


@transaction.atomic
def close_ballot(ballot: Ballot, *, by: Any) -> Ballot:
    """Close the vote: rewrite the papers in key order (no trace of arrival order is left in
    the table), seal them into one digest, tally them under the rule, and record the seal and
    the tally in the hash-chained audit trail."""
    ballot = _locked(ballot)
    require(is_office(by, ballot.meeting.congress_id), _("Only the office closes ballots."))
    if ballot.state != BallotState.OPEN:
        raise DomainError(_("Only an open ballot can be closed."), code="not_open")
    papers = list(
        Paper.objects.filter(ballot=ballot).values_list(
            "key", "content", "receipt_hash", "content_hash"
        )
    )
    voters = Voter.objects.filter(ballot=ballot).count()
    if voters != len(papers):  # cannot happen through cast_vote: one transaction writes both
        raise DomainError(
            _("The register and the papers disagree; the ballot is not closed."),
            code="register_mismatch",
        )
    papers.sort()
    Paper.objects.filter(ballot=ballot).delete()
    Paper.objects.bulk_create(
        [
            Paper(key=k, ballot=ballot, content=c, receipt_hash=r, content_hash=h)
            for k, c, r, h in papers
        ],
        batch_size=500,
    )
    ballot.seal = seal_digest(ballot.pk, [(k, h) for k, _c, _r, h in papers])
    ballot.paper_count = len(papers)
    ballot.tally = tally_papers(ballot, (c for _k, c, _r, _h in papers))
    ballot.state = BallotState.CLOSED
    ballot.closed_at = timezone.now()
    ballot.save(update_fields=["seal", "paper_count", "tally", "state", "closed_at"])
    record_event(
        ballot,
        "ballot.closed",
        by=by,
        data={"papers": len(papers), "seal": ballot.seal, "tally": ballot.tally},
    )
    return ballot


@transaction.atomic
def create_runoff(ballot: Ballot, *, by: Any) -> Ballot:
    """LP-VOTE: a tie at the cut-off is settled by a run-off among the tied, for the places
    still open (M minus those already chosen)."""
    ballot = _locked(ballot)
    require(is_office(by, ballot.meeting.congress_id), _("Only the office prepares ballots."))
    if ballot.state != BallotState.CLOSED or not (ballot.tally or {}).get("runoff"):
        raise DomainError(_("This ballot has no tie to settle."), code="no_runoff")
    if ballot.runoffs.exists():
        raise DomainError(_("The run-off has already been prepared."), code="runoff_exists")
    tied_ids = [int(cid) for cid in ballot.tally["runoff"]]
    chosen = sum(1 for v in ballot.tally["passed"].values() if v)
    tied = {c.pk: c for c in ballot.choices.filter(pk__in=tied_ids)}
    specs = [
        ChoiceSpec(
            label=tied[cid].label,
            ref_type=tied[cid].ref_type,
            ref_id=tied[cid].ref_id,
            detail=tied[cid].detail,
        )
        for cid in tied_ids
    ]
    runoff = create_ballot(
        meeting=ballot.meeting,
        kind=ballot.kind,
        title=(_("%(title)s (run-off)") % {"title": ballot.title})[:TITLE_MAX],
        choices=specs,
        max_choices=max(1, ballot.max_choices - chosen),
        secret=ballot.secret,
        answers=ballot.answers,
        by=by,
        runoff_of=ballot,
    )
    record_event(ballot, "ballot.runoff", by=by, data={"runoff": runoff.pk, "tied": tied_ids})
    return runoff
