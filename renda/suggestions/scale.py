"""`seed_scale`: a province's ten years of suggestions as synthetic benchmark data.

NOT the workflow: rows are written straight into the tables (no actions, no notifications, no
audit events), so nothing here is evidence of anything. The audit chain is untouched, so
`verify_audit` still passes. The rows are what the actions would have left behind (states,
assignments with their calendar deadlines, answers with categories and commitments, ratings,
contacts, co-unit opinions), so every page and the statistics work on them.

Streaming: suggestions are generated one batch at a time (`batch`, default 5 000) with all their
dependent rows, written and dropped; memory stays flat whatever N is. Primary keys are given
here (from the table's current maximum), so no row has to be read back; on PostgreSQL the rows
go in with COPY and the sequences are moved past them at the end. SQLite gets `executemany`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from renda.accounts.choices import Role
from renda.accounts.models import RoleAssignment, User
from renda.calendar.models import Deadline
from renda.calendar.periods import compute
from renda.calendar.table import TableCalendar
from renda.orgs.models import Congress, HandlingUnit, Session, Term
from renda.rules.profiles import profile_for

from . import scale_text as text
from .actions.submission import number_format
from .choices import (
    AssignmentState,
    ContactMethod,
    ContactStage,
    ExcludedGround,
    Kind,
    Rating,
    SponsorRole,
    State,
    UnitRole,
)
from .models import (
    Answer,
    Assignment,
    AssignmentFact,
    Commitment,
    Contact,
    CoOpinion,
    Evaluation,
    NumberCounter,
    Sponsor,
    Suggestion,
    SuggestionFact,
    Topic,
)

DEFAULT_PASSWORD = "renda-scale-2026"  # noqa: S105 - synthetic bench accounts, never production
DIVISION_CODE = "530000"
PREFIX = "scale-"
# The accounts the load script signs in with (all share the printed password).
BENCH_CLERK, BENCH_HEAD, BENCH_OFFICE, BENCH_DEPUTY = (
    "scale-clerk",
    "scale-head",
    "scale-office",
    "scale-deputy",
)


@dataclass
class Options:
    suggestions: int
    years: int = 10
    units: int = 300
    deputies: int = 5000
    seed: int = 1
    congress: str | None = None
    batch: int = 5000
    password: str = DEFAULT_PASSWORD
    today: date | None = None


@dataclass
class Result:
    congress: Congress
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    busiest_unit: HandlingUnit | None = None


# --- writing rows -----------------------------------------------------------------------------
class Sink:
    """Append rows (tuples, in `fields` order) to a model's table; COPY on PostgreSQL."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.counts: dict[str, int] = {}

    def ts(self, moment: datetime | None) -> Any:
        if moment is None or self.vendor != "sqlite":
            return moment
        return moment.replace(tzinfo=None).isoformat(" ")

    def day(self, value: date | None) -> Any:
        if value is None or self.vendor != "sqlite":
            return value
        return value.isoformat()

    def write(self, model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        cols = [model._meta.get_field(f).column for f in fields]
        qn = connection.ops.quote_name
        col_sql = ", ".join(qn(c) for c in cols)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {qn(table)} ({col_sql}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(cols))
                cursor.executemany(
                    f"INSERT INTO {qn(table)} ({col_sql}) VALUES ({marks})",  # noqa: S608 - model names
                    rows,
                )
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(rows)


class Ids:
    """The next primary key of each table, from its current maximum."""

    def __init__(self, models: Iterable[type[Model]]) -> None:
        self.next = {m: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in models}

    def take(self, model: type[Model]) -> int:
        pk = self.next[model]
        self.next[model] = pk + 1
        return pk


SEEDED = (
    User,
    RoleAssignment,
    Suggestion,
    Sponsor,
    Assignment,
    Deadline,
    Answer,
    Commitment,
    Evaluation,
    Contact,
    CoOpinion,
    SuggestionFact,
    AssignmentFact,
)


# --- the congress and its people ------------------------------------------------------------
def _congress(opts: Options) -> Congress:
    if opts.congress:
        key = opts.congress
        found = Congress.objects.filter(
            **({"pk": int(key)} if key.isdigit() and len(key) < 6 else {"division_code": key})
        ).first()
        if found is None:
            raise ValueError(f"No congress {key!r} (give an id or a division code).")
        return found
    congress, _created = Congress.objects.get_or_create(
        division_code=DIVISION_CODE,
        defaults={
            "name": "示范省人民代表大会",
            "level": "provincial",
            "region_name": "示范省",
        },
    )
    return congress


def _terms_and_sessions(congress: Congress, first_year: int, last_year: int) -> dict[int, Session]:
    """Five-year terms and one annual session (mid-January) per year; reuses what exists."""
    sessions: dict[int, Session] = {}
    for year in range(first_year, last_year + 1):
        existing = (
            Session.objects.filter(term__congress=congress, start_date__year=year)
            .select_related("term")
            .order_by("start_date")
            .first()
        )
        if existing is not None:
            sessions[year] = existing
            continue
        # Term k covers five years; session n is its n-th year.
        offset = year - first_year
        term_number = 13 + offset // 5
        term_start = date(first_year + (offset // 5) * 5, 1, 10)
        term_end = date(term_start.year + 5, 1, 9)
        term = Term.objects.filter(congress=congress, number=term_number).first()
        if term is None:
            term = Term.objects.create(
                congress=congress,
                number=term_number,
                start_date=term_start,
                end_date=term_end if term_end.year <= last_year else None,
            )
        sessions[year] = Session.objects.create(
            term=term,
            number=offset % 5 + 1,
            start_date=date(year, 1, 12),
            end_date=date(year, 1, 18),
        )
    return sessions


def _units(congress: Congress, count: int) -> list[HandlingUnit]:
    names = text.units_wanted(count)
    have = {u.name: u for u in HandlingUnit.objects.filter(congress=congress, name__in=names)}
    HandlingUnit.objects.bulk_create(
        [HandlingUnit(congress=congress, name=n) for n in names if n not in have]
    )
    by_name = {u.name: u for u in HandlingUnit.objects.filter(congress=congress, name__in=names)}
    return [by_name[n] for n in names]


def _topics(congress: Congress) -> dict[str, Topic]:
    for name in text.TOPICS:
        Topic.objects.get_or_create(congress=congress, name=name)
    return {t.name: t for t in Topic.objects.filter(congress=congress, name__in=list(text.TOPICS))}


def _people(
    congress: Congress,
    opts: Options,
    sink: Sink,
    ids: Ids,
    rng: random.Random,
    busiest: HandlingUnit,
) -> tuple[list[int], int]:
    """`deputies` deputies (scale-d00001 …) and the bench accounts; existing ones are kept.
    Returns the deputies' ids (the first is `scale-deputy`) and the office user's id."""
    password = make_password(opts.password)
    now = timezone.now()
    existing = dict(User.objects.filter(username__startswith=PREFIX).values_list("username", "pk"))
    users: list[tuple] = []
    roles: list[tuple] = []

    def person(username: str, role: str, unit: HandlingUnit | None = None) -> int:
        pk = existing.get(username)
        if pk is not None:
            return pk
        pk = ids.take(User)
        users.append(
            (
                pk,
                password,
                False,
                username,
                "",
                "",
                "",
                False,
                True,
                sink.ts(now),
                text.person_name(rng),
                f"139{rng.randrange(10**8):08d}",
                False,
            )
        )
        roles.append((ids.take(RoleAssignment), pk, role, congress.pk, unit.pk if unit else None))
        return pk

    deputies = [person(BENCH_DEPUTY, Role.DEPUTY)]
    deputies += [person(f"{PREFIX}d{i:05d}", Role.DEPUTY) for i in range(1, opts.deputies)]
    office = person(BENCH_OFFICE, Role.DEPUTY_AFFAIRS)
    person(BENCH_CLERK, Role.UNIT_CLERK, busiest)
    person(BENCH_HEAD, Role.UNIT_HEAD, busiest)
    user_fields = (
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
    for start in range(0, len(users), opts.batch):
        sink.write(User, user_fields, users[start : start + opts.batch])
    sink.write(RoleAssignment, ("id", "user", "role", "congress", "unit"), roles)
    return deputies, office


# --- the suggestions ----------------------------------------------------------------------------
# The target state of a current-year suggestion (past years: closed, some rejected).
CURRENT_MIX = (
    (State.DRAFT, 0.01),
    (State.SUBMITTED, 0.06),
    (State.REGISTERED, 0.06),
    (State.REJECTED, 0.04),
    (State.ASSIGNED, 0.22),
    (State.ANSWERED, 0.14),
    (State.EVALUATED, 0.12),
    (State.REHANDLING, 0.02),
    (State.CLOSED, 0.33),
)
PAST_MIX = ((State.REJECTED, 0.04), (State.CLOSED, 0.96))
ASSIGNED_ON = (State.ASSIGNED, State.ANSWERED, State.EVALUATED, State.CLOSED, State.REHANDLING)
ANSWERED_ON = (State.ANSWERED, State.EVALUATED, State.CLOSED, State.REHANDLING)
RATED_ON = (State.EVALUATED, State.CLOSED)


def _pick(rng: random.Random, mix: Sequence[tuple[Any, float]]) -> Any:
    r = rng.random()
    for value, weight in mix:
        r -= weight
        if r < 0:
            return value
    return mix[-1][0]


def _moment(day: date, rng: random.Random) -> datetime:
    """A working-hours moment (UTC) on `day` (08:30–17:30 Beijing time)."""
    seconds = rng.randrange(30 * 60, 9 * 3600 + 30 * 60)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


class Generator:
    """Writes one batch of suggestions with everything that hangs off them."""

    SUGGESTION_FIELDS = (
        "id",
        "congress",
        "kind",
        "state",
        "title",
        "body",
        "topic",
        "lead_deputy",
        "session",
        "year",
        "sequence",
        "number",
        "is_complex",
        "public",
        "not_public_reason",
        "rejection_ground",
        "rejection_explanation",
        "deputy_notified_at",
        "created_at",
        "updated_at",
        "submitted_at",
        "registered_at",
        "registered_by",
        "closed_at",
    )
    SPONSOR_FIELDS = ("id", "suggestion", "deputy", "role", "invited_at", "confirmed_at")
    ASSIGNMENT_FIELDS = (
        "id",
        "suggestion",
        "unit",
        "role",
        "state",
        "assigned_on",
        "assigned_by",
        "answer_deadline",
        "return_deadline",
        "co_opinion_deadline",
        "overdue_since",
        "signed_off_by",
        "signed_off_at",
        "suggestion_state",
        "suggestion_year",
        "suggestion_sequence",
        "due",
    )
    DEADLINE_FIELDS = (
        "id",
        "owner_type",
        "owner_id",
        "purpose",
        "start",
        "kind",
        "amount",
        "due",
        "provisional",
        "rules",
        "created_at",
        "updated_at",
    )
    ANSWER_FIELDS = (
        "id",
        "assignment",
        "round",
        "category",
        "text",
        "plan",
        "planned_date",
        "reason",
        "sent_by",
        "sent_at",
        "late",
        "public",
        "not_public_reason",
        "feedback_deadline",
    )
    COMMITMENT_FIELDS = ("id", "answer", "text", "due", "met_at", "met_by", "evidence")
    EVALUATION_FIELDS = ("id", "answer", "rating", "comment", "rated_by", "rated_at")
    CONTACT_FIELDS = (
        "id",
        "assignment",
        "stage",
        "method",
        "happened_on",
        "note",
        "recorded_by",
        "recorded_at",
    )
    OPINION_FIELDS = ("id", "assignment", "text", "sent_by", "sent_at", "late")

    def __init__(
        self,
        *,
        congress: Congress,
        sink: Sink,
        ids: Ids,
        rng: random.Random,
        today: date,
        units: list[HandlingUnit],
        topics: dict[str, Topic],
        deputies: list[int],
        office: int,
        clerk_of: dict[int, int],
    ) -> None:
        self.congress, self.sink, self.ids, self.rng, self.today = (
            congress,
            sink,
            ids,
            rng,
            today,
        )
        self.deputies, self.office, self.clerk_of = deputies, office, clerk_of
        self.profile = profile_for(congress)
        self.province = congress.region_name or "本省"
        self.topic_names = list(topics)
        self.topic_ids = {name: t.pk for name, t in topics.items()}
        by_name = {u.name: u.pk for u in units}
        self.unit_name = {u.pk: u.name for u in units}
        self.all_units = [u.pk for u in units]
        # Each topic's usual departments lead most of its suggestions; the first one (e.g. the
        # transport department) is the busiest. City bodies take the rest.
        self.topic_units = {
            name: [by_name[d] for d in departments if d in by_name] or self.all_units
            for name, (_subjects, departments) in text.TOPICS.items()
        }
        self.by_name = by_name
        # City bureaus by topic: (unit id, city) — they lead some of their topic's suggestions.
        self.city_units: dict[str, list[tuple[int, str]]] = {}
        for city in text.CITIES:
            for bureau, topic in text.BUREAU_TOPICS.items():
                pk = by_name.get(f"{city}市{bureau}")
                if pk is not None:
                    self.city_units.setdefault(topic, []).append((pk, f"{city}市"))
        ct = ContentType.objects.get_for_model
        self.ct_assignment, self.ct_answer = ct(Assignment).pk, ct(Answer).pk
        self.calendar = TableCalendar()
        self.rows: dict[type[Model], list[tuple]] = {}

    @lru_cache(maxsize=100_000)  # noqa: B019 - one generator per run
    def _due(self, kind: str, start: date, amount: int) -> tuple[date, bool, str]:
        r = compute(kind, start, amount, calendar=self.calendar)
        return r.due, r.provisional, "[" + ", ".join(f'"{x}"' for x in r.rules) + "]"

    def _deadline(self, owner_type: int, owner_id: int, purpose: str, start: date, period) -> int:  # noqa: ANN001
        due, provisional, rules = self._due(period.kind, start, period.amount)
        pk = self.ids.take(Deadline)
        now = self.sink.ts(_moment(start, self.rng))
        self.rows[Deadline].append(
            (
                pk,
                owner_type,
                owner_id,
                purpose,
                self.sink.day(start),
                period.kind,
                period.amount,
                self.sink.day(due),
                provisional,
                rules,
                now,
                now,
            )
        )
        self._last_due = due
        return pk

    def _unit_for(self, topic: str) -> int:
        rng = self.rng
        if rng.random() < 0.8:
            choices = self.topic_units[topic]
            # The first department of a topic gets half of what the topic's departments get.
            return choices[0] if rng.random() < 0.5 else rng.choice(choices)
        return rng.choice(self.all_units)

    def batch(self, items: Sequence[tuple[int, date, Session | None, int | None, str]]) -> None:
        """`items`: (year, submitted on, session or None, sequence or None, kind)."""
        self.rows = {
            m: []
            for m in (
                Suggestion,
                Sponsor,
                Assignment,
                Deadline,
                Answer,
                Commitment,
                Evaluation,
                Contact,
                CoOpinion,
            )
        }
        for item in items:
            self._one(*item)
        # Deadlines first: assignments and answers point at them (checked at commit on PG).
        for model in (
            Suggestion,
            Sponsor,
            Deadline,
            Assignment,
            Answer,
            Commitment,
            Evaluation,
            Contact,
            CoOpinion,
        ):
            fields = getattr(self, f"{model.__name__.upper()}_FIELDS", None)
            if model is CoOpinion:
                fields = self.OPINION_FIELDS
            self.sink.write(model, fields, self.rows[model])
        self.rows = {}

    def _one(
        self, year: int, day: date, session: Session | None, seq: int | None, kind: str
    ) -> None:
        rng, sink, today = self.rng, self.sink, self.today
        current = year == today.year
        state = _pick(rng, CURRENT_MIX if current else PAST_MIX)
        if kind == Kind.MOTION and state == State.DRAFT:
            state = State.SUBMITTED
        topic = rng.choice(self.topic_names)
        self._topic = topic
        # The lead unit follows the text (docs/routing.md, "A realistic synthetic archive"):
        # mostly the subject's usual department, sometimes a city bureau of the topic (the title
        # then names the city), another department of the topic, or any unit (noise).
        city = None
        roll = rng.random()
        if roll < 0.15 and self.city_units.get(topic):
            self._lead_unit, city = rng.choice(self.city_units[topic])
        title, subject = text.titled(rng, topic, kind == Kind.MOTION, self.province, city)
        if city is None:
            home = self.by_name.get(text.home_department(topic, subject))
            if roll < 0.75 and home is not None:
                self._lead_unit = home
            elif roll < 0.92:
                self._lead_unit = self._unit_for(topic)
            else:
                self._lead_unit = rng.choice(self.all_units)
        lead = rng.choice(self.deputies)
        sid = self.ids.take(Suggestion)
        submitted = _moment(day, rng)
        created = submitted - timedelta(days=rng.randrange(0, 5), minutes=rng.randrange(600))
        number, sequence, session_id = "", seq, session.pk if session else None
        if state == State.DRAFT:
            submitted, sequence, session_id = None, None, None
        else:
            fields = {
                "year": year,
                "term": session.term.number if session else "",
                "session": session.number if session else "",
                "seq": seq,
                "congress": self.congress.division_code,
            }
            number = number_format(kind, "session" if session else "year").format(**fields)
        last = submitted or created
        registered_at = registered_by = closed_at = None
        ground = explanation = ""
        reg_day = day + timedelta(days=rng.randrange(2, 10))
        if state == State.REJECTED:
            ground = rng.choice(ExcludedGround.values)
            explanation = rng.choice(text.REJECTION_EXPLANATIONS)
            last = _moment(min(reg_day, today), rng)
        elif state not in (State.DRAFT, State.SUBMITTED):
            registered_at, registered_by = _moment(min(reg_day, today), rng), self.office
            last = registered_at
        is_complex = rng.random() < 0.05
        # Sponsors: the lead (confirmed), co-signers (motions need many; some suggestions have).
        sponsors = [lead]
        if kind == Kind.MOTION:
            sponsors += rng.sample(self.deputies, min(len(self.deputies), rng.randrange(10, 16)))
        elif rng.random() < 0.15:
            sponsors += rng.sample(self.deputies, min(len(self.deputies), rng.randrange(1, 4)))
        seen: set[int] = set()
        for i, deputy in enumerate(sponsors):
            if deputy in seen:
                continue
            seen.add(deputy)
            self.rows[Sponsor].append(
                (
                    self.ids.take(Sponsor),
                    sid,
                    deputy,
                    SponsorRole.LEAD if i == 0 else SponsorRole.COSIGNER,
                    sink.ts(created),
                    None if state == State.DRAFT and i else sink.ts(created + timedelta(hours=i)),
                )
            )
        if state in ASSIGNED_ON:
            last = max(
                last,
                self._assign(
                    sid,
                    state,
                    (year, sequence if number else None),
                    title,
                    reg_day,
                    is_complex,
                    lead,
                    current,
                ),
            )
        if state == State.CLOSED:
            closed_at = last + timedelta(days=rng.randrange(1, 20))
            if closed_at.date() > today:
                closed_at = _moment(today, rng)
            last = closed_at
        self.rows[Suggestion].append(
            (
                sid,
                self.congress.pk,
                kind,
                state,
                title,
                text.body(rng, title),
                self.topic_ids[topic],
                lead,
                session_id,
                year,
                sequence if number else None,
                number,
                is_complex,
                True,
                "",
                ground,
                explanation,
                sink.ts(registered_at + timedelta(days=12)) if state in ASSIGNED_ON else None,
                sink.ts(created),
                sink.ts(min(last, _moment(today, rng))),
                sink.ts(submitted),
                sink.ts(registered_at),
                registered_by,
                sink.ts(closed_at),
            )
        )

    def _assign(
        self,
        sid: int,
        state: str,
        copies: tuple[int, int | None],
        title: str,
        reg_day: date,
        is_complex: bool,
        lead: int,
        current: bool,
    ) -> datetime:
        """Lead and co-unit assignments with their deadlines, answers, ratings, commitments,
        contacts and opinions. Returns the moment of the last thing that happened."""
        rng, sink, today, P = self.rng, self.sink, self.today, self.profile
        on = min(reg_day + timedelta(days=rng.randrange(2, 10)), today)
        topic_units: list[int] = []
        n_leads = 2 if rng.random() < 0.05 else 1
        n_cos = 0 if rng.random() < 0.65 else (1 if rng.random() < 0.75 else 2)
        # Bounded: a small registry may have fewer distinct units than leads + co-units.
        for _attempt in range(50):
            if len(topic_units) >= n_leads + n_cos:
                break
            u = self._unit_for(rng.choice(self.topic_names)) if topic_units else self._lead_unit
            if u not in topic_units:
                topic_units.append(u)
        n_leads = min(n_leads, len(topic_units))
        last = _moment(on, rng)
        for index, unit in enumerate(topic_units):
            is_lead = index < n_leads
            aid = self.ids.take(Assignment)
            clerk = self.clerk_of.get(unit, self.office)
            # SUG-RETURN window only for this year's assignments (older ones are long past it).
            ret = (
                self._deadline(self.ct_assignment, aid, "return-window", on, P.return_window)
                if current
                else None
            )
            answer_dl = co_dl = None
            a_state, overdue, signed_by, signed_at = AssignmentState.ACTIVE, None, None, None
            if is_lead:
                period = P.complex_answer_period if is_complex else P.answer_period
                answer_dl = self._deadline(self.ct_assignment, aid, "answer", on, period)
                due = current_due = self._last_due
                if state in ANSWERED_ON:
                    last = max(
                        last, self._answers(aid, unit, clerk, state, title, on, due, lead, current)
                    )
                    if state != State.REHANDLING:
                        a_state = AssignmentState.ANSWERED
                    signed_by, signed_at = clerk, _moment(min(self._answer_day, today), rng)
                    if state == State.REHANDLING:
                        answer_dl = self._deadline(
                            self.ct_assignment,
                            aid,
                            "rehandle",
                            self._rehandle_day,
                            P.rehandle_period,
                        )
                        current_due = self._last_due  # SUG-REHANDLE: the new deadline counts
                        signed_by = signed_at = None
                        if self._last_due < today:
                            overdue = self._last_due + timedelta(days=1)
                elif due < today:
                    overdue = due + timedelta(days=1)  # the deadline job would have marked it
            else:
                co_dl = self._deadline(
                    self.ct_assignment, aid, "co-opinion", on, P.co_opinion_period
                )
                due = current_due = self._last_due
                if state in ANSWERED_ON and rng.random() < 0.95:
                    sent = on + timedelta(days=rng.randrange(10, 70))
                    sent = min(sent, today)
                    self.rows[CoOpinion].append(
                        (
                            self.ids.take(CoOpinion),
                            aid,
                            f"{self.unit_name[unit]}协办意见：" + rng.choice(text.MEASURES) + "。",
                            clerk,
                            sink.ts(_moment(sent, rng)),
                            sent > due,
                        )
                    )
                    a_state = AssignmentState.ANSWERED
            self.rows[Assignment].append(
                (
                    aid,
                    sid,
                    unit,
                    UnitRole.LEAD if is_lead else UnitRole.CO,
                    a_state,
                    sink.day(on),
                    self.office,
                    answer_dl,
                    ret,
                    co_dl,
                    sink.day(overdue),
                    signed_by,
                    sink.ts(signed_at),
                    state,  # the suggestion's state, year and sequence, copied (Assignment)
                    *copies,
                    sink.day(current_due),  # the current due date, copied (Assignment.due)
                )
            )
            # Contacts: before handling, and after answering (办前联系、办后反馈).
            if is_lead and rng.random() < 0.6:
                self._contact(
                    aid, ContactStage.BEFORE, on + timedelta(days=rng.randrange(1, 15)), clerk
                )
            if is_lead and state in RATED_ON and rng.random() < 0.3:
                self._contact(aid, ContactStage.AFTER, self._answer_day + timedelta(days=3), clerk)
        return last

    _topic = ""
    _lead_unit = 0

    def _contact(self, aid: int, stage: str, day: date, clerk: int) -> None:
        day = min(day, self.today)
        self.rows[Contact].append(
            (
                self.ids.take(Contact),
                aid,
                stage,
                self.rng.choice(ContactMethod.values),
                self.sink.day(day),
                text.contact_note(self.rng),
                clerk,
                self.sink.ts(_moment(day, self.rng)),
            )
        )

    def _answers(
        self,
        aid: int,
        unit: int,
        clerk: int,
        state: str,
        title: str,
        on: date,
        due: date,
        lead: int,
        current: bool,
    ) -> datetime:
        rng, sink, today, P = self.rng, self.sink, self.today, self.profile
        late = rng.random() < 0.08
        day = (
            due + timedelta(days=rng.randrange(1, 25))
            if late
            else on + timedelta(days=rng.randrange(20, max(21, (due - on).days)))
        )
        day = min(day, today)
        late = day > due
        rehandled = state == State.REHANDLING or (state == State.CLOSED and rng.random() < 0.02)
        rounds = 2 if rehandled and state == State.CLOSED else 1
        last = _moment(day, rng)
        for rnd in range(1, rounds + 1):
            self._answer_day = day
            category = _pick(rng, (("A", 0.45), ("B", 0.35), ("C", 0.15), ("D", 0.05)))
            planned = day + timedelta(days=rng.randrange(60, 400))
            anid = self.ids.take(Answer)
            sent_at = _moment(day, rng)
            fb = None
            if current:
                fb = self._deadline(self.ct_answer, anid, "feedback", day, P.feedback_window)
            self.rows[Answer].append(
                (
                    anid,
                    aid,
                    rnd,
                    category,
                    text.answer(rng, self.unit_name[unit], title, category, planned),
                    "已制定工作方案，正按计划推进。" if category == "B" else "",
                    sink.day(planned) if category == "B" else None,
                    "受现有政策和财力条件限制。" if category == "C" else "",
                    clerk,
                    sink.ts(sent_at),
                    late if rnd == 1 else False,
                    True,
                    "",
                    fb,
                )
            )
            if category in ("B", "C"):
                for _ in range(1 if category == "C" else rng.randrange(1, 3)):
                    cdue = (
                        planned if category == "B" else day + timedelta(days=rng.randrange(90, 720))
                    )
                    met = cdue < today and rng.random() < 0.8
                    self.rows[Commitment].append(
                        (
                            self.ids.take(Commitment),
                            anid,
                            rng.choice(text.COMMITMENTS),
                            sink.day(cdue),
                            sink.ts(_moment(cdue, rng)) if met else None,
                            clerk if met else None,
                            "已按期完成，相关材料已存档。" if met else "",
                        )
                    )
            # Ratings (SUG-FEEDBACK): a first answer that is re-handled was rated dissatisfied.
            rated = state in RATED_ON or (rehandled and rnd == 1)
            if rated:
                if rehandled and rnd == 1:
                    rating = Rating.DISSATISFIED
                else:
                    rating = _pick(
                        rng,
                        (
                            (Rating.SATISFIED, 0.74),
                            (Rating.BASICALLY_SATISFIED, 0.2),
                            (Rating.NO_FEEDBACK, 0.06),
                        ),
                    )
                rated_day = min(day + timedelta(days=rng.randrange(3, 20)), today)
                rated_at = _moment(rated_day, rng)
                self.rows[Evaluation].append(
                    (
                        self.ids.take(Evaluation),
                        anid,
                        rating,
                        ""
                        if rating == Rating.NO_FEEDBACK
                        else "对办理情况表示认可。"
                        if rating != Rating.DISSATISFIED
                        else "答复内容不够具体，请重新办理。",
                        None if rating == Rating.NO_FEEDBACK else lead,
                        sink.ts(rated_at),
                    )
                )
                last = max(last, rated_at)
                self._rehandle_day = rated_day
                day = min(rated_day + timedelta(days=rng.randrange(10, 30)), today)
        return last


# --- the run -------------------------------------------------------------------------------------
def _year_counts(total: int, first: int, today: date) -> dict[int, int]:
    """Suggestions per year: a little growth year on year; this year only as far as it went."""
    weights = {}
    for year in range(first, today.year + 1):
        w = 1.0 + 0.03 * (year - first)
        if year == today.year:
            w *= max(0.1, (today - date(year, 1, 1)).days / 365)
        weights[year] = w
    s = sum(weights.values())
    counts = {y: int(total * w / s) for y, w in weights.items()}
    counts[today.year] += total - sum(counts.values())
    return counts


def _items_of_year(
    year: int, count: int, session: Session, today: date, rng: random.Random, counters: dict
) -> Iterable[tuple[int, date, Session | None, int | None, str]]:
    """(year, submitted on, session, sequence, kind) for each suggestion of a year, in time
    order: 85 % during the session (numbered per session), the rest after it (per year)."""
    in_session = int(count * 0.85)
    s_first, s_last = session.start_date, session.end_date
    after_first = s_last + timedelta(days=1)
    after_last = min(date(year, 12, 31), today)
    span_session = (s_last - s_first).days + 1
    span_after = max(1, (after_last - after_first).days + 1)
    for i in range(count):
        kind = Kind.MOTION if rng.random() < 0.04 else Kind.SUGGESTION
        if i < in_session and s_first <= today:
            day = s_first + timedelta(days=min(span_session - 1, i * span_session // in_session))
            key, sess = f"session:{session.pk}:{kind}", session
        else:
            j = i - in_session
            day = after_first + timedelta(days=(j * span_after) // max(1, count - in_session))
            day = min(day, today)
            key, sess = f"year:{year}:{kind}", None
        counters[key] = counters.get(key, 0) + 1
        yield year, day, sess, counters[key], kind


def seed_scale(opts: Options, progress: Callable[[str], None] = print) -> Result:
    """Create (or reuse) the congress, its units, topics, deputies and sessions, and stream
    `opts.suggestions` suggestions into it. Not the workflow: no actions, no audit events."""
    started = time.monotonic()
    today = opts.today or timezone.localdate()
    rng = random.Random(opts.seed)  # noqa: S311 - synthetic data, reproducible
    sink = Sink()
    if connection.vendor == "sqlite":
        # A bounded page cache of 256 MB for this connection: the indexes of tables with
        # millions of rows are updated at random places, and 20 MB made that disk-bound.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-262144")
    with transaction.atomic():
        congress = _congress(opts)
        first_year = today.year - opts.years + 1
        sessions = _terms_and_sessions(congress, first_year, today.year)
        units = _units(congress, opts.units)
        topics = _topics(congress)
        ids = Ids(SEEDED)
        busiest = (
            units[text.units_wanted(opts.units).index("省交通运输厅")]
            if opts.units > 30
            else units[0]
        )
        deputies, office = _people(congress, opts, sink, ids, rng, busiest)
    clerks = dict(
        RoleAssignment.objects.filter(unit__congress=congress, role=Role.UNIT_CLERK).values_list(
            "unit_id", "user_id"
        )
    )
    gen = Generator(
        congress=congress,
        sink=sink,
        ids=ids,
        rng=rng,
        today=today,
        units=units,
        topics=topics,
        deputies=deputies,
        office=office,
        clerk_of=clerks,
    )
    counters = {c.scope: c.last for c in NumberCounter.objects.filter(congress=congress)}
    done, total = 0, opts.suggestions
    last_report = time.monotonic()
    pending: list[tuple] = []

    def flush() -> None:
        nonlocal done, last_report
        with transaction.atomic():
            gen.batch(pending)
        done += len(pending)
        pending.clear()
        now = time.monotonic()
        if now - last_report > 2 or done == total:
            last_report = now
            rate = done / max(now - started, 1e-6)
            rows = sum(sink.counts.values())
            progress(
                f"{done:>9,} / {total:,} suggestions ({100 * done / max(total, 1):5.1f} %), "
                f"{rate:,.0f} suggestions/s, {rows / max(now - started, 1e-6):,.0f} rows/s"
            )

    for year, count in _year_counts(total, first_year, today).items():
        for item in _items_of_year(year, count, sessions[year], today, rng, counters):
            pending.append(item)
            if len(pending) >= opts.batch:
                flush()
    if pending:
        flush()
    with transaction.atomic():
        # Numbers never repeat: the counters continue after the seeded numbers.
        for scope, last in counters.items():
            NumberCounter.objects.update_or_create(
                congress=congress, scope=scope, defaults={"last": last}
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(SEEDED)):
                    cursor.execute(sql)
    # The statistics' fact rows (facts.py) of every suggestion, seeded or not: SQL batches.
    from .facts import rebuild_facts

    facts = rebuild_facts()
    progress(f"statistics facts: {facts[0]:,} suggestions, {facts[1]:,} assignments")
    from .counts import rebuild_counts

    progress(f"list counts: {rebuild_counts():,} rows")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in SEEDED:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Result(
        congress=congress,
        rows=dict(sink.counts),
        seconds=time.monotonic() - started,
        busiest_unit=busiest,
    )
