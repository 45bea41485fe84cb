"""The office sets or removes a deputy's photo (the registry's "photo", issue 4 point 1). The
upload is checked and re-encoded by `photos.process_photo` (content-checked, size-limited, JPEG,
EXIF stripped, scaled down); the photo is on the public profile only while published
(DEP-PUBLIC: the deputy and the office agree on "photo" among the published fields)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.errors import require

from ..models import Deputyship, Person
from ..permissions import can_manage_deputies
from ..photos import process_photo


def _drop_later(storage: Any, name: str) -> None:
    """The replaced file goes once the change is committed (a rollback keeps it in use)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def set_photo(deputyship: Deputyship, upload: Any, *, by: Any) -> Person:
    require(
        can_manage_deputies(by, deputyship.congress_id),
        _("Only the congress's deputy-affairs office sets a deputy's photo."),
    )
    jpeg = process_photo(upload)  # InvalidInput (422) before anything is written
    person = Person.objects.select_for_update().get(pk=deputyship.person_id)
    old = person.photo.name
    person.photo.save("photo.jpg", ContentFile(jpeg), save=False)
    person.save(update_fields=["photo", "updated_at"])
    _drop_later(person.photo.storage, old)
    record_event(
        person,
        "person.photo_set",
        by=by,
        data={
            "deputyship": deputyship.pk,
            "bytes": len(jpeg),
            "sha256": hashlib.sha256(jpeg).hexdigest(),
        },
    )
    return person


@transaction.atomic
def remove_photo(deputyship: Deputyship, *, by: Any) -> Person:
    require(
        can_manage_deputies(by, deputyship.congress_id),
        _("Only the congress's deputy-affairs office removes a deputy's photo."),
    )
    person = Person.objects.select_for_update().get(pk=deputyship.person_id)
    if person.photo.name:
        _drop_later(person.photo.storage, person.photo.name)
        person.photo = ""
        person.save(update_fields=["photo", "updated_at"])
        record_event(person, "person.photo_removed", by=by, data={"deputyship": deputyship.pk})
    return person
