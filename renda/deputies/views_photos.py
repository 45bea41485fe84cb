"""The office's photo page of a deputy: upload (checked, re-encoded, EXIF stripped — see
photos.py) or remove, and the office's own view of the stored photo. The public profile shows
the photo only while it is published (DEP-PUBLIC, views_public.photo). Thin: the objects through
permissions.py (404 for missing and forbidden alike), the writes through actions/photos.py."""

from __future__ import annotations

import filetype
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from renda.errors import DomainError

from .actions.photos import remove_photo, set_photo
from .permissions import can_manage_deputies, get_managed_deputyship, public_fields_of
from .photos import PHOTO_BOX, max_bytes
from .views_public import PHOTO_TYPES


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=gettext_lazy("Photo (JPEG, PNG or WebP)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


def _managed(request: HttpRequest, pk: int):  # noqa: ANN202 - a Deputyship
    deputyship = get_managed_deputyship(request.user, pk)
    if not can_manage_deputies(request.user, deputyship.congress_id):
        raise Http404
    return deputyship


@login_required
def deputy_photo(request: HttpRequest, pk: int) -> HttpResponse:
    deputyship = _managed(request, pk)
    form = PhotoForm()
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                remove_photo(deputyship, by=request.user)
                messages.success(request, _("The photo was removed."))
                return redirect("deputies:deputy_photo", pk=deputyship.pk)
            form = PhotoForm(request.POST, request.FILES)
            if form.is_valid():
                set_photo(deputyship, form.cleaned_data["photo"], by=request.user)
                messages.success(request, _("The photo was saved."))
                return redirect("deputies:deputy_photo", pk=deputyship.pk)
        except DomainError as exc:
            form.add_error("photo" if "photo" in form.fields else None, exc.detail)
        status = 422
    deputyship.person.refresh_from_db(fields=["photo"])
    return render(
        request,
        "deputies/registry/photo.html",
        {
            "d": deputyship,
            "form": form,
            "has_photo": bool(deputyship.person.photo),
            "published": "photo" in public_fields_of(deputyship),
            "max_mb": f"{max_bytes() / 1024 / 1024:g}",
            "box": PHOTO_BOX,
        },
        status=status,
    )


@login_required
@require_GET
def deputy_photo_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored photo, for the office (published or not)."""
    person = _managed(request, pk).person
    if not person.photo:
        raise Http404
    try:
        fh = person.photo.open("rb")
    except OSError:
        raise Http404 from None
    kind = filetype.guess(fh.read(262))
    fh.seek(0)
    if kind is None or kind.mime not in PHOTO_TYPES:  # photos stored before uploads were re-encoded
        fh.close()
        raise Http404
    response = FileResponse(fh, content_type=kind.mime)
    response["Cache-Control"] = "private, no-cache"
    return response
