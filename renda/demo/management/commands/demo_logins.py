"""`manage.py demo_logins --url URL`: print where Renda runs and how to sign in to the demo."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from renda.accounts.models import User
from renda.demo.dataset import LOGINS


class Command(BaseCommand):
    help = "Print the URL and the demo logins (nothing about the demo in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="where Renda runs")

    def handle(self, *args: Any, url: str, **options: Any) -> None:
        self.stdout.write(f"Renda is running at {url}")
        if settings.RENDA_ENV == "production":
            return
        present = set(
            User.objects.filter(
                username__in=[login.username for login in LOGINS], is_active=True
            ).values_list("username", flat=True)
        )
        rows = [login for login in LOGINS if login.username in present]
        if not rows:
            return
        self.stdout.write(f"Demo logins (password for all: {settings.RENDA_DEMO_PASSWORD}):")
        width = max(len(login.username) for login in rows) + 2
        for login in rows:
            roles = ", ".join(
                dict.fromkeys(  # sc_member is a deputy of two congresses: "deputy" once
                    role + (f" · {unit}" if unit else "") for role, _code, unit in login.roles
                )
            )
            if login.superuser:
                roles += " (superuser)"
            self.stdout.write(f"  {login.username:<{width}}{login.full_name}\t{roles}")
        sc = list(
            User.objects.filter(username__regex=r"^sc[0-9]{2}$", is_active=True)
            .order_by("username")
            .values_list("username", flat=True)
        )
        if sc:
            # One line for the standing committee's numbered logins (issue 6).
            self.stdout.write(
                f"  {sc[0]} … {sc[-1]}  the city standing committee's {len(sc)} members"
                "\tsc_member, deputy"
            )
