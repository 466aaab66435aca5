"""What a careless or hostile file can reach: formulas come back as text in the rejected rows."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from ansinh.core.xlsx import workbook_formulas
from ansinh.imports import engine
from ansinh.imports.services import members_import

from .sheets import csv_file

TODAY = datetime.date(2026, 1, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(engine.timezone, "localdate", lambda: TODAY)


def test_rejected_rows_file_writes_formula_text_as_text(small_province, tmp_path):
    path = csv_file(tmp_path / "ds.csv", [
        [1, '=HYPERLINK("http://x.example/","Bấm")', "32/01/1980", "Nam", "", "=2+3", "", "Phường I"],
        [2, "Lê Văn Tám", "32/01/1980", "Nam", "", "", "=cmd|'/C calc'!A0", "Phường I"],
    ])
    summary, rejected, batch = members_import(path=path)
    assert summary["rejected"] == 2
    assert workbook_formulas(rejected) == []
    ws = load_workbook(io.BytesIO(rejected)).active
    cells = {c.value: c.data_type for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    assert cells['=HYPERLINK("http://x.example/","Bấm")'] == "s"
    assert cells["=2+3"] == "s"
    assert cells["=cmd|'/C calc'!A0"] == "s"
