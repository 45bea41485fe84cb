"""The demo's livelihood projects (民生实事项目, issue 6), played through the real actions and
the real ballot engine on the days they happen (renda.demo.clock):

- this year's plan of the city (the projects carried out this year): proposals, candidates
  screened by the government side (`supervisor`) and approved by the office (`affairs`), the
  deputies' secret vote at this year's session (LP-VOTE: 6 of 8), milestones, monthly reports
  with photos by the lead units (`edu_clerk` reports for the education bureau), supervision
  groups (`deputy` in the first), inspections, and the year-end satisfaction vote — so the
  public board shows projects done, on time and late, with evaluation shares;
- next year's plan: public and deputies' proposals (two merged), 12 candidates approved and the
  list fixed (M = 10), ready to be put to the vote on a congress session from the plan's page.

Plans are named by the year their projects are carried out. Idempotent: a plan that exists
(congress, year) is left as it is.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from renda.accounts.models import User
from renda.deputies.models import Deputyship
from renda.livelihood import actions
from renda.livelihood.actions_vote import (
    adopt_evaluation,
    adopt_result,
    open_evaluation,
    put_to_vote,
)
from renda.livelihood.models import Plan, Project
from renda.opinions.images import clean_image
from renda.orgs.models import Congress, HandlingUnit, Session
from renda.rules.profiles import profile_for
from renda.votes import actions as engine
from renda.votes.choices import MeetingKind

from .clock import clock_at, moment
from .dataset import CITY

# (title, content, unit, budget in 10k yuan, funding, outcome, place, (lat, lon))
CANDIDATES = (
    (
        "老旧小区加装电梯",
        "为全市 60 个老旧小区加装电梯 200 台，解决老年人上下楼难。",
        "住房和城乡建设局",
        6000,
        "市级财政、居民自筹",
        "新增电梯 200 台",
        "鹿城区",
        ("28.0150", "120.6550"),
    ),
    (
        "新建改建中小学校 10 所",
        "新建、改建中小学校 10 所，新增学位 1.2 万个。",
        "教育局",
        90000,
        "市县两级财政",
        "新增学位 12000 个",
        "瓯海区",
        ("27.9700", "120.6300"),
    ),
    (
        "社区老年食堂全覆盖",
        "新建社区老年食堂 80 家，城市社区全覆盖。",
        "民政局",
        2400,
        "市级财政、福彩公益金",
        "老年食堂覆盖全部城市社区",
        "龙湾区",
        ("27.9350", "120.8100"),
    ),
    (
        "公交线路优化与夜班公交",
        "优化公交线路 30 条，开通夜班公交 8 条。",
        "交通运输局",
        1800,
        "市级财政",
        "夜班公交覆盖主城区",
        "鹿城区",
        ("28.0230", "120.6720"),
    ),
    (
        "城市口袋公园建设",
        "新建口袋公园 50 个，方便群众就近休闲。",
        "住房和城乡建设局",
        3500,
        "市级财政",
        "口袋公园 50 个",
        "瓯海区",
        ("27.9900", "120.6000"),
    ),
    (
        "基层医疗机构能力提升",
        "为 40 家乡镇卫生院配置 CT 等设备，培训基层医生 500 名。",
        "卫生健康委员会",
        5200,
        "省市财政",
        "基层首诊率提高",
        "龙湾区",
        ("27.9500", "120.7800"),
    ),
    (
        "婴幼儿托育服务扩容",
        "新增普惠性托位 3000 个。",
        "卫生健康委员会",
        2100,
        "市级财政",
        "每千人托位数达 4.5 个",
        "鹿城区",
        ("28.0050", "120.6900"),
    ),
    (
        "农村饮用水提标",
        "完成 120 个村饮用水提标改造。",
        "水利局",
        4600,
        "省市县财政",
        "农村自来水普及率 99%",
        "瓯海区",
        ("27.9600", "120.5800"),
    ),
    (
        "背街小巷改造",
        "改造背街小巷 100 条。",
        "住房和城乡建设局",
        2800,
        "区级财政",
        "背街小巷路面平整、照明完好",
        "鹿城区",
        ("28.0100", "120.6400"),
    ),
    (
        "校园食品安全“明厨亮灶”",
        "全市中小学食堂实现“明厨亮灶”全覆盖。",
        "市场监督管理局",
        600,
        "市级财政",
        "中小学食堂全覆盖",
        "龙湾区",
        ("27.9300", "120.7600"),
    ),
    (
        "残疾人康复服务",
        "为 5000 名残疾人提供基本康复服务。",
        "民政局",
        900,
        "市级财政、残保金",
        "基本康复服务覆盖率 95%",
        "瓯海区",
        ("27.9800", "120.6500"),
    ),
    (
        "智慧停车泊位",
        "新增公共停车泊位 1 万个，接入全市停车平台。",
        "交通运输局",
        3000,
        "社会资本、市级财政",
        "主城区停车难缓解",
        "鹿城区",
        ("28.0300", "120.6600"),
    ),
)

PROPOSALS = (
    (
        "老小区加装电梯",
        "我们小区 6 层没有电梯，老人上下楼很难，希望政府补贴加装电梯。",
        "王秀兰",
        "13800008801",
    ),
    ("老旧小区装电梯", "建议对老旧住宅加装电梯给予补助，简化审批。", "", ""),
    ("增加夜班公交", "下夜班没有公交，建议开通夜班线路。", "陈先生", "13800008803"),
    ("社区食堂", "希望社区办老年食堂，解决老人吃饭难。", "李大爷", "13800008804"),
    ("学校太挤", "瓯海区小学班额太大，建议新建学校。", "", ""),
)


def _unit(city: Congress, name: str) -> HandlingUnit:
    return HandlingUnit.objects.get(congress=city, name=f"温州市{name}")


def _photo(text: str) -> Any:
    img = Image.new("RGB", (480, 320), (70, 130, 180))
    ImageDraw.Draw(img).rectangle((40, 200, 440, 300), fill=(230, 230, 230))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=70)
    out.seek(0)
    return clean_image(out, f"{text}.jpg")


def _candidates(
    plan: Plan, specs: Any, proposals: list[Any], gov: User, office: User
) -> list[Project]:
    city = plan.congress
    out = []
    for i, (title, content, unit, wan, funding, outcome, place, (lat, lon)) in enumerate(specs):
        project = actions.save_candidate(
            plan,
            actions.CandidateData(
                title=title,
                content=content,
                lead_unit=_unit(city, unit),
                budget=Decimal(wan) * 10000,
                funding_source=funding,
                timeline=f"{plan.year}年1月至12月",
                expected_outcome=outcome,
                location=place,
                latitude=lat,
                longitude=lon,
                proposals=[p for p in proposals if i < 4 and p.title[:2] in title][:2],
            ),
            by=gov,
        )
        actions.submit_candidate(project, by=gov)
        out.append(actions.approve_candidate(project, by=office))
    return out


def _session_meeting(
    city: Congress, session: Session | None, day: date, title: str, office: User
) -> Any:
    deputies = list(
        User.objects.filter(roles__role="deputy", roles__congress=city).distinct().order_by("pk")
    )
    meeting = engine.create_meeting(
        congress=city,
        kind=MeetingKind.CONGRESS_SESSION,
        title=title,
        date=day,
        members=deputies,
        session=session,
        by=office,
    )
    # CONGRESS-QUORUM: at least two thirds present (the sign-in desk: one bulk mark); only
    # that many vote (each paper is an audited action), the demo's logins among them.
    needed = profile_for(city).congress_quorum.needed(len(deputies))
    logins = [u for u in deputies if u.username in ("deputy", "deputy2", "sc_member")]
    present = logins + [u for u in deputies if u not in logins][: max(0, needed - len(logins))]
    engine.mark_present(meeting, users=present, by=office)
    return meeting, present


def _this_year(city: Congress, year: int, users: dict[str, User], today: date) -> Counter[str]:
    created: Counter[str] = Counter()
    office, gov = users["affairs"], users["supervisor"]
    start = date(year - 1, 9, 1)
    with clock_at(moment(start)):
        plan = actions.create_plan(
            congress=city,
            year=year,
            title=f"{year}年温州市民生实事项目",
            collect_from=start,
            collect_until=date(year - 1, 10, 31),
            max_choices=6,
            by=office,
        )
        proposals = [
            actions.propose(plan, title=t, text=x, name=n, phone=p) for t, x, n, p in PROPOSALS
        ]
    created["livelihood plans"] += 1
    created["livelihood proposals"] += len(proposals)
    with clock_at(moment(date(year - 1, 11, 10))):
        actions.close_collection(plan, by=office)
        _candidates(plan, CANDIDATES[:8], proposals, gov, office)
        actions.fix_list(plan, max_choices=6, by=office)
    session = Session.objects.filter(term__congress=city, start_date__year=year).first()
    vote_day = session.start_date + timedelta(days=1) if session else date(year, 2, 4)
    with clock_at(moment(vote_day)):
        meeting, present = _session_meeting(
            city, session, vote_day, f"{year}年人民代表大会会议（民生实事项目票决）", office
        )
        plan = put_to_vote(plan, meeting, by=office)
        ballot = engine.open_ballot(plan.ballot, by=office)
        ids = list(ballot.choices.order_by("position").values_list("pk", flat=True))
        for i, voter in enumerate(present):
            sixth = ids[6] if i % 10 == 0 else ids[7] if i % 10 == 1 else ids[5]
            picks = [c for j, c in enumerate(ids[:5]) if not (i % 9 == 0 and j == i % 5)]
            engine.cast_vote(ballot, voter=voter, choices=[*picks, sixth])
        engine.close_ballot(ballot, by=office)
        plan = adopt_result(plan, by=office)
    created["livelihood ballots"] += 1
    chosen = list(
        Project.objects.filter(plan=plan, state="chosen")
        .select_related("lead_unit")
        .order_by("rank", "position")
    )
    deputies = list(
        Deputyship.objects.filter(congress=city, status="active")
        .select_related("person__user")
        .order_by("pk")
    )
    mine = next((d for d in deputies if d.person.user_id == users["deputy"].pk), deputies[0])
    # Fates: done, done, done, on time (a milestone still ahead), on time, late.
    for n, project in enumerate(chosen):
        fate = ("done", "done", "done", "on_time", "on_time", "late")[n % 6]
        reporter = users["edu_clerk"] if project.lead_unit.name.endswith("教育局") else office
        with clock_at(moment(date(year, 3, 1))):
            group = (
                [mine, *deputies[3 + 3 * n : 5 + 3 * n]]
                if n == 0
                else deputies[3 + 3 * n : 6 + 3 * n]
            )
            actions.set_supervisors(project, deputies=group, leader=group[0], by=office)
            steps = [
                actions.add_milestone(project, title=t, planned_on=d, by=reporter)
                for t, d in (
                    ("方案设计完成", date(year, 4, 30)),
                    ("开工建设", date(year, 6, 30)),
                    ("主体完工", date(year, 10, 31)),
                    (
                        "竣工验收",
                        date(year, 12, 20) if fate != "on_time" else today + timedelta(days=60),
                    ),
                )
            ]
        last_month = min(today.month, 11)
        for month in range(3, last_month + 1):
            day = date(year, month, 28)
            if day > today:
                break
            percent = (
                min(100, int(100 * (month - 2) / (last_month - 2)))
                if fate == "done"
                else min(95, 9 * (month - 2) + (0 if fate == "late" else 10))
            )
            with clock_at(moment(day)):
                for m in steps:
                    if (
                        m.done_on is None
                        and m.planned_on <= day
                        and not (fate == "late" and m.title == "主体完工")
                    ):
                        if fate != "on_time" or m.title != "竣工验收":
                            m = actions.reach_milestone(
                                m, done_on=m.planned_on - timedelta(days=3), by=reporter
                            )
                            steps = [m if s.pk == m.pk else s for s in steps]
                actions.file_report(
                    project,
                    month=f"{year}-{month:02d}",
                    text=f"{project.title}：本月完成计划工作的 {percent}%。"
                    + ("主体工程因征迁延误，正在协调。" if fate == "late" and month >= 10 else ""),
                    percent=percent,
                    spent=(project.budget * Decimal(percent) / 100 * Decimal("0.9")).quantize(
                        Decimal("0.01")
                    ),
                    images=[_photo(project.title)] if month == last_month else [],
                    by=reporter,
                )
                created["livelihood reports"] += 1
        if fate == "done" and date(year, 11, 30) <= today:
            with clock_at(moment(date(year, 11, 30))):
                for m in steps:
                    if m.done_on is None:
                        actions.reach_milestone(m, done_on=date(year, 11, 29), by=reporter)
                actions.complete_project(project, done_on=date(year, 11, 30), by=reporter)
        if group[0].person.user_id and date(year, 9, 15) <= today:
            with clock_at(moment(date(year, 9, 15))):
                actions.record_inspection(
                    project,
                    held_on=date(year, 9, 15),
                    findings="实地察看施工现场，进度与报告一致；建议加强安全管理。"
                    if fate != "late"
                    else "主体工程进度滞后，征迁问题未解决，建议主办单位加快协调。",
                    by=group[0].person.user,
                )
    eval_day = today - timedelta(days=2)
    with clock_at(moment(eval_day)):
        meeting, present = _session_meeting(
            city, None, eval_day, f"{year}年民生实事项目满意度测评", office
        )
        plan = open_evaluation(plan, meeting, by=office)
        ballot = engine.open_ballot(plan.evaluation_ballot, by=office)
        ids = list(ballot.choices.order_by("position").values_list("pk", flat=True))
        for i, voter in enumerate(present):
            answers = {}
            for j, cid in enumerate(ids):
                k = (i * 7 + j * 3) % 20
                worse = j == len(ids) - 1  # the late project
                answers[cid] = (
                    "dissatisfied"
                    if k < (5 if worse else 1)
                    else "basic"
                    if k < (10 if worse else 4)
                    else "satisfied"
                )
            engine.cast_vote(ballot, voter=voter, answers=answers)
        engine.close_ballot(ballot, by=office)
        adopt_evaluation(plan, by=office)
    created["livelihood ballots"] += 1
    return created


def _next_year(city: Congress, year: int, users: dict[str, User], today: date) -> Counter[str]:
    created: Counter[str] = Counter()
    office, gov = users["affairs"], users["supervisor"]
    start = date(year - 1, 9, 1)
    opened = min(start, today - timedelta(days=40))
    with clock_at(moment(opened)):
        plan = actions.create_plan(
            congress=city,
            year=year,
            title=f"{year}年温州市民生实事项目",
            collect_from=opened,
            collect_until=max(date(year - 1, 10, 31), opened + timedelta(days=20)),
            max_choices=10,
            by=office,
        )
        proposals = [
            actions.propose(plan, title=t, text=x, name=n, phone=p) for t, x, n, p in PROPOSALS
        ]
        proposals.append(
            actions.propose(
                plan, title="背街小巷路灯", text="建议改造背街小巷照明。", by=users["deputy"]
            )
        )
        actions.merge_proposals(proposals[0], [proposals[1]], by=office)
    created["livelihood plans"] += 1
    created["livelihood proposals"] += len(proposals)
    with clock_at(moment(opened + timedelta(days=25))):
        actions.close_collection(plan, by=office)
        _candidates(plan, CANDIDATES, proposals, gov, office)
        actions.fix_list(plan, max_choices=10, by=office)
    return created


def seed_livelihood(users: dict[str, User], congresses: dict[str, Congress]) -> Counter[str]:
    """Create whatever part of the livelihood demo is missing."""
    created: Counter[str] = Counter()
    city = congresses.get(CITY.division_code)
    if city is None or not {"affairs", "supervisor", "deputy", "edu_clerk"} <= set(users):
        return created
    today = timezone.localdate()
    # One transaction per plan: some five hundred audited actions (a session's roll, votes,
    # reports) commit once instead of one disk sync each, and a plan is all there or absent.
    if not Plan.objects.filter(congress=city, year=today.year).exists():
        with transaction.atomic():
            created.update(_this_year(city, today.year, users, today))
    if not Plan.objects.filter(congress=city, year=today.year + 1).exists():
        with transaction.atomic():
            created.update(_next_year(city, today.year + 1, users, today))
    return created
