"""Phrase lists for `seed_scale`: synthetic but plausible Chinese titles, bodies and answers.

Everything is composed from short phrases (places × subjects × actions), so a million rows read
like a province's suggestions without copying any real text. Each topic has its own subjects
and the departments that usually handle them.
"""

from __future__ import annotations

import random
from datetime import date

# topic → (subjects, the departments that usually lead on it)
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "教育": (
        (
            "义务教育阶段教师队伍",
            "乡村小规模学校",
            "普惠性学前教育",
            "职业技术教育",
            "中小学课后服务",
            "特殊教育",
            "校园周边交通安全",
            "学生心理健康教育",
            "县域普通高中",
        ),
        ("省教育厅", "省人力资源和社会保障厅", "省财政厅"),
    ),
    "医疗卫生": (
        (
            "县域医共体",
            "乡村医生队伍",
            "基层医疗卫生机构",
            "中医药传承创新",
            "院前急救体系",
            "慢性病健康管理",
            "公共卫生应急能力",
            "医保异地结算",
        ),
        ("省卫生健康委员会", "省医疗保障局", "省中医药管理局"),
    ),
    "交通运输": (
        (
            "农村公路养护",
            "城乡客运一体化",
            "高速公路服务区",
            "新能源汽车充电设施",
            "城市公共停车设施",
            "内河航道",
            "县城公交线网",
            "普通国省道改造",
        ),
        ("省交通运输厅", "省发展和改革委员会", "省公安厅"),
    ),
    "农业农村": (
        (
            "高标准农田建设",
            "农村饮水安全",
            "茶产业",
            "农产品冷链物流",
            "村级集体经济",
            "农村人居环境整治",
            "种业振兴",
            "林下经济",
            "农业社会化服务",
        ),
        ("省农业农村厅", "省水利厅", "省林业局", "省乡村振兴局"),
    ),
    "生态环境": (
        (
            "中小河流治理",
            "农村生活污水处理",
            "生活垃圾分类",
            "大气污染联防联控",
            "矿山生态修复",
            "饮用水水源地保护",
            "土壤污染防治",
            "湿地保护",
        ),
        ("省生态环境厅", "省自然资源厅", "省住房和城乡建设厅"),
    ),
    "城乡建设": (
        (
            "老旧小区改造",
            "城镇燃气管网更新",
            "城市排水防涝",
            "保障性租赁住房",
            "历史文化街区保护",
            "既有住宅加装电梯",
            "物业服务管理",
            "传统村落保护",
        ),
        ("省住房和城乡建设厅", "省自然资源厅", "省文物局"),
    ),
    "社会保障": (
        (
            "居家社区养老服务",
            "困难群众救助",
            "灵活就业人员社会保险",
            "残疾人就业",
            "农村留守儿童关爱",
            "退役军人服务保障",
            "高校毕业生就业",
            "普惠托育服务",
        ),
        ("省民政厅", "省人力资源和社会保障厅", "省退役军人事务厅", "省残疾人联合会"),
    ),
    "经济发展": (
        (
            "民营企业融资",
            "营商环境",
            "县域特色产业集群",
            "开发区提质增效",
            "外贸企业稳订单",
            "数字经济",
            "消费品以旧换新",
            "个体工商户帮扶",
        ),
        ("省发展和改革委员会", "省工业和信息化厅", "省商务厅", "省市场监督管理局"),
    ),
    "科技创新": (
        (
            "科技成果转化",
            "科技型中小企业培育",
            "重点实验室建设",
            "高层次人才引进",
            "大数据中心",
            "知识产权保护",
        ),
        ("省科学技术厅", "省大数据发展管理局", "省知识产权局"),
    ),
    "文化旅游": (
        (
            "公共文化服务",
            "文旅融合发展",
            "乡村旅游",
            "非物质文化遗产保护",
            "红色文化资源保护利用",
            "全民健身设施",
            "民族传统体育",
        ),
        ("省文化和旅游厅", "省体育局", "省文物局"),
    ),
    "政法与社会治理": (
        (
            "基层法律服务",
            "电信网络诈骗防范",
            "矛盾纠纷多元化解",
            "未成年人司法保护",
            "道路交通安全",
            "安全生产监管",
            "食品安全监管",
            "消防安全",
        ),
        ("省公安厅", "省司法厅", "省高级人民法院", "省人民检察院", "省应急管理厅"),
    ),
    "财政金融": (
        (
            "县级财力保障",
            "政府性融资担保",
            "农村金融服务",
            "专项债券资金使用",
            "涉农资金统筹整合",
        ),
        ("省财政厅", "省地方金融管理局", "省审计厅"),
    ),
    "民族宗教": (
        (
            "民族地区基础设施",
            "少数民族特色村寨",
            "双语教育",
            "民族医药发展",
        ),
        ("省民族宗教事务委员会", "省教育厅", "省文化和旅游厅"),
    ),
    "自然资源": (
        (
            "地质灾害防治",
            "耕地保护",
            "农村宅基地管理",
            "国土空间规划",
            "不动产登记",
        ),
        ("省自然资源厅", "省林业局", "省应急管理厅"),
    ),
}

