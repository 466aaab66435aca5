"""Files that cannot be imported: a clear file-level error and the registry untouched."""

import datetime
import zipfile

import pytest

from ansinh.imports import errors
from ansinh.imports.engine import MAX_BLANK_RUN
from ansinh.imports.models import ImportBatch
from ansinh.imports.readers import CELL_MAX_CHARS, open_book
from ansinh.imports.services import members_import
from ansinh.registry.models import Person

from ansinh.imports.legacy_text import tcvn3_encode

from .sheets import HEADER, csv_file, encrypted_xlsx, raw_xlsx, to_cp1258, xlsx

GOOD = [1, "Lê Văn Tám", "15/06/1985", "Nam", "093085000101", "", "", "Phường I"]


def assert_refused(path, error_class, message=None):
    people, batches, history = Person.objects.count(), ImportBatch.objects.count(), Person.history.count()
    with pytest.raises(error_class) as info:
        members_import(path=path)
    assert (Person.objects.count(), ImportBatch.objects.count(), Person.history.count()) == (people, batches, history)
    if message is not None:
        assert info.value.message == message
    return info.value


def test_empty_file(small_province, tmp_path):
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    assert_refused(path, errors.EmptyFile, "Tệp rỗng: không có dữ liệu nào.")


def test_workbook_without_any_cell(small_province, tmp_path):
    assert_refused(xlsx(tmp_path / "rong.xlsx", [], header=None), errors.EmptyFile)


def test_password_protected_file(small_province, tmp_path):
    path = encrypted_xlsx(tmp_path / "mat_khau.xlsx", [GOOD])
    assert_refused(path, errors.EncryptedFile,
                   "Tệp được đặt mật khẩu. Hãy mở tệp bằng Excel, bỏ mật khẩu rồi nhập lại.")


def test_text_file_renamed_xlsx(small_province, tmp_path):
    path = tmp_path / "danh_sach.xlsx"
    path.write_text("Đây là một ghi chú, không phải bảng tính.\n", encoding="utf-8")
    assert_refused(path, errors.NotSpreadsheet,
                   "Tệp có đuôi .xlsx nhưng nội dung không phải bảng tính (có thể là tệp khác bị đổi tên).")


def test_binary_garbage_and_other_documents(small_province, tmp_path):
    garbage = tmp_path / "x.csv"
    garbage.write_bytes(bytes(range(256)) * 10)
    assert_refused(garbage, errors.NotSpreadsheet)
    pdf = tmp_path / "ds.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n%...")
    assert_refused(pdf, errors.WrongFormat)
    docx = tmp_path / "ds.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert_refused(docx, errors.WrongFormat, "Tệp là văn bản Word, không phải bảng tính. Hãy chọn tệp Excel.")
    odt = tmp_path / "ds.pdf"
    odt.write_bytes(b"hello")
    assert_refused(odt, errors.WrongFormat)


def test_corrupt_xlsx(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [GOOD])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_refused(path, errors.CorruptFile)


def test_sheet_without_a_header(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [["Lê Văn Tám", "15/06/1985", "Nam", "Phường I"]] * 5, header=None)
    assert_refused(path, errors.NoHeader)


def test_header_without_data(small_province, tmp_path):
    assert_refused(xlsx(tmp_path / "ds.xlsx", []), errors.NoData,
                   "Tệp có dòng tiêu đề nhưng không có dòng dữ liệu nào.")


def test_formula_error_cell(small_province, tmp_path):
    path = raw_xlsx(tmp_path / "ds.xlsx", [HEADER, GOOD, [2, "Trần Văn B", ("error", "#REF!"), "Nam", "", "", "",
                                                            "Phường I"]])
    assert_refused(path, errors.FormulaErrorCell,
                   "Ô C3 có lỗi công thức #REF!. Hãy sửa công thức (hoặc dán giá trị) rồi nhập lại.")


def test_ten_megabyte_cell(small_province, tmp_path):
    huge = "A" * (10 * 1024 * 1024)
    for shared in (True, False):
        path = raw_xlsx(tmp_path / f"ds{shared}.xlsx", [HEADER, GOOD, [2, "Trần Văn B", "1980", "Nam", "", "", huge,
                                                                          "Phường I"]], shared=shared)
        error = assert_refused(path, errors.CellTooLarge)
        assert error.message.startswith("Ô G3 dài 10.485.760 ký tự, quá giới hạn 32.767 ký tự")
    path = csv_file(tmp_path / "ds.csv", [GOOD, [2, "Trần Văn B", "1980", "Nam", "", "", huge, "Phường I"]])
    assert_refused(path, errors.CellTooLarge)


