"""The deputy code (代表码): a QR code of the deputy's public profile address, made on the server
with segno (nothing is sent to an outside QR service). SVG for the screen; PNG for print, with
the deputy's name under the code (drawn with Pillow in a CJK font found on the machine)."""

from __future__ import annotations

import io
import os
from functools import cache
from pathlib import Path

import segno
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

# Fonts that draw Chinese, in the order tried; RENDA_CJK_FONT names another one.
CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
)


def qr_for(url: str) -> segno.QRCode:
    # Error level M survives a scuffed print; a profile address fits in a small version.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, title: str = "") -> bytes:
    out = io.BytesIO()
    qr_for(url).save(
        out, kind="svg", scale=8, border=4, xmldecl=False, title=title or None, nl=False
    )
    return out.getvalue()


@cache
def cjk_font_path() -> str | None:
    wanted = getattr(settings, "RENDA_CJK_FONT", "") or os.environ.get("RENDA_CJK_FONT", "")
    for path in (wanted, *CJK_FONTS):
        if path and Path(path).is_file():
            return path
    return None


def qr_png(url: str, *, caption: str, scale: int = 12) -> bytes:
    """The code as a PNG for print, with `caption` (the deputy's name) centred under it. With no
    CJK font on the machine the caption is left out rather than drawn as empty boxes."""
    raw = io.BytesIO()
    qr_for(url).save(raw, kind="png", scale=scale, border=4)
    raw.seek(0)
    code = Image.open(raw).convert("L")
    font_path = cjk_font_path()
    if not caption or font_path is None:
        out = io.BytesIO()
        code.save(out, format="PNG", optimize=True)
        return out.getvalue()
    size = max(24, code.width // 10)
    font = ImageFont.truetype(font_path, size=size)
    draw = ImageDraw.Draw(code)
    left, top, right, bottom = draw.textbbox((0, 0), caption, font=font)
    text_w, text_h = right - left, bottom - top
    while text_w > code.width - 2 * scale and size > 12:  # a long name: smaller type
        size -= 2
        font = ImageFont.truetype(font_path, size=size)
        left, top, right, bottom = draw.textbbox((0, 0), caption, font=font)
        text_w, text_h = right - left, bottom - top
    # Under the code's quiet zone (4 modules, kept whole so the code scans), then a margin.
    pad = scale * 3
    sheet = Image.new("L", (code.width, code.height + text_h + pad), 255)
    sheet.paste(code, (0, 0))
    ImageDraw.Draw(sheet).text(
        ((code.width - text_w) // 2 - left, code.height - top),
        caption,
        font=font,
        fill=0,
    )
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()
