"""JSON API of the deputies app: the public part (mounted at /api/v1/deputies): a deputy's
public profile by the deputy code (no sign-in, DEP-PUBLIC), the citizens' messages (the deputy
and the office), the coverage dashboard, fixed contacts and work plans (the office; DEP-PLAN).
Thin: parse, fetch through a permission helper or query, call the action, respond.

Every path has at least two segments after /deputies, so none is taken for the registry's
/deputies/{id}.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from renda.orgs.models import Congress, StandingCommitteeMembership
from renda.orgs.permissions import MAX_PK

from .actions import public as actions
from .models import CitizenMessage, ContactLink, Delegation, DeputyGroup, Deputyship, WorkPlan
from .permissions import is_office_of, valid_pk
from .permissions_public import (
    get_deputyship_with_messages,
    get_message_for_user,
    get_office_congress,
    get_plan_for_office,
)
from .queries_coverage import (
    DUTY_LISTS,
    LISTS,
    CoverageFilter,
    coverage_summary,
    current_term,
    flagged_deputies,
    missing_duty,
    sc_below_target,
    sc_members,
    sc_target,
)
from .queries_public import get_public_deputyship, public_profile, published_plans

router = Router()

Id = Annotated[int, Field(ge=1, le=MAX_PK, strict=True)]
Offset = Annotated[int, Field(ge=0, le=10_000_000)]
Limit = Annotated[int, Field(ge=1, le=200)]
# The actions give the precise message; the schema only stops absurd payloads early.
Short = Annotated[str, Field(max_length=1000)]
Long = Annotated[str, Field(max_length=actions.PLAN_BODY_MAX * 2)]


# --- the public profile ---------------------------------------------------------------------
class DutyOut(Schema):
    date: date
    kind: str
    title: str


class ScoreOut(Schema):
    total: Decimal
    grade: str


class ProfileOut(Schema):
    code: str
    name: str
    congress: str
    term: int
    status: str
    status_since: date | None
    fields: dict[str, str]
    groups: list[str]
    expertise: list[str]
    photo_url: str | None
    year: int
    duties_by_kind: dict[str, int]
    duties_total: int
    duties: list[DutyOut]
    score: ScoreOut | None


@router.get(
    "/public/{code}",
    response=ProfileOut,
    auth=None,
    summary="A deputy's public profile (DEP-PUBLIC), by the deputy code; no sign-in",
)
def get_public_profile(request: HttpRequest, code: str, year: int | None = None) -> ProfileOut:
    deputyship = get_public_deputyship(code)
    today = timezone.localdate()
    if year is None or not 2000 <= year <= today.year:
        year = today.year
    p = public_profile(deputyship, year)

    return ProfileOut(
        code=deputyship.public_code,
        name=deputyship.person.name,
        congress=deputyship.congress.name,
        term=deputyship.term.number,
        status=p.status,
        status_since=p.status_since if p.status != "active" else None,
        fields={field: value for field, _label, value in p.values},
        groups=p.groups,
        expertise=p.expertise,
        photo_url=reverse("deputy_public:photo", args=[deputyship.public_code])
        if p.has_photo
        else None,
        year=p.year,
        duties_by_kind={kind: n for kind, _label, n in p.counts},
        duties_total=p.total,
        duties=[DutyOut(date=d.occurred_on, kind=d.kind, title=d.title) for d in p.duties],
        score=ScoreOut(total=p.score[0], grade=p.score[1]) if p.score else None,
    )


# --- citizens' messages ---------------------------------------------------------------------
class MessageOut(Schema):
    id: int
    deputy: int
    text: str
    name: str
    phone: str
    created_at: datetime
    read_at: datetime | None


class MessageList(Schema):
    count: int
    unread: int
    results: list[MessageOut]


def _message_out(m: CitizenMessage) -> MessageOut:
    return MessageOut(
        id=m.pk,
        deputy=m.deputyship_id,
        text=m.text,
        name=m.name,
        phone=m.phone,
        created_at=m.created_at,
        read_at=m.read_at,
    )


@router.get(
    "/{int:deputy_id}/messages",
    response=MessageList,
    summary="Citizens' messages left for a deputy (the deputy and the congress's office)",
)
def list_messages(
    request: HttpRequest,
    deputy_id: int,
    unread: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
) -> MessageList:
    deputyship = get_deputyship_with_messages(request.user, deputy_id)
    qs = CitizenMessage.objects.filter(deputyship=deputyship)
    unread_count = qs.filter(read_at__isnull=True).count()
    if unread:
        qs = qs.filter(read_at__isnull=True)
    rows = list(qs.order_by("-created_at", "-id")[offset : offset + limit])
    return MessageList(
        count=unread_count if unread else qs.count(),
        unread=unread_count,
        results=[_message_out(m) for m in rows],
    )


@router.post(
    "/messages/{int:message_id}/read",
    response=MessageOut,
    summary="The deputy marks a citizen's message read",
)
def read_message(request: HttpRequest, message_id: int) -> MessageOut:
    message = get_message_for_user(request.user, message_id)
    return _message_out(actions.mark_message_read(message, by=request.user))


# --- coverage -------------------------------------------------------------------------------
class CoverageOut(Schema):
    congress: int
    term: int
    since: date
    until: date
    deputies: int
    missing: dict[str, int]
    sc_members: int
    sc_below_target: int
    sc_target: int
    flagged: int


class CoverageRow(Schema):
    id: int
    name: str
    delegation: str | None = None
    contacts: int | None = None
    sessions: list[int] | None = None


class CoverageList(Schema):
    list: str
    count: int
    results: list[CoverageRow]


def _coverage_filter(
    request: HttpRequest, congress_id: int, delegation: Any, group: Any
) -> CoverageFilter:
    congress = get_office_congress(request.user, congress_id)
    today = timezone.localdate()
    term = current_term(congress, today)
    if term is None:
        raise Http404
    d = g = None
    if delegation is not None:
        d = Delegation.objects.filter(pk=valid_pk(delegation), term=term).first()
        if d is None:
            raise Http404
    if group is not None:
        g = DeputyGroup.objects.filter(pk=valid_pk(group), congress=congress).first()
        if g is None:
            raise Http404
    return CoverageFilter(congress=congress, term=term, today=today, delegation=d, group=g)


@router.get(
    "/congress/{int:congress_id}/coverage",
    response=CoverageOut,
    summary="Coverage counts of a congress's term in force (the office)",
)
def get_coverage(
    request: HttpRequest, congress_id: int, delegation: int | None = None, group: int | None = None
) -> CoverageOut:
    f = _coverage_filter(request, congress_id, delegation, group)
    s = coverage_summary(f)
    return CoverageOut(
        congress=f.congress.pk,
        term=f.term.pk,
        since=f.since,
        until=f.until,
        deputies=s.deputies,
        missing=s.missing,
        sc_members=s.sc_members,
        sc_below_target=s.sc_below,
        sc_target=s.sc_target,
        flagged=s.flagged,
    )


@router.get(
    "/congress/{int:congress_id}/coverage/{name}",
    response=CoverageList,
    summary="One coverage list (report_back, training, sc_sitting, sc_contacts, flagged)",
)
def get_coverage_list(
    request: HttpRequest,
    congress_id: int,
    name: str,
    delegation: int | None = None,
    group: int | None = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> CoverageList:
    if name not in LISTS:
        raise Http404
    f = _coverage_filter(request, congress_id, delegation, group)
    rows: list[CoverageRow] = []
    if name in DUTY_LISTS:
        qs = missing_duty(f, name)
        count = qs.count()
        for d in qs[offset : offset + limit]:
            rows.append(
                CoverageRow(
                    id=d.pk,
                    name=d.person.name,
                    delegation=d.delegation.name if d.delegation else None,
                )
            )
    elif name == "sc_contacts":
        members = list(sc_below_target(f))
        count = len(members)
        rows = [
            CoverageRow(id=m.pk, name=m.user.display_name, contacts=m.contacts)
            for m in members[offset : offset + limit]
        ]
    else:
        flagged = flagged_deputies(f)
        count = len(flagged)
        rows = [
            CoverageRow(
                id=r.deputyship.pk,
                name=r.deputyship.person.name,
                delegation=r.deputyship.delegation.name if r.deputyship.delegation else None,
                sessions=[s.pk for s in r.sessions],
            )
            for r in flagged[offset : offset + limit]
        ]
    return CoverageList(list=name, count=count, results=rows)


# --- fixed contacts -------------------------------------------------------------------------
class ContactIn(Schema):
    member: Id
    deputy: Id


class ContactOut(Schema):
    id: int
    member: int
    deputy: int
    name: str


class MemberOut(Schema):
    id: int
    name: str
    contacts: int
    target: int


def _contact_out(link: ContactLink) -> ContactOut:
    return ContactOut(
        id=link.pk,
        member=link.member_id,
        deputy=link.deputyship_id,
        name=link.deputyship.person.name,
    )


@router.get(
    "/congress/{int:congress_id}/sc-members",
    response=list[MemberOut],
    summary="Standing-committee members with their fixed contacts and the target (the office)",
)
def list_sc_members(request: HttpRequest, congress_id: int) -> list[MemberOut]:
    f = _coverage_filter(request, congress_id, None, None)
    target = sc_target(f.congress)
    return [
        MemberOut(id=m.pk, name=m.user.display_name, contacts=m.contacts, target=target)
        for m in sc_members(f)
    ]


@router.post(
    "/contact-links/new",
    response={201: ContactOut},
    summary="Record a member's fixed contact with a deputy (the office)",
)
def post_contact(request: HttpRequest, payload: ContactIn) -> Status[ContactOut]:
    member = StandingCommitteeMembership.objects.filter(pk=payload.member).first()
    deputyship = Deputyship.objects.filter(pk=payload.deputy).select_related("person").first()
    if member is None or deputyship is None or not is_office_of(request.user, member.congress_id):
        raise Http404
    link = actions.add_contact_link(member, deputyship, by=request.user)
    return Status(201, _contact_out(link))


@router.delete(
    "/contact-links/{int:link_id}",
    response={204: None},
    summary="Remove a member's fixed contact (the office)",
)
def delete_contact(request: HttpRequest, link_id: int) -> Status[None]:
    link = ContactLink.objects.select_related("member").filter(pk=valid_pk(link_id)).first()
    if link is None or not is_office_of(request.user, link.member.congress_id):
        raise Http404
    actions.remove_contact_link(link, by=request.user)
    return Status(204, None)


# --- work plans (DEP-PLAN) --------------------------------------------------------------------
class PlanIn(Schema):
    year: Annotated[int, Field(ge=1, le=9999, strict=True)]
    title: Short
    body: Long
    adopted_on: date


class PlanEditIn(Schema):
    title: Short
    body: Long
    adopted_on: date
    correction_note: Short | None = None


class CorrectionIn(Schema):
    title: Short
    body: Long
    adopted_on: date
    correction_note: Short


class PlanOut(Schema):
    id: int
    congress: int
    year: int
    version: int
    title: str
    body: str
    adopted_on: date
    correction_note: str
    published_at: datetime | None


def _plan_out(p: WorkPlan) -> PlanOut:
    return PlanOut(
        id=p.pk,
        congress=p.congress_id,
        year=p.year,
        version=p.version,
        title=p.title,
        body=p.body,
        adopted_on=p.adopted_on,
        correction_note=p.correction_note,
        published_at=p.published_at,
    )


@router.get(
    "/congress/{int:congress_id}/plans",
    response=list[PlanOut],
    summary="A congress's deputy-work plans: published ones; drafts too for its office",
)
def list_plans(request: HttpRequest, congress_id: int) -> list[PlanOut]:
    congress = Congress.objects.filter(pk=valid_pk(congress_id)).first()
    if congress is None:
        raise Http404
    qs = (
        WorkPlan.objects.filter(congress=congress)
        if is_office_of(request.user, congress.pk)
        else published_plans(congress)
    )
    return [_plan_out(p) for p in qs.order_by("-year", "-version")[:200]]


@router.post(
    "/congress/{int:congress_id}/plans",
    response={201: PlanOut},
    summary="The office writes the year's plan (a draft)",
)
def post_plan(request: HttpRequest, congress_id: int, payload: PlanIn) -> Status[PlanOut]:
    congress = get_office_congress(request.user, congress_id)
    plan = actions.create_plan(congress, by=request.user, **payload.dict())
    return Status(201, _plan_out(plan))


@router.put(
    "/plans/{int:plan_id}",
    response=PlanOut,
    summary="The office edits a draft plan (409 once published)",
)
def put_plan(request: HttpRequest, plan_id: int, payload: PlanEditIn) -> PlanOut:
    plan = get_plan_for_office(request.user, plan_id)
    return _plan_out(actions.update_plan(plan, by=request.user, **payload.dict()))


@router.post(
    "/plans/{int:plan_id}/publish",
    response=PlanOut,
    summary="Publish a plan: audited, every active deputy of the congress told",
)
def post_publish(request: HttpRequest, plan_id: int) -> PlanOut:
    plan = get_plan_for_office(request.user, plan_id)
    return _plan_out(actions.publish_plan(plan, by=request.user))


@router.post(
    "/plans/{int:plan_id}/corrections",
    response={201: PlanOut},
    summary="Correct a published plan with a new version (a draft)",
)
def post_correction(request: HttpRequest, plan_id: int, payload: CorrectionIn) -> Status[PlanOut]:
    plan = get_plan_for_office(request.user, plan_id)
    return Status(201, _plan_out(actions.correct_plan(plan, by=request.user, **payload.dict())))
