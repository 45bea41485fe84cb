"""Reads for account administration: the user list, lockouts, the security policy table."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .choices import Role
from .models import RoleAssignment, SecurityPolicy, User

MAX_SEARCH_LENGTH = 100


def users_for_admin(
    *, search: str = "", role: str = "", pending_password: bool = False
) -> QuerySet[User]:
    """Accounts matching a search (username, name, email, phone) and a role, by username;
    `pending_password`: only active accounts still on their initial password."""
    qs = User.objects.order_by("username").prefetch_related(
        Prefetch(
            "roles",
            queryset=RoleAssignment.objects.select_related("congress", "unit").order_by("pk"),
        )
    )
    search = search.strip()[:MAX_SEARCH_LENGTH]
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(full_name__icontains=search)
            | Q(email__icontains=search)
            | Q(phone__icontains=search)
        )
    if role in Role.values:
        qs = qs.filter(roles__role=role).distinct()
    if pending_password:
        qs = qs.filter(must_change_password=True, is_active=True)
    return qs


def two_factor_user_ids(users: list[User]) -> set[int]:
    """Which of these people have a confirmed authenticator (one query for a page of users)."""
    return set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )


def is_locked_out(user: User) -> bool:
    """Whether sign-in for this account is paused by repeated failures (django-axes records)."""
    from axes.models import AccessAttempt

    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    failures = AccessAttempt.objects.filter(
        username=user.get_username(), attempt_time__gte=since
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return (failures or 0) >= int(settings.AXES_FAILURE_LIMIT)


def security_policy_table() -> list[dict[str, Any]]:
    """Every role with whether two-factor sign-in is required for it."""
    required = set(
        SecurityPolicy.objects.filter(require_two_factor=True).values_list("role", flat=True)
    )
    return [
        {"role": value, "label": label, "require_two_factor": value in required}
        for value, label in Role.choices
    ]
