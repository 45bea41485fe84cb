"""`seed_scale --opinions N`: liaison stations and N citizens' opinions as synthetic benchmark
data (issue 5, "Benchmark").

NOT the workflow: rows are written straight into the tables (no actions, no notifications, no
audit events), so nothing here is evidence of anything. The rows are what the actions would have
left behind: stations with resident deputies and staff, weekly reception days (held, cancelled or
planned), opinions in every state with realistic Chinese texts across the category tree, their
public history (OpinionEvent), referrals to the congress's handling units with due dates by the
legal calendar (the profile's `opinion_referral_period`) and answers on or after them, ratings.

Streaming: opinions are generated one batch at a time (default 10 000) with their dependent
rows, written (COPY on PostgreSQL, executemany on SQLite) and dropped; memory stays flat
whatever N is. Primary keys are given here from each table's maximum. At the end the station
performance facts are rebuilt (stats.rebuild_opinion_facts) and the tables analysed.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from renda.accounts.choices import Role
from renda.accounts.models import RoleAssignment, User
from renda.calendar.periods import compute
from renda.calendar.table import TableCalendar
from renda.deputies.models import Deputyship
from renda.orgs.models import Congress, HandlingUnit
from renda.rules.profiles import profile_for
from renda.suggestions.scale import Ids, Sink

from .choices import (
    Channel,
    OpinionState,
    Outcome,
    Rating,
    ReceptionState,
    ReferralState,
    StationKind,
)
from .models import (
    Opinion,
    OpinionCategory,
    OpinionEvent,
    ReceptionDay,
    Referral,
    Station,
)

BENCH_STATION_STAFF = "scale-station"
DISTRICTS = ("鹿城", "龙湾", "瓯海", "洞头", "瑞安", "乐清", "永嘉", "平阳", "苍南", "文成",
             "泰顺", "龙港")  # fmt: skip
STREETS = ("五马", "南汇", "松台", "滨江", "蒲鞋市", "大南", "双屿", "仰义", "七都", "藤桥",
           "状元", "永中", "海滨", "蒲州", "瑶溪", "三垟", "娄桥", "新桥", "潘桥", "郭溪",
           "丽岙", "仙岩", "梧田", "南白象", "茶山", "景山", "塘下", "飞云", "柳市",
           "虹桥")  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
PLACES = ("小区东门", "菜市场旁", "学校门口", "公交站台", "老街", "河道边", "社区卫生服务站",
          "农贸市场", "新建小区", "村口", "地铁站出口", "十字路口", "公园", "工业园区")  # fmt: skip
# Per root category: what goes wrong, and what the citizen asks for.
PROBLEMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "城乡建设": (
        (
            "路灯坏了好几个月没人修",
            "电梯经常停运",
            "外墙瓷砖脱落",
            "雨水管道堵塞，一下雨就积水",
            "违章搭建占用消防通道",
            "物业费上涨但服务没有改善",
        ),
        ("尽快安排维修", "加强监管", "公开费用明细", "组织拆除并恢复原状"),
    ),
    "交通出行": (
        (
            "早晚高峰公交车太少",
            "人行道被电动车占满",
            "红绿灯时间太短，老人过不去",
            "道路坑洼多，晚上骑车危险",
            "停车位严重不足，乱停车现象多",
        ),
        ("增开班次", "规划建设停车场", "延长绿灯时间", "尽快修补路面"),
    ),
    "教育": (
        ("孩子上学路途太远", "学校周边交通拥堵", "课后服务收费不透明", "幼儿园学位紧张"),
        ("合理调整学区", "增加公办学位", "规范收费", "加派交警疏导"),
    ),
    "医疗卫生": (
        ("社区卫生服务站药品不全", "看病排队时间太长", "医保报销手续繁琐", "缺少儿科医生"),
        ("增加常用药品", "推行网上预约", "简化报销流程", "引进儿科医生"),
    ),
    "社会保障": (
        ("老年食堂价格偏高", "养老服务中心活动少", "灵活就业人员参保不方便", "公租房申请周期长"),
        ("给予适当补贴", "丰富服务内容", "开通线上办理", "缩短审核时间"),
    ),
    "生态环境": (
        ("夜间施工噪声扰民", "河道有异味", "垃圾分类投放点太远", "餐馆油烟直排"),
        ("依法查处", "开展河道清淤", "增设投放点", "督促安装净化设备"),
    ),
    "公共安全": (
        ("小区监控有盲区", "夜间有人飙车", "消防栓损坏", "校园周边流动摊贩卫生差"),
        ("增设监控", "加强巡逻", "尽快修复", "加强食品安全检查"),
    ),
    "农业农村": (
        ("村里道路没有硬化", "农产品销路不畅", "农村生活污水直排"),
        ("纳入改造计划", "搭建销售平台", "建设污水处理设施"),
    ),
    "市场监管": (
        ("预付卡商家跑路", "菜价标签与实际不符", "网购维权难"),
        ("加强预付卡监管", "加大检查力度", "畅通投诉渠道"),
    ),
    "其他": (
        ("办事窗口中午不开放", "政务热线打不通", "政策宣传不到位"),
        ("实行错时服务", "增加接线人员", "加强宣传"),
    ),
}
IMPACTS = ("给周边居民生活带来很大不便", "已经反映过多次", "存在安全隐患", "群众意见很大")
ANSWERS = ("已安排相关部门现场查看并完成整改，感谢您的监督。",
           "经核实情况属实，已列入今年工作计划，预计年底前完成。",
           "已与相关单位沟通，近期将开展专项整治。",
           "您反映的问题涉及多个部门，已建立协调机制，将持续跟进。")  # fmt: skip
CLOSE_NOTES = ("该事项已进入诉讼程序，请通过人民法院依法解决。",
               "该事项属于信访事项，请向信访部门反映。")  # fmt: skip
# Outcome mix of triaged opinions.
OUTCOMES = (
    (Outcome.ANSWERED, 0.27),
    (Outcome.REFER, 0.45),
    (Outcome.DEPUTY, 0.10),
    (Outcome.SUGGESTION, 0.05),
    (Outcome.MERGE, 0.04),
    (Outcome.CLOSE, 0.09),
)
CHANNELS = (
    (Channel.ONLINE, 0.35),
    (Channel.STATION_CODE, 0.2),
    (Channel.DEPUTY_CODE, 0.05),
    (Channel.VISIT, 0.2),
    (Channel.CALL, 0.1),
    (Channel.RECEPTION, 0.1),
)
RATINGS = (
    (Rating.SATISFIED, 0.68),
    (Rating.BASICALLY_SATISFIED, 0.23),
    (Rating.DISSATISFIED, 0.09),
)

OPINION_FIELDS = (
    "id", "congress", "station", "deputy", "category", "text", "location", "channel", "name",
    "phone", "anonymous", "publish_consent", "tracking_code", "state", "outcome", "explanation",
    "follow_up_deputy", "merged_into", "suggestion", "passed_from", "rating", "rated_at",
    "reopened_at", "recorded_by", "created_at", "updated_at", "triaged_at", "answered_at",
    "closed_at",
)  # fmt: skip
REFERRAL_FIELDS = (
    "id", "opinion", "unit", "state", "referred_at", "referred_by", "deadline", "due",
    "warned_days", "overdue_since", "escalated_at", "answer", "answered_at", "answered_by", "late",
)  # fmt: skip
EVENT_FIELDS = ("id", "opinion", "kind", "at", "public_note")
SEEDED: tuple[type[Model], ...] = (
    Station,
    ReceptionDay,
    Opinion,
    Referral,
    OpinionEvent,
    User,
    RoleAssignment,
)


@dataclass
class OpinionOptions:
    opinions: int
    congress: Congress
    stations: int | None = None  # default: one per 25 000 opinions, at least 12
    years: int = 3
    batch: int = 10_000
    seed: int = 1
    today: date | None = None


@dataclass
class OpinionResult:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    facts: int = 0
    busiest_station: Station | None = None


def _pick(rng: random.Random, mix: tuple[tuple[Any, float], ...]) -> Any:
    x = rng.random()
    for value, weight in mix:
        x -= weight
        if x < 0:
            return value
    return mix[-1][0]


def _stations(opts: OpinionOptions, rng: random.Random, deputies: list[int]) -> list[Station]:
    """The congress's seeded stations (reused when present), with resident deputies."""
    wanted = opts.stations or max(12, opts.opinions // 25_000)
    existing = list(Station.objects.filter(congress=opts.congress).order_by("pk"))
    taken = {s.name for s in existing}
    new: list[Station] = []
    i = 0
    while len(existing) + len(new) < wanted:
        district = DISTRICTS[i % len(DISTRICTS)]
        street = STREETS[(i // len(DISTRICTS)) % len(STREETS)]
        round_ = i // (len(DISTRICTS) * len(STREETS))
        kind = StationKind.STATION if i % 3 else StationKind.POINT
        suffix = "代表联络站" if kind == StationKind.STATION else "代表联络点"
        number = f"第{round_ + 1}" if round_ else ""
        name = f"{district}区{street}街道{number}{suffix}"
        i += 1
        if name in taken:
            continue
        taken.add(name)
        new.append(
            Station(
                congress=opts.congress,
                name=name,
                kind=kind,
                address=f"{district}区{street}路{rng.randint(1, 300)}号",
                latitude=round(27.9 + rng.random() * 0.3, 6),
                longitude=round(120.5 + rng.random() * 0.4, 6),
                opening_hours="工作日 8:30–12:00，14:00–17:30",
                phone=f"0577-{rng.randint(55000000, 89999999)}",
            )
        )
    Station.objects.bulk_create(new, batch_size=1000)
    stations = list(Station.objects.filter(congress=opts.congress).order_by("pk"))
    through = Station.deputies.through
    links = []
    for s in stations[len(existing) :]:
        for d in rng.sample(deputies, min(len(deputies), 5)):
            links.append(through(station_id=s.pk, deputyship_id=d))
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    return stations


def _deputyships(congress: Congress, wanted: int = 400) -> None:
    """Registry entries (Person + Deputyship of the latest term) for up to `wanted` of the
    congress's deputy accounts that have none: stations need resident deputies."""
    from renda.deputies.models import Person
    from renda.orgs.models import Term

    if Deputyship.objects.filter(congress=congress).exists():
        return
    term = Term.objects.filter(congress=congress).order_by("-number").first()
    if term is None:
        return
    users = list(
        User.objects.filter(roles__role=Role.DEPUTY, roles__congress=congress, person__isnull=True)
        .order_by("pk")
        .distinct()[:wanted]
    )
    people = Person.objects.bulk_create(
        [Person(user=u, name=u.full_name or u.username, workplace="示范单位") for u in users]
    )
    Deputyship.objects.bulk_create(
        [
            Deputyship(person=p, congress=congress, term=term, electoral_unit="示范选区")
            for p in people
        ]
    )


def _staff(congress: Congress, station: Station, password: str) -> None:
    """The bench's station-staff account, staff of the busiest station."""
    from django.contrib.auth.hashers import make_password

    user, created = User.objects.get_or_create(
        username=BENCH_STATION_STAFF, defaults={"full_name": "联络站工作人员"}
    )
    if created:
        user.password = make_password(password)
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.STATION_STAFF, congress=congress)
    station.staff.add(user)


class OpinionGenerator:
    """Builds one batch of opinions and their dependent rows."""

    def __init__(
        self,
        opts: OpinionOptions,
        sink: Sink,
        ids: Ids,
        rng: random.Random,
        stations: list[Station],
        units: list[int],
        deputies: list[int],
        staff: int,
    ) -> None:
        self.opts, self.sink, self.ids, self.rng = opts, sink, ids, rng
        self.today = opts.today or timezone.localdate()
        self.stations = [s.pk for s in stations]
        # A few busy stations, many quiet ones (Zipf-like weights).
        self.weights = [1 / (i + 1) ** 0.6 for i in range(len(self.stations))]
        self.units, self.deputies, self.staff = units, deputies, staff
        roots = {c.name: c.pk for c in OpinionCategory.objects.filter(parent=None)}
        children: dict[int, list[int]] = {}
        for pk, parent in OpinionCategory.objects.filter(parent__isnull=False).values_list(
            "pk", "parent_id"
        ):
            children.setdefault(parent, []).append(pk)
        self.categories = [
            (name, [pk, *children.get(pk, [])]) for name, pk in roots.items() if name in PROBLEMS
        ]
        self.period = profile_for(opts.congress).opinion_referral_period
        self.calendar = TableCalendar()
        self.rows: dict[type[Model], list[tuple]] = {}
        self.last_opinion: int | None = None

    @lru_cache(maxsize=10_000)  # noqa: B019 - one generator per run
    def _due(self, start: date) -> date:
        return compute(self.period.kind, start, self.period.amount, calendar=self.calendar).due

    def _moment(self, day: date, hour_from: int = 8, hour_to: int = 20) -> datetime:
        # Beijing office hours, stored in UTC.
        seconds = self.rng.randint(hour_from * 3600, hour_to * 3600 - 1)
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            seconds=seconds - 8 * 3600
        )

    def _text(self, root: str) -> tuple[str, str]:
        problems, asks = PROBLEMS[root]
        place = self.rng.choice(PLACES)
        street = self.rng.choice(STREETS)
        text = (
            f"{street}街道{place}{self.rng.choice(problems)}，"
            f"{self.rng.choice(IMPACTS)}，"
            f"希望有关部门{self.rng.choice(asks)}。"
        )
        return text, f"{street}街道{place}"

    def _add(self, model: type[Model], row: tuple) -> None:
        self.rows.setdefault(model, []).append(row)

    def _event(self, opinion: int, kind: str, at: datetime, note: str = "") -> None:
        self._add(
            OpinionEvent, (self.ids.take(OpinionEvent), opinion, kind, self.sink.ts(at), note)
        )

    def opinion(self, day: date) -> None:
        rng, ts = self.rng, self.sink.ts
        pk = self.ids.take(Opinion)
        created = self._moment(day)
        root, categories = rng.choice(self.categories)
        text, location = self._text(root)
        station = rng.choices(self.stations, self.weights)[0]
        channel = _pick(rng, CHANNELS)
        anonymous = rng.random() < 0.3
        name = "" if anonymous else f"{rng.choice(SURNAMES)}{rng.choice('先生女士')}"
        phone = "" if anonymous else f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}"
        age = (self.today - day).days
        self._event(pk, "received", created)
        state, outcome, explanation = OpinionState.RECEIVED, "", ""
        triaged = answered = closed = rated_at = None
        rating, merged_into, follow_up = "", None, None
        # Untriaged: most opinions of the last days, a few older ones.
        if not (age < 2 and rng.random() < 0.7 or rng.random() < 0.01):
            triaged = created + timedelta(hours=rng.uniform(0.2, 48 if age > 2 else 6))
            outcome = _pick(rng, OUTCOMES)
            if outcome == Outcome.MERGE and self.last_opinion is None:
                outcome = Outcome.CLOSE
            self._event(pk, "triaged", triaged)
            if outcome == Outcome.ANSWERED:
                answered = triaged
                explanation = rng.choice(ANSWERS)
                state = OpinionState.ANSWERED
            elif outcome == Outcome.DEPUTY:
                follow_up = rng.choice(self.deputies)
                state = OpinionState.WITH_DEPUTY
                if age > 20 or rng.random() < 0.5:
                    answered = triaged + timedelta(days=rng.randint(1, 20))
                    explanation = rng.choice(ANSWERS)
                    state = OpinionState.ANSWERED
            elif outcome == Outcome.SUGGESTION:
                state = OpinionState.CONVERTED
            elif outcome == Outcome.MERGE:
                state, merged_into = OpinionState.MERGED, self.last_opinion
            elif outcome == Outcome.CLOSE:
                state, closed = OpinionState.CLOSED, triaged
                explanation = rng.choice(CLOSE_NOTES)
            else:
                state = OpinionState.REFERRED
                answered = self._referral(pk, triaged)
                if answered is not None:
                    state = OpinionState.ANSWERED
            if answered is not None and answered.date() > self.today:
                answered, state = (
                    None,
                    (
                        OpinionState.REFERRED
                        if outcome == Outcome.REFER
                        else OpinionState.WITH_DEPUTY
                    ),
                )
            if answered is not None:
                self._event(pk, "answered", answered, explanation)
                rated_at = answered + timedelta(days=rng.uniform(0.1, 10))
                if rng.random() >= 0.72 or rated_at.date() > self.today:
                    rated_at = None
                else:
                    rating = _pick(rng, RATINGS)
                    self._event(pk, "rated", rated_at)
                    if rng.random() < 0.9:
                        closed = rated_at
                        state = OpinionState.CLOSED if rating != Rating.DISSATISFIED else state
        self.last_opinion = pk
        updated = max(m for m in (created, triaged, answered, rated_at, closed) if m is not None)
        self._add(
            Opinion,
            (
                pk, self.opts.congress.pk, station, None, rng.choice(categories), text, location,
                channel, name, phone, anonymous, rng.random() < 0.6,
                secrets.token_urlsafe(15), state, outcome, explanation, follow_up, merged_into,
                None, None, rating, ts(rated_at), None,
                self.staff if channel in (Channel.VISIT, Channel.CALL) else None,
                ts(created), ts(updated), ts(triaged), ts(answered), ts(closed),
            ),
        )  # fmt: skip

    def _referral(self, opinion: int, referred: datetime) -> datetime | None:
        """A referral to a unit with its due date; its answer (or None while handling)."""
        rng = self.rng
        start = timezone.localtime(referred).date()
        due = self._due(start)
        answered: datetime | None = None
        roll = rng.random()
        if roll < 0.78:  # in time
            answered = referred + timedelta(days=rng.uniform(1, max(1.5, (due - start).days)))
        elif roll < 0.93:  # late
            answered = datetime.combine(due, datetime.min.time(), tzinfo=UTC) + timedelta(
                days=rng.uniform(1, 40)
            )
        if answered is not None and answered.date() > self.today:
            answered = None
        late = answered is not None and timezone.localtime(answered).date() > due
        overdue = due if answered is None and due < self.today else None
        ts = self.sink.ts
        self._add(
            Referral,
            (
                self.ids.take(Referral), opinion, rng.choice(self.units),
                ReferralState.ANSWERED if answered else ReferralState.ACTIVE,
                ts(referred), self.staff, None, self.sink.day(due), None,
                self.sink.day(overdue), None, rng.choice(ANSWERS) if answered else "",
                ts(answered), None, late,
            ),
        )  # fmt: skip
        return answered

    def flush(self) -> None:
        for model, fields in (
            (Opinion, OPINION_FIELDS),
            (Referral, REFERRAL_FIELDS),
            (OpinionEvent, EVENT_FIELDS),
        ):
            self.sink.write(model, fields, self.rows.pop(model, []))


