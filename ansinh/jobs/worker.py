"""The worker process (``ansinh worker``): django-tasks-db's worker loop, plus a heartbeat and a reaper.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a worker killed
by ``kill -9``, a crash or a lost machine leaves its task RUNNING for ever. So each worker writes its
heartbeat (``WorkerBeat``) every ``lease / 5`` seconds from a thread, and every worker, at start and on
each beat, requeues the RUNNING tasks whose last worker has not beaten for ``lease`` seconds
(``tasks_reap``): status READY again, and the next free worker runs them from the start; their job
resumes from what it had committed. A task lost ``MAX_ATTEMPTS`` times is failed instead (a file that
kills the worker must not loop for ever). The lease (``ANSINH_WORKER_LEASE_SECONDS``, default 60) must
be longer than the longest database lock wait, so a live but waiting worker is never reaped.
"""

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import FINISHED, Job, JobStatus, WorkerBeat

log = logging.getLogger("ansinh.jobs")
MAX_ATTEMPTS = 3
WORKER_LOST = ("Tiến trình xử lý dừng đột ngột {n} lần khi chạy việc này; việc được dừng lại. "
               "Hãy báo quản trị.")
RECOVERY_HOOKS = ["ansinh.imports.services.import_batches_recover"]
"""Called at each worker start: work left half-done by the version before the queue (imports run in a
thread of the web server) is put on the queue."""


def lease_seconds() -> float:
    return float(getattr(settings, "ANSINH_WORKER_LEASE_SECONDS", 60))


def beat(worker_id: str) -> None:
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={
        "beat_at": timezone.now(), "host": socket.gethostname()[:200], "pid": os.getpid()})


def tasks_reap(*, now=None) -> dict:
    """Requeue (or, after ``MAX_ATTEMPTS`` workers lost, fail) the RUNNING tasks whose worker's lease
    expired. Returns ``{"requeued": [ids], "failed": [ids]}``."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale_before = now - timedelta(seconds=lease_seconds())
    alive = set(WorkerBeat.objects.filter(beat_at__gte=stale_before).values_list("worker_id", flat=True))
    found = {"requeued": [], "failed": []}
    for pk, worker_ids in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
            "pk", "worker_ids"):
        if worker_ids and worker_ids[-1] in alive:
            continue
        task_id = str(pk)
        with transaction.atomic():
            if len(worker_ids) >= MAX_ATTEMPTS:
                n = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED, finished_at=now,
                    exception_class_path="ansinh.jobs.worker.WorkerLost",
                    traceback=f"worker lost {len(worker_ids)} times: {', '.join(worker_ids)}")
                if n:
                    Job.objects.filter(task_id=task_id).exclude(status__in=FINISHED).update(
                        status=JobStatus.FAILED, finished_at=now, error_code="worker_lost",
                        error_message=WORKER_LOST.format(n=len(worker_ids)))
                    found["failed"].append(task_id)
            else:
                n = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.READY, started_at=None)
                if n:
                    Job.objects.filter(task_id=task_id, status=JobStatus.RUNNING).update(
                        status=JobStatus.QUEUED, message="Tiến trình xử lý dừng đột ngột; việc sẽ chạy tiếp.")
                    found["requeued"].append(task_id)
    if found["requeued"] or found["failed"]:
        log.warning("reaped tasks of lost workers: %s", found)
    WorkerBeat.objects.filter(beat_at__lt=now - timedelta(seconds=20 * lease_seconds())).delete()
    return found


def _beat_loop(worker_id: str, stop: threading.Event) -> None:
    period = max(0.5, lease_seconds() / 5)
    while not stop.wait(period):
        try:
            beat(worker_id)
            tasks_reap()
        except Exception:  # a locked or restarting database: try again at the next beat
            log.warning("worker heartbeat failed", exc_info=True)
            close_old_connections()
    connection.close()


def run(*, worker_id: str, queue_names: list[str], interval: float = 1.0, batch: bool = False,
        max_tasks: int | None = None) -> None:
    """Run a worker until stopped (SIGINT/SIGTERM: after the task it is running), or with ``batch`` until
    the queue is empty."""
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
    from django_tasks_db.management.commands.db_worker import Worker

    beat(worker_id)
    tasks_reap()
    for hook in RECOVERY_HOOKS:
        import_string(hook)()
    stop = threading.Event()
    thread = threading.Thread(target=_beat_loop, args=(worker_id, stop), daemon=True, name="ansinh-beat")
    thread.start()
    worker = Worker(queue_names=queue_names, interval=interval, batch=batch, backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                    startup_delay=False, max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=[])
    worker.configure_signals()
    try:
        worker.run()
    finally:
        stop.set()
        thread.join(timeout=5)
        WorkerBeat.objects.filter(worker_id=worker_id).delete()
        time.sleep(0)
