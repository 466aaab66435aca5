"""The import pages: permission and scope, upload -> check -> mapping -> import, progress, rejected rows
download, duplicates review."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ansinh.imports import services
from ansinh.imports.models import BatchStatus, DuplicateCandidate, ImportBatch
from ansinh.registry.models import Person
from ansinh.testing.province import PASSWORD

from .sheets import xlsx


def login(client, username):
    assert client.login(username=username, password=PASSWORD)


def upload(client, path, **data):
    with open(path, "rb") as f:
        return client.post(reverse("import_upload"), {"file": SimpleUploadedFile(path.name, f.read()), **data})


def test_only_officers_may_import(small_province, client):
    login(client, "thu_1")
    assert client.get(reverse("import_upload")).status_code == 403
    client.logout()
    assert client.get(reverse("import_upload")).status_code == 302  # to the login page
    login(client, "hoi_tinh")
    page = client.get(reverse("import_upload"))
    assert page.status_code == 200
    assert "Nhập danh sách hội viên, hộ gia đình" in page.content.decode()


def test_upload_check_then_import(small_province, client, tmp_path):
    login(client, "bhxh_huyen")
    path = xlsx(tmp_path / "ds.xlsx", [
        [1, "Lê Văn Tám", "15/06/1985", "Nam", "093085000101", "", "", "Phường I"],
        [2, "Ngoài Địa Bàn", "1980", "Nam", "", "", "", "Phường Ngã Bảy"],
    ])
    before = Person.objects.count()
    response = upload(client, path)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("import_batch", args=[batch.pk])
    assert (batch.status, batch.rows, batch.imported, batch.rejected) == (BatchStatus.CHECKED, 2, 1, 1)
    assert Person.objects.count() == before  # checked only
    page = client.get(response.url).content.decode()
    assert "chưa có gì được ghi" in page
    assert "Xã &quot;Phường Ngã Bảy&quot; nằm ngoài địa bàn bạn phụ trách." in page
    rejected = client.get(reverse("import_rejected", args=[batch.pk]))
    assert rejected["Content-Type"].startswith("application/vnd.openxmlformats")
    client.post(reverse("import_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.imported, batch.content) == (BatchStatus.DONE, 1, None)
    assert Person.objects.count() == before + 1
    progress = client.get(reverse("import_progress", args=[batch.pk]))
    assert progress["HX-Refresh"] == "true"


def test_mapping_step_for_an_unknown_header(small_province, client, tmp_path):
    login(client, "bhxh_tinh")
    path = xlsx(tmp_path / "ds.xlsx", [["Người Lạ", "1980", "Nam", "Phường I"]],
                header=["Họ và tên", "Năm sinh", "Phái tính", "Xã"])
    upload(client, path)
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.NEEDS_MAPPING
    page = client.get(reverse("import_batch", args=[batch.pk])).content.decode()
    assert "Ghép cột" in page and "Phái tính" in page
    client.post(reverse("import_mapping", args=[batch.pk]), {"col_0": "sex"})
    batch.refresh_from_db()
    assert (batch.status, batch.imported, batch.mapping) == (BatchStatus.CHECKED, 1, {"Phái tính": "sex"})


def test_a_file_level_error_is_shown(small_province, client, tmp_path):
    login(client, "bhxh_tinh")
    path = tmp_path / "ds.xlsx"
    path.write_text("xin chào")
    upload(client, path)
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert "nội dung không phải bảng tính" in client.get(reverse("import_batch", args=[batch.pk])).content.decode()


def test_a_batch_of_another_user_is_not_found(small_province, client, tmp_path):
    login(client, "bhxh_tinh")
    upload(client, xlsx(tmp_path / "ds.xlsx", [[1, "Lê Văn Tám", "1985", "Nam", "", "", "", "Phường I"]]))
    batch = ImportBatch.objects.get()
    client.logout()
    login(client, "hoi_tinh")
    assert client.get(reverse("import_batch", args=[batch.pk])).status_code == 404


def test_progress_while_running(small_province, client, tmp_path):
    login(client, "bhxh_tinh")
    batch = ImportBatch.objects.create(file_name="ds.xlsx", sha256="x", created_by=small_province.users["bhxh_tinh"],
                                       status=BatchStatus.IMPORTING, rows_total=200, rows_done=50)
    page = client.get(reverse("import_progress", args=[batch.pk]))
    body = page.content.decode()
    assert "HX-Refresh" not in page
    assert 'hx-trigger="every 1s"' in body and "50 / 200 dòng" in body and 'aria-valuenow="25"' in body


def test_duplicates_review_merge_and_keep_apart(small_province, client):
    an = Person.objects.get(citizen_id="093070000001")
    twin = Person.objects.create(full_name="Nguyen Van An", date_of_birth=an.date_of_birth, sex="male",
                                 commune=small_province.commune, citizen_id="093070000999", phone="0912345678")
    other = Person.objects.create(full_name="Trần Thị Bình", date_of_birth=datetime.date(1972, 8, 1), sex="female",
                                  commune=small_province.commune, si_number="9300000001")
    binh = Person.objects.get(citizen_id="093172000002")
    first = DuplicateCandidate.objects.create(person_a=an, person_b=twin, reason="test")
    second = DuplicateCandidate.objects.create(person_a=binh, person_b=other, reason="test")
    login(client, "hoi_tinh")
    page = client.get(reverse("duplicate_list")).content.decode()
    assert "Nguyen Van An" in page and "Gộp, giữ hồ sơ A" in page
    client.post(reverse("duplicate_decide", args=[second.pk]), {"action": "keep_apart"})
    second.refresh_from_db()
    assert second.status == "kept_apart"
    client.post(reverse("duplicate_decide", args=[first.pk]), {"action": "keep_a"})
    first.refresh_from_db()
    assert first.status == "merged"
    twin.refresh_from_db()  # the merged-away record stays, without IDs, pointing at the kept one
    assert (twin.merged_into_id, twin.citizen_id, twin.si_number) == (an.pk, None, None)
    an.refresh_from_db()
    assert an.phone == "0912345678"  # filled from the merged record


def test_leaders_cannot_review_duplicates(small_province, client):
    login(client, "chi_hoi")
    assert client.get(reverse("duplicate_list")).status_code == 403
