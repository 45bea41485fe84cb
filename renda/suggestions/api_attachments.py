"""JSON API for a suggestion's attachments (issue 3 point 1):
`POST/GET /api/v1/suggestions/{id}/attachments`, `DELETE …/attachments/{aid}`,
`GET /api/v1/attachments/{aid}/download`.

Thin: the suggestion and the attachment come through permissions.py (404 for missing and
forbidden alike), every change through actions/attachments.py (403 not the lead deputy, 409 wrong
state, 422 naming `file`).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from .actions import attachments as attachment_actions
from .downloads import attachment_response
from .models import Attachment
from .permissions import get_attachment_for_user, get_suggestion_for_user
from .queries import attachments_of
from .uploads import was_oversized

router = Router()
attachments_router = Router()


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str


def attachment_out(a: Attachment) -> AttachmentOut:
    return AttachmentOut(id=a.pk, name=a.name, size=a.size, content_type=a.content_type)


@router.post(
    "/{int:suggestion_id}/attachments",
    response={201: AttachmentOut},
    summary="Attach a file (multipart, field `file`; PDF, Word, Excel, JPEG, PNG)",
)
def add(
    request: HttpRequest,
    suggestion_id: int,
    file: UploadedFile | None = File(None),  # noqa: B008 (how django-ninja declares a file)
) -> Status:
    s = get_suggestion_for_user(request.user, suggestion_id)
    a = attachment_actions.add_attachment(
        s, file, by=request.user, oversized=was_oversized(request, "file")
    )
    return Status(201, attachment_out(a))


@router.get(
    "/{int:suggestion_id}/attachments",
    response=list[AttachmentOut],
    summary="A suggestion's attachments",
)
def list_attachments(request: HttpRequest, suggestion_id: int) -> list[AttachmentOut]:
    s = get_suggestion_for_user(request.user, suggestion_id)
    return [attachment_out(a) for a in attachments_of(s)]


@router.delete(
    "/{int:suggestion_id}/attachments/{int:attachment_id}",
    response={204: None},
    summary="Remove an attachment",
)
def remove(request: HttpRequest, suggestion_id: int, attachment_id: int) -> Status:
    s = get_suggestion_for_user(request.user, suggestion_id)
    attachment_actions.remove_attachment(
        get_attachment_for_user(request.user, attachment_id, s), by=request.user
    )
    return Status(204, None)


@attachments_router.get(
    "/{int:attachment_id}/download", summary="Download an attachment (as a file, never inline)"
)
def download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    return attachment_response(get_attachment_for_user(request.user, attachment_id))
