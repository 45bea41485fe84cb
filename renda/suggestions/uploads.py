"""Upload handling shared by the HTML form and the API: an upload larger than the attachment limit
is not stored at all (not even in a temporary file); the request remembers it, so the view can
answer with a clear 422 instead of a missing file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

OVERSIZED = "renda_oversized_uploads"


def max_attachment_bytes() -> int:
    return int(settings.RENDA_ATTACHMENT_MAX_MB * 1024 * 1024)


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes and skips the file once it passes
    RENDA_ATTACHMENT_MAX_MB. The rest of the body is read and dropped by Django's parser."""

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.limit = max_attachment_bytes()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            if self.request is not None:
                oversized = getattr(self.request, OVERSIZED, None) or []
                oversized.append(self.field_name)
                setattr(self.request, OVERSIZED, oversized)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def was_oversized(request: Any, field: str) -> bool:
    """Whether the upload in `field` was dropped for passing the size limit."""
    return field in (getattr(request, OVERSIZED, None) or [])
