"""Jobs: the export pages and downloads, the error report, cancelling an import (queued or half-way),
the reaper of tasks whose worker died, batches left running by the web thread of old, and the demo's
worker started and stopped beside the server."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ansinh.imports import services as imports
from ansinh.imports.models import BatchStatus, ImportBatch
from ansinh.imports.tests.sheets import xlsx
from ansinh.jobs import services, worker
from ansinh.jobs.models import Job, JobKind, JobStatus, WorkerBeat
from ansinh.registry.models import Person
from ansinh.reports.jobs import NoReceipts
from ansinh.testing.province import PASSWORD

from .test_kill_worker import member_rows

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Ấp", "Xã", "Chi hội"]


def login(client, username):
    assert client.login(username=username, password=PASSWORD)


def checked_batch(small_province, tmp_path) -> ImportBatch:
    user = small_province.users["bhxh_tinh"]
    path = xlsx(tmp_path / "ds.xlsx", member_rows(small_province.commune.name, "Chi hội ấp 1")[:250], header=HEADER)
    batch = imports.import_batch_create(user=user, file_name=path.name, content=path.read_bytes())
    return imports.import_batch_start(user=user, batch=batch, dry_run=True)


def test_d05_export_as_a_job_page_download_and_owner_only(small_province, client):
    login(client, "bhxh_tinh")
    response = client.post(reverse("job_list"), {"what": "d05", "date_from": "01/01/2024", "date_to": "31/12/2026"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job_detail", args=[job.pk])
    assert (job.kind, job.status, job.result_name, job.attempts) == (JobKind.EXPORT_D05, JobStatus.DONE, "D05-TS.xlsx", 1)
    page = client.get(response.url).content.decode()
    assert "Tải D05-TS.xlsx" in page
    download = client.get(reverse("job_result", args=[job.pk]))
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert bytes(download.content[:2]) == b"PK"
    progress = client.get(reverse("job_progress", args=[job.pk]))
    assert progress["HX-Refresh"] == "true"
    login(client, "bhxh_huyen")
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_result", args=[job.pk])).status_code == 404


def test_receipts_of_a_day_without_receipts_fails_with_the_reason(small_province, client):
    login(client, "bhxh_tinh")
    client.post(reverse("job_list"), {"what": "receipts", "date_from": "02/01/2026"})
    job = Job.objects.get()
    assert (job.kind, job.status, job.error_code, job.error_message) == (
        JobKind.RECEIPTS_PDF, JobStatus.FAILED, "no_receipts", NoReceipts.message)
    assert NoReceipts.message in client.get(reverse("job_detail", args=[job.pk])).content.decode()


def test_receipts_form_names_the_missing_day(small_province, client):
    login(client, "bhxh_tinh")
    page = client.post(reverse("job_list"), {"what": "receipts"}).content.decode()
    assert "Hãy nhập ngày của các biên lai (dd/mm/yyyy)." in page and not Job.objects.exists()


def test_cancel_a_queued_import(small_province, tmp_path, settings, client):
    batch = checked_batch(small_province, tmp_path)
    settings.TASKS = DB_TASKS
    imports.import_batch_start(user=small_province.users["bhxh_tinh"], batch=batch, dry_run=False)
    login(client, "bhxh_tinh")
    assert "Dừng" in client.get(reverse("import_batch", args=[batch.pk])).content.decode()
    client.post(reverse("import_cancel", args=[batch.pk]))
    batch.refresh_from_db()
    job = Job.objects.get(kind=JobKind.IMPORT_RUN)
    assert (batch.status, batch.error_message) == (BatchStatus.CANCELLED, "Đã hủy trước khi chạy.")
    assert (job.status, job.cancel_requested) == (JobStatus.CANCELLED, True)
    assert services.job_execute(job_id=job.pk) == {"status": JobStatus.CANCELLED}  # its task, run later: nothing
    with pytest.raises(services.JobNotCancellable):
        services.job_cancel(user=small_province.users["bhxh_tinh"], job=job)


def test_cancel_an_import_half_way_keeps_whole_groups(small_province, tmp_path, settings, monkeypatch):
    settings.ANSINH_IMPORT_CHUNK_ROWS = 100
    batch = checked_batch(small_province, tmp_path)
    before = Person.objects.count()
    # the user presses "Dừng" while the first group is being written: seen at the next progress report
    monkeypatch.setattr(services.JobContext, "cancelled", lambda self: Job.objects.get(pk=self.job_id).done >= 100)
    imports.import_batch_start(user=small_province.users["bhxh_tinh"], batch=batch, dry_run=False)
    batch.refresh_from_db()
    job = Job.objects.get(kind=JobKind.IMPORT_RUN)
    assert (batch.status, batch.rows, batch.imported, batch.rows_committed) == (BatchStatus.CANCELLED, 100, 100, 100)
    assert batch.error_message == ("Đã dừng theo yêu cầu sau 100 dòng: các dòng đó đã được ghi đầy đủ, các dòng "
                                   "sau chưa được ghi.")
    assert Person.objects.count() == before + 100
    assert (job.status, job.message) == (JobStatus.CANCELLED, "Đã dừng theo yêu cầu.")


def _running_task(small_province, settings, worker_ids):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    job = services.job_enqueue(user=small_province.users["bhxh_tinh"], kind=JobKind.PROGRESS_REBUILD, params={})
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING", worker_ids=worker_ids,
                                                       started_at=timezone.now())
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=len(worker_ids))
    return job, DBTaskResult.objects.get(pk=job.task_id)


def test_reaper_requeues_the_task_of_a_dead_worker_and_leaves_a_live_one(small_province, settings):
    job, task = _running_task(small_province, settings, ["dead"])
    WorkerBeat.objects.create(worker_id="dead", beat_at=timezone.now() - datetime.timedelta(seconds=61))
    live_job, live_task = _running_task(small_province, settings, ["alive"])
    WorkerBeat.objects.create(worker_id="alive", beat_at=timezone.now())
    assert worker.tasks_reap() == {"requeued": [job.task_id], "failed": []}
    task.refresh_from_db()
    live_task.refresh_from_db()
    job.refresh_from_db()
    assert (task.status, task.started_at, live_task.status) == ("READY", None, "RUNNING")
    assert (job.status, job.message) == (JobStatus.QUEUED, "Tiến trình xử lý dừng đột ngột; việc sẽ chạy tiếp.")
    assert worker.tasks_reap() == {"requeued": [], "failed": []}


def test_reaper_fails_a_task_that_lost_three_workers(small_province, settings):
    job, task = _running_task(small_province, settings, ["a", "b", "c"])
    assert worker.tasks_reap() == {"requeued": [], "failed": [job.task_id]}
    task.refresh_from_db()
    job.refresh_from_db()
    assert (task.status, task.exception_class_path) == ("FAILED", "ansinh.jobs.worker.WorkerLost")
    assert (job.status, job.error_code, job.error_message) == (
        JobStatus.FAILED, "worker_lost", worker.WORKER_LOST.format(n=3))
    assert services.job_execute(job_id=job.pk) == {"status": JobStatus.FAILED}  # finished: not run again


def test_batches_left_running_by_the_old_web_thread_are_queued(small_province, tmp_path, settings):
    batch = checked_batch(small_province, tmp_path)
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.IMPORTING)  # the server restarted mid-way
    settings.TASKS = DB_TASKS
    assert imports.import_batches_recover() == [batch.pk]
    job = Job.objects.get(kind=JobKind.IMPORT_RUN)
    assert (job.status, job.params) == (JobStatus.QUEUED, {"batch_id": batch.pk, "dry_run": False})
    assert imports.import_batches_recover() == []  # its job is queued: not twice


def test_a_command_line_import_cut_off_is_marked_interrupted(small_province, settings):
    settings.TASKS = DB_TASKS
    batch = ImportBatch.objects.create(file_name="ds.xlsx", sha256="0" * 64, status=BatchStatus.IMPORTING)
    assert imports.import_batches_recover() == []
    batch.refresh_from_db()
    assert (batch.status, batch.error_code, batch.error_message) == (
        BatchStatus.FAILED, "interrupted", imports.INTERRUPTED)
    assert not Job.objects.exists()


def test_serve_with_worker_starts_it_and_stops_it_with_the_server(monkeypatch):
    import granian

    from ansinh.core.management.commands import serve as serve_module

    monkeypatch.setattr(serve_module, "secret_key_require", lambda: None)  # the key check has its own tests
    calls = []

    class FakeWorker:
        def __init__(self, args, **kwargs):
            calls.append(("start", args[-1]))

        def terminate(self):
            calls.append(("terminate",))

        def wait(self, timeout=None):
            calls.append(("wait", timeout))

    class FakeGranian:
        def __init__(self, *args, **kwargs):
            pass

        def serve(self):
            calls.append(("serve",))

    monkeypatch.setattr(serve_module.subprocess, "Popen", FakeWorker)
    monkeypatch.setattr(granian, "Granian", FakeGranian)
    monkeypatch.setattr(serve_module, "call_command", lambda *a, **k: None)
    serve_module.serve(host="127.0.0.1", port=8000, with_worker=True)
    assert calls == [("start", "worker"), ("serve",), ("terminate",), ("wait", 20)]
