"""Parse once: the import that follows a check takes the rows the check parsed (``imports.parsed``)
instead of reading and parsing the file again, with the same outcome; a check made for another day,
mapping or scope is not used."""

import datetime

import pytest

from ansinh.imports import services
from ansinh.imports.models import BatchStatus, ImportBatch, ImportParsedGroup, ImportRowError
from ansinh.imports.tests.sheets import xlsx
from ansinh.registry.models import Membership, Person

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Ấp", "Xã", "Chi hội"]


def rows(commune: str) -> list[list]:
    return [
        [1, "Nguyễn Văn An", "05/03/1980", "Nam", "093080000101", "0912345678", "Ấp 1", commune, "Chi hội ấp 1"],
        [2, "Trần Thị Bình", datetime.date(1985, 7, 9), "Nữ", "", "", "Ấp 2", commune, "Chi hội ấp 1"],
        [3, "Lê Văn Cường", "31/02/1990", "Nam", "", "", "", commune, ""],  # no such day: rejected at parse
        [4, "Nguyễn Văn An", "05/03/1980", "Nam", "093080000101", "", "", commune, ""],  # same ID: rejected later
    ]


@pytest.fixture
def batch(small_province, tmp_path, settings) -> ImportBatch:
    settings.ANSINH_IMPORT_CHUNK_ROWS = 2
    user = small_province.users["bhxh_tinh"]
    path = xlsx(tmp_path / "ds.xlsx", rows(small_province.commune.name), header=HEADER)
    batch = services.import_batch_create(user=user, file_name=path.name, content=path.read_bytes())
    batch = services.import_batch_run(batch_id=batch.pk, dry_run=True)
    assert (batch.status, batch.rows, batch.imported, batch.rejected) == (BatchStatus.CHECKED, 4, 2, 2)
    return batch


def test_the_import_after_a_check_does_not_read_the_file_again(batch):
    assert sorted(ImportParsedGroup.objects.filter(batch=batch).values_list("index", flat=True)) == [-1, 0, 1]
    ImportBatch.objects.filter(pk=batch.pk).update(content=b"not a spreadsheet any more")
    batch = services.import_batch_run(batch_id=batch.pk, dry_run=False)
    assert (batch.status, batch.rows, batch.imported, batch.rejected) == (BatchStatus.DONE, 4, 2, 2)
    assert sorted(Person.objects.filter(citizen_id="093080000101").values_list("full_name", "phone")) == [
        ("Nguyễn Văn An", "0912345678")]
    assert Person.objects.filter(full_name="Trần Thị Bình", date_of_birth=datetime.date(1985, 7, 9)).count() == 1
    assert Membership.objects.filter(unit__name="Chi hội ấp 1", person__citizen_id="093080000101").count() == 1
    assert Membership.objects.filter(unit__name="Chi hội ấp 1", person__date_of_birth=datetime.date(1985, 7, 9)).count() == 1
    assert list(ImportRowError.objects.filter(batch=batch).values_list("row", "code")) == [
        (4, "date_invalid"), (5, "duplicate_in_file")]
    assert batch.rejected_file is not None
    assert not ImportParsedGroup.objects.filter(batch=batch).exists()


def test_a_check_of_another_day_is_not_used(batch, monkeypatch):
    from django.utils import timezone

    ImportBatch.objects.filter(pk=batch.pk).update(content=b"not a spreadsheet any more")
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date.today() + datetime.timedelta(days=1))
    batch = services.import_batch_run(batch_id=batch.pk, dry_run=False)
    assert (batch.status, batch.error_code) == (BatchStatus.FAILED, "not_spreadsheet")
    assert Person.objects.filter(citizen_id="093080000101").count() == 0
