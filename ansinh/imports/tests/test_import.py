"""The import service on the test province: exact counts, exact row errors, exactly the good rows in
the registry, dry run, re-import, batches, duplicates, memberships and households."""

import datetime
import unicodedata

import pytest

from ansinh.core.errors import PermissionDenied
from ansinh.imports import engine
from ansinh.imports.legacy_text import tcvn3_encode, vni_encode
from ansinh.imports.models import DuplicateCandidate, ImportBatch
from ansinh.imports.services import members_import
from ansinh.registry.models import Household, HouseholdMember, Membership, Person

from .sheets import xlsx

TODAY = datetime.date(2026, 1, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(engine.timezone, "localdate", lambda: TODAY)


def run(path, **kwargs):
    summary, rejected, batch = members_import(path=path, **kwargs)
    return summary


def counts(summary):
    return {k: summary[k] for k in ("rows", "imported", "updated", "unchanged", "rejected", "duplicates")}


def people_snapshot():
    return sorted(Person.objects.values_list("full_name", "date_of_birth", "sex", "citizen_id", "si_number", "phone",
                                             "hamlet", "commune__name"))


def test_a_file_with_every_kind_of_fault_gives_exact_counts_errors_and_registry(small_province, tmp_path):
    before = Person.objects.count()
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "  lê   văn TÁM ", "15/06/1985", "Nam", "093085000101", "0912 345 678", "ấp 2", "Phường I"],
        [2, unicodedata.normalize("NFD", "Võ Thị Thuỷ"), datetime.date(1990, 1, 2), "Nữ", 93190000102, "", "", "P.1"],
        [3, "NguyÔn V¨n Hïng", 1961, "nam", "", "01689123456", "", "Phường I"],
        [4, "Traàn Thò Hoa", 31413, "Nữ", "", "", "Ấp 3", "phường i"],
        [5, "Phan Văn Sai", "31/02/1980", "Nam", "093080000105", "", "", "Phường I"],
        [6, "Đỗ Thị Lệch", "1981", "Nữ", "093081000106", "", "", "Phường I"],
        [7, "Mai Văn Năm", "1982", "Nam", "093182000107", "", "", "Phường I"],
        [8, "Hồ Văn Xa", "1983", "Nam", "", "", "", "Xã Không Tồn Tại"],
        [9, "Lê Văn Tám", "15/06/1985", "Nam", "093085000101", "", "", "Phường I"],
        [10, "", "", "", "", "", "", ""],
        [11, "Trương Văn Thiếu", "", "Nam", "", "12345", "", "Phường I"],
    ], title="DANH SÁCH HỘI VIÊN CHI HỘI ẤP 1")
    summary = run(path)
    assert counts(summary) == {"rows": 10, "imported": 4, "updated": 0, "unchanged": 0, "rejected": 6,
                               "duplicates": 0}
    assert summary["errors"] == [
        {"row": 8, "column": "Ngày sinh", "code": "date_invalid",
         "message": "Ngày sinh \"31/02/1980\" không hợp lệ: ghi dd/mm/yyyy, năm yyyy hoặc ngày kiểu Excel."},
        {"row": 9, "column": "Số CCCD", "code": "citizen_id_sex",
         "message": "Số CCCD \"093081000106\": số thứ tư (0) không khớp với giới tính Nữ."},
        {"row": 10, "column": "Số CCCD", "code": "citizen_id_sex",
         "message": "Số CCCD \"093182000107\": số thứ tư (1) không khớp với giới tính Nam."},
        {"row": 11, "column": "Xã", "code": "commune_unknown",
         "message": "Không tìm thấy xã/phường/thị trấn \"Xã Không Tồn Tại\" trên bản đồ cũ hay mới."},
        {"row": 12, "column": "Số CCCD", "code": "duplicate_in_file",
         "message": "Trùng với dòng 4 trong cùng tệp (số CCCD 093085000101)."},
        {"row": 14, "column": "Ngày sinh", "code": "required", "message": "Thiếu ngày sinh."},
        {"row": 14, "column": "Số điện thoại", "code": "phone_invalid",
         "message": "Số điện thoại \"12345\" không phải số di động 10 số hợp lệ."},
    ]
    assert Person.objects.count() == before + 4
    added = {p.full_name: p for p in Person.objects.filter(pk__gt=Person.objects.order_by("pk")[before - 1].pk)}
    assert sorted(added) == ["Lê Văn Tám", "Nguyễn Văn Hùng", "Trần Thị Hoa", "Võ Thị Thuỷ"]
    tam = added["Lê Văn Tám"]
    assert (tam.date_of_birth, tam.sex, tam.citizen_id, tam.phone, tam.hamlet, tam.commune) == (
        datetime.date(1985, 6, 15), "male", "093085000101", "0912345678", "Ấp 2", small_province.commune)
    thuy = added["Võ Thị Thuỷ"]
    assert unicodedata.is_normalized("NFC", thuy.full_name)
    assert (thuy.citizen_id, thuy.date_of_birth, thuy.commune) == ("093190000102", datetime.date(1990, 1, 2),
                                                                    small_province.commune)
    hung = added["Nguyễn Văn Hùng"]
    assert (hung.date_of_birth, hung.phone) == (datetime.date(1961, 1, 1), "0389123456")
    hoa = added["Trần Thị Hoa"]
    assert (hoa.date_of_birth, hoa.hamlet) == (datetime.date(1986, 1, 1), "Ấp 3")


