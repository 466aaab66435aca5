"""Services of background jobs: start one (for a domain service that has checked the user's permission
and scope), read one's state, cancel one, and run one (called by the task on a worker).

A job's handler is ``handler(*, job, ctx) -> JobOutcome | None`` (``kinds.HANDLERS``); it reports progress
through ``ctx.progress(done, total)``, which raises ``JobCancelled`` once the user asked to stop. A handler
that may be interrupted (worker killed) must be restartable: the task is run again from the start by the
next worker (``worker.tasks_reap``), so it either writes in one transaction or records how far its
committed writes went (the import does the latter: ``ImportBatch.rows_committed``).
"""

import dataclasses
import logging
import time

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from ansinh.core.errors import AnSinhError

from .models import FINISHED, Job, JobKind, JobStatus

log = logging.getLogger("ansinh.jobs")


class JobCancelled(Exception):
    """Raised inside a running handler once its user asked to stop it."""


class JobNotCancellable(AnSinhError):
    code = "job_not_cancellable"
    message = "Việc này đã kết thúc, không dừng được nữa."


@dataclasses.dataclass
class JobOutcome:
    """What a finished job leaves: a file to download and/or a one-line message."""

    data: bytes | None = None
    name: str = ""
    content_type: str = ""
    message: str = ""


class JobContext:
    """Given to a handler: progress reporting and the cancel check."""

    def __init__(self, job: Job):
        self.job_id = job.pk

    def cancelled(self) -> bool:
        return Job.objects.filter(pk=self.job_id, cancel_requested=True).exists()

    def progress(self, done: int, total: int, message: str | None = None) -> None:
        """Record progress; raise ``JobCancelled`` if the user asked to stop."""
        fields = {"done": done, "total": total}
        if message is not None:
            fields["message"] = message[:300]
        Job.objects.filter(pk=self.job_id).update(**fields)
        if self.cancelled():
            raise JobCancelled()


def job_enqueue(*, user, kind: str, params: dict) -> Job:
    """Record a job and put its task on the queue, in the caller's transaction: with the database backend
    the task row is written in the same transaction as the job (and whatever the caller wrote), so a
    rolled-back request leaves no task and a committed one always has its task. Permission and scope
    are the caller's (a domain service) to check."""
    from .tasks import job_run

    if kind not in JobKind.values:
        raise ValueError(kind)
    job = Job.objects.create(kind=kind, params=params, created_by=user if user is not None and user.is_authenticated
                             else None)
    result = job_run.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def job_get(*, user, pk: int) -> Job:
    """One of the user's own jobs (another user's job is as missing: Job.DoesNotExist)."""
    return Job.objects.defer("result").get(pk=pk, created_by=user)


def jobs_recent(*, user, limit: int = 20) -> list[Job]:
    return list(Job.objects.defer("result").filter(created_by=user)[:limit])


@transaction.atomic
def job_cancel(*, user, job: Job) -> Job:
    """Ask a job to stop: a queued job is cancelled at once; a running one stops at its next progress
    report (an import after the group of rows it is writing: the rows written before stay, whole).
    Raises JobNotCancellable for a finished job, Job.DoesNotExist for another user's."""
    job = Job.objects.select_for_update().defer("result").get(pk=job.pk, created_by=user)
    if job.status in FINISHED:
        raise JobNotCancellable()
    job.cancel_requested = True
    fields = ["cancel_requested"]
    if job.status == JobStatus.QUEUED and job.attempts == 0:
        job.status = JobStatus.CANCELLED
        job.finished_at = timezone.now()
        job.message = "Đã hủy trước khi chạy."
        fields += ["status", "finished_at", "message"]
    job.save(update_fields=fields)
    return job


def _finish(job_id: int, status: str, **fields) -> None:
    fields.setdefault("finished_at", timezone.now())
    Job.objects.filter(pk=job_id).exclude(status__in=FINISHED).update(status=status, **fields)


def job_execute(*, job_id: int) -> dict:
    """Run a job (the body of the task). A job already finished is not run again (a task delivered twice
    finishes once); a job that was running when its worker died is run again from the start, its handler
    resuming from what it had committed."""
    from .kinds import HANDLERS

    job = Job.objects.defer("result").filter(pk=job_id).first()
    if job is None:
        return {"status": "missing"}
    if job.status in FINISHED:
        return {"status": job.status}
    if job.cancel_requested:
        _finish(job.pk, JobStatus.CANCELLED, message="Đã dừng theo yêu cầu.")
        return {"status": JobStatus.CANCELLED}
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(),
                                         attempts=F("attempts") + 1)
    job.refresh_from_db()
    handler = import_string(HANDLERS[job.kind])
    ctx = JobContext(job)
    cpu = time.process_time()
    try:
        outcome = handler(job=job, ctx=ctx)
    except JobCancelled:
        _finish(job.pk, JobStatus.CANCELLED, message="Đã dừng theo yêu cầu.")
        return {"status": JobStatus.CANCELLED}
    except AnSinhError as exc:
        _finish(job.pk, JobStatus.FAILED, error_code=exc.code[:40], error_message=exc.message)
        return {"status": JobStatus.FAILED, "code": exc.code}
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job.pk, JobStatus.FAILED, error_code="internal_error",
                error_message=f"Lỗi hệ thống khi chạy: {exc.__class__.__name__}. Hãy báo quản trị.")
        raise
    outcome = outcome or JobOutcome()
    fields = {"message": outcome.message[:300]}
    if outcome.data is not None:
        fields.update(result=outcome.data, result_name=outcome.name[:200], result_type=outcome.content_type[:100])
    job.refresh_from_db(fields=["total"])
    _finish(job.pk, JobStatus.DONE, done=job.total, **fields)
    return {"status": JobStatus.DONE, "cpu_seconds": round(time.process_time() - cpu, 3)}
