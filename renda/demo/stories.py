"""The demo suggestions: plain data, no database access (renda.demo.suggestion_seeding plays it).

Each story is one suggestion (or motion) of the demo city congress or of 鹿城区, and the steps of
its life, each on a day given relative to the day the demo is loaded (0 is today, -30 a month
ago), so the demo reads the same on any later day: last year's session is about 650 days back,
this year's about 290. Units are named without the congress's region prefix ("教育局" is
温州市教育局 in the city, 鹿城区教育局 in 鹿城区). Actors follow from the story: the lead deputy
writes and rates, the congress's deputy-affairs office registers and assigns, a unit's clerk
logs contacts, sends opinions and answers, its head signs off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CITY_CODE = "330300"
LUCHENG_CODE = "330302"

# Topics the demo congresses file suggestions under.
TOPICS: dict[str, tuple[str, ...]] = {
    CITY_CODE: (
        "教育",
        "交通出行",
        "城乡建设",
        "水利防汛",
        "医疗卫生",
        "养老服务",
        "农业农村",
        "生态环境",
        "社会治理",
    ),
    LUCHENG_CODE: ("教育", "城乡建设", "医疗卫生", "社会治理"),
}

# Committees that supervise key suggestions (SUG-KEY), by name.
EDU_COMMITTEE = "教育科学文化卫生委员会"
ENV_COMMITTEE = "城乡建设环境与资源保护工作委员会"


@dataclass(frozen=True)
class Step:
    day: int  # days from today (negative: in the past)
    verb: str
    args: dict[str, Any]


@dataclass
class Story:
    title: str
    body: str
    topic: str
    lead: str  # the lead deputy's username
    congress: str = CITY_CODE
    kind: str = "suggestion"
    cosigners: tuple[str, ...] = ()
    steps: list[Step] = field(default_factory=list)

    def _add(self, day: int, verb: str, **args: Any) -> Story:
        if self.steps and day < self.steps[-1].day:
            raise ValueError(f"{self.title}: step {verb} on day {day} goes back in time")
        self.steps.append(Step(day, verb, args))
        return self

    # Deputies
    def draft(self, day: int) -> Story:
        return self._add(day, "draft")

    def confirm(self, day: int, *deputies: str) -> Story:
        return self._add(day, "confirm", deputies=deputies)

    def submit(self, day: int) -> Story:
        return self._add(day, "submit")

    def rate(self, day: int, unit: str, rating: str, comment: str = "") -> Story:
        return self._add(day, "rate", unit=unit, rating=rating, comment=comment)

    # The deputy-affairs office
    def register(self, day: int) -> Story:
        return self._add(day, "register")

    def reject(self, day: int, ground: str, explanation: str) -> Story:
        return self._add(day, "reject", ground=ground, explanation=explanation)

    def convert(self, day: int) -> Story:
        return self._add(day, "convert")

    def assign(
        self,
        day: int,
        leads: tuple[str, ...],
        cos: tuple[str, ...] = (),
        *,
        complex_: bool = False,
        assigned_on: int | None = None,
    ) -> Story:
        return self._add(
            day, "assign", leads=leads, cos=cos, complex=complex_, assigned_on=assigned_on
        )

    def decide_return(
        self, day: int, approve: bool, new_leads: tuple[str, ...] = (), note: str = ""
    ) -> Story:
        return self._add(day, "decide_return", approve=approve, new_leads=new_leads, note=note)

    def key(self, day: int, *, leader: str | None = None, committee: str = "") -> Story:
        return self._add(day, "key", leader=leader, committee=committee)

    # Units
    def contact(self, day: int, unit: str, stage: str, method: str, note: str) -> Story:
        return self._add(day, "contact", unit=unit, stage=stage, method=method, note=note)

    def co_opinion(self, day: int, unit: str, text: str) -> Story:
        return self._add(day, "co_opinion", unit=unit, text=text)

    def sign_off(self, day: int, unit: str) -> Story:
        return self._add(day, "sign_off", unit=unit)

    def answer(
        self,
        day: int,
        unit: str,
        category: str,
        text: str,
        *,
        plan: str = "",
        planned: int | None = None,
        reason: str = "",
        commitments: tuple[tuple[str, int], ...] = (),
        not_public: str = "",
    ) -> Story:
        return self._add(
            day,
            "answer",
            unit=unit,
            category=category,
            text=text,
            plan=plan,
            planned=planned,
            reason=reason,
            commitments=commitments,
            not_public=not_public,
        )

    def met(self, day: int, unit: str, evidence: str, index: int = 0) -> Story:
        """The unit marks the `index`-th commitment of its latest answer met."""
        return self._add(day, "met", unit=unit, evidence=evidence, index=index)

    def ask_return(self, day: int, unit: str, reason: str) -> Story:
        return self._add(day, "ask_return", unit=unit, reason=reason)

    def progress(self, day: int, unit: str, text: str) -> Story:
        return self._add(day, "progress", unit=unit, text=text)

    # The daily deadline job
    def no_feedback(self, day: int, unit: str) -> Story:
        return self._add(day, "no_feedback", unit=unit)


STORIES: list[Story] = []


def story(title: str, body: str, topic: str, lead: str, **kwargs: Any) -> Story:
    s = Story(title=title, body=body, topic=topic, lead=lead, **kwargs)
    STORIES.append(s)
    return s


# Days of the two sessions, relative to a 2026-11-23 load: 2025-02-11 and 2026-02-04.
LAST_SESSION = -650
THIS_SESSION = -292

# --- Last year: closed, with every kind of ending ---------------------------------------------
(
    story(
        "关于优化中小学校园周边上下学交通组织的建议",
        "市区多所中小学放学时段校门口接送车辆集中停靠，道路拥堵、学生穿行存在安全隐患。"
        "建议由教育部门牵头，会同公安交警统筹设置临时停车区和错峰放学时段，"
        "推广“家长护学岗”和即停即走接送点。",
        "教育",
        "deputy",
        cosigners=("deputy2",),
    )
    .draft(LAST_SESSION - 4)
    .confirm(LAST_SESSION - 3, "deputy2")
    .submit(LAST_SESSION)
    .register(LAST_SESSION + 10)
    .assign(LAST_SESSION + 16, ("教育局",), ("公安局",))
    .contact(LAST_SESSION + 25, "教育局", "before", "phone", "电话了解代表关注的重点学校名单。")
    .co_opinion(
        LAST_SESSION + 60,
        "公安局",
        "交警部门同意在12所学校周边设置即停即走车位，并在放学时段增派警力。",
    )
    .contact(LAST_SESSION + 70, "教育局", "during", "visit", "陪同代表实地查看鹿城区三所小学。")
    .sign_off(LAST_SESSION + 85, "教育局")
    .answer(
        LAST_SESSION + 86,
        "教育局",
        "A",
        "您的建议已采纳。市教育局会同市公安局交警支队在市区32所中小学实行错峰放学，"
        "在12所学校周边设置即停即走接送车位，并在全市推广“家长护学岗”。",
    )
    .rate(LAST_SESSION + 95, "教育局", "satisfied", "措施落实到位，校门口秩序明显好转。")
)

(
    story(
        "关于加快老旧小区加装电梯审批和补助的建议",
        "我市2000年前建成的老旧小区多为六层以下住宅，老年住户上下楼困难。"
        "目前加装电梯审批环节多、补助标准偏低，建议简化联合审批流程，提高市级补助标准。",
        "城乡建设",
        "deputy2",
    )
    .draft(LAST_SESSION - 2)
    .submit(LAST_SESSION + 1)
    .register(LAST_SESSION + 9)
    .assign(LAST_SESSION + 15, ("住房和城乡建设局",), ("自然资源和规划局",))
    .contact(LAST_SESSION + 30, "住房和城乡建设局", "before", "meeting", "召开座谈会听取代表意见。")
    .co_opinion(
        LAST_SESSION + 50, "自然资源和规划局", "规划审批可纳入联合审查，由住建部门一窗受理。"
    )
    .sign_off(LAST_SESSION + 80, "住房和城乡建设局")
    .answer(
        LAST_SESSION + 82,
        "住房和城乡建设局",
        "B",
        "我局正在修订《温州市既有住宅加装电梯实施办法》，将审批环节由7个压减为3个，"
        "并研究提高补助标准。",
        plan="当年内出台新的实施办法；次年起按新标准发放补助。",
        planned=LAST_SESSION + 280,
        commitments=(
            ("出台修订后的加装电梯实施办法", LAST_SESSION + 200),
            ("按新标准发放首批加装电梯补助", LAST_SESSION + 330),
        ),
    )
    .rate(LAST_SESSION + 90, "住房和城乡建设局", "basically_satisfied", "希望补助尽快到位。")
    .met(LAST_SESSION + 190, "住房和城乡建设局", "新实施办法已由市政府办公室印发。", 0)
    .met(LAST_SESSION + 320, "住房和城乡建设局", "首批86台电梯补助已拨付到位。", 0)
)

(
    story(
        "关于加强瓯江沿岸防洪堤提标改造的建议",
        "瓯江沿岸部分堤段建成年代早、防洪标准不足五十年一遇，台风季节险情多发。"
        "建议将瓯江干流堤防提标改造列入市级重点工程，分段实施、加快推进。",
        "水利防汛",
        "sc_member",
    )
    .draft(LAST_SESSION - 1)
    .submit(LAST_SESSION + 1)
    .register(LAST_SESSION + 8)
    .assign(LAST_SESSION + 14, ("水利局",), ("自然资源和规划局",), complex_=True)
    .key(LAST_SESSION + 30, leader="leader")
    .contact(LAST_SESSION + 40, "水利局", "before", "visit", "到代表所在选区察看堤防险工险段。")
    .progress(LAST_SESSION + 60, "水利局", "完成全线堤防安全评估，确定首批提标段落。")
    .co_opinion(LAST_SESSION + 70, "自然资源和规划局", "堤防用地已纳入国土空间规划。")
    .progress(LAST_SESSION + 120, "水利局", "首批三段堤防完成初步设计批复。")
    .sign_off(LAST_SESSION + 160, "水利局")
    .answer(
        LAST_SESSION + 162,
        "水利局",
        "B",
        "瓯江干流堤防提标改造已列入市重点工程，首批三段已开工，其余段落分年度实施。",
        plan="分三期实施，二期工程明年汛期前完工。",
        planned=LAST_SESSION + 460,
        commitments=(
            ("首批三段堤防完工验收", LAST_SESSION + 400),
            ("二期工程汛期前完工", 60),
        ),
    )
    .rate(LAST_SESSION + 170, "水利局", "satisfied")
    .met(LAST_SESSION + 395, "水利局", "首批三段堤防已通过竣工验收。", 0)
)

(
    story(
        "关于提升农村饮用水水质保障水平的建议",
        "部分山区乡镇单村供水站消毒设施不全，夏季水质不稳定。"
        "建议推进城乡供水一体化，将单村水站纳入统一运维管理。",
        "农业农村",
        "wz_dep_041",
    )
    .draft(LAST_SESSION - 1)
    .submit(LAST_SESSION + 2)
    .register(LAST_SESSION + 9)
    .assign(LAST_SESSION + 15, ("水利局",), ("自来水公司",))
    .co_opinion(LAST_SESSION + 40, "自来水公司", "我公司可承接山区单村水站的统一运维。")
    .sign_off(LAST_SESSION + 70, "水利局")
    .answer(
        LAST_SESSION + 71,
        "水利局",
        "A",
        "已将全市312个单村供水站纳入县级统一运维，全部加装消毒设备，水质每月抽检公开。",
    )
    .no_feedback(LAST_SESSION + 110, "水利局")
)

(
    story(
        "关于增加社区居家养老服务站点的建议",
        "城区高龄老人增多，现有居家养老服务照料中心覆盖不足，助餐、助浴服务排队时间长。"
        "建议按十五分钟服务圈布点，增加嵌入式养老服务站。",
        "养老服务",
        "deputy",
    )
    .draft(LAST_SESSION - 3)
    .submit(LAST_SESSION + 2)
    .register(LAST_SESSION + 10)
    .assign(LAST_SESSION + 16, ("民政局",))
    .sign_off(LAST_SESSION + 75, "民政局")
    .answer(
        LAST_SESSION + 76,
        "民政局",
        "C",
        "受场地和运营经费限制，今年暂难大规模新建站点。",
        reason="老城区可用公共用房不足，运营补贴资金尚未列入预算。",
    )
    .rate(LAST_SESSION + 85, "民政局", "dissatisfied", "没有提出具体的解决办法。")
    .contact(LAST_SESSION + 90, "民政局", "during", "meeting", "与代表面商利用闲置用房布点方案。")
    .sign_off(LAST_SESSION + 105, "民政局")
    .answer(
        LAST_SESSION + 106,
        "民政局",
        "B",
        "经重新研究，将利用社区闲置用房新建嵌入式养老服务站20个，所需补贴列入下年度预算。",
        plan="下年度内建成20个嵌入式养老服务站。",
        planned=LAST_SESSION + 400,
        commitments=(("建成20个嵌入式养老服务站", LAST_SESSION + 400),),
    )
    .rate(LAST_SESSION + 112, "民政局", "basically_satisfied")
    .met(LAST_SESSION + 380, "民政局", "20个站点已全部投入运营。")
)

(
    story(
        "关于规范共享电单车停放管理的建议",
        "共享电单车在地铁站口、商圈周边乱停乱放，占用盲道和人行道。"
        "建议划定电子围栏停放点，实行企业投放总量控制。",
        "社会治理",
        "deputy2",
    )
    .draft(LAST_SESSION)
    .submit(LAST_SESSION + 2)
    .register(LAST_SESSION + 11)
    .assign(LAST_SESSION + 17, ("城市管理局",))
    .sign_off(LAST_SESSION + 60, "城市管理局")
    .answer(
        LAST_SESSION + 61,
        "城市管理局",
        "D",
        "共享电单车管理涉及多部门职责，您的建议我们将在制定相关管理办法时参考。",
    )
    .rate(LAST_SESSION + 70, "城市管理局", "dissatisfied", "答复空泛。")
    .sign_off(LAST_SESSION + 90, "城市管理局")
    .answer(
        LAST_SESSION + 92,
        "城市管理局",
        "D",
        "已约谈三家运营企业，要求加强调度；总量控制须待省级管理办法出台后研究。",
    )
    .rate(LAST_SESSION + 100, "城市管理局", "dissatisfied", "问题仍未解决。")
)

(
    story(
        "关于缓解市区医院停车难的建议",
        "市区几家三甲医院周边停车位严重不足，就诊车辆排队占道。"
        "建议挖潜周边机关单位停车位错时共享，增开医院专线公交。",
        "医疗卫生",
        "wz_dep_045",
    )
    .draft(LAST_SESSION - 1)
    .submit(LAST_SESSION + 3)
    .register(LAST_SESSION + 10)
    .assign(LAST_SESSION + 16, ("卫生健康委员会",), ("交通运输局",))
    .co_opinion(LAST_SESSION + 45, "交通运输局", "可开通两条医院专线，并优化站点设置。")
    .sign_off(LAST_SESSION + 75, "卫生健康委员会")
    .answer(
        LAST_SESSION + 77,
        "卫生健康委员会",
        "B",
        "已协调周边5家单位错时共享车位800个，两条医院专线公交计划下半年开通。",
        plan="下半年开通两条医院专线公交。",
        planned=LAST_SESSION + 240,
        commitments=(("开通两条医院专线公交", LAST_SESSION + 240),),
    )
    .rate(LAST_SESSION + 85, "卫生健康委员会", "satisfied")
    .met(LAST_SESSION + 230, "卫生健康委员会", "两条医院专线已于9月开通运营。")
)

(
    story(
        "关于公布我市学区划分调整方案的建议",
        "学区调整关系众多家庭切身利益，建议提前公布调整方案，广泛征求家长意见。",
        "教育",
        "deputy",
    )
    .draft(LAST_SESSION - 2)
    .submit(LAST_SESSION + 1)
    .register(LAST_SESSION + 9)
    .assign(LAST_SESSION + 15, ("教育局",))
    .sign_off(LAST_SESSION + 50, "教育局")
    .answer(
        LAST_SESSION + 52,
        "教育局",
        "A",
        "学区调整方案将在公布前举行听证并公开征求意见，具体方案已向代表当面说明。",
        not_public="答复涉及尚在论证的学区调整方案，公布前须经市政府审定。",
    )
    .rate(LAST_SESSION + 60, "教育局", "satisfied")
)

(
    story(
        "关于协调解决本人亲属安置房分配问题的建议",
        "本人亲属所在村拆迁安置房分配至今未落实，请求协调解决。",
        "城乡建设",
        "wz_dep_050",
    )
    .draft(LAST_SESSION)
    .submit(LAST_SESSION + 2)
    .reject(
        LAST_SESSION + 12,
        "personal_matter",
        "所提事项属代表亲属个人事务，不作为代表建议办理；可通过信访渠道反映。",
    )
)

# --- This year: closed ------------------------------------------------------------------------
(
    story(
        "关于在瓯海区新建一所九年一贯制学校的建议",
        "瓯海区南部片区新建住宅集中交付，适龄儿童快速增长，现有学校学位紧张。"
        "建议在该片区规划新建一所九年一贯制学校。",
        "教育",
        "deputy",
        cosigners=("deputy2", "sc_member"),
    )
    .draft(THIS_SESSION - 3)
    .confirm(THIS_SESSION - 2, "deputy2", "sc_member")
    .submit(THIS_SESSION)
    .register(THIS_SESSION + 6)
    .assign(THIS_SESSION + 12, ("教育局",), ("自然资源和规划局",), complex_=True)
    .key(THIS_SESSION + 18, leader="leader")
    .contact(THIS_SESSION + 25, "教育局", "before", "visit", "与代表一起踏勘拟选址地块。")
    .progress(THIS_SESSION + 50, "教育局", "学校选址已初步确定，正在编制项目建议书。")
    .co_opinion(THIS_SESSION + 60, "自然资源和规划局", "拟选地块已调整为教育用地。")
    .progress(THIS_SESSION + 110, "教育局", "项目已列入年度政府投资计划。")
    .sign_off(THIS_SESSION + 125, "教育局")
    .answer(
        THIS_SESSION + 126,
        "教育局",
        "B",
        "新校已列入年度政府投资计划，规划36个班、1620个学位，年内开工，计划两年后秋季招生。",
        plan="年内开工建设，两年后秋季开学招生。",
        planned=THIS_SESSION + 620,
        commitments=(("新校开工建设", 40), ("新校建成并招生", THIS_SESSION + 620)),
    )
    .rate(THIS_SESSION + 133, "教育局", "satisfied", "感谢教育局的积极推进。")
)

(
    story(
        "关于增开夜间公交线路的建议",
        "市区夜间经济活跃，但多数公交线路晚上九点前收班，夜间出行不便。"
        "建议开通夜间公交线路，覆盖主要商圈和交通枢纽。",
        "交通出行",
        "deputy",
    )
    .draft(THIS_SESSION - 1)
    .submit(THIS_SESSION + 1)
    .register(THIS_SESSION + 7)
    .assign(THIS_SESSION + 13, ("交通运输局",), ("公共交通集团",))
    .co_opinion(THIS_SESSION + 35, "公共交通集团", "可先行开通三条夜间线路试运行。")
    .sign_off(THIS_SESSION + 60, "交通运输局")
    .answer(
        THIS_SESSION + 62,
        "交通运输局",
        "B",
        "将分两批开通6条夜间公交线路，覆盖五马街、万象城和温州南站等。",
        plan="分两批开通6条夜间线路。",
        planned=THIS_SESSION + 200,
        commitments=(
            ("开通首批3条夜间公交线路", THIS_SESSION + 120),
            ("开通第二批3条夜间公交线路", THIS_SESSION + 200),
        ),
    )
    .rate(THIS_SESSION + 70, "交通运输局", "satisfied")
    .met(THIS_SESSION + 115, "交通运输局", "首批N1、N2、N3夜间线路已开通。", 0)
    .met(THIS_SESSION + 215, "交通运输局", "第二批夜间线路已开通，因车辆采购延后两周。", 0)
)

(
    story(
        "关于增加城区公共厕所并延长开放时间的建议",
        "老城区公共厕所数量少、部分夜间关闭，游客和市民如厕不便。"
        "建议新建改建一批公厕，推动沿街单位厕所对外开放。",
        "社会治理",
        "deputy2",
    )
    .draft(THIS_SESSION)
    .submit(THIS_SESSION + 2)
    .register(THIS_SESSION + 8)
    .assign(THIS_SESSION + 14, ("交通运输局",))
    .ask_return(THIS_SESSION + 17, "交通运输局", "公共厕所建设管理属城市管理部门职责。")
    .decide_return(THIS_SESSION + 19, True, ("城市管理局",), "同意退回，改由市城市管理局主办。")
    .sign_off(THIS_SESSION + 70, "城市管理局")
    .answer(
        THIS_SESSION + 72,
        "城市管理局",
        "A",
        "已新建改建公厕46座，老城区公厕全部实行24小时开放，另有120家沿街单位厕所对外开放。",
    )
    .rate(THIS_SESSION + 80, "城市管理局", "satisfied")
)

(
    story(
        "关于加快温州市养老服务立法的议案",
        "我市老年人口比例持续上升，养老服务设施配建、医养结合、服务质量监管等缺少地方性法规依据。"
        "建议制定《温州市养老服务条例》。",
        "养老服务",
        "deputy",
        kind="motion",
        cosigners=tuple(f"wz_dep_{n:03d}" for n in range(80, 90)),
    )
    .draft(THIS_SESSION - 4)
    .confirm(THIS_SESSION - 2, *(f"wz_dep_{n:03d}" for n in range(80, 90)))
    .submit(THIS_SESSION)
    .convert(THIS_SESSION + 3)
    .register(THIS_SESSION + 6)
    .assign(THIS_SESSION + 12, ("民政局",), ("司法局",))
    .co_opinion(THIS_SESSION + 40, "司法局", "可将养老服务条例列入立法调研项目。")
    .sign_off(THIS_SESSION + 80, "民政局")
    .answer(
        THIS_SESSION + 82,
        "民政局",
        "B",
        "《温州市养老服务条例》已列入市人大常委会立法调研项目，我局正在开展起草前期工作。",
        plan="年底前形成条例草案建议稿。",
        planned=45,
        commitments=(("形成条例草案建议稿", 45),),
    )
    .rate(THIS_SESSION + 90, "民政局", "satisfied")
)

(
    story(
        "关于延长公共自行车服务时间的建议",
        "公共自行车夜间十点停止借还，建议延长至凌晨，并增设地铁站口站点。",
        "交通出行",
        "wz_dep_070",
    )
    .draft(THIS_SESSION)
    .submit(THIS_SESSION + 3)
    .register(THIS_SESSION + 9)
    .assign(THIS_SESSION + 15, ("交通运输局",), ("公共交通集团",))
    .co_opinion(THIS_SESSION + 40, "公共交通集团", "同意延长服务时间至24时。")
    .sign_off(THIS_SESSION + 130, "交通运输局")
    .answer(
        THIS_SESSION + 132,
        "交通运输局",
        "A",
        "公共自行车借还时间已延长至24时，新增站点35个。",
    )
    .rate(THIS_SESSION + 140, "交通运输局", "satisfied")
)

(
    story(
        "关于加强农村生活垃圾分类的建议",
        "部分农村地区垃圾分类设施不全、清运不及时，建议完善分类收集设施和考核机制。",
        "农业农村",
        "wz_dep_071",
    )
    .draft(THIS_SESSION + 1)
    .submit(THIS_SESSION + 3)
    .register(THIS_SESSION + 9)
    .assign(THIS_SESSION + 15, ("农业农村局",), ("生态环境局",))
    .co_opinion(THIS_SESSION + 50, "生态环境局", "支持将分类质量纳入乡镇年度考核。")
    .sign_off(THIS_SESSION + 80, "农业农村局")
    .answer(
        THIS_SESSION + 81,
        "农业农村局",
        "A",
        "已为全市1200个行政村配齐分类设施，实行“一村一保洁员”并纳入乡镇考核。",
    )
    .rate(THIS_SESSION + 88, "农业农村局", "satisfied")
)

(
    story(
        "关于增建市区地下停车场的建议",
        "市中心停车泊位缺口大，建议利用公园、广场地下空间建设公共停车场。",
        "交通出行",
        "wz_dep_072",
    )
    .draft(THIS_SESSION + 1)
    .submit(THIS_SESSION + 4)
    .register(THIS_SESSION + 10)
    .assign(THIS_SESSION + 16, ("自然资源和规划局",))
    .sign_off(THIS_SESSION + 85, "自然资源和规划局")
    .answer(
        THIS_SESSION + 86,
        "自然资源和规划局",
        "C",
        "市中心地下空间受地铁线路和文物保护限制，近期难以大规模建设。",
        reason="地铁保护区和历史文化街区范围内不宜开挖；可行地块正在论证。",
        commitments=(("完成地下空间开发利用专项规划", 150),),
    )
    .rate(THIS_SESSION + 95, "自然资源和规划局", "basically_satisfied")
)

(
    story(
        "关于妥善处置小区违法建筑问题的建议",
        "某小区顶楼住户违法搭建，多年投诉未果，影响楼体安全，建议依法处置。",
        "社会治理",
        "deputy2",
    )
    .draft(THIS_SESSION + 2)
    .submit(THIS_SESSION + 4)
    .register(THIS_SESSION + 10)
    .assign(THIS_SESSION + 16, ("城市管理局",))
    .contact(THIS_SESSION + 20, "城市管理局", "before", "phone", "核实违建具体位置。")
    .sign_off(THIS_SESSION + 40, "城市管理局")
    .answer(
        THIS_SESSION + 41,
        "城市管理局",
        "A",
        "经调查核实，已依法拆除该小区顶层违法建筑约120平方米。",
        not_public="答复载有具体住户地址和当事人信息。",
    )
    .rate(THIS_SESSION + 50, "城市管理局", "satisfied")
)

(
    story(
        "关于规范住宅小区物业服务收费的建议",
        "部分小区物业收费项目不透明、服务与收费不匹配，建议推行物业服务清单和收费公示。",
        "城乡建设",
        "wz_dep_073",
    )
    .draft(THIS_SESSION + 2)
    .submit(THIS_SESSION + 5)
    .register(THIS_SESSION + 11)
    .assign(THIS_SESSION + 17, ("住房和城乡建设局",), ("市场监督管理局",))
    .co_opinion(THIS_SESSION + 60, "市场监督管理局", "将开展物业收费专项检查。")
    .sign_off(THIS_SESSION + 100, "住房和城乡建设局")
    .answer(
        THIS_SESSION + 101,
        "住房和城乡建设局",
        "A",
        "已出台物业服务清单指引，全市住宅小区收费项目每季度公示。",
    )
    .no_feedback(THIS_SESSION + 135, "住房和城乡建设局")
)

(
    story(
        "关于治理温瑞塘河水体黑臭的建议",
        "温瑞塘河部分支流雨季返黑返臭，建议加快截污纳管和清淤。",
        "生态环境",
        "sc_member",
    )
    .draft(THIS_SESSION)
    .submit(THIS_SESSION + 2)
    .register(THIS_SESSION + 8)
    .assign(THIS_SESSION + 14, ("生态环境局",), ("住房和城乡建设局",))
    .co_opinion(THIS_SESSION + 40, "住房和城乡建设局", "截污纳管工程已纳入城建计划。")
    .sign_off(THIS_SESSION + 60, "生态环境局")
    .answer(
        THIS_SESSION + 62,
        "生态环境局",
        "C",
        "塘河支流治理需与城中村改造同步推进，短期内难以根治。",
        reason="沿河城中村截污管网尚未完成改造。",
    )
    .rate(THIS_SESSION + 70, "生态环境局", "dissatisfied", "应当提出阶段性治理目标。")
    .sign_off(THIS_SESSION + 88, "生态环境局")
    .answer(
        THIS_SESSION + 90,
        "生态环境局",
        "B",
        "已制定分段治理计划，年内完成12条支流清淤。",
        plan="年内完成12条支流清淤。",
        planned=30,
        commitments=(("完成12条支流清淤", 30),),
    )
    .rate(THIS_SESSION + 98, "生态环境局", "dissatisfied", "进度仍然偏慢。")
)

(
    story(
        "关于完善城区防汛排涝设施的建议",
        "去年台风期间多个低洼路段积水严重，建议改造排水管网、增设强排泵站。",
        "水利防汛",
        "wz_dep_074",
    )
    .draft(THIS_SESSION)
    .submit(THIS_SESSION + 2)
    .register(THIS_SESSION + 8)
    .assign(THIS_SESSION + 14, ("住房和城乡建设局",), ("水利局",))
    .co_opinion(THIS_SESSION + 50, "水利局", "可在5处低洼点增设移动泵站。")
    .sign_off(THIS_SESSION + 140, "住房和城乡建设局")
    .answer(
        THIS_SESSION + 142,
        "住房和城乡建设局",
        "A",
        "已完成23处易涝点改造，新增强排泵站5座。",
    )
    .rate(THIS_SESSION + 150, "住房和城乡建设局", "basically_satisfied", "答复晚了一个多月。")
)

(
    story(
        "关于对某合同纠纷案件依法公正审理的建议",
        "某公司与我选区企业的合同纠纷正在中级法院审理，请求人大督促法院公正判决。",
        "社会治理",
        "wz_dep_066",
    )
    .draft(THIS_SESSION + 1)
    .submit(THIS_SESSION + 2)
    .reject(
        THIS_SESSION + 10,
        "pending_court_case",
        "所提事项系对尚未审结案件的具体意见，依照规定不作为代表建议办理。",
    )
)

# --- This year: answered, waiting for the deputy's rating ------------------------------------
(
    story(
        "关于中小学课后服务提质扩面的建议",
        "课后服务内容单一，多以作业辅导为主。建议引入体育、艺术、科普等优质资源。",
        "教育",
        "deputy2",
    )
    .draft(-110)
    .submit(-108)
    .register(-104)
    .assign(-100, ("教育局",))
    .contact(-90, "教育局", "before", "phone", "了解代表所在学校课后服务情况。")
    .sign_off(-17, "教育局")
    .answer(
        -15,
        "教育局",
        "A",
        "全市中小学已引入体育、艺术、科普类课后服务课程1200门，学生参与率达92%。",
    )
)

(
    story(
        "关于加快市域铁路S2线站点公交接驳的建议",
        "市域铁路S2线部分站点距居民区较远，公交接驳不足，建议优化接驳线路。",
        "交通出行",
        "deputy",
    )
    .draft(-100)
    .submit(-98)
    .register(-95)
    .assign(-92, ("交通运输局",), ("公共交通集团",))
    .co_opinion(-60, "公共交通集团", "可新开4条接驳微循环公交。")
    .sign_off(-8, "交通运输局")
    .answer(
        -6,
        "交通运输局",
        "B",
        "将为S2线8个站点新开或调整接驳线路12条。",
        plan="明年一季度前完成全部接驳线路调整。",
        planned=120,
        commitments=(("完成S2线站点接驳线路调整", 120),),
    )
)

(
    story(
        "关于规范校外培训机构收费的建议",
        "部分校外培训机构预收费周期长、退费难，建议推行资金监管。",
        "教育",
        "deputy",
    )
    .draft(-96)
    .submit(-95)
    .register(-92)
    .assign(-88, ("教育局",), ("市场监督管理局",))
    .co_opinion(-50, "市场监督管理局", "将联合开展预收费专项检查。")
    .sign_off(-10, "教育局")
    .answer(
        -8,
        "教育局",
        "A",
        "已将全市校外培训机构预收费纳入银行资金监管，单次收费不超过三个月。",
    )
)

# --- This year: being handled again after a 不满意 -------------------------------------------
(
    story(
        "关于增设学校周边护学岗的建议",
        "上下学高峰时段学校周边交通混乱，建议增设护学岗，由交警、教师和家长志愿者共同值守。",
        "教育",
        "deputy",
    )
    .draft(-160)
    .submit(-158)
    .register(-154)
    .assign(-150, ("教育局",), ("公安局",))
    .co_opinion(-120, "公安局", "交警可在重点学校高峰时段派员值守。")
    .sign_off(-62, "教育局")
    .answer(-60, "教育局", "D", "您的建议很有参考价值，我们将在研究相关工作时参考。")
    .rate(-50, "教育局", "dissatisfied", "没有实际举措。")
)

(
    story(
        "关于市区主干道交通信号灯智能化改造的建议",
        "市区主干道信号灯配时固定，高峰拥堵明显，建议推广自适应信号控制。",
        "交通出行",
        "deputy2",
    )
    .draft(-140)
    .submit(-138)
    .register(-134)
    .assign(-130, ("交通运输局",), ("公安局",))
    .co_opinion(-100, "公安局", "支持在主干道推广自适应信号控制。")
    .sign_off(-42, "交通运输局")
    .answer(
        -40,
        "交通运输局",
        "C",
        "信号灯改造资金尚未落实，今年暂难实施。",
        reason="年度交通建设资金已安排完毕。",
    )
    .rate(-25, "交通运输局", "dissatisfied", "希望先在试点路段实施。")
)

# --- This year: with the units, some overdue, some due soon -----------------------------------
(
    story(
        "关于解决城区学校大班额问题的建议",
        "城区部分小学班额超过50人，建议通过新建扩建和集团化办学化解大班额。",
        "教育",
        "sc_member",
    )
    .draft(-135)
    .submit(-133)
    .register(-129)
    .assign(-125, ("教育局",))
    .contact(-110, "教育局", "before", "phone", "与代表沟通需要化解大班额的学校名单。")
)

(
    story(
        "关于优化农村客运班线的建议",
        "山区农村客运班线班次少、末班早，建议推行预约响应式公交。",
        "交通出行",
        "wz_dep_052",
    )
    .draft(-126)
    .submit(-124)
    .register(-120)
    .assign(-118, ("交通运输局",))
    .contact(-100, "交通运输局", "before", "phone", "了解代表所在乡镇的班线需求。")
)

(
    story(
        "关于加快城中村污水管网改造的建议",
        "部分城中村雨污合流，污水直排河道，建议加快雨污分流改造。",
        "生态环境",
        "wz_dep_060",
    )
    .draft(-118)
    .submit(-116)
    .register(-113)
    .assign(-110, ("住房和城乡建设局",), ("生态环境局",))
    .co_opinion(-70, "生态环境局", "建议优先改造温瑞塘河沿线城中村。")
)

(
    story(
        "关于推进一老一小托育服务设施建设的建议",
        "婴幼儿托育机构普遍收费高、离家远，建议在社区嵌入普惠托育点，与养老设施统筹建设。",
        "养老服务",
        "deputy",
    )
    .draft(-108)
    .submit(-106)
    .register(-103)
    .assign(-100, ("卫生健康委员会",), ("民政局",))
    .key(-95, leader="leader")
    .progress(-60, "卫生健康委员会", "已梳理可用于托育点的社区用房48处。")
    .co_opinion(-45, "民政局", "可与居家养老服务中心共用场地。")
)

(
    story(
        "关于加强中小学生近视防控的建议",
        "我市中小学生近视率偏高，建议保证户外活动时间，改善教室照明。",
        "教育",
        "deputy",
    )
    .draft(-90)
    .submit(-88)
    .register(-85)
    .assign(-82, ("教育局",), ("卫生健康委员会",))
    .contact(-70, "教育局", "before", "meeting", "邀请代表参加近视防控工作座谈会。")
    .co_opinion(-40, "卫生健康委员会", "将组织眼科医生进校园开展筛查。")
    .sign_off(-5, "教育局")
)

(
    story(
        "关于在温州南站增设出租车蓄车场的建议",
        "温州南站出租车排队占用市政道路，建议增设蓄车场并优化调度。",
        "交通出行",
        "deputy2",
    )
    .draft(-92)
    .submit(-90)
    .register(-87)
    .assign(-85, ("交通运输局",))
    .contact(-75, "交通运输局", "before", "phone", "与代表约定现场调研时间。")
    .contact(-60, "交通运输局", "during", "visit", "与代表一起到南站察看出租车排队情况。")
)

(
    story(
        "关于推进校园食堂明厨亮灶全覆盖的建议",
        "部分学校食堂后厨不透明，家长关心食品安全，建议全面推行明厨亮灶和家长陪餐。",
        "教育",
        "wz_dep_061",
    )
    .draft(-48)
    .submit(-46)
    .register(-43)
    .assign(-40, ("教育局",), ("市场监督管理局",))
    .contact(-30, "教育局", "before", "phone", "了解代表所反映学校的具体情况。")
)

(
    story(
        "关于加强饮用水水源地保护的建议",
        "珊溪水库等饮用水水源地周边仍有农家乐和养殖污染，建议加强生态补偿和执法。",
        "生态环境",
        "deputy2",
    )
    .draft(-160)
    .submit(-158)
    .register(-154)
    .assign(-150, ("水利局",), ("生态环境局",), complex_=True)
    .key(-145, committee=ENV_COMMITTEE)
    .progress(-120, "水利局", "完成水源保护区内农家乐排查，共112家。")
    .co_opinion(-100, "生态环境局", "将开展水源地专项执法行动。")
    .progress(-60, "水利局", "生态补偿办法已报市政府审议。")
)

(
    story(
        "关于建设城市慢行系统的建议",
        "市区自行车道不连续、被占用现象普遍，建议规划建设连续成网的慢行系统。",
        "城乡建设",
        "wz_dep_075",
    )
    .draft(-30)
    .submit(-28)
    .register(-25)
    .assign(-20, ("住房和城乡建设局",), ("自然资源和规划局",))
)

# Assigned by mistake to the transport bureau: it asks to return it; the office has to decide.
(
    story(
        "关于整治龙湾区农贸市场周边占道经营的建议",
        "龙湾区几处农贸市场周边流动摊贩占道经营，早晚高峰交通堵塞。建议加强巡查、设置疏导点。",
        "社会治理",
        "deputy",
    )
    .draft(-14)
    .submit(-12)
    .register(-9)
    .assign(-6, ("交通运输局",))
    .ask_return(-3, "交通运输局", "占道经营整治属城市管理综合执法职责，请改由市城市管理局办理。")
)

# --- This year: with the office ---------------------------------------------------------------
(
    story(
        "关于建设温州市青少年校外活动中心的建议",
        "我市青少年校外活动场所不足，建议新建市级青少年校外活动中心。",
        "教育",
        "deputy",
    )
    .draft(-9)
    .submit(-7)
    .register(-4)
)

(
    story(
        "关于完善山区县医共体远程会诊的建议",
        "山区乡镇卫生院诊疗能力弱，建议完善县域医共体远程会诊和影像诊断。",
        "医疗卫生",
        "wz_dep_063",
    )
    .draft(-6)
    .submit(-5)
    .register(-2)
)

(
    story(
        "关于提高城乡居民基本养老保险基础养老金的建议",
        "城乡居民基础养老金水平偏低，建议建立正常调整机制。",
        "养老服务",
        "deputy2",
    )
    .draft(-5)
    .submit(-3)
)

(
    story(
        "关于加强电动自行车充电安全管理的建议",
        "居民楼道内为电动自行车充电引发火灾隐患，建议加快建设集中充电设施。",
        "社会治理",
        "wz_dep_064",
    )
    .draft(-2)
    .submit(-1)
)

# deputy2 asks deputy to co-sign; deputy has not answered yet.
(
    story(
        "关于开放学校体育场地服务社区居民的建议",
        "社区居民健身场地紧缺，建议在节假日和课余时间有序开放学校体育场地。",
        "教育",
        "deputy2",
        cosigners=("deputy", "wz_dep_065"),
    )
    .draft(-4)
    .confirm(-3, "wz_dep_065")
    .submit(-2)
)

(
    story(
        "关于制定温州市瓯江岸线保护条例的议案",
        "瓯江岸线开发利用缺乏统一规划和法规约束，建议制定《温州市瓯江岸线保护条例》。",
        "生态环境",
        "sc_member",
        kind="motion",
        cosigners=tuple(f"wz_dep_{n:03d}" for n in range(90, 101)),
    )
    .draft(-12)
    .confirm(-10, *(f"wz_dep_{n:03d}" for n in range(90, 100)))
    .submit(-5)
)

(
    story(
        "关于推广某品牌智慧养老设备的建议",
        "某公司研发的智能手环可监测老人健康，建议在全市养老机构统一采购推广。",
        "养老服务",
        "wz_dep_067",
    )
    .draft(-20)
    .submit(-18)
    .reject(-12, "academic_or_promotion", "所提内容属于特定产品推介，不作为代表建议办理。")
)

# --- Drafts -------------------------------------------------------------------------------
story(
    "关于在七都岛建设滨江慢行步道的建议",
    "七都岛沿江景观资源丰富，建议建设环岛慢行步道，串联湿地公园和村庄。",
    "城乡建设",
    "deputy",
).draft(-3)

story(
    "关于推进15分钟健身圈建设的建议",
    "",
    "社会治理",
    "deputy",
    cosigners=("deputy2",),
).draft(-1)

# deputy2's draft asks deputy to co-sign.
story(
    "关于在社区推广老年助餐食堂的建议",
    "独居和高龄老人用餐难，建议依托社区养老服务中心推广老年助餐食堂，给予运营补贴。",
    "养老服务",
    "deputy2",
    cosigners=("deputy",),
).draft(-2)

# --- 鹿城区人民代表大会 ---------------------------------------------------------------------
(
    story(
        "关于改善五马街历史街区停车秩序的建议",
        "五马街周边停车位不足，车辆乱停影响街区风貌，建议增设临时停车点、推行智慧停车诱导。",
        "社会治理",
        "lc_dep_001",
        congress=LUCHENG_CODE,
    )
    .draft(-305)
    .submit(-300)
    .register(-290)
    # Entered late: the office records the day the suggestion was really assigned.
    .assign(-270, ("综合行政执法局",), assigned_on=-285)
    .sign_off(-230, "综合行政执法局")
    .answer(-228, "综合行政执法局", "A", "已在五马街周边增设临时停车泊位210个并上线停车诱导系统。")
    .rate(-220, "综合行政执法局", "satisfied")
)

(
    story(
        "关于鹿城区老旧小区加装电梯代建模式的建议",
        "加装电梯居民协调难、施工管理难，建议推行国企代建、居民付费使用的模式。",
        "城乡建设",
        "lc_dep_002",
        congress=LUCHENG_CODE,
    )
    .draft(-40)
    .submit(-38)
    .register(-34)
    .assign(-30, ("住房和城乡建设局",))
)

(
    story(
        "关于提升社区卫生服务中心夜间门诊服务的建议",
        "社区卫生服务中心晚上不开诊，居民夜间小病只能去大医院，建议试点夜间门诊。",
        "医疗卫生",
        "lc_dep_004",
        congress=LUCHENG_CODE,
    )
    .draft(-100)
    .submit(-98)
    .register(-95)
    .assign(-92, ("卫生健康局",))
    .sign_off(-7, "卫生健康局")
    .answer(-5, "卫生健康局", "A", "已在辖区4家社区卫生服务中心试点夜间门诊至21时。")
)

(
    story(
        "关于增加鹿城区公办幼儿园学位的建议",
        "鹿城区部分街道公办幼儿园学位紧张，建议利用闲置校舍改建公办幼儿园。",
        "教育",
        "lc_dep_003",
        congress=LUCHENG_CODE,
    )
    .draft(-4)
    .submit(-2)
)