def test_dry_run_writes_nothing_and_reports_what_a_real_run_does(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "Lê Văn Tám", "15/06/1985", "Nam", "093085000101", "", "", "Phường I"],
        [2, "Lê Văn Tám", "15/06/1985", "Nam", "", "", "", "Phường I"],
        [3, "Nguyễn Văn An", "05/03/1970", "Nam", "093070000001", "0912000111", "", "Phường I"],
        [4, "B4d", "1970", "Nam", "", "", "", "Phường I"],
    ])
    before = people_snapshot()
    batches = ImportBatch.objects.count()
    dry = run(path, dry_run=True)
    assert people_snapshot() == before
    assert ImportBatch.objects.count() == batches
    real = run(path)
    for key in ("rows", "imported", "updated", "unchanged", "rejected", "duplicates", "errors"):
        assert dry[key] == real[key], key
    assert counts(real) == {"rows": 4, "imported": 1, "updated": 1, "unchanged": 0, "rejected": 2, "duplicates": 0}
    assert [e["code"] for e in real["errors"]] == ["duplicate_in_file", "name_invalid"]


def test_reimporting_the_same_file_adds_nothing(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "Lê Văn Tám", "15/06/1985", "Nam", "093085000101", "0912345678", "Ấp 2", "Phường I"],
        [2, "Trần Văn Không Số", "1979", "Nam", "", "", "Ấp 2", "Phường I"],
        [3, "Lỗi Ngày", "99/99/1999", "Nam", "", "", "", "Phường I"],
    ])
    first = run(path)
    assert counts(first) == {"rows": 3, "imported": 2, "updated": 0, "unchanged": 0, "rejected": 1, "duplicates": 0}
    snapshot = people_snapshot()
    history = Person.history.count()
    second = run(path)
    assert counts(second) == {"rows": 3, "imported": 0, "updated": 0, "unchanged": 2, "rejected": 1,
                              "duplicates": 0}
    assert people_snapshot() == snapshot
    assert Person.history.count() == history


