"""Reads from a streaming replica, when a province runs one (``DATABASE_REPLICA_URL``).

Only reads that can live with a replica's lag of a second or so go there: the dashboards, the progress
pages, the official lists and exports, each marked with ``@replica_reads`` (a view) or ``with
replica_reads():`` (a job). Everything else — every write, every read inside a transaction, every read of
a request that is not marked, and the accounts, sessions and sign-in tables whatever the request —
stays on the primary (``default``), so a user always sees what they have just written.

Without ``DATABASE_REPLICA_URL`` the router is not installed and nothing here changes anything."""

import contextlib
import contextvars
import functools

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"
REPLICA_APPS = frozenset({"areas", "registry", "enrollment", "collection", "campaigns", "reports",
                          "parameters"})
"""Apps whose tables a marked read may take from the replica (never auth, sessions, accounts, axes)."""

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar("ansinh_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads():
    """Within this block, marked reads (of ``REPLICA_APPS``, outside a transaction) use the replica."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


@contextlib.contextmanager
def primary_reads():
    """Within this block every read uses the primary, even inside ``replica_reads`` (a refresh that
    reads what it is about to write)."""
    token = _replica_reads.set(False)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_view(view):
    """Decorator: the view's reads may come from the replica (see the module's rules)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Writes and migrations on the primary; marked reads of ``REPLICA_APPS`` on the replica."""

    def db_for_read(self, model, **hints):
        if not _replica_reads.get() or not replica_configured():
            return PRIMARY
        if model._meta.app_label not in REPLICA_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:  # a transaction must read what it writes
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
