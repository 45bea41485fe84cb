"""Who may look for what (issue 7 point 3). Search itself needs no role: what it finds is what
the user may see anyway (queries.visible). Similar suggestions are for those who write or
register suggestions: deputies (on the submit form) and the deputy-affairs office (on the
register page), each within their own congresses."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from renda.accounts.permissions import office_congress_ids
from renda.errors import InvalidInput, NotFound, require


def similar_congresses(user: Any) -> set[int] | None:
    """The congresses the user may look for similar suggestions in; None for an administrator
    (any); empty when none."""
    from renda.suggestions.queries import deputy_congress_ids

    if not getattr(user, "is_authenticated", False):
        return set()
    offices = office_congress_ids(user)
    if offices is None:
        return None
    return set(deputy_congress_ids(user)) | set(offices)


def may_find_similar(user: Any) -> bool:
    congresses = similar_congresses(user)
    return congresses is None or bool(congresses)


def congress_for_similar(user: Any, congress: int | None) -> int:
    """The congress to look in: the one named (if the user's), else the user's only one."""
    congresses = similar_congresses(user)
    require(
        congresses is None or bool(congresses),
        _("Only deputies and the deputy-affairs office look for similar suggestions."),
    )
    if congress is not None:
        if congresses is not None and congress not in congresses:
            raise NotFound(_("Not found."))
        return congress
    if congresses is not None and len(congresses) == 1:
        return next(iter(congresses))
    raise InvalidInput(
        _("congress: name the congress to look in (you belong to several)."),
        code="congress_required",
    )
