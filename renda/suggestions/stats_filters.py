"""The statistics' filters from a request (page, API, Excel export alike): parsed, checked and
scoped to what the person may see. Bad values are a 422 naming the field; a congress or unit
the person may not see (or that does not exist) is a 404."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.errors import InvalidInput
from renda.orgs.models import Congress, HandlingUnit, Session

from .permissions import stats_scope
from .stats import StatsFilter

YEAR_MIN, YEAR_MAX = 1949, 2100
ID_MAX = 2**63 - 1


def int_param(raw: Any, field: str, low: int, high: int) -> int | None:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        raise InvalidInput(_("%(field)s: must be a whole number.") % {"field": field})
    value = int(text)
    if not low <= value <= high:
        raise InvalidInput(
            _("%(field)s: must be between %(low)d and %(high)d.")
            % {"field": field, "low": low, "high": high}
        )
    return value


def stats_filter_for(user: Any, params: Mapping[str, Any]) -> StatsFilter:
    """The filter for `params` (congress, year, session, unit) as this user may see it.

    Office roles (deputy-affairs, committees, leaders, government supervision) and
    administrators: their congress's figures, any unit of it. Unit clerks and heads: only their
    own unit's figures — the unit filter is forced. Anyone else: 404."""
    offices, units = stats_scope(user)  # offices None: every congress (administrator)
    if offices is not None and not offices and not units:
        raise Http404
    congress_id = int_param(params.get("congress"), "congress", 1, ID_MAX)
    unit_id = int_param(params.get("unit"), "unit", 1, ID_MAX)
    year = int_param(params.get("year"), "year", YEAR_MIN, YEAR_MAX)
    session_id = int_param(params.get("session"), "session", 1, ID_MAX)

    unit: HandlingUnit | None = None
    if unit_id is not None:
        unit = HandlingUnit.objects.select_related("congress").filter(pk=unit_id).first()
        if unit is None:
            raise Http404
    congress = _congress(offices, units, congress_id, unit)
    is_office = offices is None or congress.pk in offices
    if unit is not None and unit.congress_id != congress.pk:
        raise Http404
    if not is_office:
        # A unit's own people see only their unit (the unit filter is forced).
        if unit is None:
            unit = (
                HandlingUnit.objects.filter(pk__in=units, congress=congress).order_by("pk").first()
            )
        if unit is None or unit.pk not in units:
            raise Http404
    session = None
    if session_id is not None:
        session = Session.objects.filter(pk=session_id, term__congress=congress).first()
        if session is None:
            raise InvalidInput(_("session: not a session of this congress."))
    return StatsFilter(
        congress=congress, year=year, session=session, unit=unit, today=timezone.localdate()
    )


def _congress(
    offices: set[int] | None, units: set[int], congress_id: int | None, unit: Any
) -> Congress:
    """The congress asked for (or implied by the unit), if the user may see its figures; else
    the first one they may see (by division code)."""
    wanted = congress_id if congress_id is not None else getattr(unit, "congress_id", None)
    qs = Congress.objects.all()
    if offices is not None:
        unit_congresses = HandlingUnit.objects.filter(pk__in=units).values("congress_id")
        qs = qs.filter(pk__in=offices) | qs.filter(pk__in=unit_congresses)
    if wanted is not None:
        qs = qs.filter(pk=wanted)
    congress = qs.order_by("division_code").first()
    if congress is None:
        raise Http404
    return congress


def stats_congresses(user: Any) -> list[Congress]:
    """The congresses whose figures this user may see (for the page's congress choice)."""
    offices, units = stats_scope(user)
    qs = Congress.objects.all()
    if offices is not None:
        unit_congresses = HandlingUnit.objects.filter(pk__in=units).values("congress_id")
        qs = qs.filter(pk__in=offices) | qs.filter(pk__in=unit_congresses)
    return list(qs.order_by("division_code"))