def test_a_million_blank_rows_stop_quickly(small_province, tmp_path):
    # rows 3 .. 1,000,002 hold nothing (as a sheet whose far row was typed in), then one more member
    rows = [HEADER, GOOD] + [[None]] * 1_000_000 + [[3, "Trần Văn B", "1980", "Nam", "", "", "", "Phường I"]]
    path = raw_xlsx(tmp_path / "ds.xlsx", rows)
    error = assert_refused(path, errors.TooManyBlankRows)
    assert error.message.startswith(f"Từ dòng 3 có hơn {MAX_BLANK_RUN:,} dòng trống liên tiếp".replace(",", "."))


def test_blank_rows_with_empty_strings_count_too(small_province, tmp_path):
    blank = [None, "", " ", "", "", "", "", ""]
    rows = [HEADER, GOOD] + [blank] * (MAX_BLANK_RUN + 1) + [[3, "Trần Văn B", "1980", "Nam", "", "", "", "Phường I"]]
    assert_refused(raw_xlsx(tmp_path / "ds.xlsx", rows, shared=False), errors.TooManyBlankRows)


def test_a_few_blank_rows_are_skipped_and_not_counted(small_province, tmp_path):
    rows = [HEADER, GOOD] + [[None]] * 50 + [[3, "Trần Văn B", "1980", "Nam", "", "", "", "Phường I"]]
    summary, _, _ = members_import(path=raw_xlsx(tmp_path / "ds.xlsx", rows))
    assert (summary["rows"], summary["imported"]) == (2, 2)


def test_xls_is_read_with_calamine(tmp_path):
    # no .xls writer is installed: check the path at least refuses a fake one clearly
    path = tmp_path / "ds.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(errors.ImportFileError):
        open_book(path, "ds.xls")


def test_streaming_reader_reads_what_calamine_reads(tmp_path):
    import python_calamine

    rows = [HEADER, [1, "Lê Văn Tám", datetime.date(1985, 6, 15), "Nam", 93085000101, 912345678, "Ấp 2", "Phường I"],
            [2, "Trần Thị B & C <x>", 31413.5, "Nữ", "093185000102", None, None, "P.1"]]
    path = xlsx(tmp_path / "ds.xlsx", rows)
    book = open_book(path, "ds.xlsx")
    ours = [values for _, values in book.rows(book.sheets[0][1])]
    theirs = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()

    def norm(v):
        if v in ("", None):
            return None
        if isinstance(v, float) and v.is_integer():
            return int(v)
        return v

    assert [[norm(v) for v in row] + [None] * (8 - len(row)) for row in ours] == \
        [[norm(v) for v in row] for row in theirs]


def test_csv_utf8_semicolons_and_legacy_windows_csv(small_province, tmp_path):
    path = csv_file(tmp_path / "ds.csv", [GOOD], delimiter=";")
    summary, _, _ = members_import(path=path)
    assert summary["imported"] == 1
    legacy = csv_file(tmp_path / "cu.csv", [[2, "NguyÔn V¨n Hai", "1970", "Nam", "", "", "", "Ph\xadêng I"]],
                      header=[tcvn3_encode(h) for h in HEADER], encoding="cp1252")
    summary, _, _ = members_import(path=legacy)
    assert summary["imported"] == 1, summary["errors"]
    assert Person.objects.filter(full_name="Nguyễn Văn Hai").exists()
    windows = csv_file(tmp_path / "win.csv", [[3, to_cp1258("Nguyễn Văn Ba"), "1971", "Nam", "", "", "",
                                                to_cp1258("Phường I")]],
                       header=[to_cp1258(h) for h in HEADER], encoding="cp1258")
    summary, _, _ = members_import(path=windows)
    assert summary["imported"] == 1, summary["errors"]
    assert Person.objects.filter(full_name="Nguyễn Văn Ba").exists()


def test_cell_limit_is_excels():
    assert CELL_MAX_CHARS == 32_767


def test_formula_saved_without_its_result(small_province, tmp_path):
    # as openpyxl writes "=1/0": the formula without a cached value
    path = xlsx(tmp_path / "ds.xlsx", [GOOD, [2, "Trần Văn B", "=1/0", "Nam", "", "", "", "Phường I"],
                                       ["=ROW()-1", "Lê Văn C", "1980", "Nam", "", "", "", "Phường I"]])
    assert_refused(path, errors.FormulaErrorCell,
                   "Ô C3 chứa công thức chưa được tính (=1/0). Hãy mở tệp bằng Excel rồi lưu lại, hoặc dán giá trị "
                   "thay cho công thức, rồi nhập lại.")


def test_formula_in_an_ignored_column_is_harmless_and_error_literal_is_refused(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [["=ROW()-1", "Lê Văn C", "1980", "Nam", "", "", "", "Phường I"]])
    summary, _, _ = members_import(path=path)
    assert summary["imported"] == 1
    path = xlsx(tmp_path / "ds2.xlsx", [[1, "Lê Văn D", "#N/A", "Nam", "", "", "", "Phường I"]])
    assert_refused(path, errors.FormulaErrorCell)
