"""A database that processes started by a test (workers, benchmarks) share with the test.

On PostgreSQL the test database itself (the test runs on ``transactional_db``, so what it writes is
committed); on SQLite the test database lives in memory, so it is copied to a file the processes open.
``query(sql)`` reads what the processes wrote (plain SQL without parameters)."""

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


class SharedDatabase:
    def __init__(self, tmp_path: Path):
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.path = tmp_path / "shared.db"
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            self.path = None
            self.url = (f"postgres://{quote(s['USER'] or '')}:{quote(str(s['PASSWORD'] or ''))}@"
                        f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}")

    def query(self, sql: str) -> list[tuple]:
        if self.path is not None:
            with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as c:
                return c.execute(sql).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def value(self, sql: str):
        return self.query(sql)[0][0]

    def env(self, **extra: str) -> dict:
        return {**os.environ, "DATABASE_URL": self.url, "DJANGO_SETTINGS_MODULE": "config.settings", **extra}

    def ansinh(self, *args: str, env: dict | None = None, **popen) -> subprocess.Popen:
        """Start ``ansinh <args>`` on this database."""
        return subprocess.Popen([sys.executable, "-c", "from ansinh.cli import main; main()", *args],
                                cwd=ROOT, env=env or self.env(), **popen)