def test_known_person_by_citizen_id_is_updated_with_history_and_blank_cells_erase_nothing(small_province, tmp_path):
    an = Person.objects.get(citizen_id="093070000001")
    an.phone = "0912000000"
    an.hamlet = "Ấp 1"
    an.save()
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "NGUYỄN VĂN AN", "05/03/1970", "Nam", 93070000001, "", "", "Phường I"],
        [2, "Trần Thị Bình", "01/08/1972", "Nữ", "093172000002", "0987654321", "", "Phường I"],
    ])
    summary = run(path)
    assert counts(summary) == {"rows": 2, "imported": 0, "updated": 1, "unchanged": 1, "rejected": 0,
                               "duplicates": 0}
    an.refresh_from_db()
    assert (an.phone, an.hamlet, an.full_name) == ("0912000000", "Ấp 1", "Nguyễn Văn An")
    binh = Person.objects.get(citizen_id="093172000002")
    assert binh.phone == "0987654321"
    assert binh.history.first().history_change_reason == "Nhập tệp ds.xlsx"


def test_old_and_new_tone_placement_are_the_same_name(small_province, tmp_path):
    Person.objects.create(full_name="Võ Thị Thủy", date_of_birth=datetime.date(1990, 1, 2), sex="female",
                          commune=small_province.commune, citizen_id="093190000102")
    path = xlsx(tmp_path / "ds.xlsx", [[1, "Võ Thị Thuỷ", "02/01/1990", "Nữ", "093190000102", "", "", "Phường I"]])
    assert counts(run(path))["unchanged"] == 1
    assert Person.objects.get(citizen_id="093190000102").full_name == "Võ Thị Thủy"


def test_probable_duplicates_are_recorded_not_merged(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [
        # same name without diacritics, date of birth and commune as Nguyễn Văn An, another citizen ID
        [1, "Nguyen Van An", "05/03/1970", "Nam", "093070000999", "", "", "Phường I"],
        # twice in the file with different IDs
        [2, "Lý Thị Mai", "01/01/1980", "Nữ", "093180000201", "", "", "Phường I"],
        [3, "Ly Thi Mai", "01/01/1980", "Nữ", "093180000202", "", "", "Phường I"],
    ])
    summary = run(path)
    assert counts(summary) == {"rows": 3, "imported": 3, "updated": 0, "unchanged": 0, "rejected": 0,
                               "duplicates": 2}
    an = Person.objects.get(citizen_id="093070000001")
    new_an = Person.objects.get(citizen_id="093070000999")
    mai1, mai2 = Person.objects.get(citizen_id="093180000201"), Person.objects.get(citizen_id="093180000202")
    pairs = set(DuplicateCandidate.objects.values_list("person_a_id", "person_b_id", "row", "status"))
    assert pairs == {(an.pk, new_an.pk, 2, "open"), (mai1.pk, mai2.pk, 4, "open")}
    # re-import: the same people, nothing new
    again = run(path)
    assert counts(again) == {"rows": 3, "imported": 0, "updated": 0, "unchanged": 3, "rejected": 0, "duplicates": 0}
    assert DuplicateCandidate.objects.count() == 2


def test_rows_without_ids_are_matched_by_name_date_and_commune(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "Nguyễn Văn An", "05/03/1970", "Nam", "", "0911222333", "", "Phường I"],
        [2, "nguyen van an", "05/03/1970", "Nam", "", "", "", "Phường I"],
    ])
    summary = run(path)
    assert counts(summary) == {"rows": 2, "imported": 0, "updated": 1, "unchanged": 0, "rejected": 1,
                               "duplicates": 0}
    assert summary["errors"] == [{"row": 3, "column": "Họ và tên", "code": "duplicate_in_file",
                                  "message": "Trùng với dòng 2 trong cùng tệp (cùng họ tên, ngày sinh và xã)."}]
    assert Person.objects.get(citizen_id="093070000001").phone == "0911222333"


def test_id_conflict_between_citizen_id_and_si_number(small_province, tmp_path):
    Person.objects.filter(citizen_id="093172000002").update(si_number="9312345678")
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "Nguyễn Văn An", "05/03/1970", "Nam", "093070000001", "9312345678", "Phường I"],
    ], header=["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mã số BHXH", "Xã"])
    summary = run(path)
    assert summary["errors"] == [{"row": 2, "column": "Mã số BHXH", "code": "id_conflict",
                                  "message": "Mã số BHXH 9312345678 đã thuộc về người khác trong hệ thống "
                                             "(Trần Thị Bình)."}]


