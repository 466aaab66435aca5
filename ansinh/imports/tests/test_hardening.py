"""What a careless or hostile file can reach: formulas come back as text in the rejected rows."""

import datetime
import io
import tracemalloc
import unicodedata

import pytest
from openpyxl import load_workbook

from ansinh.core.xlsx import workbook_formulas
from ansinh.imports import engine
from ansinh.imports.readers import open_book
from ansinh.imports.services import members_import

from .sheets import HEADER, csv_file

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


def test_the_check_stops_at_the_row_limit_with_a_message_naming_it(small_province, tmp_path, settings):
    from ansinh.imports.errors import TooManyRows

    settings.ANSINH_IMPORT_MAX_ROWS = 1000
    path = _big_csv(tmp_path / "lon.csv", 200_000)
    tracemalloc.start()
    try:
        with pytest.raises(TooManyRows) as refused:
            members_import(path=path, dry_run=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.message == ("Tệp có hơn 1.000 dòng dữ liệu: mỗi lần chỉ nhận tối đa 1.000 dòng. Hãy chia "
                                     "danh sách thành nhiều tệp nhỏ hơn rồi nhập từng tệp.")
    assert peak < 30 * 1024 * 1024


def _big_csv(path, rows: int):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(HEADER) + "\n")
        for n in range(1, rows + 1):
            f.write(f"{n},Nguyễn Văn Số {n % 1000},01/01/1980,Nam,,,Ấp 1,Phường I\n")
    return path


def test_reading_a_large_csv_streams_with_bounded_memory(tmp_path):
    path = _big_csv(tmp_path / "lon.csv", 200_000)
    tracemalloc.start()
    try:
        book = open_book(path, "lon.csv")
        count = sum(1 for _ in book.rows(book.sheets[0][1]))
        book.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_001
    assert peak < 10 * 1024 * 1024  # a 12 MB file read row by row


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "utf-8", "cp1258"])
def test_csv_encodings_are_detected_and_read(tmp_path, encoding):
    from .sheets import to_cp1258

    name = "Nguyễn Thị Hường"
    convert = to_cp1258 if encoding == "cp1258" else str
    row = [convert(v) for v in ["1", name, "01/01/1980", "Nữ", "", "", "Ấp Một", "Phường I"]]
    path = csv_file(tmp_path / "ds.csv", [row], encoding=encoding, header=[convert(h) for h in HEADER])
    book = open_book(path, "ds.csv")
    rows = [values for _, values in book.rows(book.sheets[0][1])]
    assert unicodedata.normalize("NFC", rows[1][1]) == name


def test_one_nul_byte_in_one_cell_is_dropped_not_the_whole_file(small_province, tmp_path):
    path = csv_file(tmp_path / "ds.csv", [[1, "Lê Văn\x00 Tám", "15/06/1985", "Nam", "", "", "Ấp 1", "Phường I"],
                                         [2, "Võ Thị\x07 Hoa", "01/02/1990", "Nữ", "", "", "", "Phường I"]])
    summary, _, _ = members_import(path=path, dry_run=True)
    assert (summary["rows"], summary["imported"], summary["rejected"]) == (2, 2, 0)


def test_a_bidirectional_override_refuses_the_cell_naming_row_and_column(small_province, tmp_path):
    path = csv_file(tmp_path / "ds.csv", [[1, "Lê Văn Tám", "15/06/1985", "Nam", "", "", "Ấp \u202e1 pA", "Phường I"]])
    summary, _, _ = members_import(path=path, dry_run=True)
    assert summary["rejected"] == 1
    assert summary["errors"] == [{"row": 2, "column": "Ấp", "code": "bidi_control",
                                  "message": "Ấp có ký tự điều khiển hướng chữ (U+202E) không được phép; hãy gõ "
                                             "lại ô này."}]
