"""Every write to congresses, terms, sessions, standing committees and handling units.

One function per verb, one transaction, one audit event. Only administrators set up the
organisations; validation comes from the models' clean() and constraints (full_clean).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.errors import InvalidInput, require

from .models import Congress, HandlingUnit, Session, StandingCommitteeMembership, Term
from .permissions import can_manage_orgs

CONGRESS_FIELDS = ("name", "level", "region_name", "division_code", "parent", "rule_profile")
UNIT_FIELDS = ("name", "kind", "active")


def _validated(obj: models.Model) -> None:
    """full_clean, with every problem in one clear InvalidInput (API: 422)."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc


def _audit_value(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _apply(obj: models.Model, fields: tuple[str, ...], changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(fields)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    changed: dict[str, Any] = {}
    for name, value in changes.items():
        old = getattr(obj, name)
        if _audit_value(old) != _audit_value(value):
            changed[name] = [_audit_value(old), _audit_value(value)]
            setattr(obj, name, value)
    return changed


def _clean_text(value: str) -> str:
    return (value or "").strip()


@transaction.atomic
def create_congress(
    *,
    name: str,
    level: str,
    region_name: str,
    division_code: str,
    by: Any,
    parent: Congress | None = None,
    rule_profile: str = "zhejiang",
) -> Congress:
    """An administrator adds a congress (one level, one region, GB/T 2260 division code)."""
    require(can_manage_orgs(by), _("Only administrators set up congresses."))
    congress = Congress(
        name=_clean_text(name),
        level=level,
        region_name=_clean_text(region_name),
        division_code=_clean_text(division_code),
        parent=parent,
        rule_profile=rule_profile,
    )
    _validated(congress)
    congress.save()
    record_event(
        congress,
        "congress.created",
        by=by,
        data={"division_code": congress.division_code, "level": level},
    )
    return congress


@transaction.atomic
def update_congress(congress: Congress, *, by: Any, **changes: Any) -> Congress:
    """An administrator corrects a congress's name, region, code, level, parent or profile."""
    require(can_manage_orgs(by), _("Only administrators change congresses."))
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    for key in ("name", "region_name", "division_code"):
        if key in changes:
            changes[key] = _clean_text(changes[key])
    changed = _apply(congress, CONGRESS_FIELDS, changes)
    if not changed:
        return congress
    _validated(congress)
    congress.save(update_fields=list(changed))
    record_event(congress, "congress.updated", by=by, data={"changed": changed})
    return congress


@transaction.atomic
def create_term(
    congress: Congress, *, number: int, start_date: date, by: Any, end_date: date | None = None
) -> Term:
    """An administrator records a term (届) of a congress."""
    require(can_manage_orgs(by), _("Only administrators set up congresses."))
    term = Term(congress=congress, number=number, start_date=start_date, end_date=end_date)
    _validated(term)
    term.save()
    record_event(term, "term.created", by=by, data={"number": number, "start": start_date})
    return term


@transaction.atomic
def create_session(
    term: Term, *, number: int, start_date: date, end_date: date, by: Any
) -> Session:
    """An administrator records a plenary session (第N次会议) within a term."""
    require(can_manage_orgs(by), _("Only administrators set up congresses."))
    session = Session(term=term, number=number, start_date=start_date, end_date=end_date)
    _validated(session)
    session.save()
    record_event(
        session,
        "session.created",
        by=by,
        data={"number": number, "start": start_date, "end": end_date},
    )
    return session


@transaction.atomic
def add_sc_member(
    term: Term, user: Any, *, position: str, start_date: date, by: Any
) -> StandingCommitteeMembership:
    """An administrator records a member of the standing committee (常委会组成人员) for a term."""
    require(can_manage_orgs(by), _("Only administrators set up standing committees."))
    membership = StandingCommitteeMembership(
        congress_id=term.congress_id, term=term, user=user, position=position, start_date=start_date
    )
    _validated(membership)
    membership.save()
    record_event(membership, "sc_member.added", by=by, data={"user": user.pk, "position": position})
    return membership


@transaction.atomic
def create_unit(congress: Congress, *, name: str, kind: str, by: Any) -> HandlingUnit:
    """An administrator adds a handling unit (承办单位) to a congress's list."""
    require(can_manage_orgs(by), _("Only administrators set up handling units."))
    unit = HandlingUnit(congress=congress, name=_clean_text(name), kind=kind)
    _validated(unit)
    unit.save()
    record_event(unit, "unit.created", by=by, data={"name": unit.name, "kind": kind})
    return unit


@transaction.atomic
def update_unit(unit: HandlingUnit, *, by: Any, **changes: Any) -> HandlingUnit:
    """An administrator renames a unit, changes its kind, or (de)activates it."""
    require(can_manage_orgs(by), _("Only administrators change handling units."))
    unit = HandlingUnit.objects.select_for_update().get(pk=unit.pk)
    if "name" in changes:
        changes["name"] = _clean_text(changes["name"])
    changed = _apply(unit, UNIT_FIELDS, changes)
    if not changed:
        return unit
    _validated(unit)
    unit.save(update_fields=list(changed))
    record_event(unit, "unit.updated", by=by, data={"changed": changed})
    return unit