def test_citizen_id_checks(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "Người Một", "1985", "Nam", "093185000001", "", "", "Phường I"],  # 1 = female of the 1900s
        [2, "Người Hai", "1985", "Nam", "093086000002", "", "", "Phường I"],  # year 86
        [3, "Người Ba", "2001", "Nữ", "093301000003", "", "", "Phường I"],  # ok: 3 = female of the 2000s
        [4, "Người Bốn", "1985", "Nam", "999085000004", "", "", "Phường I"],  # no province 999
        [5, "Người Năm", "1985", "Nam", "12345678", "", "", "Phường I"],
        [6, "Người Sáu", "1985", "Nam", 93085000006, "", "", "Phường I"],  # number: leading zero restored
    ])
    summary = run(path)
    assert [(e["row"], e["code"]) for e in summary["errors"]] == [
        (2, "citizen_id_sex"), (3, "citizen_id_year"), (5, "citizen_id_province"), (6, "citizen_id_format")]
    assert summary["errors"][1]["message"] == (
        "Số CCCD \"093086000002\": thế kỷ và năm sinh mã hóa (1986) không khớp với năm sinh 1985.")
    assert set(Person.objects.filter(full_name__in=["Người Ba", "Người Sáu"]).values_list("citizen_id", flat=True)) \
        == {"093301000003", "093085000006"}


def test_legacy_encodings_are_converted(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "NguyÔn V¨n An Hai", "1970", "Nam", "", "", "", "Ph­êng I"],
        [2, "Nguyeãn Vaên Ba", "1971", "Nam", "", "", "", "Phöôøng I"],
        [3, tcvn3_encode("Đặng Thị Thu Hường"), "1972", tcvn3_encode("Nữ"), "", "", tcvn3_encode("Ấp Thạnh Lợi"),
         "Phường I"],
        [4, vni_encode("Trương Thị Thủy Tiên"), "1973", vni_encode("Nữ"), "", "", vni_encode("Ấp Mỹ Hòa"),
         "Phường I"],
    ])
    summary = run(path)
    assert counts(summary)["imported"] == 4, summary["errors"]
    names = set(Person.objects.values_list("full_name", "hamlet"))
    assert {("Nguyễn Văn An Hai", ""), ("Nguyễn Văn Ba", ""), ("Đặng Thị Thu Hường", "Ấp Thạnh Lợi"),
            ("Trương Thị Thủy Tiên", "Ấp Mỹ Hòa")} <= names


def test_communes_on_either_map_with_or_without_prefix(small_province, tmp_path):
    header = ["Họ và tên", "Năm sinh", "Giới tính", "Xã", "Huyện"]
    path = xlsx(tmp_path / "ds.xlsx", [
        ["Người Một", 1980, "Nam", "Xã Vị Thanh", ""],  # old map (the new one is a ward: Phường Vị Thanh)
        ["Người Hai", 1980, "Nam", "Phường Vị Thanh", ""],  # new map
        ["Người Ba", 1980, "Nam", "Vị Thanh", ""],  # both: ambiguous
        ["Người Bốn", 1980, "Nam", "Vị Thanh", "Vị Thủy"],  # the district tells: old Xã Vị Thanh
        ["Người Năm", 1980, "Nam", "Tân Hòa", ""],  # old "Xã Tân Hoà" continued by new "Xã Tân Hòa": old
        ["Người Sáu", 1980, "Nam", "TT Nàng Mau", ""],
    ], header=header)
    summary = run(path)
    assert [(e["row"], e["code"]) for e in summary["errors"]] == [(4, "commune_ambiguous")]
    assert summary["errors"][0]["message"] == (
        "Tên xã \"Vị Thanh\" trùng ở nhiều nơi (Xã Vị Thanh (Huyện Vị Thuỷ, bản đồ cũ); Phường Vị Thanh "
        "(bản đồ mới)): hãy ghi thêm cột Huyện.")
    got = dict(Person.objects.filter(full_name__startswith="Người").values_list("full_name", "commune__name"))
    maps = dict(Person.objects.filter(full_name__startswith="Người").values_list("full_name", "commune__map"))
    assert got == {"Người Một": "Xã Vị Thanh", "Người Hai": "Phường Vị Thanh", "Người Bốn": "Xã Vị Thanh",
                   "Người Năm": "Xã Tân Hoà", "Người Sáu": "Thị trấn Nàng Mau"}
    assert maps == {"Người Một": "old", "Người Hai": "new", "Người Bốn": "old", "Người Năm": "old", "Người Sáu": "old"}


