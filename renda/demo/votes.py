"""Demo meetings and ballots (issue 6): a meeting of the city's standing committee this month
with all 35 members on the roll (most present, two on leave) and a motion and an appointment
ballot ready to open; the city congress's current session with its deputies (`deputy` and
`deputy2` among them) on the roll, all present — the livelihood ballot on it is the
livelihood app's. Through the votes actions; idempotent (looked up by title)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from renda.orgs.models import Congress, Session, StandingCommitteeMembership
from renda.votes.actions import (
    ChoiceSpec,
    create_ballot,
    create_meeting,
    mark_attendance,
    mark_present,
)
from renda.votes.models import Meeting
from renda.votes.queries import default_roll

ON_LEAVE = 2  # the last members of the roll ask for leave
ABSENT = 1  # and one more is simply not there

MOTION = "关于批准温州市2026年市级预算调整方案的决定"
APPOINTEES = (
    ChoiceSpec("王建平", detail="任命为温州市教育局局长"),
    ChoiceSpec("刘海燕", detail="任命为温州市民政局局长"),
    ChoiceSpec("赵文斌", detail="任命为温州市中级人民法院审判员"),
)


def sc_meeting_title(today: date) -> str:
    return f"温州市第十四届人大常委会{today.year}年{today.month}月会议"


def session_title(session: Session | None) -> str:
    number = session.number if session else 5
    return f"温州市第十四届人民代表大会第{number}次会议"


def seed_votes(*, today: date, users: dict[str, Any], city: Congress) -> Counter[str]:
    created: Counter[str] = Counter()
    office = users["affairs"]
    title = sc_meeting_title(today)
    if not Meeting.objects.filter(congress=city, title=title).exists():
        members = [
            m.user
            for m in StandingCommitteeMembership.objects.filter(congress=city)
            .select_related("user")
            .order_by("user__username")
        ]
        meeting = create_meeting(
            congress=city,
            kind="sc_meeting",
            title=title,
            date=today.replace(day=min(today.day, 28)),
            members=members,
            by=office,
        )
        here = members[: len(members) - ON_LEAVE - ABSENT]
        mark_present(meeting, users=here, by=office)
        for member in members[len(members) - ON_LEAVE :]:
            mark_attendance(meeting, user=member, present=False, leave=True, by=office)
        create_ballot(
            meeting=meeting,
            kind="motion",
            title=MOTION,
            choices=[ChoiceSpec(MOTION)],
            by=office,
        )
        create_ballot(
            meeting=meeting,
            kind="appointment",
            title="人事任免事项（逐人表决）",
            choices=list(APPOINTEES),
            by=office,
        )
        created["meetings"] += 1
        created["ballots"] += 2
    session = Session.objects.filter(term__congress=city).order_by("-start_date").first()
    title = session_title(session)
    if not Meeting.objects.filter(congress=city, title=title).exists():
        on = session.start_date if session else today
        roll = default_roll(city, "congress_session", on)
        meeting = create_meeting(
            congress=city,
            kind="congress_session",
            title=title,
            date=on,
            members=roll,
            by=office,
            session=session,
        )
        mark_present(meeting, users=roll, by=office)
        created["meetings"] += 1
    return created
