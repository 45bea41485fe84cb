"""--congress for the routing commands: an id or a division code; default: the only one."""

from __future__ import annotations

from django.core.management.base import CommandError

from renda.orgs.models import Congress


def congress_arg(value: str | None) -> Congress:
    if value:
        key = value.strip()
        found = Congress.objects.filter(
            **({"pk": int(key)} if key.isdigit() and len(key) < 6 else {"division_code": key})
        ).first()
        if found is None:
            raise CommandError(f"No congress {value!r} (give an id or a division code).")
        return found
    congresses = list(Congress.objects.all()[:2])
    if len(congresses) != 1:
        raise CommandError("Give --congress (an id or a division code): there is not just one.")
    return congresses[0]
