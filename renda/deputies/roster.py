"""The official roster (代表名册) as a file: its columns, how each cell is read, and the check of
every row against the file itself and the registry. No writes here: `actions/roster.py` imports
a checked roster; `registry_export.py` writes the same columns back out.

Columns (any order; a header may carry a `*` or "(必填)"): 姓名, 性别, 民族, 出生年月, 身份证号码,
政治面貌, 工作单位及职务, 选举单位 (or 选区), 代表团, 手机号码. 姓名, 身份证号码 and 选举单位 are
required columns: a file without one is refused. Other columns are reported and ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.utils.translation import gettext as _

from renda.accounts.models import User
from renda.orgs.models import Congress, Term

from .actions.registry import CHUNK, PersonIn, check_person
from .choices import DeputyshipStatus, Party
from .idcards import mask_id_number, normalise
from .models import Delegation, Deputyship, Person
from .roster_files import RosterFileError, Sheet, read_roster_file


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template and the export write it
    aliases: tuple[str, ...] = ()
    required: bool = False  # a file without this column is refused


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", required=True),
    Column("gender", "性别"),
    Column("ethnicity", "民族"),
    Column("birth_month", "出生年月", ("出生日期", "出生年月日")),
    Column("id_number", "身份证号码", ("身份证号", "公民身份号码", "身份证"), required=True),
    Column("party", "政治面貌", ("党派",)),
    Column("workplace", "工作单位及职务", ("工作单位和职务", "单位及职务", "工作单位")),
    Column(
        "electoral_unit",
        "选举单位",
        ("选区", "选举单位(选区)", "选举单位或选区", "选举单位/选区"),
        required=True,
    ),
    Column("delegation", "代表团", ("所在代表团",)),
    Column("phone", "手机号码", ("手机", "手机号", "移动电话", "联系电话")),
)
HEADERS = [c.header for c in COLUMNS]

# 政治面貌 as rosters write it → Party. The codes themselves are accepted too.
PARTY_NAMES: dict[str, str] = {
    "中共党员": Party.CPC,
    "中国共产党党员": Party.CPC,
    "共产党员": Party.CPC,
    "党员": Party.CPC,
    "中共预备党员": Party.CPC_PROBATIONARY,
    "预备党员": Party.CPC_PROBATIONARY,
    "共青团员": Party.CYL,
    "团员": Party.CYL,
    "民革党员": Party.RCCK,
    "民革会员": Party.RCCK,
    "民革": Party.RCCK,
    "民盟盟员": Party.CDL,
    "民盟": Party.CDL,
    "民建会员": Party.CNDCA,
    "民建": Party.CNDCA,
    "民进会员": Party.CAPD,
    "民进": Party.CAPD,
    "农工党党员": Party.CPWDP,
    "农工党": Party.CPWDP,
    "致公党党员": Party.CZGP,
    "致公党": Party.CZGP,
    "九三学社社员": Party.JIUSAN,
    "九三学社": Party.JIUSAN,
    "台盟盟员": Party.TDSGL,
    "台盟": Party.TDSGL,
    "无党派人士": Party.NON_PARTY,
    "无党派民主人士": Party.NON_PARTY,
    "无党派": Party.NON_PARTY,
    "群众": Party.MASSES,
}
# The name the export writes for each Party (the first one listed above).
PARTY_LABELS: dict[str, str] = {}
for _name, _code in PARTY_NAMES.items():
    PARTY_LABELS.setdefault(_code, _name)
GENDER_NAMES = {"男": "male", "女": "female", "male": "male", "female": "female"}
GENDER_LABELS = {"male": "男", "female": "女"}

_SPACE = re.compile(r"\s+")
_NOTE = re.compile(r"[(（][^)）]*必填[^)）]*[)）]")


def norm_header(value: Any) -> str:
    """A header cell as compared: no spaces, asterisks or "(必填)", ASCII brackets."""
    text = "" if value is None else str(value)
    text = _NOTE.sub("", text)
    text = _SPACE.sub("", text).replace("*", "").replace("＊", "")
    return text.replace("（", "(").replace("）", ")").replace("／", "/")


_BY_HEADER: dict[str, Column] = {}
for _column in COLUMNS:
    for _h in (_column.header, *_column.aliases):
        _BY_HEADER[norm_header(_h)] = _column
KNOWN_HEADERS = set(_BY_HEADER)


# --- cells ------------------------------------------------------------------------------------
def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


_YM = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})(?:\s*[-./月]\s*(\d{1,2})?\s*日?)?\s*月?$")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_birth_month(value: Any) -> date | None:
    """出生年月 as rosters write it: an Excel date, 1975.06, 1975-06, 1975/6, 1975年6月,
    197506, 1975-06-12, 19750612. A number typed as 1975.1 is October (Excel drops the trailing
    zero of 1975.10). Raises ValueError when it cannot be read."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1900 <= value < 2200:  # a year.month typed as a number
            year, month = f"{value:.2f}".split(".")
            return date(int(year), int(month), 1)
        if 190001 <= value <= 219912 and float(value).is_integer():  # 197506
            return date(int(value) // 100, int(value) % 100, 1)
        if 19000101 <= value <= 21991231 and float(value).is_integer():  # 19750612
            return date(int(value) // 10000, int(value) // 100 % 100, 1)
        if 1 <= value < 200000:  # an Excel serial day number not formatted as a date
            return (EXCEL_EPOCH + timedelta(days=int(value))).replace(day=1)
        raise ValueError(value)
    text = str(value).strip().replace("．", ".")
    match = _YM.match(text)
    if match:
        return date(int(match.group(1)), int(match.group(2)), 1)
    if re.fullmatch(r"\d{6}|\d{8}", text):
        return date(int(text[:4]), int(text[4:6]), 1)
    raise ValueError(value)


def parse_phone(value: Any) -> str:
    text = cell_text(value)
    return re.sub(r"[\s\-]", "", text)


# --- the report ---------------------------------------------------------------------------------
@dataclass
class RowReport:
    row: int
    name: str = ""
    masked_id: str = ""
    errors: list[str] = field(default_factory=list)
    action: str = ""  # "create" | "update" when ok

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Entry:
    """A checked row, ready for the registry actions."""

    row: int
    clean: dict[str, Any]
    electoral_unit: str
    delegation: Delegation | None


@dataclass
class RosterReport:
    """What a roster file would do: every row's result, and notices about the columns."""

    kind: str = ""
    rows: list[RowReport] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)  # optional ones, a notice
    entries: list[Entry] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if not r.ok)


