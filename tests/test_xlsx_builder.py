"""The shared XLSX builder (qms_customer/tools/xlsx.py), read back with openpyxl."""

import io
from datetime import date, datetime
from types import SimpleNamespace

import openpyxl
import pytest
from conftest import load_pure

xl = load_pure("tools/xlsx.py")

ROWS = [
    {
        "ref": "=HYPERLINK(1)",
        "partner": SimpleNamespace(name="Huadong"),
        "due": datetime(2025, 1, 10, 16, 0),  # naive UTC
        "day": date(2025, 1, 3),
        "late": 1.26,
        "cost": 120.456,
        "rate": 0.25,
        "ok": True,
        "note": "line 1\nline 2",
    },
    {
        "ref": "B",
        "partner": SimpleNamespace(name=False),
        "due": None,
        "day": False,
        "late": 0,
        "cost": 0.0,
        "rate": None,
        "ok": False,
        "note": "",
    },
]
COLUMNS = [
    xl.Column("ref", "Reference", width=16),
    xl.Column("partner.name", "Customer"),
    xl.Column("due", "Due On", kind="datetime"),
    xl.Column("day", "Day", kind="date"),
    xl.Column("late", "Days Late", kind="number", digits=1, highlight="overdue"),
    xl.Column("cost", "Cost", kind="money"),
    xl.Column("rate", "Rate", kind="percent"),
    xl.Column("ok", "OK", kind="yes_no"),
    xl.Column("note", "Note", kind="wrap"),
    xl.Column(lambda row: xl.Cell(row["ref"], highlight="good") if row["ok"] else row["ref"], "Flag"),
]


def _build(rows=ROWS, columns=COLUMNS):
    with xl.XlsxBuilder(tz="Asia/Shanghai", money_digits=2, yes_no=("是", "否")) as builder:
        sheet = builder.add_sheet("Ledger: 2025/01")
        sheet.title("Ledger of Works", "From 2025-01-01 to 2025-01-31")
        count = sheet.table(columns, rows)
        return builder.close(), count


def test_title_header_and_values():
    data, count = _build()
    assert count == 2
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Ledger  2025 01"], "forbidden characters replaced"
    sheet = book.active
    assert sheet["A1"].value == "Ledger of Works"
    assert sheet["A2"].value == "From 2025-01-01 to 2025-01-31"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0] == tuple(column.label for column in COLUMNS)
    first, second = rows[1], rows[2]
    assert first[0] == "=HYPERLINK(1)", "text is never a formula"
    assert first[1] == "Huadong"
    assert first[2] == datetime(2025, 1, 11, 0, 0), "shown in the builder's time zone"
    assert first[3] == datetime(2025, 1, 3, 0, 0)
    assert first[4:8] == (1.3, 120.46, 0.25, "是")
    assert first[8] == "line 1\nline 2"
    assert second == ("B", None, None, None, 0, 0, None, "否", None, "B")


def test_formats_freeze_and_autofilter():
    data, _count = _build()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "B5", "header and first column stay in view"
    assert sheet.auto_filter.ref == "A4:J6"
    assert sheet["A4"].font.b
    assert sheet["C5"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["D5"].number_format == "yyyy-mm-dd"
    assert sheet["E5"].number_format == "0.0"
    assert sheet["E5"].font.color.rgb.endswith("9C0006"), "overdue highlight"
    assert sheet["F5"].number_format == "#,##0.00"
    assert sheet["G5"].number_format == "0.0%"
    assert sheet["I5"].alignment.wrap_text
    assert sheet["J5"].fill.fgColor.rgb.endswith("C6EFCE"), "a cell's own highlight"
    assert sheet.column_dimensions["A"].width > 15


def test_empty_table_has_its_header_and_no_filter():
    data, count = _build(rows=[])
    assert count == 0
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.max_row == 4
    assert not sheet.auto_filter.ref


def test_tables_follow_each_other_and_sheet_names_stay_unique():
    with xl.XlsxBuilder() as builder:
        first = builder.add_sheet("KPIs")
        first.title("KPIs")
        first.table([xl.Column("a", "A")], [{"a": 1}])
        first.table([xl.Column("b", "B", kind="integer")], [{"b": 2}, {"b": xl.Cell(3, highlight="bold")}])
        builder.add_sheet("kpis")
        data = builder.close()
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["KPIs", "kpis 2"]
    values = [row[0] for row in book["KPIs"].iter_rows(min_row=4, values_only=True)]
    assert values == ["A", "1", None, "B", 2, 3]
    assert book["KPIs"]["A9"].font.b


def test_unknown_kind_and_wrong_value_are_refused():
    with xl.XlsxBuilder() as builder, pytest.raises(ValueError):
        builder.add_sheet("S").table([xl.Column("a", "A", kind="colour")], [{"a": 1}])
    with xl.XlsxBuilder() as builder, pytest.raises(TypeError):
        builder.add_sheet("S").table([xl.Column("a", "A", kind="date")], [{"a": "2025-01-01"}])


def test_resolve_reads_objects_and_mappings():
    row = {"partner": SimpleNamespace(country={"code": "CN"})}
    assert xl.resolve(row, "partner.country.code") == "CN"
