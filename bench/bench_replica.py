"""Dashboards and official lists read from a real PostgreSQL streaming replica (issue 18, deliverable 3).

    DATABASE_URL=postgres://…primary… DATABASE_REPLICA_URL=postgres://…replica… \
        uv run --frozen python bench/bench_replica.py [--user bhxh_tinh]

Run by ``.ci/replica`` after it has started a hot standby of the CI cluster with Debian's PostgreSQL
tools and loaded the demo province into the primary. It checks, and exits 1 when one fails:
- the replica connection is a standby (``pg_is_in_recovery()``);
- the campaign dashboard and the D05-TS/D03-TS lists computed from the replica equal those from the
  primary (after the replica has replayed the primary's last write);
- the dashboard and progress pages, served through Django, read their figures from the replica;
and prints the figures as JSON: times on each side and the number of queries the replica answered.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import sys
import time
from pathlib import Path


def _setup() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not os.environ.get("DATABASE_REPLICA_URL"):
        sys.exit("DATABASE_REPLICA_URL is not set: start a replica first (see .ci/replica).")
    import django

    django.setup()


def _wait_for_replay(timeout: float = 60.0) -> float:
    """Seconds until the replica has replayed everything the primary has written."""
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return time.perf_counter() - started
        time.sleep(0.1)
    sys.exit(f"the replica did not catch up within {timeout} s")


def _timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def _sheet_values(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="bhxh_tinh", help="a province SI officer of the demo")
    args = parser.parse_args()
    _setup()

    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ansinh.campaigns.facts import facts_refresh
    from ansinh.campaigns.selectors import campaign_dashboard_for_user
    from ansinh.core.replica import primary_reads, replica_reads
    from ansinh.reports.exports.lists import d03_export, d05_export
    from ansinh.reports.selectors import ListFilter

    failures: list[str] = []
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        in_recovery = cursor.fetchone()[0]
    if not in_recovery:
        failures.append("the replica connection is not a standby (pg_is_in_recovery() is false)")

    user = get_user_model().objects.get(username=args.user)
    facts_refresh()
    lag = _wait_for_replay()
    today = datetime.date.today()

    def dashboard():
        return json.dumps(campaign_dashboard_for_user(user=user, on=today), default=str, sort_keys=True)

    def export(writer):
        def run():
            out = io.BytesIO()
            writer(user=user, filters=ListFilter(date_from=datetime.date(2024, 1, 1), date_to=today), out=out)
            return _sheet_values(out.getvalue())
        return run

    figures: dict = {"replay_wait_s": round(lag, 3)}
    for name, fn in (("dashboard", dashboard), ("d05_ts", export(d05_export)), ("d03_ts", export(d03_export))):
        with primary_reads():
            on_primary, t_primary = _timed(fn)
        with replica_reads(), CaptureQueriesContext(connections["replica"]) as seen:
            on_replica, t_replica = _timed(fn)
        figures[name] = {"primary_s": round(t_primary, 3), "replica_s": round(t_replica, 3),
                         "replica_queries": len(seen), "same": on_primary == on_replica}
        if on_primary != on_replica:
            failures.append(f"{name}: the replica's result differs from the primary's")
        if not len(seen):
            failures.append(f"{name}: no query reached the replica")

    client = Client()
    client.force_login(user)
    for path in ("/chien-dich/", "/tien-do/"):
        with CaptureQueriesContext(connections["replica"]) as seen:
            response, seconds = _timed(lambda: client.get(path))
        figures[path] = {"status": response.status_code, "seconds": round(seconds, 3), "replica_queries": len(seen)}
        if response.status_code != 200 or not len(seen):
            failures.append(f"{path}: status {response.status_code}, {len(seen)} replica queries")

    figures["failures"] = failures
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