OTHER_DEPARTMENTS = (
    "省人民政府办公厅",
    "省统计局",
    "省国有资产监督管理委员会",
    "省广播电视局",
    "省粮食和物资储备局",
    "省能源局",
    "省通信管理局",
    "省气象局",
    "省税务局",
    "省供销合作社联合社",
    "省邮政管理局",
    "国网省电力公司",
    "省机场集团",
    "省总工会",
    "团省委",
    "省妇女联合会",
    "省消防救援总队",
    "省政务服务和数据管理局",
    "省信访局",
    "省人民政府国有资产监督管理委员会驻外办事处",
)

CITIES = (
    "东川",
    "西岭",
    "南浦",
    "北塘",
    "青山",
    "临江",
    "安平",
    "永宁",
    "泰和",
    "云溪",
    "金沙",
    "石门",
    "长乐",
    "丰源",
    "清河",
    "凤翔",
)

CITY_BUREAUS = (
    "人民政府",
    "教育局",
    "交通运输局",
    "住房和城乡建设局",
    "卫生健康局",
    "农业农村局",
    "生态环境局",
    "自然资源和规划局",
    "民政局",
    "人力资源和社会保障局",
    "公安局",
    "财政局",
    "水利局",
    "文化广电旅游局",
    "市场监督管理局",
    "城市管理局",
    "应急管理局",
    "医疗保障局",
    "商务局",
)

PLACES = (
    "全省",
    "山区县",
    "农村地区",
    "城乡结合部",
    "革命老区",
    "少数民族聚居区",
    "沿江地区",
    "县域",
    "乡镇",
    "城市社区",
    "工业园区",
    "边远山区",
    "易地扶贫搬迁安置点",
    "脱贫地区",
    "中心城区",
    "库区移民村",
)

PROBLEMS = (
    "财政投入不足",
    "基础设施薄弱",
    "专业人才短缺",
    "管理机制不健全",
    "政策落实不到位",
    "区域发展不平衡",
    "资金保障不稳定",
    "信息化水平不高",
    "部门协同不够顺畅",
    "监管存在薄弱环节",
    "群众反映较为集中",
    "建设标准偏低",
    "运行维护责任不清",
)

MEASURES = (
    "加大财政投入，建立稳定的经费保障机制",
    "完善考核评价办法，把工作成效纳入年度考核",
    "加强人才队伍建设，落实相关待遇保障",
    "推进数字化改造，提升精细化管理水平",
    "建立部门联动机制，明确各方职责分工",
    "开展专项整治行动，集中解决突出问题",
    "出台配套扶持政策，引导社会资本参与",
    "强化督促检查，确保各项措施落地见效",
    "总结推广试点经验，分批分类有序推进",
    "畅通群众诉求渠道，及时回应社会关切",
    "完善地方标准，规范建设和运营管理",
    "加强省级统筹，对困难地区给予倾斜支持",
)

ACTIONS = (
    "关于加强{place}{subject}工作的建议",
    "关于加快推进{place}{subject}建设的建议",
    "关于进一步完善{subject}政策的建议",
    "关于加大{place}{subject}支持力度的建议",
    "关于优化{subject}管理的建议",
    "关于规范{subject}的建议",
    "关于提升{place}{subject}水平的建议",
    "关于解决{place}{subject}突出问题的建议",
    "关于支持{place}发展{subject}的建议",
    "关于统筹推进{subject}的建议",
)

MOTION_TITLES = (
    "关于制定《{province}{subject}条例》的议案",
    "关于修改《{province}{subject}管理条例》的议案",
    "关于加快{subject}地方立法的议案",
    "关于开展{subject}执法检查的议案",
)

REJECTION_EXPLANATIONS = (
    "所提内容属于个人具体事项，建议通过信访渠道反映。",
    "所提内容缺乏具体意见，请补充后重新提出。",
    "所提内容属于法律政策咨询，已转有关部门答复。",
    "所提内容为转交的群众来信，已按来信来访程序办理。",
)

