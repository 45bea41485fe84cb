"""Attachment pages: add and remove (the lead deputy, from the write page or the detail page, no
JavaScript needed) and the permission-checked download (anyone who may see the suggestion).

Thin: the suggestion and the attachment come through permissions.py (404 for missing and
forbidden alike), every change through actions/attachments.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.errors import DomainError

from . import filetypes
from .actions import attachments as attachment_actions
from .choices import State
from .downloads import attachment_response
from .models import Suggestion
from .permissions import can_manage_attachments, get_attachment_for_user, get_suggestion_for_user
from .queries import attachments_of
from .uploads import was_oversized


def attachments_context(user: Any, suggestion: Suggestion | None) -> dict[str, Any]:
    """What the attachments panel (suggestions/_attachments.html) shows."""
    max_mb = settings.RENDA_ATTACHMENT_MAX_MB
    return {
        "attachments": list(attachments_of(suggestion)) if suggestion else [],
        "can_manage_attachments": bool(suggestion and can_manage_attachments(user, suggestion)),
        "attachment_max_mb": int(max_mb) if float(max_mb).is_integer() else max_mb,
        "attachment_max_count": settings.RENDA_ATTACHMENT_MAX_COUNT,
        "attachment_accept": ",".join(f".{ext}" for ext in filetypes.ALLOWED),
    }


def _back(request: HttpRequest, suggestion: Suggestion) -> HttpResponse:
    if request.POST.get("back") == "edit" and suggestion.state == State.DRAFT:
        return redirect("suggestions:edit", suggestion.pk)
    return redirect("suggestions:detail", suggestion.pk)


def _reason(exc: DomainError) -> str:
    return str(exc.detail).removeprefix("file: ")


@login_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_suggestion_for_user(request.user, pk)
    try:
        attachment = attachment_actions.add_attachment(
            suggestion,
            request.FILES.get("file"),
            by=request.user,
            oversized=was_oversized(request, "file"),
        )
    except DomainError as exc:
        messages.error(request, _("The file was not attached: %(why)s") % {"why": _reason(exc)})
    else:
        messages.success(request, _("Attached “%(name)s”.") % {"name": attachment.name})
    return _back(request, suggestion)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    suggestion = get_suggestion_for_user(request.user, pk)
    attachment = get_attachment_for_user(request.user, attachment_pk, suggestion)
    try:
        attachment_actions.remove_attachment(attachment, by=request.user)
    except DomainError as exc:
        messages.error(request, _("The file was not removed: %(why)s") % {"why": _reason(exc)})
    else:
        messages.success(request, _("Removed “%(name)s”.") % {"name": attachment.name})
    return _back(request, suggestion)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    suggestion = get_suggestion_for_user(request.user, pk)
    return attachment_response(get_attachment_for_user(request.user, attachment_pk, suggestion))
