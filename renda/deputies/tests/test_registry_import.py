"""The roster import (issue 4 point 2): reading .xlsx and CSV (UTF-8, GBK), every row checked,
the report, nothing written until confirmed, then all or nothing, audited."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
from django.test import override_settings

from renda.accounts.models import RoleAssignment, User
from renda.audit.models import AuditEvent
from renda.audit.queries import verify_chain
from renda.deputies.actions.registry import end_deputyship
from renda.deputies.actions.roster import RosterHasErrors, import_roster, preview_roster
from renda.deputies.models import Delegation, Deputyship, Person
from renda.deputies.roster import HEADERS, parse_birth_month
from renda.errors import Forbidden, InvalidInput
from renda.suggestions.tests.attachment_files import PDF, ole, plain_zip, png

from .roster_builders import csv_bytes, id_for, person_row, upload, xlsx_bytes

DELEGATIONS = ("鹿城代表团", "龙湾代表团")


@pytest.fixture
def office(world):
    for name in DELEGATIONS:
        Delegation.objects.create(congress=world.city, term=world.term, name=name)
    return world


def preview(world, data, by="affairs"):
    return preview_roster(upload(data), congress=world.city, term=world.term, by=world[by])


def run_import(world, data, by="affairs"):
    return import_roster(upload(data), congress=world.city, term=world.term, by=world[by])


def rows(n, **kw):
    return [person_row(i, 代表团="鹿城代表团", **kw) for i in range(1, n + 1)]


def errors_of(report, row):
    return next(r.errors for r in report.rows if r.row == row)


# --- reading --------------------------------------------------------------------------------------
def test_a_good_workbook_previews_without_writing_then_imports_everything(office):
    before = (Person.objects.count(), Deputyship.objects.count(), AuditEvent.objects.count())
    report = preview(office, xlsx_bytes(rows(3)))
    assert report.ok and (report.created, report.updated) == (3, 0)
    assert [r.row for r in report.rows] == [2, 3, 4]  # the rows as Excel numbers them
    assert (
        Person.objects.count(),
        Deputyship.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    report = run_import(office, xlsx_bytes(rows(3)))
    person = Person.objects.get(id_number=id_for(2))
    d = person.deputyships.get()
    assert (d.congress, d.term, d.electoral_unit, d.delegation.name) == (
        office.city,
        office.term,
        "示范区",
        "鹿城代表团",
    )
    assert (person.gender, person.birth_month, person.party) == ("male", date(1975, 6, 1), "cpc")
    assert person.user.phone == "13900000002"
    assert RoleAssignment.objects.filter(user=person.user, role="deputy", congress=office.city)
    created = AuditEvent.objects.filter(verb="deputyship.created")
    assert created.count() == 3
    # One event per deputyship (naming the new account and its role) and one for the import.
    assert AuditEvent.objects.count() == before[2] + 4
    event = created.get(object_id=str(d.pk))
    assert (event.data["account"], event.data["role"]) == (person.user.username, "deputy")
    assert not person.user.has_usable_password()
    imported = AuditEvent.objects.get(verb="roster.imported")
    assert (imported.data["created"], imported.data["updated"], imported.data["rows"]) == (3, 0, 3)
    assert imported.data["accounts_created"] == 3
    assert verify_chain()[1] is None  # the bulk-written events chain like any others


def test_headers_in_any_order_with_a_title_row_above_and_an_extra_column(office):
    headers = list(reversed(HEADERS)) + ["备注"]
    data = xlsx_bytes(rows(2), headers=headers, title="示范市第十四届人民代表大会代表名册")
    report = preview(office, data)
    assert report.ok and report.extra_columns == ["备注"]
    assert [r.row for r in report.rows] == [3, 4]


def test_aliases_and_marked_headers_are_recognised(office):
    headers = ["姓名*", "身份证号", "选区", "手机号码（必填）"]
    row = person_row(1)
    keys = ("姓名", "身份证号码", "选举单位", "手机号码")
    data = dict(zip(headers, [row[k] for k in keys], strict=True))
    report = preview(office, xlsx_bytes([data], headers=headers))
    assert report.ok, report.rows[0].errors
    assert set(report.missing_columns) == {
        "性别",
        "民族",
        "出生年月",
        "政治面貌",
        "工作单位及职务",
        "代表团",
    }


def test_missing_required_columns_refuse_the_file_naming_them(office):
    headers = [h for h in HEADERS if h not in ("身份证号码", "选举单位")]
    with pytest.raises(InvalidInput) as exc:
        preview(office, xlsx_bytes(rows(1), headers=headers))
    assert "身份证号码" in exc.value.detail and "选举单位" in exc.value.detail
    assert exc.value.code == "roster_file"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(office, encoding):
    report = preview(office, csv_bytes(rows(2), encoding=encoding))
    assert report.ok, [r.errors for r in report.rows]
    assert report.kind == "csv" and report.rows[0].name == "代表1"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (png(), "PNG"),
        (PDF, "PDF"),
        (plain_zip(), "not an Excel workbook"),
        (ole("Workbook"), ".xls"),
        (ole("EncryptionInfo"), "password"),
        (b"PK\x03\x04" + b"\x00" * 200, "damaged"),
        (b"\x00\x01\x02binary\x00" * 50, "neither"),
        ("姓名,身份证号码,选举单位\r\n".encode(), "no deputies"),
    ],
)
def test_files_that_are_no_roster_get_a_clear_error(office, data, words):
    with pytest.raises(InvalidInput) as exc:
        preview(office, data)
    assert words in exc.value.detail


def test_a_workbook_whose_sheet_is_corrupt_gets_a_clear_error(office):
    good = xlsx_bytes(rows(1))
    import io

    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            body = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                body = body[: len(body) // 2]  # cut mid-XML
            z.writestr(item, body)
    with pytest.raises(InvalidInput) as exc:
        preview(office, out.getvalue())
    assert "damaged" in exc.value.detail


@override_settings(RENDA_ROSTER_MAX_ROWS=5)
def test_too_many_rows_refuse_the_file(office):
    with pytest.raises(InvalidInput) as exc:
        preview(office, xlsx_bytes(rows(6)))
    assert "more than 5 rows" in exc.value.detail


@override_settings(RENDA_ROSTER_MAX_MB=0.001)
def test_too_large_a_file_is_refused(office):
    with pytest.raises(InvalidInput) as exc:
        preview(office, xlsx_bytes(rows(10)))
    assert "larger than" in exc.value.detail


# --- rows -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1975.06", date(1975, 6, 1)),
        ("1975.6", date(1975, 6, 1)),
        ("1975-06", date(1975, 6, 1)),
        ("1975/6", date(1975, 6, 1)),
        ("1975年6月", date(1975, 6, 1)),
        ("1975年06月12日", date(1975, 6, 1)),
        ("197506", date(1975, 6, 1)),
        ("19750612", date(1975, 6, 1)),
        (1975.06, date(1975, 6, 1)),
        (1975.1, date(1975, 10, 1)),  # Excel dropped the trailing zero of 1975.10
        (datetime(1975, 6, 12), date(1975, 6, 1)),
        (date(1975, 6, 12), date(1975, 6, 1)),
        (27557, date(1975, 6, 1)),  # an Excel day number not formatted as a date
        ("", None),
        (None, None),
    ],
)
def test_birth_month_in_the_ways_rosters_write_it(value, expected):
    assert parse_birth_month(value) == expected


def test_excel_dates_and_numbers_in_a_real_workbook(office):
    row = person_row(1, 出生年月=datetime(1975, 6, 12), 手机号码=13900000001, 代表团="鹿城代表团")
    report = preview(office, xlsx_bytes([row]))
    assert report.ok, report.rows[0].errors


def test_every_problem_of_a_row_is_reported_in_one_go(office):
    bad = person_row(
        2,
        身份证号码=id_for(2)[:17] + ("0" if id_for(2)[17] != "0" else "1"),
        出生年月="1980.01",
        政治面貌="某某党",
        代表团="不存在代表团",
        选举单位="",
        手机号码="12345",
    )
    report = preview(office, xlsx_bytes([person_row(1, 代表团="鹿城代表团"), bad]))
    assert not report.ok and report.error_rows == 1
    errors = " | ".join(errors_of(report, 3))
    for words in (
        "check character",
        "政治面貌",
        "不存在代表团",
        "鹿城代表团、龙湾代表团",
        "选举单位",
        "11 digits",
    ):
        assert words in errors
    assert errors_of(report, 2) == []


def test_birth_month_and_gender_must_agree_with_the_id_card(office):
    report = preview(
        office, xlsx_bytes([person_row(1, 出生年月="1976.06", 性别="女", 代表团="鹿城代表团")])
    )
    errors = " ".join(errors_of(report, 2))
    assert "birth month" in errors and "gender" in errors


def test_an_id_number_stored_as_an_excel_number_is_caught(office):
    report = preview(
        office, xlsx_bytes([person_row(1, 身份证号码=3.30302197506010e17, 代表团="鹿城代表团")])
    )
    assert "stored as a number" in " ".join(errors_of(report, 2))


def test_the_same_person_or_phone_twice_in_the_file_is_an_error_on_both_rows(office):
    twice = [person_row(1, 代表团="鹿城代表团"), person_row(2, 代表团="鹿城代表团")]
    twice[1]["身份证号码"] = twice[0]["身份证号码"]
    phone = [
        person_row(3, 代表团="鹿城代表团"),
        person_row(4, 代表团="鹿城代表团", 手机号码="13900000003"),
    ]
    report = preview(office, xlsx_bytes(twice + phone))
    assert "also in row 3" in " ".join(errors_of(report, 2))
    assert "also in row 2" in " ".join(errors_of(report, 3))
    assert "also in row 5" in " ".join(errors_of(report, 4))


def test_a_deputy_already_in_the_term_is_updated_not_an_error(office):
    run_import(office, xlsx_bytes(rows(2)))
    again = rows(3)
    again[0]["工作单位及职务"] = "示范市第二中学校长"
    again[0]["代表团"] = "龙湾代表团"
    report = run_import(office, xlsx_bytes(again))
    assert (report.created, report.updated) == (1, 2)
    assert [r.action for r in report.rows] == ["update", "update", "create"]
    person = Person.objects.get(id_number=id_for(1))
    assert person.workplace == "示范市第二中学校长"
    assert person.deputyships.get().delegation.name == "龙湾代表团"
    assert Person.objects.filter(id_number__in=[id_for(i) for i in (1, 2, 3)]).count() == 3
    assert AuditEvent.objects.filter(verb="deputyship.updated").count() == 1
    assert AuditEvent.objects.filter(verb="person.updated").count() == 1


def test_a_phone_of_another_deputy_in_the_registry_is_an_error(office):
    other = Person.objects.get(user=office["deputy"])
    User.objects.filter(pk=other.user_id).update(phone="13911112222")
    report = preview(
        office, xlsx_bytes([person_row(1, 手机号码="13911112222", 代表团="鹿城代表团")])
    )
    assert "belongs to another deputy" in " ".join(errors_of(report, 2))


def test_an_ended_deputyship_cannot_be_imported_again_DEP_TERMINATE(office):
    run_import(office, xlsx_bytes(rows(1)))
    d = Deputyship.objects.get(person__id_number=id_for(1))
    end_deputyship(d, ground="resigned", on=date(2026, 1, 5), by=office["affairs"])
    report = preview(office, xlsx_bytes(rows(1)))
    assert "has ended" in " ".join(errors_of(report, 2))


def test_a_roster_with_one_bad_row_imports_nothing(office):
    data = rows(4)
    data[2]["身份证号码"] = "330302197506"
    before = (Person.objects.count(), User.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RosterHasErrors) as exc:
        run_import(office, xlsx_bytes(data))
    assert exc.value.report.error_rows == 1
    assert (Person.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before


def test_a_city_deputy_imported_into_the_county_stays_one_person(office):
    from renda.orgs.models import Term

    run_import(office, xlsx_bytes(rows(1)))
    county_term = Term.objects.create(congress=office.county, number=9, start_date=date(2022, 1, 1))
    report = import_roster(
        upload(xlsx_bytes([person_row(1, 选举单位="第3选区")])),
        congress=office.county,
        term=county_term,
        by=office["county_affairs"],
    )
    assert report.created == 1
    person = Person.objects.get(id_number=id_for(1))
    assert person.deputyships.count() == 2


@pytest.mark.parametrize("username", ["county_affairs", "deputy", "edu_clerk", "nobody"])
def test_only_the_congress_office_imports(office, username):
    with pytest.raises(Forbidden):
        preview(office, xlsx_bytes(rows(1)), by=username)
    with pytest.raises(Forbidden):
        run_import(office, xlsx_bytes(rows(1)), by=username)


def test_a_term_of_another_congress_is_refused(office):
    from renda.orgs.models import Term

    county_term = Term.objects.create(congress=office.county, number=9, start_date=date(2022, 1, 1))
    with pytest.raises(InvalidInput):
        preview_roster(
            upload(xlsx_bytes(rows(1))), congress=office.city, term=county_term, by=office["admin"]
        )
