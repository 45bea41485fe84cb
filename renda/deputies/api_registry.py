"""JSON API of the deputies app: the registry part (mounted in renda/api.py at /api/v1/deputies).

Fixed contract (issue 4): `GET /deputies?congress=&group=&q=&tag=` (paginated like the
suggestions list), `GET /deputies/{id}` (id = the deputyship's id; the published fields only,
DEP-PUBLIC, unless the caller may see more: their congress's office, administrators, the deputy),
`POST /deputies/import` (multipart `file`, `dry_run`, `congress`, `term`) → `{"rows": [{"row",
"ok", "errors"}], "created", "updated"}`. Thin: visibility in queries_registry, the import in
actions/roster.py (the same code as the web page).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, field_validator

from renda.errors import InvalidInput
from renda.orgs.models import Congress, Term
from renda.orgs.permissions import MAX_PK
from renda.suggestions.uploads import was_oversized

from .actions.photos import remove_photo, set_photo
from .actions.roster import RosterHasErrors, import_roster, preview_roster
from .models import PUBLISHABLE_FIELDS, Deputyship, ExpertiseTag, GroupMembership
from .permissions import (
    can_see_private,
    get_deputyship_for_viewer,
    get_managed_deputyship,
    public_fields_of,
)
from .photos import max_bytes as photo_max_bytes
from .queries_registry import (
    DeputyFilter,
    deputyships_visible_to,
    filter_deputyships,
    listed_deputyships,
)
from .roster import RosterReport
from .roster_files import max_bytes, max_mb

router = Router()

Pk = Annotated[int, Field(ge=1, le=MAX_PK)]


class Ref(Schema):
    id: int
    name: str


class PrivateOut(Schema):
    """Personal data: only for the deputy's congress's office, administrators and the deputy."""

    id_number: str
    birth_month: str | None
    phone: str
    address: str


class GroupOut(Schema):
    id: int
    name: str
    kind: str
    leader: bool


class DeputyOut(Schema):
    id: int
    name: str
    congress: Ref
    term: int
    status: str
    status_label: str
    fields: dict[str, Any] = Field(
        description="DEP-PUBLIC: the published fields (all of them for those who may see more)"
    )
    public_fields: list[str] | None = Field(
        default=None, description="what the public profile shows; for those who may see more"
    )
    private: PrivateOut | None = None


class DeputyDetailOut(DeputyOut):
    groups: list[GroupOut] = Field(default_factory=list)


class PageOut(Schema):
    items: list[DeputyOut]
    count: int
    page: int
    page_size: int


class ListFilter(Schema):
    congress: Pk | None = None
    group: Pk | None = None
    tag: str | None = Field(default=None, max_length=30, description="a tag's id or name")
    q: str | None = Field(default=None, max_length=50, description="words of the name or workplace")
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=20, ge=1, le=100)

    @field_validator("q", "tag")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        if value is not None and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class RowOut(Schema):
    row: int
    ok: bool
    errors: list[str]
    action: str = Field(description='"create" or "update" for a row that is right, else ""')


class ImportOut(Schema):
    rows: list[RowOut]
    created: int
    updated: int
    dry_run: bool
    extra_columns: list[str]
    missing_columns: list[str]


def _values(d: Deputyship, groups: list[GroupMembership] | None) -> dict[str, Any]:
    p = d.person
    return {
        "gender": p.gender,
        "ethnicity": p.ethnicity,
        "party": p.party,
        "workplace": p.workplace,
        "electoral_unit": d.electoral_unit,
        "delegation": d.delegation.name if d.delegation else "",
        "groups": [m.group.name for m in groups] if groups is not None else None,
        "sector": p.sector,
        "expertise": [t.name for t in p.expertise.all()],
        "photo": bool(p.photo),
    }


def deputy_out(user: Any, d: Deputyship, groups: list[GroupMembership] | None = None) -> Any:
    """DEP-PUBLIC: the published fields for everyone; all fields and personal data for those
    who may see them."""
    private = can_see_private(user, d)
    values = _values(d, groups)
    shown = set(PUBLISHABLE_FIELDS) if private else public_fields_of(d)
    fields = {k: v for k, v in values.items() if k in shown and v is not None}
    birth: date | None = d.person.birth_month
    return {
        "id": d.pk,
        "name": d.person.name,
        "congress": {"id": d.congress_id, "name": d.congress.name},
        "term": d.term.number,
        "status": d.status,
        "status_label": str(d.get_status_display()),
        "fields": fields,
        "public_fields": list(d.public_fields or []) if private else None,
        "private": {
            "id_number": d.person.id_number or "",
            "birth_month": birth.strftime("%Y-%m") if birth else None,
            "phone": d.person.user.phone,
            "address": d.person.address,
        }
        if private
        else None,
    }


def _tag_id(tag: str | None) -> int | None:
    if not tag or not tag.strip():
        return None
    tag = tag.strip()
    if tag.isdigit() and len(tag) < 19:
        return int(tag)
    found = ExpertiseTag.objects.filter(name=tag).values_list("pk", flat=True).first()
    return found or -1


@router.get("", response=PageOut, summary="Deputies (deputyships) I may see, paginated")
def list_deputies(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    qs = filter_deputyships(
        deputyships_visible_to(request.user),
        DeputyFilter(
            congress=filters.congress,
            group=filters.group,
            tag=_tag_id(filters.tag),
            q=filters.q or "",
        ),
    )
    qs = listed_deputyships(qs).prefetch_related("person__expertise")
    start = (filters.page - 1) * filters.page_size
    rows = list(qs[start : start + filters.page_size])
    return {
        "items": [deputy_out(request.user, d) for d in rows],
        "count": qs.count(),
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.get("/{int:deputy_id}", response=DeputyDetailOut, summary="One deputy (a deputyship)")
def get_deputy(request: HttpRequest, deputy_id: int) -> Any:
    d = get_deputyship_for_viewer(request.user, deputy_id)
    groups = list(GroupMembership.objects.filter(deputyship=d).select_related("group"))
    out = deputy_out(request.user, d, groups)
    out["groups"] = [
        {"id": m.group_id, "name": m.group.name, "kind": m.group.kind, "leader": m.is_leader}
        for m in groups
    ]
    return out


def _report(report: RosterReport, *, dry_run: bool) -> dict[str, Any]:
    return {
        "rows": [
            {"row": r.row, "ok": r.ok, "errors": r.errors, "action": r.action} for r in report.rows
        ],
        "created": report.created,
        "updated": report.updated,
        "dry_run": dry_run,
        "extra_columns": report.extra_columns,
        "missing_columns": report.missing_columns,
    }


@router.post(
    "/import",
    response={200: ImportOut, 422: dict},
    summary="Import the official roster (.xlsx or .csv); dry_run=true only reports",
)
def import_deputies(
    request: HttpRequest,
    file: File[UploadedFile],
    congress: Form[Pk],
    term: Form[Pk],
    dry_run: Form[bool] = True,
) -> Any:
    """Every row checked; with dry_run=false, all rows imported or none (422
    `roster_has_errors` with the same rows when any has an error)."""
    if was_oversized(request, "file") or file.size > max_bytes():
        raise InvalidInput(
            _("The file is larger than %(mb)s MB.") % {"mb": max_mb()},
            code="too_large",
        )
    place = Congress.objects.filter(pk=congress).first()
    seat = Term.objects.filter(pk=term).first()
    if place is None or seat is None:
        raise InvalidInput(_("No such congress or term."), code="not_found")
    if dry_run:
        report = preview_roster(file, congress=place, term=seat, by=request.user)
        return Status(200, _report(report, dry_run=True))
    try:
        report = import_roster(
            file, congress=place, term=seat, by=request.user, filename=file.name or ""
        )
    except RosterHasErrors as exc:
        body = {"error": exc.code, "detail": exc.detail, **_report(exc.report, dry_run=False)}
        body.update(created=0, updated=0)  # nothing was written
        return Status(422, body)
    return Status(200, _report(report, dry_run=False))


class PhotoOut(Schema):
    photo: bool
    bytes: int
    published: bool


@router.post(
    "/{int:deputy_id}/photo",
    response={200: PhotoOut, 422: dict},
    summary="The office sets a deputy's photo (multipart `photo`: JPEG, PNG or WebP)",
)
def put_photo(request: HttpRequest, deputy_id: int, photo: File[UploadedFile]) -> Any:
    """Checked by content, size-limited, stored re-encoded as JPEG without EXIF and scaled down;
    on the public profile only while published (DEP-PUBLIC). 404 for anyone but the office."""
    d = get_managed_deputyship(request.user, deputy_id)
    if was_oversized(request, "photo") or photo.size > photo_max_bytes():
        raise InvalidInput(
            "photo: "
            + _("the file is larger than %(mb)s MB.")
            % {"mb": f"{photo_max_bytes() / 1024 / 1024:g}"},
            code="too_large",
        )
    person = set_photo(d, photo, by=request.user)
    return {"photo": True, "bytes": person.photo.size, "published": "photo" in d.public_fields}


@router.delete("/{int:deputy_id}/photo", response={204: None}, summary="The office removes it")
def delete_photo(request: HttpRequest, deputy_id: int) -> Any:
    d = get_managed_deputyship(request.user, deputy_id)
    remove_photo(d, by=request.user)
    return Status(204, None)
