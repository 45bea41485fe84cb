"""The demo world: Wenzhou's city congress, three district congresses, units and logins.

Plain data, no database access. Names of people are generated from common surnames and given
names with a fixed seed, so every run produces the same people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CongressSpec:
    key: str  # username prefix for its generated deputies
    name: str
    level: str
    region_name: str
    division_code: str
    deputies: int  # how many deputies in total (demo logins included)
    term_start: date
    sessions: tuple[tuple[date, date], ...]  # sessions 1..N of the current term
    units: tuple[tuple[str, str], ...] = field(default=())  # (name, kind)


TERM_NUMBER = 14  # 第十四届

CITY_UNITS: tuple[tuple[str, str], ...] = tuple(
    (f"温州市{name}", "government")
    for name in (
        "人民政府办公室",
        "发展和改革委员会",
        "经济和信息化局",
        "教育局",
        "科学技术局",
        "民族宗教事务局",
        "公安局",
        "民政局",
        "司法局",
        "财政局",
        "人力资源和社会保障局",
        "自然资源和规划局",
        "生态环境局",
        "住房和城乡建设局",
        "交通运输局",
        "水利局",
        "农业农村局",
        "商务局",
        "文化广电旅游局",
        "卫生健康委员会",
        "退役军人事务局",
        "应急管理局",
        "审计局",
        "国有资产监督管理委员会",
        "市场监督管理局",
        "体育局",
        "统计局",
        "医疗保障局",
        "城市管理局",
        "信访局",
        "数据管理局",
        "机关事务管理局",
        "人民防空办公室",
        "粮食和物资储备局",
        "邮政管理局",
    )
) + (
    ("温州市中级人民法院", "court"),
    ("温州市人民检察院", "procuratorate"),
    ("国网温州供电公司", "other"),
    ("温州市自来水公司", "other"),
    ("温州市住房公积金管理中心", "other"),
    ("温州市公共交通集团", "other"),
)

COUNTY_UNIT_NAMES: tuple[tuple[str, str], ...] = (
    ("教育局", "government"),
    ("交通运输局", "government"),
    ("卫生健康局", "government"),
    ("住房和城乡建设局", "government"),
    ("民政局", "government"),
    ("农业农村局", "government"),
    ("综合行政执法局", "government"),
    ("人民法院", "court"),
    ("人民检察院", "procuratorate"),
)


def _county(key: str, region: str, code: str) -> CongressSpec:
    return CongressSpec(
        key=key,
        name=f"温州市{region}人民代表大会",
        level="county",
        region_name=region,
        division_code=code,
        deputies=60,
        term_start=date(2022, 1, 10),
        sessions=(
            (date(2022, 1, 10), date(2022, 1, 12)),
            (date(2023, 1, 10), date(2023, 1, 12)),
            (date(2024, 1, 9), date(2024, 1, 11)),
            (date(2025, 1, 14), date(2025, 1, 16)),
            (date(2026, 1, 13), date(2026, 1, 15)),
        ),
        units=tuple((f"{region}{name}", kind) for name, kind in COUNTY_UNIT_NAMES),
    )


CITY = CongressSpec(
    key="wz",
    name="温州市人民代表大会",
    level="city",
    region_name="温州市",
    division_code="330300",
    deputies=120,
    term_start=date(2022, 1, 5),
    sessions=(
        (date(2022, 1, 5), date(2022, 1, 8)),
        (date(2023, 2, 7), date(2023, 2, 10)),
        (date(2024, 1, 23), date(2024, 1, 26)),
        (date(2025, 2, 10), date(2025, 2, 13)),
        (date(2026, 2, 3), date(2026, 2, 6)),  # 第五次会议: the current session
    ),
    units=CITY_UNITS,
)
COUNTIES = (
    _county("lc", "鹿城区", "330302"),
    _county("lw", "龙湾区", "330303"),
    _county("oh", "瓯海区", "330304"),
)

# Standing committee of the city congress for the current term (常委会组成人员): exactly the
# logins sc01 … sc35, generated city deputies (issue 6: meetings and votes need named logins).
SC_SIZE = 35
SC_POSITIONS = ("chair",) + ("vice_chair",) * 4 + ("secretary_general",)
# 龙湾区's standing committee: the `sc_member` login and the first generated 龙湾区 deputies.
# Members are elected from the congress's own deputies, so `sc_member` is a deputy of 龙湾区
# too, besides being a city deputy elected in 龙湾区.
COUNTY_SC_CODE = "330303"
COUNTY_SC_SIZE = 21


@dataclass(frozen=True)
class Login:
    username: str
    full_name: str
    roles: tuple[tuple[str, str | None, str | None], ...]  # (role, congress code, unit name)
    superuser: bool = False
    sc_position: str | None = None


# Every demo login signs in with settings.RENDA_DEMO_PASSWORD (printed by `make run`).
LOGINS: tuple[Login, ...] = (
    Login("admin", "系统管理员", (("admin", None, None),), superuser=True),
    Login("affairs", "陈晓燕", (("deputy_affairs", "330300", None),)),
    Login("deputy", "林志远", (("deputy", "330300", None),)),
    Login("deputy2", "郑丽华", (("deputy", "330300", None),)),
    Login("edu_clerk", "黄文静", (("unit_clerk", "330300", "温州市教育局"),)),
    Login("edu_head", "周立新", (("unit_head", "330300", "温州市教育局"),)),
    Login("transport_clerk", "吴海波", (("unit_clerk", "330300", "温州市交通运输局"),)),
    Login("station", "潘秀英", (("station_staff", "330300", None),)),
    Login(
        "sc_member",
        "金国强",
        (("sc_member", "330303", None), ("deputy", "330300", None), ("deputy", "330303", None)),
        sc_position="member",
    ),
    Login("committee", "叶建平", (("committee", "330300", None),)),
    Login("supervisor", "徐明", (("gov_supervisor", "330300", None),)),
    Login("leader", "张宏伟", (("leader", "330300", None),)),
    Login("county_affairs", "蔡雅琴", (("deputy_affairs", "330302", None),)),
)

SURNAMES = (
    "陈陈陈王王李李林林黄黄张张郑郑吴周徐叶潘金胡杨朱章戴蔡刘赵孙"
    "何高郭谢池季董施夏项余方麻卢邵缪姜彭钱蒋薛谷"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建国文辉玲红志海燕"
    "宇鹏晓春雪梅琳俊斌浩凯婷颖思佳嘉欣宏立新德永荣兴安卫晨阳云瑞峰"
    "波健慧萍琴蕾倩骏展鸿翔昊然哲锦诚益"
)


def deputy_names(count: int, *, seed: int = 20260203, taken: set[str] | None = None) -> list[str]:
    """`count` different, realistic Chinese names; the same list on every run."""
    rng = random.Random(seed)
    seen = set(taken or ())
    names: list[str] = []
    while len(names) < count:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        name = rng.choice(SURNAMES) + given
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def demo_phone(n: int) -> str:
    """A number in a fake range (1380000xxxx): never a real person's."""
    return f"1380000{n:04d}"