class RosterRefused(Exception):
    """The file cannot be read as a roster at all (a translated sentence)."""


def _columns(sheet: Sheet, report: RosterReport) -> dict[str, int]:
    where: dict[str, int] = {}
    for index, raw in enumerate(sheet.header):
        if not raw:
            continue
        column = _BY_HEADER.get(norm_header(raw))
        if column is None:
            report.extra_columns.append(raw)
            continue
        if column.key in where:
            raise RosterRefused(
                _("The column %(name)s appears twice in the header row (row %(row)d).")
                % {"name": column.header, "row": sheet.header_row}
            )
        where[column.key] = index
    missing = [c.header for c in COLUMNS if c.required and c.key not in where]
    if missing:
        raise RosterRefused(
            _(
                "The header row (row %(row)d) lacks the required columns: %(names)s. The "
                "template has every column."
            )
            % {"row": sheet.header_row, "names": "、".join(missing)}
        )
    report.missing_columns = [c.header for c in COLUMNS if c.key not in where]
    return where


def _read_row(values: list[Any], where: dict[str, int]) -> dict[str, Any]:
    def get(key: str) -> Any:
        index = where.get(key)
        return values[index] if index is not None and index < len(values) else None

    return {c.key: get(c.key) for c in COLUMNS}


def _check_cells(raw: dict[str, Any], errors: list[str]) -> PersonIn:
    id_value = raw["id_number"]
    id_number = cell_text(id_value)
    if isinstance(id_value, int | float) and not isinstance(id_value, bool):
        errors.append(
            _(
                "身份证号码 was stored as a number, so Excel dropped its last digits: format "
                "the column as text and type the number again."
            )
        )
        id_number = ""
    birth = None
    try:
        birth = parse_birth_month(raw["birth_month"])
    except (ValueError, OverflowError):
        errors.append(
            _("出生年月 cannot be read: %(value)s (write it as 1975.06 or 1975-06).")
            % {"value": cell_text(raw["birth_month"])[:20]}
        )
    gender_text = cell_text(raw["gender"])
    gender = GENDER_NAMES.get(gender_text, "")
    if gender_text and not gender:
        errors.append(_("性别 must be 男 or 女: %(value)s") % {"value": gender_text[:20]})
    party_text = cell_text(raw["party"])
    party = PARTY_NAMES.get(party_text.replace(" ", ""), "")
    if not party and party_text in Party.values:
        party = party_text
    if party_text and not party:
        errors.append(
            _("政治面貌 is not one the registry knows: %(value)s (e.g. 中共党员, 民盟盟员, 群众).")
            % {"value": party_text[:20]}
        )
    return PersonIn(
        name=cell_text(raw["name"]),
        id_number=id_number,
        gender=gender,
        ethnicity=cell_text(raw["ethnicity"]),
        birth_month=birth,
        party=party,
        workplace=cell_text(raw["workplace"]),
        phone=parse_phone(raw["phone"]),
    )


