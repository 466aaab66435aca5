"""Background jobs: what a user started (a member-list import, a large export, a progress refresh), its
progress, its result file and its error report; and the heartbeat of each worker process.

A ``Job`` is the domain record the user sees; the queue underneath is Django's tasks framework with the
database backend of django-tasks-db (``DBTaskResult``, one task ``ansinh.jobs.tasks.job_run`` per job).
"""

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Xong"
    FAILED = "failed", "Lỗi"
    CANCELLED = "cancelled", "Đã dừng"


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class JobKind(models.TextChoices):
    IMPORT_CHECK = "import_check", "Kiểm tra tệp danh sách"
    IMPORT_RUN = "import_run", "Nhập danh sách vào sổ"
    EXPORT_D05 = "export_d05", "Danh sách D05-TS"
    EXPORT_D03 = "export_d03", "Danh sách D03-TS"
    RECEIPTS_PDF = "receipts_pdf", "Biên lai trong ngày (PDF)"
    PROGRESS_REBUILD = "progress_rebuild", "Tính lại tiến độ chiến dịch"


class Job(models.Model):
    """One piece of work started by a user and run by a worker (``ansinh worker``)."""

    kind = models.CharField(max_length=20, choices=JobKind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True, db_index=True,
                               help_text="Id of the task (django_tasks_db DBTaskResult) that runs the job")
    attempts = models.PositiveSmallIntegerField(default=0)
    done = models.IntegerField(default=0)
    total = models.IntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    cancel_requested = models.BooleanField(default=False)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True, help_text="The error report shown to the user (Vietnamese)")
    result = models.BinaryField(null=True, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))


class WorkerBeat(models.Model):
    """A worker process alive: it writes ``beat_at`` every few seconds. A task left running by a worker
    whose beat is older than the lease was cut off (crash, ``kill -9``, machine lost) and is requeued."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=200, blank=True)
    pid = models.IntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField()
