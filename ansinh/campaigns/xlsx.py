"""Excel export of a table (openpyxl): a title row, a header row, the rows, widths fitted."""

import datetime
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ansinh.core.xlsx import text_cell_set

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx_bytes(*, title: str, headers: list[str], rows: list[list], sheet: str = "Bang") -> bytes:
    """The workbook as bytes: row 1 the title, row 3 the headers, then one row per item."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    text_cell_set(ws.cell(row=1, column=1), title)
    ws["A1"].font = Font(bold=True, size=13)
    for n, header in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=n)
        text_cell_set(cell, header)
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for row_no, row in enumerate(rows, start=4):
        for n, v in enumerate(row, start=1):  # user text (names, codes) stays text: never a live formula
            text_cell_set(ws.cell(row=row_no, column=n), _cell(v))
        for n, v in enumerate(row[: len(widths)]):
            widths[n] = max(widths[n], len(str(v)) if v is not None else 0)
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = min(max(width + 2, 8), 60)
        for row in ws.iter_rows(min_row=4, min_col=n, max_col=n):
            if isinstance(row[0].value, datetime.date):
                row[0].number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(*, filename: str, title: str, headers: list[str], rows: list[list]) -> HttpResponse:
    """An attachment download of ``xlsx_bytes``."""
    response = HttpResponse(xlsx_bytes(title=title, headers=headers, rows=rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
