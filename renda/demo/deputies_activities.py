"""Demo activities of the city congress (issue 4 point 3), played through the real actions on
the days they happen (renda.demo.clock): two plenary sessions and an inspection and a training
closed with their attendance, leave and duty records; a reception day at the liaison station
that has started and waits to be closed; one activity open for check-in today; two upcoming ones,
one with a leave request waiting for the office; and two duty records the office entered by hand.

The demo logins `deputy`, `deputy2` and `sc_member` take part. Where the registry has no Person
or Deputyship for them yet, minimal ones are made for these three logins only.

Idempotent: an activity whose title already exists in the city congress is skipped; a manual
record whose title the deputy already has is skipped.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from renda.accounts.models import User
from renda.deputies.actions.activities import (
    ActivityIn,
    Invitees,
    check_in,
    close_activity,
    create_activity,
    decide_leave,
    mark_attendance,
    request_leave,
)
from renda.deputies.actions.manual_duties import record_manual_duty
from renda.deputies.models import DEFAULT_PUBLIC_FIELDS, Activity, Deputyship, DutyRecord, Person
from renda.orgs.models import Congress, Session, Term

from .clock import SHANGHAI, clock_at, moment

DEPUTIES = {"deputy": "鹿城区", "deputy2": "瓯海区", "sc_member": "龙湾区"}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def ensure_deputyships(users: dict[str, User], city: Congress) -> tuple[dict[str, Any], int]:
    """The three deputy logins' deputyships in the city's current term (made if missing)."""
    term = Term.objects.filter(congress=city).order_by("-number").first()
    made = 0
    out: dict[str, Any] = {}
    for username, unit in DEPUTIES.items():
        user = users[username]
        person = Person.objects.filter(user=user).first()
        if person is None:
            person = Person.objects.create(user=user, name=user.full_name or username)
            made += 1
        deputyship = Deputyship.objects.filter(person=person, congress=city).first()
        if deputyship is None and term is not None:
            deputyship = Deputyship.objects.create(
                person=person,
                congress=city,
                term=term,
                electoral_unit=unit,
                status_since=term.start_date,
                public_fields=list(DEFAULT_PUBLIC_FIELDS),
            )
            made += 1
        out[username] = deputyship
    return out, made


class _Player:
    def __init__(self, users: dict[str, User], city: Congress, ds: dict[str, Any]) -> None:
        self.users = users
        self.city = city
        self.ds = ds
        self.taken = set(Activity.objects.filter(congress=city).values_list("title", flat=True))
        self.created: Counter[str] = Counter()

    def organise(
        self,
        title: str,
        kind: str,
        starts: datetime,
        hours: float,
        *,
        by: str = "affairs",
        place: str = "",
        on: datetime | None = None,
        session: Session | None = None,
        invite: tuple[str, ...] = tuple(DEPUTIES),
        description: str = "",
    ) -> Activity | None:
        if title in self.taken:
            return None
        with clock_at(on or starts - timedelta(days=7)):
            activity = create_activity(
                self.city,
                ActivityIn(
                    kind=kind,
                    title=title,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=hours),
                    location=place,
                    description=description,
                    session=session,
                ),
                invitees=Invitees(deputies=[self.ds[u].pk for u in invite]),
                by=self.users[by],
            )
        self.created["activities"] += 1
        return activity

    def check_in(self, activity: Activity, username: str, when: datetime) -> None:
        with clock_at(when):
            check_in(activity, code=activity.code, by=self.users[username])
        self.created["check-ins"] += 1

    def leave(
        self, activity: Activity, username: str, reason: str, when: datetime, approve: bool | None
    ) -> None:
        with clock_at(when):
            leave = request_leave(activity, reason=reason, by=self.users[username])
        self.created["leave requests"] += 1
        if approve is not None:
            with clock_at(when + timedelta(hours=3)):
                decide_leave(leave, approve=approve, by=self.users["affairs"])

    def mark(self, activity: Activity, username: str, when: datetime, by: str = "affairs") -> None:
        with clock_at(when):
            mark_attendance(activity, self.ds[username].pk, present=True, by=self.users[by])

    def close(self, activity: Activity, when: datetime, by: str = "affairs") -> None:
        with clock_at(when):
            close_activity(activity, by=self.users[by])
        self.created["activities closed"] += 1


def _sessions(city: Congress, today: date) -> list[Session]:
    """The city's last two plenary sessions that have already begun."""
    return list(
        Session.objects.filter(term__congress=city, start_date__lt=today).order_by("-start_date")[
            :2
        ]
    )