DEMO_NOTIFICATIONS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    # username: (title, body, already read)
    "deputy": (
        ("欢迎使用人大代表履职服务平台", "在这里提交建议、查看办理进度、登记履职活动。", True),
        (
            "温州市第十四届人民代表大会第五次会议",
            "会议于2026年2月3日开幕，会议期间可通过平台提交代表建议。",
            False,
        ),
        ("请完善您的履职档案", "请核对联系方式和所在代表小组。", False),
    ),
    "affairs": (
        ("欢迎使用人大代表履职服务平台", "代表工作机构可在这里审查、交办和督办代表建议。", True),
        ("本次会议代表建议征集已开始", "代表提交的建议将出现在审查队列中。", False),
        ("鹿城区人大常委会报送了代表活动情况", "请在代表履职统计中查看。", False),
    ),
}


@dataclass(frozen=True)
class UnitStaff:
    """A clerk or head of a handling unit who is not a demo login (the demo suggestions need
    someone in each unit they are assigned to: the clerk answers, the head signs off)."""

    username: str
    full_name: str
    role: str  # unit_clerk or unit_head
    congress: str  # division code
    unit: str  # the unit's full name


def _staff(code: str, unit: str, key: str, clerk: str | None, head: str) -> tuple[UnitStaff, ...]:
    people = [UnitStaff(f"{key}_head", head, "unit_head", code, unit)]
    if clerk:
        people.insert(0, UnitStaff(f"{key}_clerk", clerk, "unit_clerk", code, unit))
    return tuple(people)


UNIT_STAFF: tuple[UnitStaff, ...] = (
    *_staff("330300", "温州市交通运输局", "wz_jtys", None, "林海峰"),  # clerk: transport_clerk
    *_staff("330300", "温州市住房和城乡建设局", "wz_zjj", "王晓东", "李卫国"),
    *_staff("330300", "温州市公共交通集团", "wz_gjjt", "陈丽君", "叶国庆"),
    *_staff("330300", "温州市公安局", "wz_gaj", "张毅", "周建华"),
    *_staff("330300", "温州市农业农村局", "wz_nyj", "潘志勇", "季永明"),
    *_staff("330300", "温州市卫生健康委员会", "wz_wjw", "胡晓燕", "郑国栋"),
    *_staff("330300", "温州市司法局", "wz_sfj", "邵文华", "赵立群"),
    *_staff("330300", "温州市城市管理局", "wz_cgj", "施建新", "钱振宇"),
    *_staff("330300", "温州市市场监督管理局", "wz_scjg", "谢雨婷", "彭家骏"),
    *_staff("330300", "温州市民政局", "wz_mzj", "金秀兰", "朱德胜"),
    *_staff("330300", "温州市水利局", "wz_slj", "缪海涛", "项明远"),
    *_staff("330300", "温州市生态环境局", "wz_sthj", "卢思佳", "董志刚"),
    *_staff("330300", "温州市自来水公司", "wz_zls", "余春梅", "方正"),
    *_staff("330300", "温州市自然资源和规划局", "wz_zrzy", "孙一鸣", "何建伟"),
    *_staff("330302", "鹿城区卫生健康局", "lc_wjj", "徐晓丽", "章建平"),
    *_staff("330302", "鹿城区综合行政执法局", "lc_zhzf", "夏振华", "高立军"),
    *_staff("330302", "鹿城区住房和城乡建设局", "lc_zjj", "蒋文斌", "姜海燕"),
)
