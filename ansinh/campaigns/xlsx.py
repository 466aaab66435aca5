"""Excel export of a table (openpyxl): a title row, a header row, the rows, widths fitted."""

import datetime
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for row in rows:
        ws.append([_cell(v) for v in row])
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
