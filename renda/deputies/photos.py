"""A deputy's photo, as the office uploads it: checked by its content (Pillow decodes it; the
name and the declared type are ignored), limited in size, and never stored as sent — it is
re-encoded to JPEG, turned upright by its EXIF orientation, then written without any EXIF or
other metadata (GPS position, camera, dates) and scaled down to fit PHOTO_BOX.

The stored file is served only through a checking view (the public profile's, while the deputy
and the office publish the photo, DEP-PUBLIC; the office's own), never as a public media URL.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from renda.errors import InvalidInput

# Formats accepted as uploads (what phones and cameras make); the stored photo is always JPEG.
ACCEPTED = {"JPEG", "PNG", "WEBP"}
PHOTO_BOX = (600, 800)  # width × height at most: a portrait for the profile, ≈ 60–120 KB
MAX_PIXELS = 40_000_000  # a 40-megapixel image at most (a decompression bomb is refused)
QUALITY = 85


def max_bytes() -> int:
    return int(float(getattr(settings, "RENDA_PHOTO_MAX_MB", 5)) * 1024 * 1024)


def _refuse(text: str) -> InvalidInput:
    return InvalidInput("photo: " + text)


def process_photo(upload: Any) -> bytes:
    """The JPEG to store for an uploaded file, or InvalidInput saying what is wrong with it."""
    if upload is None:
        raise _refuse(_("choose a photo to upload."))
    size = getattr(upload, "size", None)
    if size == 0:
        raise _refuse(_("the file is empty."))
    limit = max_bytes()
    if size is not None and size > limit:
        raise _refuse(
            _("the file is larger than %(mb)s MB; a photo of a few hundred KB is enough.")
            % {"mb": f"{limit / 1024 / 1024:g}"}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(_("the file is larger than %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:g}"})
    not_an_image = _refuse(_("this file is not a JPEG, PNG or WebP image."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                probe.verify()  # the whole file is read and checked, not just its header
            if fmt not in ACCEPTED:
                raise not_an_image
            if width * height > MAX_PIXELS:
                raise _refuse(_("the image is too large (more than 40 megapixels)."))
            # verify() leaves the image unusable: open it again to decode it.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                if upright.mode not in ("RGB", "L"):
                    background = Image.new("RGB", upright.size, (255, 255, 255))
                    rgba = upright.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    upright = background
                upright = upright.convert("RGB")
                upright.thumbnail(PHOTO_BOX, Image.Resampling.LANCZOS)
                out = io.BytesIO()
                # No exif=, no icc_profile=: nothing of the original's metadata is written.
                upright.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    except InvalidInput:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise not_an_image from None
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt data
        raise _refuse(_("the image is damaged or incomplete.")) from None
    return out.getvalue()
