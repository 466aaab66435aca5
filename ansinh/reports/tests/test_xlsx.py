"""The streaming Excel writer: the fast row path writes exactly what openpyxl's own cells write."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from ansinh.reports.exports import xlsx
from ansinh.reports.exports.xlsx import DATE, INT, MONEY, MONTH, PCT, Column, write_list

COLUMNS = (
    Column("no", "STT", INT), Column("name", "Họ và tên"), Column("cid", "Số CCCD"),
    Column("born", "Ngày sinh", DATE), Column("month", "Từ tháng", MONTH), Column("pct", "Tỷ lệ (%)", PCT),
    Column("amount", "Số tiền (đồng)", MONEY),
)
ROWS = [
    {"no": 1, "name": "Nguyễn Văn Ấn & <Con>", "cid": "093070000001", "born": datetime.date(1948, 6, 30),
     "month": datetime.date(2024, 12, 1), "pct": Decimal("12.5"), "amount": 1263600},
    {"no": 2, "name": "  Lê Thị Hường\x07", "cid": "", "born": None, "month": datetime.date(2025, 1, 1),
     "pct": 0, "amount": 0},
    {"no": 3, "name": "Trần Văn Đủ", "cid": "001", "born": datetime.date(2000, 2, 29),
     "month": datetime.date(2025, 7, 1), "pct": Decimal("40"), "amount": 505440},
]


def _write(fast: bool, monkeypatch) -> tuple[bytes, object]:
    monkeypatch.setattr(xlsx._FastSheet, "fast", fast)
    out = io.BytesIO()
    result = write_list(out=out, sheet="Thử", title_lines=[("title", "DANH SÁCH THỬ"), ("", "Kỳ")],
                        columns=COLUMNS, rows=iter(ROWS), footer_lines=("Người lập biểu",))
    return out.getvalue(), result


def _cells(content: bytes):
    ws = load_workbook(io.BytesIO(content)).active
    return [[(c.value, c.number_format, c.font.b) for c in row] for row in ws.iter_rows()]


def test_fast_and_plain_paths_write_the_same_cells(monkeypatch):
    fast, fast_result = _write(True, monkeypatch)
    plain, plain_result = _write(False, monkeypatch)
    assert _cells(fast) == _cells(plain)
    assert fast_result.rows == plain_result.rows == 3
    assert fast_result.totals == {"amount": 1263600 + 505440}


def test_values_kinds_and_formats(monkeypatch):
    content, _ = _write(True, monkeypatch)
    ws = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in ws[4]]
    assert header == [c.header for c in COLUMNS]
    first = ws[5]
    assert first[1].value == "Nguyễn Văn Ấn & <Con>"
    assert first[2].value == "093070000001"
    assert first[3].value.date() == datetime.date(1948, 6, 30) and first[3].number_format == "dd/mm/yyyy"
    assert first[4].number_format == "mm/yyyy"
    assert first[5].value == 12.5
    assert first[6].value == 1263600 and first[6].number_format == "#,##0"
    second = ws[6]
    assert second[1].value == "  Lê Thị Hường"  # spaces kept, control character dropped
    assert second[2].value is None and second[3].value is None
    assert ws[7][3].value.date() == datetime.date(2000, 2, 29)
    assert [c.value for c in ws[8]][1] == "Tổng cộng"
    assert ws.merged_cells.ranges and str(list(ws.merged_cells.ranges)[0]) == "A1:G1"
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[4][1] == "Nguyễn Văn Ấn & <Con>" and rows[4][6] == 1263600
