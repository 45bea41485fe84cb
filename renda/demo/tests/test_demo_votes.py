"""The demo's meetings and ballots (issue 6 "Demo data")."""

from __future__ import annotations

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from renda.accounts.models import User
from renda.demo.votes import session_title
from renda.orgs.models import Session
from renda.votes.actions import cast_vote, open_ballot
from renda.votes.models import Meeting
from renda.votes.queries import quorum_status


def test_the_standing_committee_meets_this_month_with_all_35_on_the_roll(seeded):
    today = timezone.localdate()
    m = Meeting.objects.get(kind="sc_meeting")
    assert (m.date.year, m.date.month) == (today.year, today.month)
    q = quorum_status(m)
    assert q.members == 35 and q.met and 0 < q.present < 35 and q.leave == 2
    usernames = set(m.members.values_list("user__username", flat=True))
    assert {f"sc{i:02d}" for i in range(1, 36)} == usernames
    kinds = sorted(m.ballots.values_list("kind", "state"))
    assert kinds == [("appointment", "draft"), ("motion", "draft")]


def test_the_demo_motion_can_be_opened_and_voted_on_by_sc01(seeded):
    m = Meeting.objects.get(kind="sc_meeting")
    motion = m.ballots.get(kind="motion")
    open_ballot(motion, by=User.objects.get(username="affairs"))
    receipt = cast_vote(
        motion,
        voter=User.objects.get(username="sc01"),
        answers={motion.choices.get().pk: "yes"},
    )
    assert len(receipt) == 17


def test_sc35_signs_in_with_the_demo_password_and_sees_the_meeting(seeded):
    client = Client()
    form = {"username": "sc35", "password": settings.RENDA_DEMO_PASSWORD}
    response = client.post("/accounts/login/", form)
    assert response.status_code == 302 and response["Location"] == "/"
    assert 'data-panel="sc"' in client.get("/").content.decode()
    m = Meeting.objects.get(kind="sc_meeting")
    assert m.members.filter(user__username="sc35").exists()


def test_the_city_session_has_its_deputies_present(seeded):
    # The livelihood demo holds its own session meetings (its vote and its evaluation): the
    # city's current session is found by its title.
    session = Session.objects.filter(term__congress__division_code="330300").latest("start_date")
    m = Meeting.objects.get(kind="congress_session", title=session_title(session))
    present = set(m.members.filter(present=True).values_list("user__username", flat=True))
    assert {"deputy", "deputy2", "sc_member"} <= present
    assert quorum_status(m).present == quorum_status(m).members >= 100


def test_demo_logins_lists_the_committee_in_one_line(seeded):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "sc01" in line]
    assert len(lines) == 1 and "sc35" in lines[0] and "35" in lines[0].split("sc35")[1]
