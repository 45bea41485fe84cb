"""The demo's public part of the deputies' work: the city's deputies in the registry (where the
registry's own demo left them out), a spread of duty records so the coverage dashboard has
something to show, a published deputy-work plan, a few citizens' messages for the `deputy`
login, standing-committee members' fixed contacts (some below the target of 5), and one deputy
flagged under DEP-TERMINATE (absent without leave from two past sessions).

Idempotent: rows are found by natural keys (a person by account, a deputyship by term, a duty
by its `source_ref`, an activity by session and title, a plan by year) and only what is
missing is made; state changes go through the actions (audited, deputies told — in the demo's
inbox-only mode).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from renda.accounts.models import RoleAssignment, User
from renda.deputies import tallies
from renda.deputies.actions.public import (
    add_contact_link,
    create_plan,
    leave_message,
    mark_message_read,
    publish_plan,
)
from renda.deputies.models import (
    DEFAULT_PUBLIC_FIELDS,
    Activity,
    Attendance,
    CitizenMessage,
    ContactLink,
    Delegation,
    Deputyship,
    DutyRecord,
    Person,
    WorkPlan,
)
from renda.orgs.models import Congress, Session, StandingCommitteeMembership, Term

from .dataset import CITY

DELEGATIONS = ("鹿城代表团", "龙湾代表团", "瓯海代表团", "市直代表团")
FLAGGED = "wz_dep_050"  # absent without leave from sessions 3 and 4
MESSAGES = (
    ("小区门口的路灯坏了三个月了，晚上出行很不方便，请代表帮忙反映。", "王秀兰", "13800009001"),
    ("建议在学校周边增设早晚高峰临时停车点，缓解接送孩子时的拥堵。", "", ""),
    ("老旧小区加装电梯的补助政策能否再延长一年？", "陈先生", ""),
)
PLAN_BODY = """一、加强代表学习培训。全年举办代表履职培训班两期，新任代表全员参训。
二、组织代表向选民述职。每位代表本届内至少向原选区选民述职一次。
三、密切代表同人民群众的联系。代表每季度至少进站接待群众一次，推行“代表码”收集群众意见。
四、常委会组成人员联系基层代表。每位组成人员固定联系5名基层代表，每年至少走访一次。
五、做好代表建议办理工作，提高办理质量和代表满意度。"""


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _registry(city: Congress, term: Term, users: dict[str, User]) -> dict[str, Deputyship]:
    """Every city deputy (by role) with a Person and a deputyship in the term, created only
    where missing (the registry's demo may have made them already)."""
    deputy_ids = set(
        RoleAssignment.objects.filter(role="deputy", congress=city).values_list(
            "user_id", flat=True
        )
    )
    by_id = {u.pk: u for u in users.values() if u.pk in deputy_ids}
    have = {p.user_id: p for p in Person.objects.filter(user_id__in=deputy_ids)}
    Person.objects.bulk_create(
        [
            Person(user=u, name=(u.full_name or u.username)[:50])
            for pk, u in by_id.items()
            if pk not in have
        ]
    )
    people = {p.user_id: p for p in Person.objects.filter(user_id__in=deputy_ids)}
    seated = set(
        Deputyship.objects.filter(term=term, person__user_id__in=deputy_ids).values_list(
            "person__user_id", flat=True
        )
    )
    delegations = [
        Delegation.objects.get_or_create(congress=city, term=term, name=name)[0]
        for name in DELEGATIONS
    ]
    new = []
    for i, pk in enumerate(sorted(deputy_ids - seated)):
        new.append(
            Deputyship(
                person=people[pk],
                congress=city,
                term=term,
                electoral_unit=delegations[i % len(delegations)].name.removesuffix("代表团"),
                delegation=delegations[i % len(delegations)],
                status_since=term.start_date,
                public_fields=list(DEFAULT_PUBLIC_FIELDS),
            )
        )
    Deputyship.objects.bulk_create(new)
    rows = Deputyship.objects.filter(term=term, person__user_id__in=deputy_ids).select_related(
        "person__user"
    )
    return {d.person.user.username: d for d in rows}


def _duties(deputies: dict[str, Deputyship], today: date) -> int:
    """A spread of this term's duties: most trained, fewer reported back, fewer sat in."""
    wanted = []
    names = sorted(deputies)
    for i, username in enumerate(names):
        d = deputies[username]
        plan = []
        if i % 10 < 7:
            plan.append(("training", 200 + i % 60, "代表履职学习培训班"))
        if i % 10 < 4:
            plan.append(("report_back", 100 + i % 90, "向原选区选民述职"))
        if i % 4 == 0:
            plan.append(("sc_sitting", 60 + i % 45, "列席市人大常委会会议"))
        if i % 3 == 0:
            plan.append(("reception", 20 + i % 30, "进站接待群众"))
        if username == "deputy":
            plan = [
                ("training", 40, "代表履职学习培训班"),
                ("inspection", 25, "视察城市内涝治理工作"),
                ("reception", 12, "进站接待群众"),
            ]
        for kind, days, title in plan:
            on = today - timedelta(days=days)
            wanted.append(
                DutyRecord(
                    deputyship=d,
                    kind=kind,
                    occurred_on=on,
                    year=on.year,
                    title=title,
                    source="manual",
                    source_ref=f"demo:{kind}",
                )
            )
    have = set(
        DutyRecord.objects.filter(source_ref__startswith="demo:").values_list(
            "deputyship_id", "source_ref"
        )
    )
    missing = [r for r in wanted if (r.deputyship_id, r.source_ref) not in have]
    DutyRecord.objects.bulk_create(missing)
    tallies.rebuild({r.deputyship_id for r in missing})
    return len(missing)


def _plan(city: Congress, office: User, today: date) -> int:
    if WorkPlan.objects.filter(congress=city, year=today.year).exists():
        return 0
    plan = create_plan(
        city,
        year=today.year,
        title=f"温州市人大常委会{today.year}年度代表工作计划",
        body=PLAN_BODY,
        adopted_on=max(date(today.year, 1, 1), today - timedelta(days=30)),
        by=office,
    )
    publish_plan(plan, by=office)
    return 1


def _messages(deputy: Deputyship) -> int:
    if CitizenMessage.objects.filter(deputyship=deputy).exists():
        return 0
    made = [leave_message(deputy, text=t, name=n, phone=p) for t, n, p in MESSAGES]
    mark_message_read(made[-1], by=deputy.person.user)
    return len(made)


def _contacts(
    term: Term, deputies: dict[str, Deputyship], office: User, users: dict[str, User]
) -> int:
    """Fixed contacts: the first members reach 5; the last (sc35) and a few have fewer."""
    members = list(
        StandingCommitteeMembership.objects.filter(term=term).select_related("user").order_by("pk")
    )
    pool = [
        d
        for name, d in sorted(deputies.items())
        if d.status == "active" and name not in {m.user.username for m in members}
    ]
    made = 0
    for i, member in enumerate(members):
        if ContactLink.objects.filter(member=member).exists():
            continue
        want = 3 if i == len(members) - 1 else (5 if i % 6 else 2)
        for j in range(want):
            d = pool[(i * 5 + j) % len(pool)]
            if not ContactLink.objects.filter(member=member, deputyship=d).exists():
                add_contact_link(member, d, by=office)
                made += 1
    return made


def _flag(city: Congress, term: Term, deputies: dict[str, Deputyship], office: User) -> int:
    """DEP-TERMINATE: one deputy absent without leave from two past sessions (3 and 4)."""
    d = deputies.get(FLAGGED)
    if d is None:
        return 0
    made = 0
    for session in Session.objects.filter(term=term, number__in=(3, 4)).order_by("number"):
        title = f"{city.name}第{term.number}届第{session.number}次会议"
        act = Activity.objects.filter(session=session, title=title).first()
        if act is None:
            act = Activity.objects.create(
                congress=city,
                kind="session",
                title=title,
                starts_at=_at(session.start_date, 9),
                ends_at=_at(session.end_date, 17),
                checkin_opens_at=_at(session.start_date, 8),
                checkin_closes_at=_at(session.start_date, 10),
                session=session,
                organiser=office,
                state="closed",
                closed_at=_at(session.end_date, 18),
            )
        _row, created = Attendance.objects.get_or_create(
            activity=act,
            deputyship=d,
            defaults={"outcome": "absent", "confirmed_by": office, "confirmed_at": act.ends_at},
        )
        made += int(created)
    return made


def seed_deputies_public(
    users: dict[str, User], congresses: dict[str, Congress], today: date | None = None
) -> Counter[str]:
    """Create whatever part of the public demo is missing; return what was created."""
    today = today or timezone.localdate()
    created: Counter[str] = Counter()
    city = congresses[CITY.division_code]
    term = Term.objects.filter(congress=city).order_by("-number").first()
    office = users.get("affairs")
    if term is None or office is None:
        return created
    deputies = _registry(city, term, users)
    created["duty records"] += _duties(deputies, today)
    created["work plans"] += _plan(city, office, today)
    if "deputy" in deputies:
        created["citizens' messages"] += _messages(deputies["deputy"])
    created["fixed contacts"] += _contacts(term, deputies, office, users)
    created["session absences"] += _flag(city, term, deputies, office)
    return +created
