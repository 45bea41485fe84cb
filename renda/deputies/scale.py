"""`seed_scale --deputyships N`: the deputies' registry and duty records at scale (benchmark data).

NOT the workflow: rows are written straight into the tables (no actions, no notifications, no
audit events), like the suggestions' `seed_scale` (whose `Sink` and `Ids` this reuses: COPY on
PostgreSQL, `executemany` on SQLite, primary keys given here so nothing is read back). The
duty tallies (`tallies.py`) are written with the records they count, so every page reads them
as the actions would have left them.

What it makes (in a fictional province, division codes 58xxxx, so it never meets real ones):
- `congresses` congresses: the province's (580000) with `big` deputies (default 10,000 — ten
  times a real provincial congress, the stress case), the rest cities and counties sharing the
  remaining deputyships; each with a term started three years ago (1 January), an annual
  session, delegations (代表团, 20 per congress), deputy groups (代表小组, ≈ 15 members each,
  a leader each) and a deputy role per deputy;
- a person and an account per deputyship, with a realistic Chinese name, a valid GB 11643
  ID-card number (address code of the congress's region, real birth date, order code whose
  parity gives the gender, MOD 11-2 check character), ethnicity, party, sector, workplace;
  a few deputyships suspended or ended;
- `records` duty records spread over the deputyships and the term's years up to today, every
  kind (some deputies lack a report-back, a training or a standing-committee sitting, so the
  coverage lists are not empty), and their tallies;
- in the big congress: each year's session as a closed activity with everyone's attendance
  (a few unexcused absences: the DEP-TERMINATE list), a standing committee of 60 members with
  fixed contacts, and an office account (`scale-deputies-office`).

Streaming: deputyships are made `batch` at a time with their records and tallies, written and
dropped; memory stays flat whatever N is.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from renda.accounts.choices import Role
from renda.accounts.models import RoleAssignment, User
from renda.orgs.models import Congress, Session, StandingCommitteeMembership, Term
from renda.suggestions import scale_text as text
from renda.suggestions.scale import DEFAULT_PASSWORD, Ids, Sink

from . import tallies as tally
from .choices import DutyKind, Party, Sector
from .idcards import check_char
from .models import (
    DEFAULT_PUBLIC_FIELDS,
    Activity,
    Attendance,
    ContactLink,
    Delegation,
    DeputyGroup,
    Deputyship,
    DutyRecord,
    DutyTally,
    GroupMembership,
    Person,
)

PROVINCE_CODE = "580000"
OFFICE = "scale-deputies-office"
PREFIX = "scale-dep-"
DELEGATIONS = 20
SC_MEMBERS = 60
FLUSH_RECORDS = 20_000  # duty records held in memory at most before they are written

# (kind, weight): how often each kind of record is made.
KIND_MIX = (
    (DutyKind.RECEPTION, 18),
    (DutyKind.GROUP_ACTIVITY, 14),
    (DutyKind.INSPECTION, 12),
    (DutyKind.SUGGESTION, 12),
    (DutyKind.TRAINING, 8),
    (DutyKind.REPORT_BACK, 6),
    (DutyKind.SC_SITTING, 6),
    (DutyKind.OTHER, 8),
    (DutyKind.MOTION, 3),
    (DutyKind.LEAVE, 2),
    (DutyKind.ABSENCE, 1),
)
TITLES = {
    DutyKind.RECEPTION: ("进站接待群众", "到代表联络站接待选民", "参加“代表进站”主题活动"),
    DutyKind.GROUP_ACTIVITY: ("参加代表小组活动", "代表小组集中视察", "代表小组专题调研"),
    DutyKind.INSPECTION: ("视察城市内涝治理工作", "参加食品安全执法检查", "调研乡村振兴项目"),
    DutyKind.SUGGESTION: ("提出代表建议",),
    DutyKind.TRAINING: ("代表履职学习培训班", "参加代表履职能力专题培训"),
    DutyKind.REPORT_BACK: ("向原选区选民述职",),
    DutyKind.SC_SITTING: ("列席人大常委会会议",),
    DutyKind.OTHER: ("参加人大常委会组织的座谈会", "参加立法征求意见座谈会"),
    DutyKind.MOTION: ("联名提出议案",),
    DutyKind.LEAVE: ("请假",),
    DutyKind.ABSENCE: ("无故缺席",),
}
ETHNICITIES = ("汉族",) * 17 + ("回族", "壮族", "苗族", "彝族", "土家族", "蒙古族")
PARTY_MIX = (
    (Party.CPC, 70),
    (Party.NON_PARTY, 8),
    (Party.MASSES, 8),
    (Party.CDL, 3),
    (Party.CNDCA, 3),
    (Party.CAPD, 2),
    (Party.JIUSAN, 2),
    (Party.RCCK, 2),
    (Party.CPWDP, 2),
)
SECTOR_MIX = (
    (Sector.OFFICIAL, 30),
    (Sector.WORKER, 16),
    (Sector.FARMER, 16),
    (Sector.PROFESSIONAL, 20),
    (Sector.BUSINESS, 12),
    (Sector.MILITARY, 2),
    (Sector.OTHER, 4),
)
WORKPLACES = (
    "{place}人民医院主任医师",
    "{place}第一中学校长",
    "{place}农业技术推广中心高级农艺师",
    "{place}供电公司一线班组长",
    "{place}司法局局长",
    "{place}商贸有限公司董事长",
    "{place}街道社区党委书记",
    "{place}村党支部书记、村委会主任",
    "{place}律师事务所主任",
    "{place}科技有限公司工程师",
)
PLACES = ("东城", "西湖", "临江", "青山", "南岭", "北塘", "云溪", "石桥", "柳岸", "凤鸣")


@dataclass
class Options:
    deputyships: int = 100_000
    records: int = 5_000_000
    big: int = 10_000
    congresses: int = 31
    seed: int = 1
    batch: int = 5000
    password: str = DEFAULT_PASSWORD
    today: date | None = None


@dataclass
class Result:
    big: Congress | None = None
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _weighted(mix: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [k for k, _ in mix], [w for _, w in mix]


def id_number(rng: random.Random, region: str, used: set[str]) -> tuple[str, date, str]:
    """A valid GB 11643 number (region code, birth date, order code, check character), unique
    among `used`; with the birth date and the gender it encodes."""
    while True:
        born = date(1956, 1, 1) + timedelta(days=rng.randrange(365 * 42))
        order = rng.randrange(1, 1000)
        first17 = f"{region}{born:%Y%m%d}{order:03d}"
        number = first17 + check_char(first17)
        if number not in used:
            used.add(number)
            return number, born, "male" if order % 2 else "female"


def _congresses(opts: Options, start: date) -> list[tuple[Congress, Term, list[Delegation]]]:
    """The province's congress and its cities' and counties' (6 cities, the rest counties)."""
    if Congress.objects.filter(division_code=PROVINCE_CODE).exists():
        raise ValueError(
            f"The scale congresses ({PROVINCE_CODE}…) are already seeded: use a fresh database."
        )
    specs = [(PROVINCE_CODE, "试点省人民代表大会", "provincial", "试点省")]
    cities = min(6, max(0, opts.congresses - 1))
    for c in range(1, cities + 1):
        specs.append((f"58{c:02d}00", f"试点省第{c}市人民代表大会", "city", f"第{c}市"))
    county = 0
    while len(specs) < opts.congresses:
        city, n = county % max(cities, 1) + 1, county // max(cities, 1) + 1
        specs.append(
            (f"58{city:02d}{n:02d}", f"第{city}市第{n}县人民代表大会", "county", f"第{n}县")
        )
        county += 1
    made = []
    for code, name, level, region in specs:
        congress = Congress.objects.create(
            name=name, level=level, region_name=region, division_code=code
        )
        term = Term.objects.create(congress=congress, number=14, start_date=start)
        delegations = Delegation.objects.bulk_create(
            [
                Delegation(congress=congress, term=term, name=f"{PLACES[n % 10]}第{n + 1}代表团")
                for n in range(DELEGATIONS)
            ]
        )
        made.append((congress, term, delegations))
    return made