def test_address_column_gives_commune_and_hamlet(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [["Lâm Văn Địa", "1970", "Nam", "Ấp 5, xã Vị Thanh, huyện Vị Thủy, Hậu Giang"]],
                header=["Họ tên", "Năm sinh", "Phái", "Địa chỉ"])
    assert counts(run(path))["imported"] == 1
    person = Person.objects.get(full_name="Lâm Văn Địa")
    assert (person.commune.name, person.hamlet) == ("Xã Vị Thanh", "Ấp 5")


def test_split_birth_year_columns_by_sex_under_a_merged_header(small_province, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["TT", "Họ và tên", "Năm sinh", None, "Xã"])
    ws.append([None, None, "Nam", "Nữ", None])
    ws.merge_cells("C1:D1")
    ws.append([1, "Lê Văn Nam", 1960, None, "Phường I"])
    ws.append([2, "Lê Thị Nữ", None, "1962", "Phường I"])
    path = tmp_path / "ds.xlsx"
    wb.save(path)
    summary = run(path)
    assert counts(summary)["imported"] == 2, summary["errors"]
    assert dict(Person.objects.filter(full_name__startswith="Lê").values_list("full_name", "sex")) == {
        "Lê Văn Nam": "male", "Lê Thị Nữ": "female"}


def test_memberships_and_leaders(small_province, tmp_path):
    header = ["Họ và tên", "Ngày sinh", "Giới tính", "Xã", "Chi hội", "Chức vụ"]
    path = xlsx(tmp_path / "ds.xlsx", [
        ["Hội Viên Một", "1980", "Nam", "Phường I", "Chi hội ấp 1", "Hội viên"],
        ["Hội Viên Hai", "1981", "Nam", "Phường I", "Ấp 1", "Chi hội trưởng"],  # the unit has a leader
        ["Hội Viên Ba", "1982", "Nam", "Phường I", "Chi hội ấp 9", ""],  # unknown unit
        ["Nguyễn Văn Cường", "09/01/2000", "Nam", "Phường I", "chi hoi ap 1", ""],  # known person joins
    ], header=header)
    summary = run(path)
    assert counts(summary) == {"rows": 4, "imported": 1, "updated": 1, "unchanged": 0, "rejected": 2,
                               "duplicates": 0}
    assert summary["errors"] == [
        {"row": 3, "column": "Chức vụ", "code": "unit_has_leader",
         "message": "Chi hội \"Chi hội ấp 1\" đã có người đứng đầu (Nguyễn Văn An)."},
        {"row": 4, "column": "Chi hội", "code": "unit_unknown",
         "message": "Không tìm thấy chi hội \"Chi hội ấp 9\" trong xã Phường I."},
    ]
    members = set(Membership.objects.filter(unit=small_province.branch).values_list("person__full_name", "role"))
    assert members == {("Nguyễn Văn An", "leader"), ("Trần Thị Bình", "member"), ("Hội Viên Một", "member"),
                       ("Nguyễn Văn Cường", "member")}


