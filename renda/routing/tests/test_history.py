"""import_history (issue 7 point 3): CSV and Excel, English and Chinese headers, unit names
matched to the registry, unmatched rows reported and not loaded, re-import adds nothing twice,
clear errors for wrong files, missing columns and bad years."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renda.audit.models import AuditEvent
from renda.errors import InvalidInput
from renda.orgs.models import HandlingUnit
from renda.routing.actions import import_history
from renda.routing.history import UnitMatcher
from renda.routing.models import PastSuggestion

from .archive import rows, write_csv, write_xlsx


def _run(*args, **opts) -> str:
    out = StringIO()
    call_command("import_history", *args, stdout=out, **opts)
    return out.getvalue()


def test_import_chinese_headers_loads_closed_records_with_their_unit(world, tmp_path):
    path = write_csv(tmp_path / "a.csv", rows(10))
    out = _run(str(path), congress=str(world.city.pk))
    assert "10 rows read, 10 added" in out
    past = PastSuggestion.objects.filter(congress=world.city)
    assert past.count() == 10
    assert set(past.values_list("lead_unit_id", flat=True)) == {world.edu.pk, world.transport.pk}
    event = AuditEvent.objects.filter(verb="routing.history_imported").get()
    assert event.data["added"] == 10


def test_reimporting_the_same_file_adds_nothing_twice(world, tmp_path):
    path = write_csv(tmp_path / "a.csv", rows(10))
    _run(str(path), congress=str(world.city.pk))
    out = _run(str(path), congress=str(world.city.pk))
    assert "0 added, 10 already there" in out
    assert PastSuggestion.objects.count() == 10


def test_excel_with_english_headers(world, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", rows(6))
    r = import_history(world.city, path)
    assert r.added == 6


def test_unmatched_units_are_reported_and_their_rows_not_loaded(world, tmp_path):
    data = rows(4) + [("关于建设体育公园的建议", "市体育局", 2023)] * 2
    path = write_csv(tmp_path / "a.csv", data)
    out = _run(str(path), congress=str(world.city.pk))
    assert "市体育局: 2" in out
    assert PastSuggestion.objects.count() == 4


def test_create_units_creates_the_missing_ones(world, tmp_path):
    path = write_csv(tmp_path / "a.csv", [("关于建设体育公园的建议", "市体育局", 2023)])
    out = _run(str(path), congress=str(world.city.pk), create_units=True)
    assert "Units created (1): 市体育局" in out
    unit = HandlingUnit.objects.get(congress=world.city, name="市体育局")
    assert PastSuggestion.objects.get().lead_unit == unit
    assert AuditEvent.objects.filter(verb="unit.created").exists()


def test_map_option_reads_another_column(world, tmp_path):
    path = write_csv(tmp_path / "a.csv", rows(3), header=("title", "category", "year"))
    with pytest.raises(CommandError, match="Missing columns: lead_unit"):
        _run(str(path), congress=str(world.city.pk))
    out = _run(str(path), "--map", "lead_unit=category", congress=str(world.city.pk))
    assert "3 added" in out
    with pytest.raises(CommandError, match="no column 'nope'"):
        _run(str(path), "--map", "lead_unit=nope", congress=str(world.city.pk))
    with pytest.raises(CommandError, match="FIELD=COLUMN"):
        _run(str(path), "--map", "colour=category", congress=str(world.city.pk))


def test_a_bad_year_imports_nothing_and_names_the_line(world, tmp_path):
    data = rows(3) + [("关于加强学校安全的建议", "市教育局", "去年")]
    path = write_csv(tmp_path / "a.csv", data)
    with pytest.raises(CommandError, match=r"line\(s\) 5"):
        _run(str(path), congress=str(world.city.pk))
    assert not PastSuggestion.objects.exists()
    assert not AuditEvent.objects.filter(verb="routing.history_imported").exists()


@pytest.mark.parametrize("year", ["1800", "3000", "20x4", ""])
def test_years_out_of_range_are_refused(world, tmp_path, year):
    path = write_csv(tmp_path / "a.csv", [("关于加强学校安全的建议", "市教育局", year)])
    with pytest.raises(InvalidInput):
        import_history(world.city, path)


def test_wrong_files_give_clear_errors(world, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _run(str(tmp_path / "missing.csv"), congress=str(world.city.pk))
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="give a .csv or .xlsx"):
        _run(str(pdf), congress=str(world.city.pk))
    fake = tmp_path / "a.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not a readable Excel"):
        _run(str(fake), congress=str(world.city.pk))
    empty = tmp_path / "e.csv"
    empty.write_text("")
    with pytest.raises(CommandError, match="empty"):
        _run(str(empty), congress=str(world.city.pk))
    with pytest.raises(CommandError, match="No congress"):
        _run(str(empty), congress="999999999")


def test_gb18030_csv_is_read(world, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("标题,主办单位,年度\n关于加强学校安全的建议,市教育局,2024\n".encode("gb18030"))
    assert import_history(world.city, path).added == 1


def test_unit_names_match_normalised_then_one_unambiguous_fuzzy():
    m = UnitMatcher({"市教育局": 1, "市交通运输局": 2, "省交通运输厅": 3})
    assert m.match(" 市教育局 ") == 1
    assert m.match("市敎育局") == 1  # traditional form, normalised
    assert m.match("教育局") == 1  # contained in exactly one name
    assert m.match("交通运输") is None  # in two names: ambiguous, not guessed
    assert m.match("市交通运输局（本级）") == 2
    assert m.match("卫生健康委") is None
