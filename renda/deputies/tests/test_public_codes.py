"""The deputy code (代表码): a QR code of the profile's absolute address, made locally (segno);
SVG on screen, PNG with the deputy's name for print; the deputy's own and the office's."""

from __future__ import annotations

import io
from typing import Any

import pytest
import segno
from django.urls import reverse
from PIL import Image

from conftest import WORLD_USERS
from renda.deputies.codes import cjk_font_path, qr_png
from renda.deputies.tests.public_builders import delegation, deputyship_of

OWN_OR_OFFICE = {"deputy", "affairs", "admin"}


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_code_images_for_the_deputy_and_the_office(
    world: Any, client: Any, signed_in: Any, username: str | None
) -> None:
    d = deputyship_of(world, "deputy")
    c = client if username is None else signed_in(username)
    svg = c.get(reverse("deputies:code_svg", args=[d.pk]))
    png = c.get(reverse("deputies:code_png", args=[d.pk]))
    if username is None:
        assert svg.status_code == png.status_code == 302  # to sign in
    elif username in OWN_OR_OFFICE:
        assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
        assert b"<svg" in svg.content and b"<script" not in svg.content
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
        assert "attachment" in png["Content-Disposition"]
    else:
        assert svg.status_code == png.status_code == 404


def test_the_code_carries_the_profile_address(world: Any, signed_in: Any, settings: Any) -> None:
    d = deputyship_of(world, "deputy")
    html = signed_in("deputy").get(reverse("deputies:my_code")).content.decode()
    assert f"http://testserver/d/{d.public_code}/" in html
    settings.RENDA_PUBLIC_URL = "https://rd.example.gov.cn"
    html = signed_in("deputy").get(reverse("deputies:my_code")).content.decode()
    assert f"https://rd.example.gov.cn/d/{d.public_code}/" in html


def test_png_for_print_has_room_for_the_name_under_the_code(world: Any) -> None:
    url = "https://rd.example.gov.cn/d/abcdefghijkl/"
    bare = Image.open(io.BytesIO(qr_png(url, caption="")))
    named = Image.open(io.BytesIO(qr_png(url, caption="林志远")))
    assert bare.width == bare.height
    if cjk_font_path() is not None:
        assert named.height > named.width == bare.width
    # The code itself decodes to the same QR as segno's for the URL (same size in modules).
    assert bare.width == segno.make(url, error="m").symbol_size(scale=12, border=4)[0]


@pytest.mark.parametrize("username", WORLD_USERS)
def test_my_code_page_for_deputies(world: Any, signed_in: Any, username: str) -> None:
    response = signed_in(username).get(reverse("deputies:my_code"))
    if username in ("deputy", "deputy2", "sc_member"):
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="my-code"' in html and "<svg" in html
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("username", WORLD_USERS)
def test_code_sheet_for_the_office(world: Any, signed_in: Any, username: str) -> None:
    dl = delegation(world, "鹿城代表团")
    deputyship_of(world, "deputy").__class__.objects.filter(person__user=world["deputy"]).update(
        delegation=dl
    )
    c = signed_in(username)
    everyone = c.get(reverse("deputies:code_sheet"))
    one = c.get(reverse("deputies:code_sheet") + f"?delegation={dl.pk}")
    if username in ("affairs", "admin"):
        assert everyone.content.decode().count('data-testid="code-tile"') == 3
        assert one.content.decode().count('data-testid="code-tile"') == 1
    elif username == "county_affairs":
        assert everyone.status_code == 200 and one.status_code == 404
    else:
        assert everyone.status_code == one.status_code == 404