def test_households_keep_exactly_one_head(small_province, tmp_path):
    header = ["Họ và tên", "Năm sinh", "Giới tính", "Xã", "Mã hộ", "Quan hệ với chủ hộ"]
    path = xlsx(tmp_path / "ds.xlsx", [
        ["Thành Viên Trước", "2000", "Nam", "Phường I", "HG-0100", "Con"],  # before its head
        ["Chủ Hộ Mới", "1970", "Nam", "Phường I", "HG-0100", "Chủ hộ"],
        ["Vợ Chủ Hộ", "1972", "Nữ", "Phường I", "HG-0100", "Vợ"],
        ["Chủ Hộ Thứ Hai", "1950", "Nam", "Phường I", "HG-0100", "Chủ hộ"],
        ["Người Vào Hộ Cũ", "1995", "Nữ", "Phường I", "HG-0001", "Cháu"],
        ["Chủ Hộ Tranh", "1960", "Nam", "Phường I", "HG-0001", "Chủ hộ"],
        ["Quan Hệ Lạ", "1990", "Nam", "Phường I", "HG-0001", "Hàng xóm"],
    ], header=header)
    summary = run(path)
    assert [(e["row"], e["code"]) for e in summary["errors"]] == [
        (2, "household_unknown"), (5, "household_has_head"), (7, "household_has_head"), (8, "relationship_invalid")]
    new = Household.objects.get(code="HG-0100")
    assert set(new.members.values_list("person__full_name", "relationship")) == {
        ("Chủ Hộ Mới", "head"), ("Vợ Chủ Hộ", "spouse")}
    assert HouseholdMember.objects.filter(household=small_province.household, relationship="head").count() == 1
    assert small_province.household.members.filter(person__full_name="Người Vào Hộ Cũ",
                                                   relationship="grandchild").exists()


def test_scope_and_permission(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "Trong Địa Bàn", "1980", "Nam", "", "", "", "Phường I"],
        [2, "Ngoài Địa Bàn", "1980", "Nam", "", "", "", "Phường Ngã Bảy"],
    ])
    summary = run(path, user=small_province.users["bhxh_huyen"])
    assert counts(summary)["imported"] == 1
    assert summary["errors"] == [{"row": 3, "column": "Xã", "code": "commune_out_of_scope",
                                  "message": "Xã \"Phường Ngã Bảy\" nằm ngoài địa bàn bạn phụ trách."}]
    with pytest.raises(PermissionDenied):
        run(path, user=small_province.users["thu_1"])
    with pytest.raises(PermissionDenied):
        run(path, user=small_province.users["chi_hoi"])


def test_good_rows_of_other_batches_stay_when_a_batch_fails(small_province, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_SIZE", 3)
    rows = [[i, f"Người Thứ {chr(65 + i)}", "1980", "Nam", f"0930800003{i:02d}", "", "", "Phường I"]
            for i in range(1, 8)]
    path = xlsx(tmp_path / "ds.xlsx", rows)
    before = Person.objects.count()
    calls = {"n": 0}
    real_write = engine.MemberImport._write

    def failing_write(self, good):
        calls["n"] += 1
        real_write(self, good)
        if calls["n"] == 2:  # the second batch fails after writing part of its rows
            from django.db import IntegrityError
            raise IntegrityError("simulated")

    monkeypatch.setattr(engine.MemberImport, "_write", failing_write)
    with pytest.raises(engine.BatchWriteFailed):
        run(path)
    # batch 1 (3 rows) is in, batch 2 was rolled back whole, batch 3 never ran
    assert Person.objects.count() == before + 3
    assert set(Person.objects.filter(full_name__startswith="Người Thứ").values_list("full_name", flat=True)) == {
        "Người Thứ B", "Người Thứ C", "Người Thứ D"}
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.imported, batch.error_code) == ("failed", 3, "write_failed")
    monkeypatch.setattr(engine.MemberImport, "_write", real_write)
    again = run(path)
    assert counts(again) == {"rows": 7, "imported": 4, "updated": 0, "unchanged": 3, "rejected": 0, "duplicates": 0}


