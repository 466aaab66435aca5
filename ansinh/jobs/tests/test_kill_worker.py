"""A worker killed with ``kill -9`` in the middle of an import: another worker picks the job up again and
the import finishes once, with every row written exactly once (real processes, a shared database)."""

import datetime
import os
import signal
import subprocess
import time

import pytest
from django.contrib.auth import get_user_model

from ansinh.imports import services
from ansinh.imports.models import BatchStatus
from ansinh.imports.tests.sheets import xlsx
from ansinh.testing.province import small_province_build

from .shared_db import SharedDatabase

ROWS = 1200
CHUNK = 100
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh"]
GIVEN = ["An", "Bình", "Cúc", "Dung", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Oanh", "Phúc", "Quý",
         "Sơn", "Tâm", "Uyên", "Vinh", "Xuân", "Yến", "Lộc"]


def member_rows(commune: str, branch: str) -> list[list]:
    rows = []
    for i in range(ROWS):
        name = f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 6]} {GIVEN[(i // 60) % 20]}"
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=13 * i)
        female = i % 3 != 0
        cid = f"093{int(female)}{born:%y}{i:06d}" if i % 2 == 0 else ""  # half with a citizen ID, half by name
        rows.append([i + 1, name, born.strftime("%d/%m/%Y"), "Nữ" if female else "Nam", cid, "", "", commune, branch])
    return rows


def wait_for(check, *, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_import_another_finishes_it_once(tmp_path, settings):
    province = small_province_build()
    user = get_user_model().objects.get(username="bhxh_tinh")
    path = xlsx(tmp_path / "hoi-vien.xlsx", member_rows(province.commune.name, "Chi hội ấp 1"),
                header=["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Ấp", "Xã",
                        "Chi hội"])
    batch = services.import_batch_create(user=user, file_name=path.name, content=path.read_bytes())
    batch = services.import_batch_start(user=user, batch=batch, dry_run=True)  # checked at once (immediate)
    assert (batch.status, batch.rows, batch.imported, batch.rejected) == (BatchStatus.CHECKED, ROWS, ROWS, 0), \
        list(batch.row_errors.values_list("code", "message")[:3])
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    services.import_batch_start(user=user, batch=batch, dry_run=False)  # queued in the database

    db = SharedDatabase(tmp_path)
    people_before = db.value("SELECT count(*) FROM registry_person")
    history_before = db.value("SELECT count(*) FROM registry_historicalperson")
    members_before = db.value("SELECT count(*) FROM registry_membership")
    env = db.env(ANSINH_WORKER_LEASE_SECONDS="2", ANSINH_IMPORT_CHUNK_ROWS=str(CHUNK))
    started = time.monotonic()
    log = open(tmp_path / "workers.log", "a")  # noqa: SIM115 (closed below)
    first = db.ansinh("worker", "--worker-id", "first", "--interval", "0.5", env=env, stdout=log, stderr=log)
    second = None
    try:
        wait_for(lambda: db.value(f"SELECT rows_committed FROM imports_importbatch WHERE id = {batch.pk}") >= 3 * CHUNK,
                 timeout=180, what="the first worker to write 3 groups of rows")
        killed_at = time.monotonic()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        status, committed = db.query(f"SELECT status, rows_committed FROM imports_importbatch WHERE id = {batch.pk}")[0]
        assert status == BatchStatus.IMPORTING and 3 * CHUNK <= committed < ROWS, (status, committed)
        assert committed % CHUNK == 0
        assert db.value("SELECT count(*) FROM registry_person") == people_before + committed  # whole groups only
        assert db.value("SELECT status FROM django_tasks_database_dbtaskresult") == "RUNNING"  # left by the dead one
        second = db.ansinh("worker", "--worker-id", "second", "--interval", "0.5", env=env, stdout=log, stderr=log)
        wait_for(lambda: db.value(f"SELECT status FROM imports_importbatch WHERE id = {batch.pk}") in ("done", "failed"),
                 timeout=180, what="the second worker to finish the import")
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
        log.close()
    elapsed = time.monotonic() - started

    row = db.query("SELECT status, rows, imported, updated, unchanged, rejected, rows_committed, error_message "
                   f"FROM imports_importbatch WHERE id = {batch.pk}")[0]
    assert row == ("done", ROWS, ROWS, 0, 0, 0, ROWS, "")
    assert db.value("SELECT count(*) FROM registry_person") == people_before + ROWS
    assert db.value("SELECT count(*) FROM registry_historicalperson") == history_before + ROWS
    assert db.value("SELECT count(*) FROM registry_membership") == members_before + ROWS
    assert db.query("SELECT full_name, date_of_birth FROM registry_person GROUP BY full_name, date_of_birth "
                    "HAVING count(*) > 1") == []
    assert db.query("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult")[0][0] == "SUCCESSFUL"
    workers = db.value("SELECT worker_ids FROM django_tasks_database_dbtaskresult")
    assert (workers if isinstance(workers, list) else __import__("json").loads(workers)) == ["first", "second"]
    assert db.query("SELECT kind, status, attempts, done, total FROM jobs_job WHERE kind = 'import_run'") == [
        ("import_run", "done", 2, ROWS, ROWS)]
    print(f"kill -9 test: {elapsed:.1f} s from the first worker's start to the end of the import, "
          f"{time.monotonic() - killed_at:.1f} s from the kill; {committed} rows were committed before it")
