"""People and the roles they hold; API tokens; per-role security policy."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from renda.orgs.models import Congress, HandlingUnit

from .choices import Role


class User(AbstractUser):
    """A person who signs in. Roles are records (RoleAssignment), not fields."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    # Personal data: shown only to the person and administrators, masked everywhere else.
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Moves whenever something on this person's home page changes (renda.home.versions): part
    # of the key the rendered home page is cached under.
    home_version = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """One role a person holds, in one congress and (for unit roles) one handling unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    congress = models.ForeignKey(
        Congress, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    unit = models.ForeignKey(
        HandlingUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            # Coalesce, not nulls_distinct: SQLite has no NULLS NOT DISTINCT, and an admin
            # role (no congress, no unit) must not be stored twice on either database.
            models.UniqueConstraint(
                "user",
                "role",
                Coalesce("congress", Value(0), output_field=models.BigIntegerField()),
                Coalesce("unit", Value(0), output_field=models.BigIntegerField()),
                name="role_assignment_unique",
            ),
        ]
        indexes = [models.Index(fields=["role", "congress"])]

    def __str__(self) -> str:
        where = self.unit or self.congress or ""
        return f"{self.user} · {self.get_role_display()} · {where}"


class SecurityPolicy(models.Model):
    """Per-role sign-in policy an administrator sets: whether TOTP two-factor is required."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, unique=True)
    require_two_factor = models.BooleanField(_("require two-factor sign-in"), default=False)

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policies")

    def __str__(self) -> str:
        return self.get_role_display()


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.expires_at:%Y-%m-%d %H:%M}"