def seed_activities(*, today: date, users: dict[str, User], city: Congress) -> Counter[str]:
    """Create whatever demo activity is missing; return what was created."""
    ds, made = ensure_deputyships(users, city)
    created: Counter[str] = Counter()
    if made:
        created["deputyships"] = made
    if any(d is None for d in ds.values()):
        return created  # no term: nothing to organise in
    p = _Player(users, city, ds)

    # Plenary sessions (DEP-TERMINATE reads these outcomes): the earlier one deputy2 missed
    # without leave; the latest one deputy2 asked for leave in time.
    for n, session in enumerate(reversed(_sessions(city, today))):
        start = _at(session.start_date, 8, 30)
        title = (
            f"出席{city.region_name}第{session.term.number}届人民代表大会第{session.number}次会议"
        )
        a = p.organise(
            title,
            "session",
            start,
            8,
            place="温州市人民大会堂",
            session=session,
            on=start - timedelta(days=14),
        )
        if a is None:
            continue
        if n == 1:
            p.leave(a, "deputy2", "因公出国，无法出席本次会议。", start - timedelta(days=5), True)
        p.check_in(a, "deputy", start - timedelta(minutes=12))
        p.check_in(a, "sc_member", start - timedelta(minutes=5))
        p.close(a, start + timedelta(hours=9))

    inspection_day = today - timedelta(days=20)
    start = _at(inspection_day, 9)
    a = p.organise(
        "城市内涝治理专题视察",
        "inspection",
        start,
        3,
        place="温州市水利局三楼会议室（集合）",
        description="视察市区排涝泵站建设和老城区积水点改造，听取市水利局情况汇报。",
    )
    if a is not None:
        p.check_in(a, "deputy", start - timedelta(minutes=8))
        p.mark(a, "deputy2", start + timedelta(minutes=5))  # came without a phone
        p.close(a, start + timedelta(hours=4))

    start = _at(today - timedelta(days=45), 14)
    a = p.organise(
        "代表履职能力提升培训班",
        "training",
        start,
        3,
        place="温州市人大常委会机关二楼报告厅",
    )
    if a is not None:
        for i, username in enumerate(DEPUTIES):
            p.check_in(a, username, start - timedelta(minutes=20 - 3 * i))
        p.close(a, start + timedelta(hours=3, minutes=30))

    # Started two days ago, not yet closed: the station's staff still has to confirm it.
    start = _at(today - timedelta(days=2), 9)
    a = p.organise(
        "代表联络站进站接待选民",
        "reception",
        start,
        3,
        by="station",
        place="五马街道人大代表联络站",
        invite=("deputy", "sc_member"),
    )
    if a is not None:
        p.check_in(a, "deputy", start - timedelta(minutes=10))

    # Today, open for check-in all day: try the activity code.
    start = _at(today, 8, 30)
    p.organise(
        "代表集中视察：瓯江两岸绿道建设",
        "inspection",
        start,
        9,
        place="江心屿码头（集合）",
        on=start - timedelta(days=5),
    )

    start = _at(today + timedelta(days=3), 14, 30)
    a = p.organise(
        "代表小组活动：老旧小区改造调研",
        "group_activity",
        start,
        2,
        place="鹿城区五马街道社区服务中心",
        on=_at(today - timedelta(days=4), 10),
    )
    if a is not None:
        p.leave(a, "deputy2", "当天在省里参加培训。", _at(today - timedelta(days=1), 9), None)

    p.organise(
        "向原选区选民述职会",
        "report_back",
        _at(today + timedelta(days=10), 9, 30),
        2,
        place="鹿城区南汇街道人大工委会议室",
        invite=("deputy",),
        on=_at(today - timedelta(days=1), 15),
    )

    for username, kind, day, title, note in (
        ("deputy", "training", today - timedelta(days=60), "参加省人大代表培训班", "杭州，3天"),
        (
            "sc_member",
            "sc_sitting",
            today - timedelta(days=30),
            "列席市人大常委会会议",
            "审议城市更新条例草案",
        ),
    ):
        if DutyRecord.objects.filter(deputyship=ds[username], title=title).exists():
            continue
        if day < ds[username].term.start_date:
            continue
        with clock_at(moment(today - timedelta(days=1), 30)):
            record_manual_duty(
                ds[username],
                kind=kind,
                occurred_on=day,
                title=title,
                note=note,
                by=users["affairs"],
            )
        p.created["manual duty records"] += 1

    created.update(p.created)
    return created
