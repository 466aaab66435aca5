"""The campaign progress tables rebuilt as a background job (what ``ansinh progress --rebuild`` does)."""

from ansinh.accounts.services import require_permission


def progress_rebuild_start(*, user):
    from ansinh.jobs.models import JobKind
    from ansinh.jobs.services import job_enqueue

    require_permission(user, "campaigns.change_campaign")
    return job_enqueue(user=user, kind=JobKind.PROGRESS_REBUILD, params={})


def progress_job(*, job, ctx):
    """Handler: rebuild the derived progress tables from the payments (one transaction)."""
    from django.db import transaction

    from ansinh.jobs.services import JobOutcome

    from .facts import facts_rebuild

    ctx.progress(0, 1, "Đang tính lại tiến độ…")
    with transaction.atomic():  # all or nothing: a worker killed half-way leaves the old tables, rerun whole
        counts = facts_rebuild()
    ctx.progress(1, 1)
    return JobOutcome(message="Đã tính lại: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
