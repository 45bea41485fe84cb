"""Demo performance points (DEP-SCORE): the city's deputies get a year and a half of duty
records, the city its default score table, and last year's and this year's scores computed.

Idempotent and independent of the other deputies parts: a demo deputy who holds the deputy
role but has no deputyship yet gets one (as migration 0002 does for existing roles); a
deputyship that already has the demo's records for a year gets none again (`source_ref`
"demo:<year>:…"); the demo suggestions' duty records are filled in through the same call the
suggestion actions make (`record_platform_duty`, `suggestion:<id>`, so never twice); and a
year is recomputed only when it gained records or was never computed.

The demo login `deputy` (林志远) has a full record last year and, this year, no training and no
reporting back to voters yet: the portrait has something to say.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.utils import timezone

from renda.accounts.models import RoleAssignment, User
from renda.deputies import tallies
from renda.deputies.actions.duties import record_platform_duty
from renda.deputies.actions.scoring import ensure_rule_table, recompute_scores
from renda.deputies.models import (
    DEFAULT_PUBLIC_FIELDS,
    Deputyship,
    DutyRecord,
    Person,
    ScoreRuleTable,
    YearScoring,
)
from renda.orgs.models import Congress, Term
from renda.suggestions.models import Suggestion

DEMO_REF = "demo"
ELECTORAL_UNITS = ("鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市", "永嘉县", "平阳县")

# The `deputy` login's year, by kind (this year: no training, no reporting back yet).
LOGIN_YEARS = {
    "last": {
        "session": 1,
        "sc_sitting": 2,
        "inspection": 3,
        "reception": 3,
        "training": 2,
        "report_back": 1,
        "group_activity": 4,
        "other": 1,
    },
    "this": {
        "session": 1,
        "sc_sitting": 1,
        "inspection": 2,
        "reception": 1,
        "group_activity": 2,
        "leave": 1,
    },
}
TITLES = {
    "session": "出席市人民代表大会会议",
    "sc_sitting": "列席市人大常委会会议",
    "inspection": "参加执法检查和专题调研",
    "reception": "进代表联络站接待选民",
    "training": "参加代表履职学习培训",
    "report_back": "向原选区选民述职",
    "group_activity": "参加代表小组活动",
    "motion": "领衔提出议案",
    "other": "参加其他履职活动",
    "leave": "请假未参加活动",
    "absence": "无故缺席活动",
}


def _ensure_deputyships(congresses: dict[str, Congress]) -> int:
    """Every deputy-role holder of a demo congress has a Person and a deputyship in its current
    term (created here only if the registry's own demo has not made them)."""
    created = 0
    for congress in congresses.values():
        term = Term.objects.filter(congress=congress).order_by("-number").first()
        if term is None:
            continue
        user_ids = set(
            RoleAssignment.objects.filter(role="deputy", congress=congress).values_list(
                "user_id", flat=True
            )
        )
        have = set(
            Deputyship.objects.filter(term=term, person__user_id__in=user_ids).values_list(
                "person__user_id", flat=True
            )
        )
        missing = sorted(user_ids - have)
        if not missing:
            continue
        people = {p.user_id: p for p in Person.objects.filter(user_id__in=missing)}
        new_people = [
            Person(user=u, name=(u.full_name or u.username)[:50])
            for u in User.objects.filter(pk__in=missing).exclude(pk__in=people)
        ]
        Person.objects.bulk_create(new_people)
        people.update({p.user_id: p for p in Person.objects.filter(user_id__in=missing)})
        Deputyship.objects.bulk_create(
            Deputyship(
                person=people[uid],
                congress=congress,
                term=term,
                electoral_unit=ELECTORAL_UNITS[uid % len(ELECTORAL_UNITS)]
                if congress.level == "city"
                else congress.region_name,
                status_since=term.start_date,
                public_fields=list(DEFAULT_PUBLIC_FIELDS),
            )
            for uid in missing
        )
        created += len(missing)
    return created


def _random_year(rng: random.Random) -> dict[str, int]:
    roll = rng.random()
    return {
        "session": 1 if roll < 0.9 else 0,
        "absence": 1 if roll >= 0.96 else 0,
        "leave": (1 if 0.9 <= roll < 0.96 else 0) + (1 if rng.random() < 0.15 else 0),
        "sc_sitting": rng.choice((0, 0, 1, 1, 2)),
        "inspection": rng.choice((0, 1, 1, 2, 3, 4)),
        "reception": rng.choice((0, 1, 2, 2, 3, 4)),
        "training": rng.choice((0, 1, 1, 2)),
        "report_back": 1 if rng.random() < 0.6 else 0,
        "group_activity": rng.choice((0, 1, 2, 3, 4, 5)),
        "motion": 1 if rng.random() < 0.1 else 0,
        "other": rng.choice((0, 0, 1, 2)),
    }


def _day(rng: random.Random, year: int, today: date, kind: str, session: date | None) -> date:
    if kind == "session" and session is not None:
        return session
    last = min(date(year, 12, 31), today)
    span = (last - date(year, 1, 1)).days
    return date(year, 1, 1) + timedelta(days=rng.randint(0, max(span, 0)))


def _records(
    deputyship: Deputyship,
    year: int,
    counts: dict[str, int],
    rng: random.Random,
    today: date,
    session: date | None,
) -> list[DutyRecord]:
    rows = []
    for kind, n in counts.items():
        for i in range(n):
            on = _day(rng, year, today, kind, session)
            rows.append(
                DutyRecord(
                    deputyship=deputyship,
                    kind=kind,
                    occurred_on=on,
                    year=year,
                    title=TITLES.get(kind, kind),
                    source="manual",
                    source_ref=f"{DEMO_REF}:{year}:{kind}:{i}",
                )
            )
    return rows


def _suggestion_records(congress: Congress) -> int:
    """The duty record of each submitted demo suggestion (the same call and reference the
    suggestion actions use, so a record they already made is not made twice)."""
    made = 0
    submitted = Suggestion.objects.filter(congress=congress, submitted_at__isnull=False).only(
        "pk", "lead_deputy_id", "kind", "submitted_at", "number", "title", "congress_id"
    )
    for s in submitted.order_by("pk"):
        if record_platform_duty(
            user_id=s.lead_deputy_id,
            congress_id=s.congress_id,
            kind=s.kind,
            occurred_on=timezone.localdate(s.submitted_at),
            title=f"{s.number} {s.title}",
            ref=f"suggestion:{s.pk}",
        ):
            made += 1
    return made


def seed_deputies_scoring(
    *, today: date, congresses: dict[str, Congress], city_code: str
) -> Counter[str]:
    """Deputyships where missing, the city deputies' duty records for last year and this year,
    the default score table and both years' scores. Returns what was created."""
    created: Counter[str] = Counter()
    made = _ensure_deputyships(congresses)
    if made:
        created["deputyships"] += made
    city = congresses[city_code]
    created["duty_records"] += _suggestion_records(city)
    years = (today.year - 1, today.year)
    term = city.terms.order_by("number").last()
    sessions = {s.start_date.year: s.start_date for s in term.sessions.all()} if term else {}
    demo_done = set(
        DutyRecord.objects.filter(deputyship__congress=city, source_ref__startswith=f"{DEMO_REF}:")
        .values_list("deputyship_id", "year")
        .distinct()
    )
    rows: list[DutyRecord] = []
    deputyships = Deputyship.objects.filter(congress=city).select_related("person__user")
    for d in deputyships.order_by("pk"):
        username = d.person.user.username
        for year in years:
            if (d.pk, year) in demo_done:
                continue
            rng = random.Random(f"{username}:{year}")
            if username == "deputy":
                counts = LOGIN_YEARS["this" if year == today.year else "last"]
            else:
                counts = _random_year(rng)
            session = sessions.get(year)
            if session is not None and session > today:
                session = None
            rows += _records(d, year, counts, rng, today, session)
    DutyRecord.objects.bulk_create(rows, batch_size=1000)
    tallies.rebuild({r.deputyship_id for r in rows})
    records = created.pop("duty_records", 0) + len(rows)
    if records:
        created["duty_records"] = records
    if not ScoreRuleTable.objects.filter(congress=city).exists():
        ensure_rule_table(city)
        created["score_tables"] += 1
    for year in years:
        if records or not YearScoring.objects.filter(congress=city, year=year).exists():
            recompute_scores(city, year, by=None)
            created["score_computations"] += 1
    return created
