"""The demo deputies in the registry: every demo account holding the deputy role (the ~300
generated deputies and the logins deputy, deputy2, sc_member) gets a Person and a Deputyship of
the current term of each congress it is a deputy of (sc_member sits in two), with varied,
realistic details — a valid GB 11643 ID-card number whose birth date and gender the record
repeats, ethnicity, party, workplace and sector, electoral unit and delegation, expertise tags —
and the congresses get delegations, a few deputy and professional groups (one mixing city and
district deputies who live in the same street), with leaders.

Plain bulk writes (the demo world is audited once, by seeding's "demo.seeded" event), looked up
by natural keys, so a second run creates nothing. Deterministic: one seeded random generator.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from typing import Any

from django.utils import timezone

from renda.accounts.models import RoleAssignment
from renda.deputies.idcards import check_char
from renda.deputies.models import (
    DEFAULT_PUBLIC_FIELDS,
    Delegation,
    DeputyGroup,
    Deputyship,
    ExpertiseTag,
    GroupMembership,
    Person,
)
from renda.orgs.models import Congress, Term

SEED = 20260204

# Where the city's deputies are elected (by the district and county congresses) → area code.
CITY_UNITS = (
    ("鹿城区", "330302"),
    ("龙湾区", "330303"),
    ("瓯海区", "330304"),
    ("洞头区", "330305"),
    ("瑞安市", "330381"),
    ("乐清市", "330382"),
    ("永嘉县", "330324"),
    ("苍南县", "330327"),
)
# The districts' streets (街道): each district congress's delegations and constituencies.
STREETS = {
    "330302": ("五马街道", "南汇街道", "松台街道", "滨江街道", "七都街道"),
    "330303": ("永中街道", "蒲州街道", "海滨街道", "状元街道"),
    "330304": ("景山街道", "新桥街道", "娄桥街道", "潘桥街道"),
}
ETHNICITIES = ("汉族",) * 40 + ("畲族", "畲族", "回族", "满族", "壮族", "土家族", "苗族")
PARTIES = (
    ("cpc",) * 62
    + ("masses",) * 10
    + ("non_party",) * 6
    + ("cdl", "cdl", "cndca", "cndca", "capd", "capd", "rcck", "cpwdp", "czgp", "jiusan")
    + ("cpc_probationary", "cyl")
)
# (workplace pattern, sector, expertise tags); {area} is the deputy's district or street.
WORKPLACES = (
    ("{area}第一中学校长", "professional", ("教育",)),
    ("{area}实验小学教师", "professional", ("教育",)),
    ("温州医科大学附属第一医院主任医师", "professional", ("医疗卫生",)),
    ("{area}人民医院院长", "professional", ("医疗卫生",)),
    ("{area}社区卫生服务中心医生", "professional", ("医疗卫生", "社会保障")),
    ("浙江瓯越律师事务所主任", "professional", ("法律",)),
    ("{area}司法所所长", "official", ("法律",)),
    ("温州大学教授", "professional", ("教育", "科技")),
    ("{area}党工委书记", "official", ("城市建设",)),
    ("{area}办事处主任", "official", ("社会保障",)),
    ("{area}某社区党委书记、居委会主任", "official", ("社会保障",)),
    ("{area}某村党支部书记、村委会主任", "farmer", ("农业农村",)),
    ("{area}农民专业合作社理事长", "farmer", ("农业农村",)),
    ("温州某鞋业有限公司董事长", "business", ("民营经济",)),
    ("温州某电气股份有限公司总经理", "business", ("民营经济", "科技")),
    ("温州某服饰有限公司一线工人", "worker", ("民营经济",)),
    ("国网温州供电公司技术员", "worker", ("科技",)),
    ("温州市公共交通集团驾驶员", "worker", ("交通",)),
    ("{area}市场监督管理所所长", "official", ("民营经济",)),
    ("温州某文化旅游发展有限公司经理", "business", ("文化旅游",)),
    ("{area}生态环境分局局长", "official", ("生态环境",)),
    ("温州某建设集团有限公司项目经理", "business", ("城市建设",)),
    ("武警温州支队某中队中队长", "military", ()),
)
# The demo logins' own records (username → workplace, sector, tags).
LOGIN_DETAILS = {
    "deputy": ("温州市第二中学校长", "professional", ("教育", "科技")),
    "deputy2": ("温州医科大学附属第一医院主任医师", "professional", ("医疗卫生",)),
    "sc_member": ("温州大学法学院教授", "professional", ("法律", "教育")),
}
# Where a login's city seat was elected, when it matters: sc_member sits on 龙湾区's standing
# committee (renda.demo.seeding), so 龙湾区 elected it to the city congress.
LOGIN_CITY_UNITS = {"sc_member": "龙湾区"}
TAGS = (
    "教育",
    "医疗卫生",
    "法律",
    "科技",
    "农业农村",
    "城市建设",
    "生态环境",
    "社会保障",
    "民营经济",
    "文化旅游",
    "交通",
)
CITY_GROUPS = (
    ("教科文卫专业小组", "professional_group", ("教育", "医疗卫生", "科技", "文化旅游")),
    ("财政经济专业小组", "professional_group", ("民营经济",)),
    ("法制专业小组", "professional_group", ("法律",)),
)


def _id_number(rng: random.Random, area: str, male: bool, taken: set[str]) -> tuple[str, date]:
    """A valid 18-character number (GB 11643): area, birth date, order code of the right
    parity, check character; different from every number already taken."""
    while True:
        born = date(rng.randint(1958, 1994), rng.randint(1, 12), rng.randint(1, 28))
        order = rng.randrange(0, 998, 2) + (1 if male else 0)
        first17 = f"{area}{born:%Y%m%d}{order:03d}"
        number = first17 + check_char(first17)
        if number not in taken:
            taken.add(number)
            return number, born


def _delegations(term: Term, names: list[str], created: Counter[str]) -> dict[str, Delegation]:
    have = {d.name: d for d in Delegation.objects.filter(term=term)}
    missing = [
        Delegation(congress_id=term.congress_id, term=term, name=n)
        for n in dict.fromkeys(names)
        if n not in have
    ]
    if missing:
        Delegation.objects.bulk_create(missing)
        created["delegations"] += len(missing)
        have = {d.name: d for d in Delegation.objects.filter(term=term)}
    return have


def _seat_place(rng: random.Random, congress: Congress) -> tuple[str, str, str, str]:
    """(ID area code, electoral unit, delegation name, area for the workplace)."""
    if congress.level == "city":
        unit, area = rng.choice(CITY_UNITS)
        return area, unit, f"{unit}代表团", unit
    streets = STREETS.get(congress.division_code, ("城关街道",))
    street = rng.choice(streets)
    return (
        congress.division_code,
        f"{street}第{rng.randint(1, 6)}选区",
        f"{street}代表团",
        f"{congress.region_name}{street}",
    )


def seed_deputies_registry(congresses: dict[str, Congress], terms: dict[str, Term]) -> Counter[str]:
    """Put every demo deputy without a registry record into the registry; return the counts."""
    created: Counter[str] = Counter()
    rng = random.Random(SEED)
    tags = _tags(created)
    taken = set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))
    with_person = set(Person.objects.values_list("user_id", flat=True))
    by_code = {c.pk: code for code, c in congresses.items()}
    # A login may sit in two congresses (sc_member: the city and 龙湾区): one Person, a seat
    # in each.
    seated = set(
        Deputyship.objects.filter(term__in=list(terms.values())).values_list(
            "person__user_id", "congress_id"
        )
    )
    roles = (
        RoleAssignment.objects.filter(role="deputy", congress_id__in=list(by_code))
        .select_related("user")
        .order_by("congress_id", "user__username")
    )
    plans: list[dict[str, Any]] = []
    seats_only: list[dict[str, Any]] = []
    for ra in roles:
        if (ra.user_id, ra.congress_id) in seated:
            continue
        seated.add((ra.user_id, ra.congress_id))
        congress = congresses[by_code[ra.congress_id]]
        if ra.user_id in with_person:
            # A second seat of someone already in the registry: the seat only.
            _area, unit, delegation, _place = _seat_place(rng, congress)
            seats_only.append(
                {
                    "user": ra.user,
                    "congress": congress,
                    "term": terms[by_code[ra.congress_id]],
                    "unit": unit,
                    "delegation": delegation,
                }
            )
            continue
        with_person.add(ra.user_id)
        male = rng.random() < 0.68
        area, unit, delegation, place = _seat_place(rng, congress)
        if congress.level == "city" and ra.user.username in LOGIN_CITY_UNITS:
            unit = place = LOGIN_CITY_UNITS[ra.user.username]
            area, delegation = dict(CITY_UNITS)[unit], f"{unit}代表团"
        number, born = _id_number(rng, area, male, taken)
        pattern, sector, person_tags = rng.choice(WORKPLACES)
        workplace = pattern.format(area=place)
        if ra.user.username in LOGIN_DETAILS:
            workplace, sector, person_tags = LOGIN_DETAILS[ra.user.username]
        plans.append(
            {
                "user": ra.user,
                "congress": congress,
                "term": terms[by_code[ra.congress_id]],
                "number": number,
                "born": born,
                "male": male,
                "unit": unit,
                "delegation": delegation,
                "workplace": workplace,
                "sector": sector,
                "tags": person_tags,
            }
        )
    if plans:
        _write(plans, rng, tags, created)
    if seats_only:
        _seats(seats_only, rng, created)
    _groups(congresses, terms, created)
    return created


def _tags(created: Counter[str]) -> dict[str, ExpertiseTag]:
    have = {t.name: t for t in ExpertiseTag.objects.filter(name__in=TAGS)}
    missing = [ExpertiseTag(name=n) for n in TAGS if n not in have]
    if missing:
        ExpertiseTag.objects.bulk_create(missing, ignore_conflicts=True)
        created["expertise_tags"] += len(missing)
        have = {t.name: t for t in ExpertiseTag.objects.filter(name__in=TAGS)}
    return have


def _write(
    plans: list[dict[str, Any]],
    rng: random.Random,
    tags: dict[str, ExpertiseTag],
    created: Counter[str],
) -> None:
    people = [
        Person(
            user=p["user"],
            name=p["user"].full_name,
            gender="male" if p["male"] else "female",
            ethnicity=rng.choice(ETHNICITIES),
            birth_month=p["born"].replace(day=1),
            id_number=p["number"],
            party=rng.choice(PARTIES),
            workplace=p["workplace"],
            sector=p["sector"],
        )
        for p in plans
    ]
    Person.objects.bulk_create(people)
    created["registry_people"] += len(people)
    through = Person.expertise.through
    links = []
    for person, plan in zip(people, plans, strict=True):
        names = list(plan["tags"])
        if rng.random() < 0.35:
            names.append(rng.choice(TAGS))
        links += [through(person_id=person.pk, expertisetag_id=tags[n].pk) for n in set(names)]
    through.objects.bulk_create(links)
    for person, plan in zip(people, plans, strict=True):
        plan["person"] = person
    _seats(plans, rng, created)


def _seats(plans: list[dict[str, Any]], rng: random.Random, created: Counter[str]) -> None:
    """The plans' deputyships, each in its delegation (made if missing); a plan without a
    "person" is a second seat of someone already in the registry."""
    people = {p.user_id: p for p in Person.objects.filter(user__in=[p["user"] for p in plans])}
    for plan in plans:
        plan.setdefault("person", people.get(plan["user"].pk))
    delegations: dict[int, dict[str, Delegation]] = {}
    for term in {p["term"].pk: p["term"] for p in plans}.values():
        names = [p["delegation"] for p in plans if p["term"].pk == term.pk]
        delegations[term.pk] = _delegations(term, names, created)
    since = timezone.localdate()
    seats = [
        Deputyship(
            person=plan["person"],
            congress=plan["congress"],
            term=plan["term"],
            electoral_unit=plan["unit"],
            delegation=delegations[plan["term"].pk][plan["delegation"]],
            status_since=plan["term"].start_date or since,
            public_fields=list(DEFAULT_PUBLIC_FIELDS)
            + (["expertise"] if rng.random() < 0.5 else []),
        )
        for plan in plans
    ]
    Deputyship.objects.bulk_create(seats)
    created["deputyships"] += len(seats)


def _groups(congresses: dict[str, Congress], terms: dict[str, Term], created: Counter[str]) -> None:
    """The city's professional groups (by expertise) and one mixed group in 鹿城区's 五马街道:
    the district deputies of the street and the city deputies elected in 鹿城区."""
    city = next(c for c in congresses.values() if c.level == "city")
    lucheng = congresses.get("330302")
    wanted: list[tuple[Congress, str, str, Any]] = [
        (
            city,
            name,
            kind,
            Deputyship.objects.filter(
                congress=city, person__expertise__name__in=tag_names
            ).distinct(),
        )
        for name, kind, tag_names in CITY_GROUPS
    ]
    if lucheng is not None:
        wanted.append(
            (
                lucheng,
                "五马街道代表小组",
                "deputy_group",
                Deputyship.objects.filter(congress=lucheng, delegation__name="五马街道代表团")
                | Deputyship.objects.filter(congress=city, electoral_unit="鹿城区"),
            )
        )
    for congress, name, kind, members in wanted:
        group, new = DeputyGroup.objects.get_or_create(
            congress=congress, name=name, defaults={"kind": kind}
        )
        if not new:
            continue  # a group the office has since changed stays as it is
        created["deputy_groups"] += 1
        ids = list(members.order_by("person__name", "pk").values_list("pk", flat=True)[:40])
        rows = [
            GroupMembership(group=group, deputyship_id=pk, is_leader=i == 0)
            for i, pk in enumerate(ids)
        ]
        GroupMembership.objects.bulk_create(rows, ignore_conflicts=True)
        created["group_memberships"] += len(rows)