class _Writer:
    """One batch of deputyships with all their rows, written and dropped."""

    def __init__(self, opts: Options, sink: Sink, ids: Ids, rng: random.Random, today: date):
        self.opts, self.sink, self.ids, self.rng, self.today = opts, sink, ids, rng, today
        self.password = make_password(None)  # unusable: the accounts never sign in
        self.used_ids: set[str] = set()
        self.kinds, self.kind_weights = _weighted(KIND_MIX)
        self.parties, self.party_weights = _weighted(PARTY_MIX)
        self.sectors, self.sector_weights = _weighted(SECTOR_MIX)
        self.now = timezone.now()
        self.records_left = opts.records
        self.deputyships_left = opts.deputyships
        self.n = 0

    def batch(
        self, congress: Congress, term: Term, delegations: list[Delegation], lo: int, hi: int
    ) -> list[int]:
        sink, ids, rng, now = self.sink, self.ids, self.rng, self.now
        users, people, seats, roles, groups, members, records = [], [], [], [], [], [], []
        tallies: Counter[tuple[int, int, str, int]] = Counter()
        seat_ids = []
        days = (self.today - term.start_date).days
        for k in range(lo, hi):
            self.n += 1
            name = text.person_name(rng)
            number, born, gender = id_number(rng, congress.division_code[:6], self.used_ids)
            uid, pid, did = ids.take(User), ids.take(Person), ids.take(Deputyship)
            seat_ids.append(did)
            users.append(
                (uid, self.password, False, f"{PREFIX}{congress.division_code}-{k:05d}", "",
                 "", "", False, True, sink.ts(now), name, f"13{rng.randrange(10**9):09d}",
                 False)
            )  # fmt: skip
            people.append(
                (pid, uid, name, gender, rng.choice(ETHNICITIES), sink.day(born.replace(day=1)),
                 number, f"{congress.region_name}{rng.choice(PLACES)}路{rng.randrange(1, 300)}号",
                 rng.choices(self.parties, self.party_weights)[0],
                 rng.choice(WORKPLACES).format(place=rng.choice(PLACES)),
                 rng.choices(self.sectors, self.sector_weights)[0], "", sink.ts(now),
                 sink.ts(now))
            )  # fmt: skip
            status = "active"
            if k % 997 == 5:
                status = "suspended"
            elif k % 499 == 7:
                status = "ended"
            seats.append(
                (did, pid, congress.pk, term.pk, f"{rng.choice(PLACES)}选区",
                 delegations[k % len(delegations)].pk, status, None, "" if status != "ended"
                 else "resigned", "", _json(DEFAULT_PUBLIC_FIELDS), secrets.token_urlsafe(9),
                 sink.ts(now), sink.ts(now))
            )  # fmt: skip
            roles.append((ids.take(RoleAssignment), uid, Role.DEPUTY, congress.pk, None))
            # Records: an even share of what is left, so the total comes out exact.
            share = round(self.records_left / max(self.deputyships_left, 1))
            self.records_left -= share
            self.deputyships_left -= 1
            lacks = {
                DutyKind.REPORT_BACK: k % 4 == 0,
                DutyKind.TRAINING: k % 5 == 0,
                DutyKind.SC_SITTING: k % 3 == 0,
            }
            for _ in range(share):
                kind = rng.choices(self.kinds, self.kind_weights)[0]
                if lacks.get(kind):
                    kind = DutyKind.RECEPTION
                on = term.start_date + timedelta(days=rng.randrange(days + 1))
                records.append(
                    (ids.take(DutyRecord), did, kind, sink.day(on), on.year,
                     rng.choice(TITLES[kind]), "", "manual", "", None, None, sink.ts(now))
                )  # fmt: skip
                tallies[(congress.pk, did, kind, on.year)] += 1
            if len(records) >= FLUSH_RECORDS:  # at a deputy's end: its tallies are complete
                self._flush(records, tallies)
        # Deputy groups of about 15 within the batch, the first member leading.
        for g in range(0, len(seat_ids), 15):
            gid = ids.take(DeputyGroup)
            groups.append(
                (gid, congress.pk, f"{rng.choice(PLACES)}代表小组{lo + g:05d}", "deputy_group")
            )
            for j, did in enumerate(seat_ids[g : g + 15]):
                members.append((ids.take(GroupMembership), gid, did, j == 0))
        sink.write(User, USER_FIELDS, users)
        sink.write(Person, PERSON_FIELDS, people)
        sink.write(Deputyship, DEPUTYSHIP_FIELDS, seats)
        sink.write(RoleAssignment, ("id", "user", "role", "congress", "unit"), roles)
        sink.write(DeputyGroup, ("id", "congress", "name", "kind"), groups)
        sink.write(GroupMembership, ("id", "group", "deputyship", "is_leader"), members)
        self._flush(records, tallies)
        return seat_ids

    def _flush(self, records: list[tuple], tallies: Counter[tuple[int, int, str, int]]) -> None:
        """Write the records and tallies gathered so far and forget them (the foreign keys are
        checked at commit, so the deputyships of the batch may follow)."""
        self.sink.write(DutyRecord, RECORD_FIELDS, records)
        self.sink.write(
            DutyTally,
            ("id", "congress", "deputyship", "kind", "year", "n"),
            [(self.ids.take(DutyTally), c, d, kd, y, n) for (c, d, kd, y), n in tallies.items()],
        )
        records.clear()
        tallies.clear()


