"""User text written into workbooks stays text: every writer (campaign tables, lists, rejected rows)
goes through ``ansinh.core.xlsx``; the suite's guard refuses a workbook with a formula cell."""

import io
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook

from ansinh.campaigns.xlsx import xlsx_bytes
from ansinh.core.xlsx import safe_row, text_cell, workbook_formulas
from ansinh.reports.exports import xlsx as list_xlsx
from ansinh.testing.xlsx_guard import FormulaWritten, guarded_save

ATTACKS = ['=HYPERLINK("http://x.example/?a=1","Bấm")', "=2+3", "=cmd|'/C calc'!A0", "+2+3", "-2+3", "@SUM(A1)",
           "#N/A"]


def _cells(data: bytes) -> list[tuple]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return [(c.value, c.data_type) for row in ws.iter_rows() for c in row if c.value is not None]


def test_campaign_table_writes_formula_looking_text_as_text():
    data = xlsx_bytes(title="=1+1", headers=["Mã hộ", "Số tiền"], rows=[[a, 5] for a in ATTACKS])
    assert workbook_formulas(data) == []
    cells = _cells(data)
    assert cells[0] == ("=1+1", "s")
    assert [c for c in cells if c[0] in ATTACKS] == [(a, "s") for a in ATTACKS]
    assert (5, "n") in cells


@pytest.mark.parametrize("fast", [True, False])
def test_list_export_writes_formula_looking_text_as_text(monkeypatch, fast):
    monkeypatch.setattr(list_xlsx._FastSheet, "fast", fast)
    out = io.BytesIO()
    columns = [list_xlsx.Column("code", "Mã hộ"), list_xlsx.Column("amount", "Số tiền", kind=list_xlsx.MONEY)]
    list_xlsx.write_list(out=out, sheet="Ds", title_lines=[("title", "=1+1"), ("", "=2+2")], columns=columns,
                         rows=[{"code": a, "amount": 7} for a in ATTACKS], footer_lines=["=3+3"])
    data = out.getvalue()
    assert workbook_formulas(data) == []
    texts = [c for c in _cells(data) if isinstance(c[0], str) and c[0][:1] in "=+-@#"]
    assert texts == [("=1+1", "s"), ("=2+2", "s")] + [(a, "s") for a in ATTACKS] + [("=3+3", "s")]


def test_text_cell_strips_control_characters_and_safe_row_keeps_numbers():
    ws = Workbook(write_only=True).create_sheet("x")
    cell = text_cell(ws, "=a\x00b")
    assert (cell.value, cell.data_type) == ("=ab", "s")
    row = safe_row(ws, ["=x", 3, None])
    assert (row[0].value, row[0].data_type, row[1], row[2]) == ("=x", "s", 3, None)


def test_the_guard_refuses_a_workbook_with_a_formula_written_by_ansinh_code(monkeypatch):
    wb = Workbook()
    wb.active["A1"] = "=1+2"
    monkeypatch.setattr("ansinh.testing.xlsx_guard._from_ansinh", lambda filename: True)
    with pytest.raises(FormulaWritten, match=r"^workbook written with formula cells in xl/worksheets/sheet1.xml$"):
        guarded_save(_plain_save)(wb, io.BytesIO())


def _plain_save(wb, target):
    from openpyxl.writer.excel import save_workbook

    save_workbook(wb, target)


def test_workbook_formulas_finds_a_formula_cell():
    out = io.BytesIO()
    wb = Workbook()
    wb.active["B2"] = "=SUM(A1:A3)"
    _plain_save(wb, out)
    assert workbook_formulas(out.getvalue()) == ["xl/worksheets/sheet1.xml"]
    assert b"<f>SUM(A1:A3)</f>" in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
