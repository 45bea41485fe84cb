"""JSON API of the votes app (mounted at /api/v1 in renda/api.py). Fixed contract (issue 6):

- GET /meetings → [{"id","kind","title","date","members","present"}]
- POST /meetings/{id}/attendance {"user","present"} (office)
- POST /ballots (office) {"kind","meeting","choices":[...],"max_choices","secret"}
- POST /ballots/{id}/open, /close (office)
- POST /ballots/{id}/votes (a present member) {"choices":[ids]} or {"choice":"yes"|"no"|
  "abstain"} (one item) or {"answers":{id: answer}} → 201 {"receipt"}
- GET /ballots/{id}/result → {"eligible","present","voted","tally":[...],"rule"}; the tally
  stays empty until close.
Extensions: POST /meetings, GET /meetings/{id}, GET /ballots, GET /ballots/{id},
POST /ballots/{id}/runoff, POST /receipts/check {"receipt"} (POST: a code never sits in a URL).

Thin: objects come through permissions (404 for missing and not-yours alike), every change
through actions (a wrong state is a 409, bad input a 422, not allowed a 403).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from renda.accounts.models import User
from renda.errors import InvalidInput, NotFound, require
from renda.orgs.models import Congress

from . import actions
from .choices import BallotKind
from .models import Ballot, Meeting
from .permissions import (
    get_ballot_for_office,
    get_ballot_for_user,
    get_meeting_for_office,
    get_meeting_for_user,
    is_office,
    meetings_visible_to,
)
from .queries import ballot_result, default_roll, find_paper, meetings_with_counts, quorum_status

router = Router()

MAX_PK = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_PK, strict=True)]
Label = Annotated[str, Field(min_length=1, max_length=200)]


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    date: date
    congress: int
    members: int
    present: int


class QuorumOut(Schema):
    rule: str
    members: int
    present: int
    leave: int
    needed: int
    met: bool


class MeetingIn(Schema):
    congress: Id
    kind: Literal["congress_session", "sc_meeting"]
    title: Label
    date: date
    members: Annotated[list[Id], Field(max_length=5000)] | None = None


class RollEntryIn(Schema):
    user: Id
    present: bool
    leave: bool = False


class RollEntryOut(Schema):
    user: int
    present: bool
    leave: bool
    quorum: QuorumOut


class BallotChoiceIn(Schema):
    label: Label
    detail: Annotated[str, Field(max_length=2000)] = ""
    ref_type: Annotated[str, Field(max_length=40)] = ""
    ref_id: Id | None = None


class BallotIn(Schema):
    kind: Literal["livelihood", "motion", "appointment", "evaluation"]
    meeting: Id
    title: Annotated[str, Field(max_length=200)] = ""
    choices: Annotated[list[Label | BallotChoiceIn], Field(min_length=1, max_length=500)]
    max_choices: Annotated[int, Field(ge=1, le=500)] = 1
    secret: bool = True


class BallotChoiceOut(Schema):
    id: int
    position: int
    label: str
    detail: str
    ref_type: str
    ref_id: int | None


class BallotOut(Schema):
    id: int
    meeting: int
    kind: str
    title: str
    state: str
    answers: str
    max_choices: int
    secret: bool
    rule: str
    runoff_of: int | None
    choices: list[BallotChoiceOut]


class VoteIn(Schema):
    choices: Annotated[list[int], Field(max_length=500)] = []
    choice: Literal["yes", "no", "abstain"] | None = None
    answers: Annotated[dict[str, str], Field(max_length=500)] | None = None


class VoteReceiptOut(Schema):
    receipt: str


class ReceiptCheckIn(Schema):
    receipt: Annotated[str, Field(max_length=60)]


def _meeting_out(m: Meeting) -> MeetingOut:
    return MeetingOut(
        id=m.pk,
        kind=m.kind,
        title=m.title,
        date=m.date,
        congress=m.congress_id,
        members=m.member_count,  # type: ignore[attr-defined]
        present=m.present_count,  # type: ignore[attr-defined]
    )


def _ballot_out(b: Ballot) -> BallotOut:
    return BallotOut(
        id=b.pk,
        meeting=b.meeting_id,
        kind=b.kind,
        title=b.title,
        state=b.state,
        answers=b.answers,
        max_choices=b.max_choices,
        secret=b.secret,
        rule=b.rule,
        runoff_of=b.runoff_of_id,
        choices=[
            BallotChoiceOut(
                id=c.pk,
                position=c.position,
                label=c.label,
                detail=c.detail,
                ref_type=c.ref_type,
                ref_id=c.ref_id,
            )
            for c in b.choices.all()
        ],
    )


@router.get("/meetings", response=list[MeetingOut], summary="Meetings visible to me")
def list_meetings(request: HttpRequest) -> list[MeetingOut]:
    return [_meeting_out(m) for m in meetings_with_counts(meetings_visible_to(request.user))[:500]]


@router.post("/meetings", response={201: MeetingOut}, summary="Create a meeting (office)")
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    congress = Congress.objects.filter(pk=payload.congress).first()
    if congress is None or not is_office(request.user, congress):
        raise NotFound(_("No such congress."))
    people = payload.members
    if people is None:
        people = default_roll(congress, payload.kind, payload.date)
    found = list(User.objects.filter(pk__in=people).values_list("pk", flat=True))
    if len(found) != len(set(people)):
        raise InvalidInput(_("A member is not a known person."), code="unknown_member")
    meeting = actions.create_meeting(
        congress=congress,
        kind=payload.kind,
        title=payload.title,
        date=payload.date,
        members=found,
        by=request.user,
    )
    return Status(201, _meeting_out(meetings_with_counts(Meeting.objects).get(pk=meeting.pk)))


@router.get("/meetings/{int:meeting_id}", response=MeetingOut, summary="One meeting")
def get_meeting(request: HttpRequest, meeting_id: int) -> MeetingOut:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return _meeting_out(meetings_with_counts(Meeting.objects).get(pk=meeting.pk))


@router.post(
    "/meetings/{int:meeting_id}/attendance",
    response=RollEntryOut,
    summary="Mark a member present, absent or on leave (office)",
)
def attendance(request: HttpRequest, meeting_id: int, payload: RollEntryIn) -> RollEntryOut:
    meeting = get_meeting_for_office(request.user, meeting_id)
    member = actions.mark_attendance(
        meeting, user=payload.user, present=payload.present, leave=payload.leave, by=request.user
    )
    q = quorum_status(meeting)
    return RollEntryOut(
        user=member.user_id, present=member.present, leave=member.leave, quorum=QuorumOut(**vars(q))
    )


@router.get("/ballots", response=list[BallotOut], summary="Ballots visible to me")
def list_ballots(request: HttpRequest, state: str = "") -> list[BallotOut]:
    from .permissions import ballots_visible_to

    qs = ballots_visible_to(request.user).prefetch_related("choices").order_by("-pk")
    if state:
        qs = qs.filter(state=state)
    return [_ballot_out(b) for b in qs[:200]]


@router.post("/ballots", response={201: BallotOut}, summary="Prepare a ballot (office)")
def create_ballot(request: HttpRequest, payload: BallotIn) -> Any:
    meeting = get_meeting_for_office(request.user, payload.meeting)
    specs = [
        actions.ChoiceSpec(label=c)
        if isinstance(c, str)
        else actions.ChoiceSpec(
            label=c.label, detail=c.detail, ref_type=c.ref_type, ref_id=c.ref_id
        )
        for c in payload.choices
    ]
    title = payload.title.strip() or (
        specs[0].label if payload.kind == BallotKind.MOTION else BallotKind(payload.kind).label
    )
    ballot = actions.create_ballot(
        meeting=meeting,
        kind=payload.kind,
        title=str(title),
        choices=specs,
        max_choices=payload.max_choices,
        secret=payload.secret,
        by=request.user,
    )
    return Status(201, _ballot_out(ballot))


@router.get("/ballots/{int:ballot_id}", response=BallotOut, summary="One ballot and its choices")
def get_ballot(request: HttpRequest, ballot_id: int) -> BallotOut:
    return _ballot_out(get_ballot_for_user(request.user, ballot_id))


@router.post("/ballots/{int:ballot_id}/open", response=BallotOut, summary="Open (office)")
def open_ballot(request: HttpRequest, ballot_id: int) -> BallotOut:
    ballot = get_ballot_for_office(request.user, ballot_id)
    return _ballot_out(actions.open_ballot(ballot, by=request.user))


@router.post("/ballots/{int:ballot_id}/close", response=BallotOut, summary="Close (office)")
def close_ballot(request: HttpRequest, ballot_id: int) -> BallotOut:
    ballot = get_ballot_for_office(request.user, ballot_id)
    return _ballot_out(actions.close_ballot(ballot, by=request.user))


@router.post(
    "/ballots/{int:ballot_id}/runoff", response={201: BallotOut}, summary="Run-off (office)"
)
def runoff(request: HttpRequest, ballot_id: int) -> Any:
    ballot = get_ballot_for_office(request.user, ballot_id)
    return Status(201, _ballot_out(actions.create_runoff(ballot, by=request.user)))


@router.post(
    "/ballots/{int:ballot_id}/votes", response={201: VoteReceiptOut}, summary="Vote (a member)"
)
def vote(request: HttpRequest, ballot_id: int, payload: VoteIn) -> Any:
    ballot = get_ballot_for_user(request.user, ballot_id)
    answers: dict[Any, str] | None = payload.answers
    if payload.choice is not None:
        ids = list(ballot.choices.values_list("pk", flat=True))
        require(
            len(ids) == 1 and not payload.answers,
            _('"choice" answers a ballot of one item; send "answers" per item.'),
            error=InvalidInput,
        )
        answers = {ids[0]: payload.choice}
    receipt = actions.cast_vote(
        ballot, voter=request.user, choices=payload.choices, answers=answers
    )
    return Status(201, VoteReceiptOut(receipt=receipt))


@router.get("/ballots/{int:ballot_id}/result", summary="The result (tally only after close)")
def result(request: HttpRequest, ballot_id: int) -> dict[str, Any]:
    return ballot_result(get_ballot_for_user(request.user, ballot_id)).as_dict()


@router.post("/receipts/check", summary="Check that the paper of a receipt was counted")
def check_receipt(request: HttpRequest, payload: ReceiptCheckIn) -> dict[str, Any]:
    from .queries import paper_lines

    paper = find_paper(payload.receipt)
    if paper is None:
        raise NotFound(_("No ballot paper has this receipt code."))
    return {
        "ballot": paper.ballot_id,
        "title": paper.ballot.title,
        "state": paper.ballot.state,
        "counted": paper.ballot.state == "closed",
        "content": [{"choice": label, "answer": ans} for label, ans in paper_lines(paper)],
    }