def _chunks(items: list[Any]) -> Any:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def check_roster(fh: IO[bytes], *, congress: Congress, term: Term) -> RosterReport:
    """Read the file and check every row (DEP registry rules; docs/deputies.md): the person's
    fields by check_person (GB 11643 ID-card number, birth month and gender consistent with it),
    the required cells, 政治面貌, the term's known delegations, the same ID-card number or phone
    twice in the file, and against the registry: the same person already in this term is an
    update (an ended deputyship cannot be imported again), the same phone on another person is
    an error. Raises RosterRefused when the file itself cannot be used."""
    try:
        sheet = read_roster_file(fh, KNOWN_HEADERS, norm_header)
    except RosterFileError as exc:
        raise RosterRefused(str(exc)) from None
    report = RosterReport(kind=sheet.kind)
    where = _columns(sheet, report)
    if not sheet.rows:
        raise RosterRefused(_("The file has a header row but no deputies below it."))
    delegations = {d.name: d for d in Delegation.objects.filter(term=term)}
    checked: list[tuple[RowReport, dict[str, Any] | None, str, Delegation | None]] = []
    for number, values in sheet.rows:
        errors: list[str] = []
        raw = _read_row(values, where)
        person_in = _check_cells(raw, errors)
        clean, problems = check_person(person_in)
        errors += [p.detail for p in problems]
        unit = cell_text(raw["electoral_unit"])
        if not unit:
            errors.append(_("选举单位 is required."))
        elif len(unit) > 100:
            errors.append(_("选举单位: at most 100 characters."))
        delegation = None
        delegation_name = cell_text(raw["delegation"])
        if delegation_name:
            delegation = delegations.get(delegation_name)
            if delegation is None:
                if delegations:
                    known = "、".join(sorted(delegations)[:30])
                    errors.append(
                        _("Unknown 代表团 %(name)s; this term's delegations are: %(known)s.")
                        % {"name": delegation_name[:50], "known": known}
                    )
                else:
                    errors.append(
                        _(
                            "Unknown 代表团 %(name)s: this term has no delegations yet (add "
                            "them under Delegations first)."
                        )
                        % {"name": delegation_name[:50]}
                    )
        elif delegations and "delegation" in where:
            errors.append(_("代表团 is required: this term has delegations."))
        shown = normalise(person_in.id_number)
        row = RowReport(
            row=number, name=person_in.name[:50], masked_id=mask_id_number(shown), errors=errors
        )
        checked.append((row, clean, unit, delegation))
    _check_duplicates(checked)
    _check_registry(checked, term)
    for row, clean, unit, delegation in checked:
        report.rows.append(row)
        if not row.ok:
            row.action = ""
        elif clean is not None:
            report.entries.append(Entry(row.row, clean, unit, delegation))
            if row.action == "update":
                report.updated += 1
            else:
                row.action = "create"
                report.created += 1
    return report


def _check_duplicates(checked: list[Any]) -> None:
    """The same ID-card number twice in the file; the same phone on two ID-card numbers."""
    by_id: dict[str, list[RowReport]] = {}
    by_phone: dict[str, dict[str, RowReport]] = {}
    for row, clean, _unit, _delegation in checked:
        if clean is None:
            continue
        by_id.setdefault(clean["id_number"], []).append(row)
        if clean["phone"]:
            by_phone.setdefault(clean["phone"], {}).setdefault(clean["id_number"], row)
    for rows in by_id.values():
        if len(rows) > 1:
            for row in rows:
                others = "、".join(str(r.row) for r in rows if r is not row)
                row.errors.append(
                    _("The same 身份证号码 is also in row %(rows)s.") % {"rows": others}
                )
    for phone, owners in by_phone.items():
        if len(owners) > 1:
            rows = list(owners.values())
            for row in rows:
                others = "、".join(str(r.row) for r in rows if r is not row)
                row.errors.append(
                    _("The same 手机号码 %(phone)s is also in row %(rows)s (another person).")
                    % {"phone": phone, "rows": others}
                )


def _check_registry(checked: list[Any], term: Term) -> None:
    """Against the database: already in this term (an update; ended: an error), and the phone
    of another person in the registry."""
    numbers = [clean["id_number"] for _r, clean, *_ in checked if clean is not None]
    people: dict[str, int] = {}
    for chunk in _chunks(numbers):
        people.update(Person.objects.filter(id_number__in=chunk).values_list("id_number", "pk"))
    seats: dict[int, str] = {}
    for chunk in _chunks(list(people.values())):
        seats.update(
            Deputyship.objects.filter(person_id__in=chunk, term=term).values_list(
                "person_id", "status"
            )
        )
    phones = sorted({clean["phone"] for _r, clean, *_ in checked if clean and clean["phone"]})
    owners: dict[str, set[str]] = {}
    for chunk in _chunks(phones):
        for phone, number in User.objects.filter(phone__in=chunk, person__isnull=False).values_list(
            "phone", "person__id_number"
        ):
            owners.setdefault(phone, set()).add(number)
    for row, clean, _unit, _delegation in checked:
        if clean is None:
            continue
        person_id = people.get(clean["id_number"])
        status = seats.get(person_id) if person_id else None
        if status == DeputyshipStatus.ENDED:
            row.errors.append(
                _("This person's deputyship in this term has ended; it cannot be imported again.")
            )
        elif status is not None:
            row.action = "update"
        others = owners.get(clean["phone"], set()) - {clean["id_number"]}
        if clean["phone"] and others:
            row.errors.append(
                _("The 手机号码 %(phone)s belongs to another deputy in the registry.")
                % {"phone": clean["phone"]}
            )
