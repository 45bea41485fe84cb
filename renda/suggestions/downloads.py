"""Sending an attachment back: always as a download, never rendered by the browser."""

from __future__ import annotations

from django.http import FileResponse

from .models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """The stored file with its detected type, as an attachment (RFC 6266; `filename*` in UTF-8,
    RFC 5987, for Chinese names), nosniff, not cached by shared caches, and a CSP that forbids
    everything should a browser open it anyway."""
    response = FileResponse(
        attachment.file.storage.open(attachment.file.name, "rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
