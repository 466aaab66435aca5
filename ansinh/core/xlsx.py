"""Writing user text into a workbook as text, never as a formula.

openpyxl turns any string that starts with "=" into a formula cell (and "#N/A"-like strings into error
cells) when it is assigned to a cell. A name such as ``=HYPERLINK("http://…")`` or a household code
``=cmd|'/C calc'!A0`` from an imported file would then come back live in an export. Every workbook An
Sinh writes therefore passes its values through ``safe_value`` / ``safe_row`` (write-only sheets) or
``text_cell_set`` (ordinary sheets): a string is stored as an inline string cell (``t="inlineStr"``),
which Excel and LibreOffice show as text whatever it starts with ("=", "+", "-", "@").

An Sinh writes no formulas at all (totals are computed and written as numbers); ``workbook_formulas``
lists the formula cells of a saved workbook, for the test that scans every workbook the suite writes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[ >/]")


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters are not allowed in a sheet


def text_cell(ws, value: str, *, style=None) -> WriteOnlyCell:
    """A write-only cell holding ``value`` as text (``style``: a cell's ``_style`` to copy)."""
    cell = WriteOnlyCell(ws, value=None)
    cell._value = _text(value)
    cell.data_type = "s"
    if style is not None:
        cell._style = style
    return cell


def safe_value(ws, value):
    """``value`` ready for a write-only sheet: strings become text cells, a cell that holds a string
    is forced to text, other values (numbers, dates, None) pass unchanged."""
    if isinstance(value, str):
        return text_cell(ws, value)
    if isinstance(value, Cell) and isinstance(value._value, str):
        value._value = _text(value._value)
        value.data_type = "s"
    return value


def safe_row(ws, values: Iterable) -> list:
    """A row for ``ws.append`` on a write-only sheet with every string written as text."""
    return [safe_value(ws, v) for v in values]


def text_cell_set(cell, value) -> None:
    """Set an ordinary (not write-only) sheet's ``cell`` to ``value``; a string is stored as text."""
    if isinstance(value, str):
        cell.value = None
        cell._value = _text(value)
        cell.data_type = "s"
    else:
        cell.value = value


def workbook_formulas(data: bytes) -> list[str]:
    """The worksheets (by part name) of the .xlsx ``data`` that hold at least one formula cell."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                if _FORMULA_RE.search(archive.read(name)):
                    found.append(name)
    return found