def _reception_days(
    opts: OpinionOptions, sink: Sink, ids: Ids, rng: random.Random, stations: list[Station],
    first: date, today: date,
) -> None:  # fmt: skip
    """One reception day a week per station (Wednesday mornings), from `first` to a month
    ahead: held (mostly) or cancelled in the past, planned ahead; 1–2 deputies on duty."""
    if ReceptionDay.objects.filter(station__in=stations).exists():
        return
    residents: dict[int, list[int]] = {}
    for station_id, dep in Station.deputies.through.objects.filter(
        station__in=stations
    ).values_list("station_id", "deputyship_id"):
        residents.setdefault(station_id, []).append(dep)
    through = ReceptionDay.deputies.through
    fields = ("id", "station", "starts_at", "ends_at", "state", "note", "created_at")
    day = first + timedelta(days=(2 - first.weekday()) % 7)
    end = today + timedelta(days=31)
    while day <= end:
        rows, links = [], []
        for s in stations:
            pk = ids.take(ReceptionDay)
            start = datetime(day.year, day.month, day.day, 1, tzinfo=UTC)  # 9:00 Beijing
            if day >= today:
                state = ReceptionState.PLANNED
            else:
                state = _pick(rng, ((ReceptionState.HELD, 0.88), (ReceptionState.CANCELLED, 0.08),
                                    (ReceptionState.PLANNED, 0.04)))  # fmt: skip
            note = "因天气原因取消" if state == ReceptionState.CANCELLED else ""
            rows.append((pk, s.pk, sink.ts(start), sink.ts(start + timedelta(hours=3)), state,
                         note, sink.ts(start - timedelta(days=14))))  # fmt: skip
            for dep in rng.sample(residents.get(s.pk, []), min(2, len(residents.get(s.pk, [])))):
                links.append((ids.take(through), pk, dep))
        with transaction.atomic():
            sink.write(ReceptionDay, fields, rows)
            sink.write(through, ("id", "receptionday", "deputyship"), links)
        day += timedelta(days=7)


