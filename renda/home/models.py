"""The home page's cache versions that belong to no person and no congress."""

from __future__ import annotations

from django.db import models


class SiteVersion(models.Model):
    """One row: moves when something changes that is not a congress's or a person's (the legal
    calendar, accounts): administrators' home pages are cached under it (renda.home.versions)."""

    home_version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"site version {self.home_version}"
