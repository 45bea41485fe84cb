"""The activity QR code (代表活动码), drawn here with segno (no outside service): it holds the
absolute address of the activity's check-in page, whose last part is the activity's random code.
SVG for the organiser's screen (to project), PNG to print."""

from __future__ import annotations

import io

import segno
from django.http import HttpRequest
from django.urls import reverse

from .models import Activity


def checkin_path(activity: Activity) -> str:
    return reverse("deputies:checkin", args=[activity.code])


def checkin_url(request: HttpRequest, activity: Activity) -> str:
    """The absolute address deputies' phones open (the host the organiser's browser used, which
    ALLOWED_HOSTS vouches for; behind a proxy, RENDA_BEHIND_PROXY makes it the public one)."""
    return request.build_absolute_uri(checkin_path(activity))


def _qr(url: str) -> segno.QRCode:
    # Error correction M: readable from a projector across a room, still a small symbol.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, title: str = "") -> str:
    """An inline <svg> (no size: the page's CSS sizes it; no style attribute: CSP)."""
    return _qr(url).svg_inline(
        scale=4, border=2, omitsize=True, svgclass="qr-code", light="#fff", title=title or None
    )


def qr_png(url: str, *, scale: int = 12) -> bytes:
    out = io.BytesIO()
    _qr(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
