"""Identity is never overwritten silently on import: a known person's row with another name (beyond
diacritics and case), date of birth or sex is a row error and a review item an officer decides; a name
without diacritics never replaces one with them; alike new people are flagged with a score."""

import datetime

import pytest
from django.urls import reverse

from ansinh.imports import engine
from ansinh.imports.fields import name_reconcile
from ansinh.imports.models import CandidateKind, DuplicateCandidate, DuplicateStatus
from ansinh.imports.services import members_import
from ansinh.registry.models import Person
from ansinh.testing.province import PASSWORD

from .sheets import xlsx

TODAY = datetime.date(2026, 1, 15)

HEADER_SI = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Mã số BHXH", "Ấp", "Xã"]


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(engine.timezone, "localdate", lambda: TODAY)


def run(path, **kwargs):
    summary, _, batch = members_import(path=path, **kwargs)
    return summary


def counts(summary):
    return {k: summary[k] for k in ("rows", "imported", "updated", "unchanged", "rejected", "duplicates")}


@pytest.fixture
def hung(small_province):
    return Person.objects.create(full_name="Phạm Văn Hùng", date_of_birth=datetime.date(1970, 2, 1), sex="male",
                                 citizen_id="093070000123", si_number="9312300001", hamlet="Ấp 1",
                                 commune=small_province.commune)


def test_a_known_citizen_id_with_another_name_and_birth_date_is_not_applied(small_province, hung, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [[1, "Phạm Văn Hưng", "01/02/1970", "Nam", "093070000123", "", "Ấp 2",
                                        "Phường I"]])
    summary = run(path)
    assert counts(summary) == {"rows": 1, "imported": 0, "updated": 0, "unchanged": 0, "rejected": 1, "duplicates": 0}
    assert summary["errors"] == [{"row": 2, "column": "Họ và tên", "code": "identity_conflict", "message": (
        "Số CCCD 093070000123 đã có trong sổ với họ tên «Phạm Văn Hùng»; dòng này ghi họ tên «Phạm Văn Hưng». "
        "Không ghi đè: cán bộ xem và quyết định ở trang Hồ sơ nghi trùng.")}]
    hung.refresh_from_db()
    assert (hung.full_name, hung.hamlet) == ("Phạm Văn Hùng", "Ấp 1")  # nothing of the row was applied
    item = DuplicateCandidate.objects.get(kind=CandidateKind.IDENTITY_CONFLICT)
    assert (item.person_a_id, item.person_b_id, item.row, item.status) == (hung.pk, None, 2, DuplicateStatus.OPEN)
    assert item.proposed == {"full_name": "Phạm Văn Hưng", "date_of_birth": "1970-02-01", "year_only": False,
                             "sex": "male"}
    run(path)  # the same file again: no second review item
    assert DuplicateCandidate.objects.filter(kind=CandidateKind.IDENTITY_CONFLICT).count() == 1


def test_name_and_birth_date_both_named_with_both_versions_matched_by_si_number(small_province, hung, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [[1, "Phạm Văn Hưng", "01/02/1971", "Nam", "9312300001", "", "Phường I"]],
                header=HEADER_SI)
    summary = run(path, dry_run=True)
    assert [e["message"] for e in summary["errors"]] == [
        "Mã số BHXH 9312300001 đã có trong sổ với họ tên «Phạm Văn Hùng», ngày sinh 01/02/1970; dòng này ghi "
        "họ tên «Phạm Văn Hưng», ngày sinh 01/02/1971. Không ghi đè: cán bộ xem và quyết định ở trang Hồ sơ "
        "nghi trùng."]
    assert not DuplicateCandidate.objects.exists()  # a check writes nothing


def test_another_sex_is_a_conflict_on_the_sex_column(small_province, hung, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [[1, "Phạm Văn Hùng", "01/02/1970", "Nữ", "9312300001", "", "Phường I"]],
                header=HEADER_SI)
    summary = run(path, dry_run=True)
    assert [(e["column"], e["code"], e["message"]) for e in summary["errors"]] == [(
        "Giới tính", "identity_conflict",
        "Mã số BHXH 9312300001 đã có trong sổ với giới tính Nam; dòng này ghi giới tính Nữ. Không ghi đè: cán bộ "
        "xem và quyết định ở trang Hồ sơ nghi trùng.")]


def test_a_list_without_accents_never_replaces_the_accented_name_but_its_hamlet_applies(small_province, hung,
                                                                                         tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [[1, "PHAM VAN HUNG", "01/02/1970", "Nam", "093070000123", "", "Ấp 3",
                                        "Phường I"]])
    summary = run(path)
    assert counts(summary) == {"rows": 1, "imported": 0, "updated": 1, "unchanged": 0, "rejected": 0, "duplicates": 0}
    hung.refresh_from_db()
    assert (hung.full_name, hung.hamlet) == ("Phạm Văn Hùng", "Ấp 3")


