"""The one task of background jobs (Django's tasks framework; see ``config.settings.TASKS``)."""

from django.tasks import task


@task()
def job_run(job_id: int) -> dict:
    """Run the job ``job_id`` (``services.job_execute``)."""
    from .services import job_execute

    return job_execute(job_id=job_id)
