"""One XLSX builder for the overdue report and every ledger (plain Python, no Odoo).

A sheet is a title, a filters line and tables whose columns are declared once (label, value,
kind, width). The workbook streams its rows to disk (``constant_memory``) and is assembled in a
temporary file, so a ledger of 100 000 rows costs the memory of one row, not of the workbook.
"""

import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytz

try:
    import xlsxwriter
except ImportError:  # pragma: no cover - declared in the manifest's external_dependencies
    xlsxwriter = None

BORDER = {"border": 1}
# Format kinds a column (or a cell) may name; "number" and "money" take their decimals apart.
KINDS = {
    "text": {},
    "wrap": {"text_wrap": True, "valign": "top"},
    "date": {"num_format": "yyyy-mm-dd"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
    "integer": {"num_format": "0"},
    "number": {},
    "money": {},
    "percent": {"num_format": "0.0%"},
    "yes_no": {},
}
HIGHLIGHTS = {
    "bold": {"bold": True},
    "good": {"font_color": "#006100", "bg_color": "#C6EFCE"},
    "overdue": {"font_color": "#9C0006", "bg_color": "#FFC7CE"},
    "due_soon": {"font_color": "#9C5700", "bg_color": "#FFEB9C"},
}
TITLE = {"bold": True, "font_size": 14}
HEADER = {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``value`` is a dotted path of attributes or keys read on each row (``"partner_id.name"``, or
    ``"reference"`` of a dict) or a function of the row; it may return a :class:`Cell` to
    override the column's kind or highlight for that row.
    """

    value: str | Callable[[Any], Any]
    label: str | None = None
    kind: str | None = None  # a key of KINDS; None is "text" (the ledger wizard infers it)
    width: float | None = None
    digits: int | None = None  # decimals of a "number" column, to which its values are rounded
    highlight: str | None = None  # a key of HIGHLIGHTS for every cell of the column


@dataclass(frozen=True)
class Cell:
    """A value with its own kind or highlight (a total line, a met or missed deadline)."""

    value: Any
    kind: str | None = None
    highlight: str | None = None


def resolve(row, path):
    """The value at a dotted ``path`` of a record, an object or a mapping."""
    value = row
    for name in path.split("."):
        value = value.get(name) if isinstance(value, Mapping) else getattr(value, name)
    return value


class XlsxBuilder:
    """A workbook in constant-memory mode with the shared formats.

    ``tz``: the zone datetimes are shown in (values are naive UTC, as Odoo keeps them);
    ``money_digits``: the currency's decimals; ``yes_no``: the (translated) words of a yes/no column.
    Use as a context manager and call :meth:`close` for the bytes.
    """

    def __init__(self, tz=None, money_digits=2, yes_no=("Yes", "No")):
        self.tz = pytz.timezone(tz) if isinstance(tz, str) else tz
        self.money_digits = money_digits
        self.yes_no = yes_no
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close() / __exit__
        self.book = xlsxwriter.Workbook(self._file, {"constant_memory": True})
        self._formats = {}
        self._sheet_names = set()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._file.close()

    def close(self):
        """Finish the workbook and return its bytes."""
        self.book.close()
        self._file.seek(0)
        return self._file.read()

    # ------------------------------------------------------------------ formats
    def format(self, kind="text", highlight=None, digits=None):
        """The shared cell format of a kind (with its decimals) and an optional highlight."""
        if kind not in KINDS or (highlight and highlight not in HIGHLIGHTS):
            raise ValueError(f"unknown column kind {kind!r} or highlight {highlight!r}")
        if kind == "number":
            digits = 2 if digits is None else digits
        elif kind == "money":
            digits = self.money_digits
        else:
            digits = None
        key = (kind, highlight, digits)
        if key not in self._formats:
            props = BORDER | KINDS[kind] | HIGHLIGHTS.get(highlight, {})
            if kind == "number":
                props["num_format"] = "0." + "0" * digits if digits else "0"
            elif kind == "money":
                props["num_format"] = "#,##0." + "0" * digits if digits else "#,##0"
            self._formats[key] = self.book.add_format(props)
        return self._formats[key]

    def named_format(self, name):
        """The title and header formats."""
        key = ("named", name)
        if key not in self._formats:
            self._formats[key] = self.book.add_format({"title": TITLE, "header": HEADER}[name])
        return self._formats[key]

    # ------------------------------------------------------------------ sheets
    def add_sheet(self, name):
        """A new sheet; ``name`` is cut to Excel's 31 characters without its forbidden ones."""
        base = _SHEET_NAME_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet"
        unique, number = base, 1
        while unique.lower() in self._sheet_names:
            number += 1
            unique = f"{base[: 31 - len(str(number)) - 1]} {number}"
        self._sheet_names.add(unique.lower())
        return Sheet(self, self.book.add_worksheet(unique))

    def local(self, value):
        """A naive UTC datetime in the builder's zone (naive again: Excel has no zones)."""
        if not isinstance(value, datetime) or self.tz is None:
            return value
        aware = value if value.tzinfo else pytz.utc.localize(value)
        return aware.astimezone(self.tz).replace(tzinfo=None)


class Sheet:
    """A worksheet written top to bottom (constant-memory mode keeps no earlier row)."""

    def __init__(self, builder, worksheet):
        self.builder = builder
        self.worksheet = worksheet
        self.line = 0  # the next row to write

    def title(self, title, filters=None):
        """The title on the first row, the filters line under it, then a blank row."""
        self.worksheet.write_string(0, 0, title, self.builder.named_format("title"))
        if filters:
            self.worksheet.write_string(1, 0, filters)
        self.line = 3

    def widths(self, widths):
        for col, width in enumerate(widths):
            self.worksheet.set_column(col, col, width)

    def cell(self, row, col, value, kind="text", highlight=None, digits=None):
        """One cell: empty values blank, text never read as a formula, datetimes local."""
        if isinstance(value, Cell):
            kind, highlight, value = value.kind or kind, value.highlight or highlight, value.value
        builder, sheet = self.builder, self.worksheet
        cell_format = builder.format(kind, highlight, digits)
        if kind == "yes_no" and value is not None:
            value = builder.yes_no[0] if value else builder.yes_no[1]
        if value is None or value is False or value == "":
            sheet.write_blank(row, col, None, cell_format)
        elif kind in ("date", "datetime"):
            value = builder.local(value)
            if kind == "date" and isinstance(value, datetime):
                value = value.date()
            if not isinstance(value, date):
                raise TypeError(f"a {kind} column got {value!r}")
            sheet.write_datetime(row, col, value, cell_format)
        elif kind in ("integer", "number", "money", "percent"):
            if kind == "number" and digits is not None:
                value = round(value, digits)
            elif kind == "money":
                value = round(value, builder.money_digits)
            sheet.write_number(row, col, value, cell_format)
        else:
            sheet.write_string(row, col, str(value), cell_format)

    def table(self, columns: list[Column], rows: Iterable, freeze=True, autofilter=True):
        """A header line and a line per row from the current line on; returns the row count.

        ``freeze`` keeps the header and the first column in view; ``autofilter`` filters them.
        """
        header_line, sheet = self.line, self.worksheet
        header = self.builder.named_format("header")
        for col, column in enumerate(columns):
            if column.width is not None:
                sheet.set_column(col, col, column.width)
            sheet.write_string(header_line, col, column.label or "", header)
        getters = [
            (column.value if callable(column.value) else _path_getter(column.value), column)
            for column in columns
        ]
        line = header_line
        for row in rows:
            line += 1
            for col, (getter, column) in enumerate(getters):
                self.cell(line, col, getter(row), column.kind or "text", column.highlight, column.digits)
        if freeze:
            sheet.freeze_panes(header_line + 1, 1)
        if autofilter and line > header_line:
            sheet.autofilter(header_line, 0, line, len(columns) - 1)
        self.line = line + 2
        return line - header_line


def _path_getter(path):
    return lambda row: resolve(row, path)
