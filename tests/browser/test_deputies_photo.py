"""A deputy's photo in a real browser: the office uploads a phone photo (EXIF and all) on the
deputy's photo page, a fake image is refused with a clear message, and the public profile shows
the photo only once it is published (DEP-PUBLIC)."""

from __future__ import annotations

import pytest

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_uploads_a_photo_shown_on_the_profile_once_published(
    page, watch, world, tmp_path, settings
):
    from renda.deputies.models import Deputyship, Person
    from renda.deputies.tests.test_photos import image_bytes

    settings.MEDIA_ROOT = str(tmp_path / "media")
    d = Deputyship.objects.get(person__user=world["deputy"])
    d.public_fields = [f for f in d.public_fields if f != "photo"]
    d.save()
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"this is not an image")
    real = tmp_path / "IMG_0001.jpg"
    real.write_bytes(image_bytes())

    sign_in(page, "affairs")
    page.goto(f"/deputies/{d.pk}/")
    page.locator("[data-testid=photo-link]").click()
    page.wait_for_url(f"**/deputies/{d.pk}/photo/")
    assert page.locator("[data-testid=no-photo]").is_visible()
    watch.allowed_statuses.add(422)  # the refused upload answers 422, as designed
    page.locator("input[name=photo]").set_input_files(str(fake))
    page.locator("[data-testid=photo-submit]").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .alert-danger").first.is_visible()
    assert not Person.objects.get(pk=d.person_id).photo
    page.locator("input[name=photo]").set_input_files(str(real))
    page.locator("[data-testid=photo-submit]").click()
    page.wait_for_url(f"**/deputies/{d.pk}/photo/")
    img = page.locator("[data-testid=current-photo]")
    assert img.is_visible()
    assert page.evaluate("(el) => el.naturalWidth", img.element_handle()) <= 600
    assert page.locator("[data-testid=photo-unpublished]").is_visible()
    assert_accessible(page)
    screenshot(page, "deputy-photo-phone")

    profile = f"/d/{d.public_code}/"
    page.goto(profile)
    assert page.locator("[data-testid=deputy-photo]").count() == 0
    d.public_fields = [*d.public_fields, "photo"]
    d.save()
    page.goto(profile)
    shown = page.locator("[data-testid=deputy-photo]")
    assert shown.is_visible()
    assert page.evaluate("(el) => el.naturalWidth", shown.element_handle()) > 0
    screenshot(page, "deputy-photo-profile-phone")