COMMITMENTS = (
    "年底前完成项目前期工作并开工建设",
    "出台实施方案并组织专项督查",
    "将所提事项列入下一年度重点工作计划",
    "完成试点评估并在全省推广",
    "争取中央和省级专项资金支持",
    "修订相关管理办法并公开征求意见",
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许"
    "韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = (
    "建国华明伟芳秀英丽娟敏静强磊军洋勇艳杰涛"
    "超霞平刚桂兰玉红志文斌宇浩晨欣然思远海燕春梅国庆立新永红德"
)


def units_wanted(count: int) -> list[str]:
    """`count` distinct handling-unit names: provincial departments first, then city bodies."""
    names: list[str] = []
    for _subjects, departments in TOPICS.values():
        for d in departments:
            if d not in names:
                names.append(d)
    names.extend(d for d in OTHER_DEPARTMENTS if d not in names)
    for bureau in CITY_BUREAUS:
        for city in CITIES:
            names.append(f"{city}市{bureau}")
    if count > len(names):
        names.extend(f"第{i}承办单位" for i in range(1, count - len(names) + 1))
    return names[:count]


def person_name(rng: random.Random) -> str:
    n = 1 if rng.random() < 0.35 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(n))


def title(rng: random.Random, topic: str, motion: bool, province: str) -> str:
    return titled(rng, topic, motion, province)[0]


# A city bureau's usual topic (its own suggestions name the city: "关于加强东川市…的建议").
BUREAU_TOPICS = {
    "教育局": "教育",
    "交通运输局": "交通运输",
    "住房和城乡建设局": "城乡建设",
    "卫生健康局": "医疗卫生",
    "农业农村局": "农业农村",
    "生态环境局": "生态环境",
    "自然资源和规划局": "自然资源",
    "民政局": "社会保障",
    "人力资源和社会保障局": "社会保障",
    "公安局": "政法与社会治理",
    "财政局": "财政金融",
    "文化广电旅游局": "文化旅游",
    "市场监督管理局": "经济发展",
    "商务局": "经济发展",
    "应急管理局": "政法与社会治理",
    "医疗保障局": "医疗卫生",
}


def home_department(topic: str, subject: str) -> str:
    """The department that usually leads on `subject` (a realistic archive for assignment
    proposals: each unit has its typical vocabulary, shared words and noise come from places,
    phrasing and the other departments of the topic)."""
    subjects, departments = TOPICS[topic]
    return departments[subjects.index(subject) % len(departments)]


def titled(
    rng: random.Random, topic: str, motion: bool, province: str, place: str | None = None
) -> tuple[str, str]:
    """(title, subject): `place` (e.g. a city) instead of a random one when given."""
    subject = rng.choice(TOPICS[topic][0])
    if motion:
        return rng.choice(MOTION_TITLES).format(province=province, subject=subject), subject
    if rng.random() < 0.1:
        # Noise: a second topic's subject in the same title.
        other = rng.choice(TOPICS[rng.choice(list(TOPICS))][0])
        if other != subject:
            return f"关于统筹{subject}与{other}的建议", subject
    where = place if place is not None else rng.choice(PLACES)
    return rng.choice(ACTIONS).format(place=where, subject=subject), subject


def body(rng: random.Random, title_text: str) -> str:
    p1, p2 = rng.sample(PROBLEMS, 2)
    m1, m2, m3 = rng.sample(MEASURES, 3)
    place = rng.choice(PLACES)
    return (
        f"近年来，{place}相关工作取得了一定成效，但调研中发现仍存在{p1}、{p2}等问题，"
        "与人民群众的期待还有差距。\n"
        f"为此建议：一是{m1}；二是{m2}；三是{m3}。"
    )


def answer(rng: random.Random, unit: str, title_text: str, category: str, planned: date) -> str:
    head = f"{unit}高度重视您提出的《{title_text}》，经认真研究，现答复如下："
    tail = {
        "A": "您提出的意见已被采纳，相关措施已落实到位，并将持续跟踪实施效果。",
        "B": f"所提问题正在解决，已列入工作计划，计划于{planned:%Y年%m月}前完成。",
        "C": "受现有政策和财力条件限制，目前暂不具备全面实施的条件，我们将积极创造条件逐步解决。",
        "D": "您的建议对我们的工作很有参考价值，我们将在今后制定相关政策时认真研究吸收。",
    }[category]
    return head + rng.choice(MEASURES) + "。" + tail


def contact_note(rng: random.Random) -> str:
    return rng.choice(
        (
            "与代表电话沟通办理思路，代表表示认可。",
            "赴代表所在地实地调研，听取代表意见。",
            "召开座谈会，邀请代表参加并介绍办理进展。",
            "答复前与代表沟通答复内容，代表无异议。",
        )
    )