def test_rejected_rows_file_is_ready_to_fix_and_reimport(small_province, tmp_path):
    from openpyxl import load_workbook

    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "Tốt Một", "1980", "Nam", "", "", "", "Phường I"],
        [2, "Sai Ngày", "32/01/1980", "Nam", 93080000001, "", "", "Phường I"],
    ])
    summary, rejected, batch = members_import(path=path)
    out = tmp_path / "loi.xlsx"
    out.write_bytes(rejected)
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Ấp", "Xã",
                       "Dòng gốc", "Lỗi")
    assert rows[1] == (2, "Sai Ngày", "32/01/1980", "Nam", "93080000001", None, None, "Phường I", 3,
                       "Ngày sinh: Ngày sinh \"32/01/1980\" không hợp lệ: ghi dd/mm/yyyy, năm yyyy hoặc ngày kiểu "
                       "Excel.")
    assert bytes(batch.rejected_file) == rejected
    # fixed and imported again
    ws.cell(row=2, column=3, value="31/01/1980")
    ws.cell(row=2, column=5, value="093080000011")
    load_and_fix = tmp_path / "da_sua.xlsx"
    ws.parent.save(load_and_fix)
    assert counts(run(load_and_fix)) == {"rows": 1, "imported": 1, "updated": 0, "unchanged": 0, "rejected": 0,
                                         "duplicates": 0}


def test_mapping_an_unknown_header(small_province, tmp_path):
    from ansinh.imports.errors import MissingColumns

    header = ["Họ và tên", "Ngày sinh", "Nam hay nữ", "Xã"]
    path = xlsx(tmp_path / "ds.xlsx", [["Người Lạ", "1980", "Nam", "Phường I"]], header=header)
    with pytest.raises(MissingColumns) as info:
        run(path)
    assert info.value.message == ("Thiếu cột bắt buộc: Giới tính. Các cột chưa nhận ra: \"Nam hay nữ\" — hãy ghép "
                                  "cột.")
    assert counts(run(path, mapping={"Nam hay nữ": "sex"}))["imported"] == 1


def test_units_of_merged_communes_stay_apart(small_province, tmp_path):
    from django.db.models import Count

    from ansinh.areas.models import UnitMapping
    from ansinh.registry.models import AssociationUnit

    new_id = (UnitMapping.objects.filter(is_primary=True).exclude(new_unit__old_mappings__old_unit=small_province.commune)
              .values("new_unit").annotate(n=Count("id"))
              .filter(n__gte=2).order_by("new_unit").values_list("new_unit", flat=True).first())
    first, second = [m.old_unit for m in UnitMapping.objects.filter(new_unit_id=new_id, is_primary=True)
                     .select_related("old_unit__parent").order_by("old_unit__code")[:2]]
    unit_1 = AssociationUnit.objects.create(kind="branch", code="T1", name="Chi hội ấp 1", commune=first)
    unit_2 = AssociationUnit.objects.create(kind="branch", code="T2", name="Chi hội ấp 1", commune=second)
    header = ["Họ và tên", "Năm sinh", "Giới tính", "Xã", "Huyện", "Chi hội", "Chức vụ"]
    path = xlsx(tmp_path / "ds.xlsx", [
        ["Trưởng Một", "1970", "Nam", first.name, first.parent.name, "Chi hội ấp 1", "Chi hội trưởng"],
        ["Trưởng Hai", "1971", "Nam", second.name, second.parent.name, "Chi hội ấp 1", "Chi hội trưởng"],
    ], header=header)
    summary = run(path)
    assert summary["errors"] == []
    assert set(Membership.objects.filter(unit__in=[unit_1, unit_2]).values_list("unit__code", "person__full_name",
                                                                                 "role")) == {
        ("T1", "Trưởng Một", "leader"), ("T2", "Trưởng Hai", "leader")}


