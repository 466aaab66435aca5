"""Background work of the messaging app as Django tasks (run by ``ansinh worker`` on the database queue, or
at once with the ImmediateBackend). Each task calls one service; re-running one is harmless (unique keys,
claimed sends)."""

import datetime

from django.contrib.auth import get_user_model
from django.tasks import default_task_backend, task
from django.utils import timezone

from . import services


@task
def reminders_queue_task(user_id: int, on: str) -> dict:
    """Queue the reminders of ``on`` (ISO date) in the scope of user ``user_id``, then dispatch them."""
    user = get_user_model().objects.get(pk=user_id)
    counts = services.reminders_queue(user=user, on=datetime.date.fromisoformat(on))
    if counts["queued"]:
        outbox_dispatch_task.enqueue()
    return counts


@task
def outbox_dispatch_task() -> dict:
    """Send what is due; when a message waits for its backoff and the queue can defer, come back then."""
    counts = services.outbox_dispatch()
    due = services.next_due_at()
    if due is not None and due > timezone.now() and default_task_backend.supports_defer:
        outbox_dispatch_task.using(run_after=due).enqueue()
    return counts
