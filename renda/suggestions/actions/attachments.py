"""Attachments to a suggestion (issue 3 point 1): added and removed by the lead deputy while the
suggestion is a draft or submitted but not yet registered.

A refused upload writes nothing: every check (size, count, name, real type from the content) runs
before the file reaches storage, and if anything fails after it was stored (the row, the audit
event) the stored file is deleted again before the error goes up. A removed attachment's file is
deleted only once the removal has committed, so a rolled-back removal keeps its file.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.errors import InvalidInput, NotFound, require

from .. import filetypes
from ..choices import State
from ..models import Attachment, Suggestion
from ..permissions import is_lead_deputy
from ..uploads import max_attachment_bytes
from .common import lock, require_state

# Attachments may change until the office registers the suggestion: what it registered is fixed.
EDITABLE_STATES = (State.DRAFT, State.SUBMITTED)

KIND_LABELS = {
    filetypes.PDF: "PDF",
    filetypes.DOC: "Word",
    filetypes.DOCX: "Word",
    filetypes.XLS: "Excel",
    filetypes.XLSX: "Excel",
    filetypes.JPEG: "JPEG",
    filetypes.PNG: "PNG",
}


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(f"file: {message}", code="invalid")


def too_large_message() -> str:
    return _("the file is larger than the limit of %(size)s.") % {
        "size": filesizeformat(max_attachment_bytes())
    }


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _check(suggestion: Suggestion, upload: Any, *, oversized: bool) -> tuple[str, str]:
    """The safe display name and the detected content type, or a 422 naming `file`."""
    if upload is None or not isinstance(upload, UploadedFile):
        if oversized:
            raise _invalid(too_large_message())
        raise _invalid(_("choose a file to attach."))
    name = filetypes.clean_file_name(upload.name or "")
    expected = filetypes.ALLOWED.get(filetypes.extension_of(name))
    if expected is None:
        raise _invalid(
            _(
                "only PDF, Word (.doc, .docx), Excel (.xls, .xlsx), JPEG and PNG files may be "
                "attached."
            )
        )
    if not upload.size:
        raise _invalid(_("the file “%(name)s” is empty.") % {"name": name})
    if oversized or upload.size > max_attachment_bytes():
        raise _invalid(too_large_message())
    if suggestion.attachments.count() >= settings.RENDA_ATTACHMENT_MAX_COUNT:
        raise _invalid(
            _("a suggestion may have at most %(n)d attachments: remove one first.")
            % {"n": settings.RENDA_ATTACHMENT_MAX_COUNT}
        )
    if not filetypes.content_matches(upload, expected):
        raise _invalid(
            _("the content of “%(name)s” is not a %(kind)s file, as its name says.")
            % {"name": name, "kind": KIND_LABELS[expected]}
        )
    return name, expected


@transaction.atomic
def add_attachment(
    suggestion: Suggestion | int, upload: Any, *, by: Any, oversized: bool = False
) -> Attachment:
    """The lead deputy attaches a file (PDF, Word, Excel, JPEG, PNG) to a draft or a submitted
    suggestion not yet registered. `oversized`: the upload was dropped for passing the size limit
    (uploads.LimitedUploadHandler)."""
    suggestion = lock(suggestion)
    require(
        is_lead_deputy(by, suggestion), _("Only the lead deputy may attach files to a suggestion.")
    )
    require_state(suggestion, *EDITABLE_STATES)
    name, content_type = _check(suggestion, upload, oversized=oversized)
    attachment = Attachment(
        suggestion=suggestion,
        name=name,
        content_type=content_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=by,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
        record_event(
            suggestion,
            "suggestion.attachment_added",
            by=by,
            data={
                "attachment": attachment.pk,
                "name": name,
                "size": attachment.size,
                "content_type": content_type,
                "sha256": attachment.sha256,
            },
        )
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by: Any) -> None:
    """The lead deputy removes an attachment (same states as adding); the stored file is deleted
    after the transaction commits."""
    suggestion = lock(attachment.suggestion_id)
    require(
        is_lead_deputy(by, suggestion), _("Only the lead deputy may remove a suggestion's files.")
    )
    require_state(suggestion, *EDITABLE_STATES)
    attachment = Attachment.objects.select_for_update().filter(pk=attachment.pk).first()
    if attachment is None:  # removed a moment ago by another request
        raise NotFound(_("This attachment no longer exists."))
    storage, stored_name = attachment.file.storage, attachment.file.name
    record_event(
        suggestion,
        "suggestion.attachment_removed",
        by=by,
        data={"attachment": attachment.pk, "name": attachment.name, "sha256": attachment.sha256},
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored_name))
