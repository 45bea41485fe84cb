"""The demo's stations and citizens' opinions: the public pages and the tracking page have
something to show, the `station` login works at a station, and seeding twice adds nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client

from renda.opinions.choices import OpinionState
from renda.opinions.models import Opinion, Station


def test_demo_has_stations_and_opinions_in_several_states(seeded: Any) -> None:
    stations = Station.objects.filter(congress__division_code="330300")
    assert stations.count() == 3
    first = stations.get(name="五马街道人大代表联络站")
    assert first.staff.filter(username="station").exists()
    assert first.deputies.filter(person__user__username="deputy").exists()
    states = set(Opinion.objects.values_list("state", flat=True))
    assert {OpinionState.RECEIVED, OpinionState.ANSWERED, OpinionState.REOPENED} <= states
    page = Client().get(f"/stations/{first.public_code}/").content.decode()
    assert "101路末班车" in page and "13800009101" not in page and "王秀兰" not in page


def test_seeding_opinions_again_adds_nothing(seeded: Any) -> None:
    from renda.accounts.models import User
    from renda.demo.opinions import seed_opinions
    from renda.orgs.models import Congress

    users = {u.username: u for u in User.objects.all()}
    congresses = {c.division_code: c for c in Congress.objects.all()}
    assert not seed_opinions(users, congresses)
