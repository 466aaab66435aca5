"""Every benchmark of ``bench/`` at a small size, so that a change that breaks a benchmark fails the test
suite (the figures of the full sizes stay in the benchmarks' docstrings and output).

Each runs as its own process, as a person would run it. On the SQLite run of the suite the benchmarks
use fresh SQLite files in a temporary folder (the PostgreSQL-only ones are skipped); on the PostgreSQL run
(``DATABASE_URL`` naming PostgreSQL) each gets a scratch database ``<test database>_b_<name>`` of its own,
created and dropped here, and those that can run on PostgreSQL do. Marked ``bench`` (``-m "not bench"``
leaves them out of a quick run)."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = connection.vendor == "postgresql"
pytestmark = pytest.mark.bench


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    return (f"postgres://{quote(s['USER'] or '')}:{quote(str(s['PASSWORD'] or ''))}@"
            f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}")


@pytest.fixture
def scratch_url(request):
    """On PostgreSQL, a scratch database for the benchmark (dropped afterwards); None on SQLite."""
    if not POSTGRES:
        yield None
        return
    import psycopg

    test = request.node.callspec.id if hasattr(request.node, "callspec") else request.node.name
    # short: bench_province_load adds "_province_bench_migrated" (24) and PostgreSQL allows 63 characters
    name = f"b_{test.removeprefix('test_bench_')}"[:36].lower().replace("-", "_")
    admin = _pg_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _pg_url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        for suffix in ("", "_province_bench", "_province_bench_migrated"):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}{suffix}" WITH (FORCE)')


def run_bench(script: str, *args: str, url: str | None, cwd: Path, timeout: int = 900) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT)
    if url:
        env["DATABASE_URL"] = url
    else:  # a benchmark that opens the default database opens a file in the temporary folder
        env["DATABASE_URL"] = f"sqlite:///{cwd / 'bench.db'}"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    return output


def test_bench_rules(tmp_path):
    out = run_bench("bench_rules.py", "--participants", "2000", url=None, cwd=tmp_path)
    assert "single VSI quote with breakdown" in out


def test_bench_assign(tmp_path, scratch_url):
    args = ["--households", "200"] + (["--use-database-url"] if scratch_url else [])
    out = run_bench("bench_assign.py", *args, url=scratch_url, cwd=tmp_path)
    assert '"households": 200' in out or "200" in out


def test_bench_demo(tmp_path):
    out = run_bench("bench_demo.py", "--scale", "0.03", url=None, cwd=tmp_path)
    assert '"ratio_to_goal"' in out and '"receipts"' in out


def test_bench_duplicates(tmp_path, scratch_url):
    out = run_bench("bench_duplicates.py", "--people", "3000", "--lookups", "10", "--rows", "300",
                    "--registry", "2000", url=scratch_url, cwd=tmp_path)
    assert "ms" in out


def test_bench_exports(tmp_path):
    out = run_bench("bench_exports.py", "--rows", "300", url=None, cwd=tmp_path)
    assert "rows_per_second" in out or "rows" in out


def test_bench_import(tmp_path):
    out = run_bench("bench_import.py", "--rows", "300", "--big-rows", "1500", url=None, cwd=tmp_path)
    assert "peak" in out.lower()


def test_bench_import_job(tmp_path, scratch_url):
    out = run_bench("bench_import_job.py", "--rows", "1500", url=scratch_url, cwd=tmp_path)
    assert "rows per second" in out and "1,000,000 rows (extrapolated)" in out


def test_bench_province_load(tmp_path, scratch_url):
    out = run_bench("bench_province_load.py", "--code", "92", url=scratch_url, cwd=tmp_path)
    assert "again" in out


@pytest.mark.skipif(not POSTGRES, reason="this benchmark is for PostgreSQL (its generator writes PostgreSQL SQL)")
def test_bench_progress(tmp_path, scratch_url):
    out = run_bench("bench_progress.py", "--scale", "0.01", "--repeat", "1", url=scratch_url, cwd=tmp_path)
    assert "same numbers (selector = hand SQL on facts = hand SQL on source): True" in out and "PASS" in out


@pytest.mark.skipif(not POSTGRES, reason="this benchmark is for PostgreSQL (many server processes writing at once)")
def test_bench_payments_http(tmp_path, scratch_url):
    out = run_bench("bench_payments_http.py", "--requests", "40", "--clients", "2", "--workers", "2",
                    "--demo-scale", "0.05", "--port", "8391", url=scratch_url, cwd=tmp_path)
    assert "payments recorded  40 of 40 (0 failed)" in out
