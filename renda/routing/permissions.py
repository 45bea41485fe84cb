"""Who may see assignment proposals: the deputy-affairs office of a congress (it assigns) and
administrators. Nobody else — units, deputies, the public — sees them (they would reveal other
suggestions' handling through the model)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role, is_admin, office_congress_ids
from renda.errors import InvalidInput
from renda.orgs.models import Congress


def can_use_routing(user: Any) -> bool:
    """Role-only (the nav entry and the page guards agree): office staff or administrators."""
    return is_admin(user) or has_role(user, Role.DEPUTY_AFFAIRS)


def routing_congresses(user: Any) -> list[Congress]:
    ids = office_congress_ids(user)
    qs = Congress.objects.all() if ids is None else Congress.objects.filter(pk__in=ids)
    return list(qs.order_by("pk"))


def get_routing_congress(user: Any, pk: Any = None) -> Congress:
    """The congress whose proposals the user asks for: the given one if the user works for it,
    else the user's only one. 404 for anything else (missing and forbidden alike)."""
    if not can_use_routing(user):
        raise Http404
    congresses = routing_congresses(user)
    if pk in (None, ""):
        if len(congresses) == 1:
            return congresses[0]
        raise InvalidInput(
            "congress: "
            + _("You work for several congresses: say which (%(ids)s).")
            % {"ids": ", ".join(str(c.pk) for c in congresses[:20])}
        )
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    for c in congresses:
        if c.pk == pk:
            return c
    raise Http404
