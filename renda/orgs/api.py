"""Read-only API for congresses and handling units (mounted at /api/v1/)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from renda.errors import Forbidden, require

from .choices import UnitKind
from .permissions import MAX_PK, can_browse_orgs, get_congress_for_user
from .queries import KIND_ORDER, congresses_visible_to, units_visible_to

router = Router()


class CongressOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    region_name: str
    division_code: str
    parent_id: int | None
    rule_profile: str


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    active: bool
    congress_id: int


class UnitFilter(Schema):
    congress: int | None = Field(default=None, ge=1, le=MAX_PK, description="a congress id")
    kind: UnitKind | None = None
    active: bool | None = None
    q: str | None = Field(default=None, max_length=100, description="part of the unit's name")


@router.get("/congresses", response=list[CongressOut], summary="Congresses I may see")
def list_congresses(request: HttpRequest) -> list[CongressOut]:
    require(can_browse_orgs(request.user), _("Your roles do not include browsing congresses."))
    return [
        CongressOut(
            id=c.pk,
            name=c.name,
            level=c.level,
            level_label=str(c.get_level_display()),
            region_name=c.region_name,
            division_code=c.division_code,
            parent_id=c.parent_id,
            rule_profile=c.rule_profile,
        )
        for c in congresses_visible_to(request.user).order_by("division_code")
    ]


@router.get("/units", response=list[UnitOut], summary="Handling units I may see")
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> list[UnitOut]:
    browser = can_browse_orgs(request.user)
    qs = units_visible_to(request.user)
    if not browser and not qs.exists():
        raise Forbidden(_("Your roles do not include browsing handling units."))
    if filters.congress is not None:
        if browser:
            # Missing and not visible: the same 404 (raised by the helper).
            get_congress_for_user(request.user, filters.congress)
        qs = qs.filter(congress_id=filters.congress)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    if filters.q and filters.q.strip():
        qs = qs.filter(name__icontains=filters.q.strip())
    units = qs.order_by("congress__division_code", KIND_ORDER, "name")
    return [
        UnitOut(
            id=u.pk,
            name=u.name,
            kind=u.kind,
            kind_label=str(u.get_kind_display()),
            active=u.active,
            congress_id=u.congress_id,
        )
        for u in units
    ]