def seed_opinions(
    opts: OpinionOptions, progress: Callable[[str], None] = print, password: str = ""
) -> OpinionResult:
    """Stations, reception days and `opts.opinions` opinions in the congress (which must have
    handling units and deputies: `seed_scale` creates them). Not the workflow."""
    from .stats import rebuild_opinion_facts

    started = time.monotonic()
    today = opts.today or timezone.localdate()
    rng = random.Random(opts.seed)  # noqa: S311 - synthetic data, reproducible
    units = list(HandlingUnit.objects.filter(congress=opts.congress).values_list("pk", flat=True))
    with transaction.atomic():
        _deputyships(opts.congress)
    deputies = list(
        Deputyship.objects.filter(congress=opts.congress).values_list("pk", flat=True)[:20_000]
    )
    if not units or not deputies:
        raise ValueError("the congress needs handling units and deputies (run seed_scale first)")
    sink = Sink()
    with transaction.atomic():
        stations = _stations(opts, rng, deputies)
        _staff(opts.congress, stations[0], password or "renda-scale-2026")
    staff = User.objects.get(username=BENCH_STATION_STAFF).pk
    through = ReceptionDay.deputies.through
    ids = Ids((*SEEDED, through))
    first = today - timedelta(days=365 * opts.years - 1)
    _reception_days(opts, sink, ids, rng, stations, first, today)
    gen = OpinionGenerator(opts, sink, ids, rng, stations, units, deputies, staff)
    days = (today - first).days + 1
    done, total, last = 0, opts.opinions, time.monotonic()
    # Opinions spread over the days, growing a little year on year; generated in day order.
    per_day = [1 + 0.5 * i / max(days - 1, 1) for i in range(days)]
    scale_ = total / sum(per_day)
    carry = 0.0
    pending = 0
    for i in range(days):
        carry += per_day[i] * scale_
        n = int(carry) if i < days - 1 else total - done - pending
        carry -= n
        day = first + timedelta(days=i)
        for _ in range(n):
            gen.opinion(day)
            pending += 1
            if pending >= opts.batch:
                with transaction.atomic():
                    gen.flush()
                done += pending
                pending = 0
                now = time.monotonic()
                if now - last > 2:
                    last = now
                    progress(
                        f"{done:>9,} / {total:,} opinions "
                        f"({done / max(now - started, 1e-6):,.0f}/s)"
                    )
    with transaction.atomic():
        gen.flush()
    done += pending
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [*SEEDED, through]):
                cursor.execute(sql)
    progress(f"{done:,} opinions written; building the station facts")
    facts = rebuild_opinion_facts()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (*SEEDED, through):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        else:
            cursor.execute("ANALYZE")
    busiest = stations[0]
    return OpinionResult(
        rows=dict(sink.counts),
        seconds=time.monotonic() - started,
        facts=facts,
        busiest_station=busiest,
    )
