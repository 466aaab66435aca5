"""A streaming Excel list: title block, a header row of Vietnamese column names, data rows, a totals row.

Written with openpyxl's write-only mode (one row in memory at a time). Money is written as integers
with the number format ``#,##0``; dates as real dates shown ``dd/mm/yyyy``; months ``mm/yyyy``;
identifiers (SI number, citizen ID, codes) as text so their leading zeros stay.

Speed: openpyxl serialises every cell through an element tree (about 10 µs a cell without lxml), so
100,000 rows × 20 columns would take over 20 s of CPU. Data rows therefore go through ``_FastSheet``,
a write-only worksheet that writes each data row as one ready XML string (same cells, same styles:
numbers, inline strings, dates as serials with a date style) into openpyxl's stream; the workbook,
styles, column widths, frozen header, merged title and the title/header/totals rows are still
openpyxl's own. Where the fast path is not available (openpyxl writing through lxml) the rows fall
back to ordinary write-only cells, slower but identical.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange

from ansinh.core.xlsx import safe_value, text_cell

MONEY_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
MONTH_FORMAT = "mm/yyyy"
TOTAL_LABEL = "Tổng cộng"

# Column kinds: how a value is written and whether the totals row sums it.
TEXT, INT, MONEY, DATE, MONTH, PCT = "text", "int", "money", "date", "month", "pct"

_EXCEL_EPOCH_ORDINAL = datetime.date(1899, 12, 30).toordinal()  # serial 61 = 01/03/1900 onwards


@dataclass(frozen=True)
class Column:
    """One column: its Vietnamese header, its kind (text, int, money, date, month, pct), its width in
    characters and whether the totals row sums it (money columns by default)."""

    key: str
    header: str
    kind: str = TEXT
    width: float = 12
    total: bool | None = None

    @property
    def summed(self) -> bool:
        return self.kind == MONEY if self.total is None else self.total


@dataclass
class ListResult:
    """What was written: ``rows`` (data rows) and ``totals`` {column key: sum} for summed columns."""

    rows: int
    totals: dict[str, int]


class _RawRow(tuple):
    """Values of a data row with the style id of each column, for ``_FastSheet``."""


class _FastSheet(WriteOnlyWorksheet):
    """A write-only worksheet that writes ``_RawRow`` rows as one XML string each (see module doc)."""

    letters: list[str] = []
    style_ids: list[int] = []
    fast = True  # False: every row through openpyxl's own cells (used by a test to compare both paths)

    def _write_rows(self):
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        raw = getattr(xf, "_file", None)
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = (yield)
                    if isinstance(row, _RawRow) and self.fast and callable(raw):
                        raw(_row_xml(row, row_idx, self.letters, self.style_ids))
                    else:
                        if isinstance(row, _RawRow):
                            row = self._styled(row)
                        self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)

    def _styled(self, row: _RawRow) -> list:
        cells = []
        for value, style_id in zip(row, self.style_ids, strict=False):
            if style_id and value is not None:
                cell = text_cell(self, value) if isinstance(value, str) else WriteOnlyCell(self, value=value)
                cell._style = self.parent._cell_styles[style_id]
                cells.append(cell)
            else:
                cells.append(safe_value(self, value))
        return cells


def _row_xml(values: Sequence, row_idx: int, letters: list[str], style_ids: list[int]) -> str:
    r = str(row_idx)
    parts = [f'<row r="{r}">']
    for i, value in enumerate(values):
        if value is None:
            continue
        ref = letters[i] + r
        s = style_ids[i]
        style = f' s="{s}"' if s else ""
        if isinstance(value, str):
            text = escape(value)
            space = ' xml:space="preserve"' if text != text.strip() else ""
            parts.append(f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>')
        elif isinstance(value, bool):
            parts.append(f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, datetime.date):
            day = value.date() if isinstance(value, datetime.datetime) else value
            parts.append(f'<c r="{ref}"{style} t="n"><v>{day.toordinal() - _EXCEL_EPOCH_ORDINAL}</v></c>')
        else:
            parts.append(f'<c r="{ref}"{style} t="n"><v>{value}</v></c>')
    parts.append("</row>")
    return "".join(parts)


class _Styles:
    """Named cell styles, registered once in the workbook."""

    def __init__(self, ws):
        thin = Side(style="thin", color="999999")
        self.ws = ws
        self.kinds = {}
        for kind, fmt in ((MONEY, MONEY_FORMAT), (DATE, DATE_FORMAT), (MONTH, MONTH_FORMAT)):
            cell = WriteOnlyCell(ws, value=None)
            cell.number_format = fmt
            self.kinds[kind] = cell
        header = WriteOnlyCell(ws, value=None)
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.fill = PatternFill("solid", fgColor="DDEBF7")
        header.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.header = header._style
        for name, font in (("title", Font(bold=True, size=14)), ("bold", Font(bold=True)),
                           ("italic", Font(italic=True))):
            cell = WriteOnlyCell(ws, value=None)
            cell.font = font
            if name == "title":
                cell.alignment = Alignment(horizontal="center")
            setattr(self, name, cell._style)
        total_money = WriteOnlyCell(ws, value=None)
        total_money.font = Font(bold=True)
        total_money.number_format = MONEY_FORMAT
        self.total_money = total_money._style

    def style_id(self, kind: str) -> int:
        cell = self.kinds.get(kind)
        return cell.style_id if cell is not None else 0

    def cell(self, value, style):
        if isinstance(value, str):
            return text_cell(self.ws, value, style=style)
        cell = WriteOnlyCell(self.ws, value=value)
        cell._style = style
        return cell


def _plain(value, kind: str):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters are not allowed in a sheet
        return value or None
    if kind == PCT and isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_list(
    *,
    out: str | BinaryIO,
    sheet: str,
    title_lines: Sequence[tuple[str, str]],
    columns: Sequence[Column],
    rows: Iterable[dict],
    footer_lines: Sequence[str] = (),
) -> ListResult:
    """Write one list to ``out`` (a path or a binary file object) and return its row count and totals.

    ``title_lines``: ``(style, text)`` pairs above the header, style one of "title" (centred, large,
    merged across the columns), "bold", "italic", "" (plain). Then an empty row, the header row (frozen),
    the data rows, a "Tổng cộng" row, and ``footer_lines`` (signature lines) after an empty row.
    ``rows``: dicts keyed by column key, consumed once (may be a generator). Money is summed exactly as
    integers; ``None`` and "" cells stay empty.
    """
    wb = Workbook(write_only=True)
    ws = _FastSheet(parent=wb, title=sheet[:31])
    wb._add_sheet(ws)
    styles = _Styles(ws)
    width = len(columns)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    last_letter = get_column_letter(width)
    header_row = len(title_lines) + 2
    ws.freeze_panes = f"A{header_row + 1}"  # before the first row: a write-only sheet writes its view first
    ws.letters = [get_column_letter(i) for i in range(1, width + 1)]
    ws.style_ids = [styles.style_id(c.kind) for c in columns]
    for line_no, (style, text) in enumerate(title_lines, start=1):
        if style == "title":
            ws.merged_cells.add(CellRange(f"A{line_no}:{last_letter}{line_no}"))
        ws.append([styles.cell(text, getattr(styles, style)) if style else safe_value(ws, text)])
    ws.append([])
    ws.append([styles.cell(c.header, styles.header) for c in columns])

    keys = [c.key for c in columns]
    kinds = [c.kind for c in columns]
    summed = [i for i, c in enumerate(columns) if c.summed]
    sums = [0] * width
    count = 0
    for row in rows:
        values = _RawRow(_plain(row.get(key), kinds[i]) for i, key in enumerate(keys))
        for i in summed:
            if values[i]:
                sums[i] += values[i]
        ws.append(values)
        count += 1

    totals_row: list = [None] * width
    totals_row[1 if width > 1 else 0] = styles.cell(TOTAL_LABEL, styles.bold)
    for i in summed:
        totals_row[i] = styles.cell(sums[i], styles.total_money if kinds[i] == MONEY else styles.bold)
    ws.append(totals_row)
    if footer_lines:
        ws.append([])
        for text in footer_lines:
            ws.append([styles.cell(text, styles.italic)])
    wb.save(out)
    return ListResult(rows=count, totals={keys[i]: sums[i] for i in summed})