def _json(value: object) -> str:
    return json.dumps(value)


USER_FIELDS = (
    "id",
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "full_name",
    "phone",
    "must_change_password",
)
PERSON_FIELDS = (
    "id",
    "user",
    "name",
    "gender",
    "ethnicity",
    "birth_month",
    "id_number",
    "address",
    "party",
    "workplace",
    "sector",
    "photo",
    "created_at",
    "updated_at",
)
DEPUTYSHIP_FIELDS = (
    "id",
    "person",
    "congress",
    "term",
    "electoral_unit",
    "delegation",
    "status",
    "status_since",
    "end_ground",
    "suspend_ground",
    "public_fields",
    "public_code",
    "created_at",
    "updated_at",
)
RECORD_FIELDS = (
    "id",
    "deputyship",
    "kind",
    "occurred_on",
    "year",
    "title",
    "note",
    "source",
    "source_ref",
    "activity",
    "created_by",
    "created_at",
)
SEEDED = (
    User,
    Person,
    Deputyship,
    RoleAssignment,
    DeputyGroup,
    GroupMembership,
    DutyRecord,
    DutyTally,
    Attendance,
)


def _sessions_and_committee(
    congress: Congress, term: Term, office: User, sink: Sink, ids: Ids, today: date
) -> None:
    """The big congress: each year's session closed with everyone's attendance (a few absent
    without leave, twice for some: the DEP-TERMINATE list), and a standing committee of 60
    with fixed contacts (a quarter of them below the target)."""
    seats = list(
        Deputyship.objects.filter(congress=congress, status="active")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    for year in range(term.start_date.year, today.year + 1):
        start = date(year, 1, 12)
        if start > today:
            break
        session = Session.objects.create(
            term=term, number=year - term.start_date.year + 1, start_date=start,
            end_date=start + timedelta(days=5),
        )  # fmt: skip
        at = timezone.make_aware(datetime.combine(start, dtime(9)))
        activity = Activity.objects.create(
            congress=congress, kind=DutyKind.SESSION, title=f"第{session.number}次会议",
            starts_at=at, ends_at=at + timedelta(days=5), checkin_opens_at=at - timedelta(hours=1),
            checkin_closes_at=at + timedelta(hours=2), session=session, organiser=office,
            state="closed", closed_at=at + timedelta(days=5),
        )  # fmt: skip
        rows, records, tallies = [], [], Counter()
        for d in seats:
            absent = (d + year) % 211 == 0 or d % 1009 == 0
            aid = ids.take(Attendance)
            outcome = "absent" if absent else "attended"
            rows.append(
                (aid, activity.pk, d, True, None if absent else sink.ts(at), outcome,
                 office.pk, sink.ts(now))
            )  # fmt: skip
            kind = DutyKind.ABSENCE if absent else DutyKind.SESSION
            records.append(
                (ids.take(DutyRecord), d, kind, sink.day(start), year, activity.title, "",
                 "activity", f"attendance:{aid}", activity.pk, office.pk, sink.ts(now))
            )  # fmt: skip
            tallies[(congress.pk, d, kind, year)] += 1
        fields = (
            "id", "activity", "deputyship", "invited", "checked_in_at", "outcome",
            "confirmed_by", "confirmed_at",
        )  # fmt: skip
        for lo in range(0, len(rows), 20_000):
            sink.write(Attendance, fields, rows[lo : lo + 20_000])
            sink.write(DutyRecord, RECORD_FIELDS, records[lo : lo + 20_000])
        # Add to the tallies the batches wrote (the same keys may exist: upsert).
        tally.add_many(tallies)
    password = make_password(None)
    members = []
    for k in range(SC_MEMBERS):
        u = User.objects.create(
            username=f"{PREFIX}sc{k:02d}", password=password, full_name=f"常委会委员{k + 1}"
        )
        members.append(
            StandingCommitteeMembership.objects.create(
                congress=congress, term=term, user=u, start_date=term.start_date
            )
        )
    ContactLink.objects.bulk_create(
        [
            ContactLink(member=m, deputyship_id=seats[(i * 7 + j) % len(seats)])
            for i, m in enumerate(members)
            for j in range(3 if i % 4 == 0 else 5)
        ]
    )


def _reset_sequences() -> None:
    """PostgreSQL: move the sequences past the ids given here (SQLite needs nothing)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(SEEDED)):
                cursor.execute(sql)


def seed_deputies(opts: Options, progress: Callable[[str], None] = print) -> Result:
    """Create the congresses and stream the deputyships, records and tallies into them."""
    if opts.deputyships < opts.congresses or opts.big > opts.deputyships:
        raise ValueError("--deputyships must cover --big and one deputy per congress.")
    started = time.monotonic()
    today = opts.today or timezone.localdate()
    rng = random.Random(opts.seed)  # noqa: S311 - synthetic data, reproducible
    sink = Sink()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-262144")
    start = date(today.year - 3, 1, 1)
    with transaction.atomic():
        made = _congresses(opts, start)
        big, big_term, _ = made[0]
        office = User.objects.create(
            username=OFFICE, password=make_password(opts.password), full_name="代表工作室"
        )
        RoleAssignment.objects.create(user=office, role=Role.DEPUTY_AFFAIRS, congress=big)
    ids = Ids(SEEDED)
    writer = _Writer(opts, sink, ids, rng, today)
    rest = opts.deputyships - opts.big
    others = len(made) - 1
    sizes = [opts.big] + [rest // others + (1 if i < rest % others else 0) for i in range(others)]
    last = time.monotonic()
    for (congress, term, delegations), size in zip(made, sizes, strict=True):
        for lo in range(0, size, opts.batch):
            with transaction.atomic():
                writer.batch(congress, term, delegations, lo, min(size, lo + opts.batch))
            if time.monotonic() - last > 5:
                last = time.monotonic()
                rate = writer.n / max(last - started, 1e-6)
                progress(
                    f"{writer.n:>9,} / {opts.deputyships:,} deputyships, "
                    f"{sink.counts.get('DutyRecord', 0):,} duty records ({rate:,.0f} deputies/s)"
                )
    _reset_sequences()  # the committee's accounts and the tally upserts take ids from them
    with transaction.atomic():
        _sessions_and_committee(big, big_term, office, sink, ids, today)
    _reset_sequences()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM sets the visibility map the index-only scans need (autovacuum would, later).
            # (Not possible inside a transaction, e.g. a test's: ANALYZE alone then.)
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return Result(big=big, rows=dict(sink.counts), seconds=time.monotonic() - started)