def test_dry_run_equals_real_run_across_batches(small_province, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    header = ["Họ và tên", "Năm sinh", "Giới tính", "Số CCCD", "Xã", "Mã hộ", "Quan hệ với chủ hộ", "Chi hội",
              "Chức vụ"]
    path = xlsx(tmp_path / "ds.xlsx", [
        ["Chủ Hộ A", "1970", "Nam", "093070000501", "Phường I", "HG-0500", "Chủ hộ", "", ""],
        ["Vợ A", "1972", "Nữ", "093172000502", "Phường I", "HG-0500", "Vợ", "", ""],
        ["Chủ Hộ Khác", "1960", "Nam", "093060000503", "Phường I", "HG-0500", "Chủ hộ", "", ""],
        ["Con A", "2001", "Nam", "093201000504", "Phường I", "HG-0500", "Con", "", ""],
        ["Chủ Hộ A", "1970", "Nam", "093070000501", "Phường I", "", "", "", ""],
        ["Chu Ho A", "1970", "Nam", "093070000599", "Phường I", "", "", "", ""],
        ["Trần Thị Bình", "1972", "Nữ", "093172000002", "Phường I", "", "", "Chi hội ấp 1", "Chi hội trưởng"],
    ], header=header)
    dry = run(path, dry_run=True)
    real = run(path)
    for key in ("rows", "imported", "updated", "unchanged", "rejected", "duplicates", "errors"):
        assert dry[key] == real[key], key
    assert [(e["row"], e["code"]) for e in real["errors"]] == [
        (4, "household_has_head"), (6, "duplicate_in_file"), (8, "unit_has_leader")]
    assert counts(real) == {"rows": 7, "imported": 4, "updated": 0, "unchanged": 0, "rejected": 3, "duplicates": 1}


def test_imported_and_renamed_people_can_be_found_without_diacritics(small_province, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "Trần Thị Bích Ngọc", "01/08/1990", "Nữ", "093190000777", "", "", "Phường I"],
        [2, "Trần Thị Bình", "01/08/1972", "Nữ", "093172000002", "", "", "Phường I"],
    ])
    Person.objects.filter(citizen_id="093172000002").update(full_name="Tran Thi Binh", name_folded="tran thi binh")
    summary = run(path)
    assert (summary["imported"], summary["updated"]) == (1, 1)
    assert Person.objects.get(citizen_id="093190000777").name_folded == "tran thi bich ngoc"
    renamed = Person.objects.get(citizen_id="093172000002")  # a name without diacritics gets them (an improvement)
    assert (renamed.full_name, renamed.name_folded) == ("Trần Thị Bình", "tran thi binh")


def test_an_imported_leader_gets_a_leadership_period_through_the_leadership_service(small_province, tmp_path):
    from ansinh.registry.models import AssociationUnit, Leadership
    from ansinh.registry.selectors import leaders_on

    unit = AssociationUnit.objects.create(kind="branch", code="CH-0009", name="Chi hội ấp 9",
                                          commune=small_province.commune)
    former = Person.objects.get(citizen_id="093172000002")
    Leadership.objects.create(unit=unit, person=former, starts_on=datetime.date(2024, 1, 1),
                              ends_on=datetime.date(2025, 12, 31))
    header = ["Họ và tên", "Ngày sinh", "Giới tính", "Xã", "Chi hội", "Chức vụ"]
    path = xlsx(tmp_path / "ds.xlsx", [["Trưởng Mới", "1975", "Nam", "Phường I", "Chi hội ấp 9", "Chi hội trưởng"]],
                header=header)
    summary = run(path, user=small_province.users["hoi_tinh"])
    assert summary["errors"] == []
    leader = Person.objects.get(full_name="Trưởng Mới")
    today = engine_today()
    assert list(Leadership.objects.filter(unit=unit).order_by("starts_on").values_list(
        "person__full_name", "starts_on", "ends_on")) == [
        ("Trần Thị Bình", datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)),
        ("Trưởng Mới", today, None)]
    assert Membership.objects.get(unit=unit, person=leader).role == "leader"
    assert leaders_on(on=today, unit_ids=[unit.pk]) == {unit.pk: leader.pk}
    assert leaders_on(on=datetime.date(2025, 6, 1), unit_ids=[unit.pk]) == {unit.pk: former.pk}


def engine_today():
    from django.utils import timezone

    return timezone.localdate()
