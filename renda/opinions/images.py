"""Photos a citizen attaches to an opinion: checked by CONTENT (Pillow decodes the pixels; the
file's name and declared type are ignored) and re-encoded, so no script, no trailing payload and
no metadata — EXIF with its GPS location, XMP, ICC, text chunks — rides along. Limits (count,
bytes, pixels) are settings: RENDA_OPINION_IMAGE_MAX_COUNT, _MAX_BYTES, _MAX_PIXELS."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from renda.errors import InvalidInput

# Formats accepted as they are decoded (not as they are named); what each is written back as.
ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "JPEG", "GIF": "PNG", "BMP": "PNG"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
MAX_SIDE = 2560  # larger photos are scaled down: enough to read a sign, not megabytes each


@dataclass(frozen=True)
class CleanImage:
    """A photo re-encoded from its decoded pixels alone."""

    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return "jpg" if self.content_type == "image/jpeg" else "png"


def max_count() -> int:
    return int(settings.RENDA_OPINION_IMAGE_MAX_COUNT)


def max_bytes() -> int:
    return int(settings.RENDA_OPINION_IMAGE_MAX_BYTES)


def _refuse(name: str, why: str) -> InvalidInput:
    return InvalidInput(_("Photo %(name)s: %(why)s") % {"name": name, "why": why}, code="image")


def clean_image(stream: IO[bytes], name: str = "") -> CleanImage:
    """Decode `stream` as an image and write it again: JPEG stays JPEG (quality 85), everything
    else becomes PNG. EXIF orientation is applied to the pixels first, then every piece of
    metadata is left behind (the new file is made from pixels only)."""
    label = (name or _("(no name)"))[:80]
    limit = max_bytes()
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise _refuse(label, _("larger than %(mb).1f MB.") % {"mb": limit / 1048576})
    if not raw:
        raise _refuse(label, _("the file is empty."))
    pixels_limit = int(settings.RENDA_OPINION_IMAGE_MAX_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                kind = probe.format or ""
                if kind not in ACCEPTED:
                    raise _refuse(label, _("only JPEG, PNG, WebP, GIF or BMP photos are taken."))
                if probe.width * probe.height > pixels_limit:
                    raise _refuse(label, _("the picture has too many pixels."))
                probe.load()  # decodes every pixel: a truncated or forged file fails here
                picture: Any = ImageOps.exif_transpose(probe) or probe
                picture.load()
    except InvalidInput:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise _refuse(label, _("this is not a picture we can read.")) from None
    target = ACCEPTED[kind]
    if target == "JPEG":
        picture = picture.convert("RGB")
    elif picture.mode not in ("RGB", "RGBA", "L", "LA"):
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    if max(picture.size) > MAX_SIDE:
        picture.thumbnail((MAX_SIDE, MAX_SIDE))
    # A fresh image from the pixels alone: nothing of the original's info (EXIF, XMP, ICC,
    # PNG text chunks, comments) is carried over.
    fresh = Image.new(picture.mode, picture.size)
    fresh.paste(picture)
    out = io.BytesIO()
    if target == "JPEG":
        fresh.save(out, format="JPEG", quality=85, optimize=True)
    else:
        fresh.save(out, format="PNG", optimize=True)
    return CleanImage(out.getvalue(), CONTENT_TYPES[target], fresh.width, fresh.height)