def test_accents_on_a_registry_name_without_them_are_an_improvement(small_province, hung, tmp_path):
    Person.objects.filter(pk=hung.pk).update(full_name="Pham Van Hung")
    path = xlsx(tmp_path / "ds.xlsx", [[1, "Phạm Văn Hùng", "01/02/1970", "Nam", "093070000123", "", "Ấp 1",
                                        "Phường I"]])
    assert counts(run(path)) == {"rows": 1, "imported": 0, "updated": 1, "unchanged": 0, "rejected": 0,
                                 "duplicates": 0}
    hung.refresh_from_db()
    assert (hung.full_name, hung.name_folded) == ("Phạm Văn Hùng", "pham van hung")


@pytest.mark.parametrize("registry,row,expected", [
    ("Phạm Văn Hùng", "Pham Van Hung", ("Phạm Văn Hùng", False)),
    ("Phạm Văn Hùng", "PHẠM VĂN HÙNG", ("Phạm Văn Hùng", False)),
    ("Pham Van Hung", "Phạm Văn Hùng", ("Phạm Văn Hùng", False)),
    ("Phạm Van Hung", "Pham Văn Hùng", ("Phạm Văn Hùng", False)),
    ("Phạm Văn Hùng", "Phạm Văn Hưng", ("Phạm Văn Hùng", True)),
    ("Phạm Văn Hùng", "Phạm Hùng", ("Phạm Văn Hùng", True)),
    ("Nguyễn Thị Hoà", "Nguyễn Thị Hòa", ("Nguyễn Thị Hoà", False)),
])
def test_name_reconcile(registry, row, expected):
    assert name_reconcile(registry, row) == expected


def _login(client, username):
    assert client.login(username=username, password=PASSWORD)


def test_the_officer_applies_the_row_version_with_a_reason_in_the_history(small_province, hung, tmp_path, client):
    path = xlsx(tmp_path / "ds.xlsx", [[1, "Phạm Văn Hưng", "01/02/1971", "Nam", "9312300001", "", "Phường I"]],
                header=HEADER_SI)
    run(path)
    item = DuplicateCandidate.objects.get(kind=CandidateKind.IDENTITY_CONFLICT)
    _login(client, "bhxh_huyen")
    page = client.get(reverse("duplicate_list")).content.decode()
    assert "Khác thông tin định danh: Phạm Văn Hùng" in page and "01/02/1971" in page
    client.post(reverse("duplicate_decide", args=[item.pk]), {"action": "apply_row"})
    hung.refresh_from_db()
    assert (hung.full_name, hung.date_of_birth, hung.name_folded) == (
        "Phạm Văn Hưng", datetime.date(1971, 2, 1), "pham van hung")
    last = hung.history.first()
    assert last.history_change_reason == "Sửa thông tin định danh theo tệp ds.xlsx, dòng 2; cán bộ bhxh_huyen duyệt"
    assert last.history_user.username == "bhxh_huyen"
    item.refresh_from_db()
    assert item.status == DuplicateStatus.APPLIED


def test_the_officer_keeps_the_registry_version(small_province, hung, tmp_path, client):
    path = xlsx(tmp_path / "ds.xlsx", [[1, "Phạm Văn Hùng", "01/02/1970", "Nữ", "9312300001", "", "Phường I"]],
                header=HEADER_SI)
    run(path)
    item = DuplicateCandidate.objects.get(kind=CandidateKind.IDENTITY_CONFLICT)
    _login(client, "bhxh_huyen")
    client.post(reverse("duplicate_decide", args=[item.pk]), {"action": "keep_registry"})
    hung.refresh_from_db()
    item.refresh_from_db()
    assert (hung.sex, item.status) == ("male", DuplicateStatus.KEPT)


def test_a_new_person_alike_to_one_nearby_is_created_and_flagged_with_a_score(small_province, tmp_path):
    # "Nguyễn Văn An", 05/03/1970, Phường I is in the registry; a one-letter typo, no ID
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "Nguyễn Văn Anh", "05/03/1970", "Nam", "", "", "", "Phường I"],
        [2, "Le Thi Lan Mai", "02/01/1980", "Nữ", "", "", "", "Phường I"],
        [3, "Lê Thị Mai Lan", "09/09/1980", "Nữ", "", "", "", "Phường I"],
    ])
    summary = run(path)
    assert counts(summary) == {"rows": 3, "imported": 3, "updated": 0, "unchanged": 0, "rejected": 0, "duplicates": 2}
    an = Person.objects.get(citizen_id="093070000001")
    anh = Person.objects.get(full_name="Nguyễn Văn Anh")
    flagged = {(c.person_a_id, c.person_b_id): (c.score, c.reason, c.row) for c in DuplicateCandidate.objects.all()}
    lan_mai, mai_lan = Person.objects.get(full_name="Le Thi Lan Mai"), Person.objects.get(full_name="Lê Thị Mai Lan")
    assert flagged == {
        (an.pk, anh.pk): (98, "Họ tên gần giống (96%); Cùng ngày sinh 05/03/1970; Cùng xã", 2),
        (lan_mai.pk, mai_lan.pk): (85, "Họ tên giống nhau (không kể dấu); Cùng năm sinh 1980; Cùng xã; dòng 3", 4),
    }
