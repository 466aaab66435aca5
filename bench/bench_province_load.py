"""Benchmark of ``ansinh province load`` for the largest province, Hồ Chí Minh City (code 79, 168 communes).

    uv run --frozen python bench/bench_province_load.py                  # SQLite (a fresh file)
    DATABASE_URL=postgres://ansinh:ansinh@127.0.0.1:5432/ansinh uv run --frozen python bench/bench_province_load.py
    uv run --frozen python bench/bench_province_load.py --code 92        # another province

Runs the real command (``python -m ansinh.cli province load CODE``) in child processes, as an installer
would, three times on one fresh database:

1. ``empty database``: the file (or database) has no tables: the command migrates, then loads;
2. ``load``: on a database freshly migrated beforehand (``ansinh migrate``, not timed): the load alone;
3. ``again``: the same command once more (``created`` must be 0).

For each it prints the wall-clock seconds of the child process (Python start-up, Django set-up, the package's
data, migration if any, the load), its CPU seconds, the seconds the command measured itself (``seconds``:
the whole command; ``load_seconds``: the load without the migration) and the JSON counts. Budget (issue 11):
the load of Hồ Chí Minh City in at most 30 s.

SQLite always; PostgreSQL too when ``DATABASE_URL`` names one: two scratch databases, ``<its
name>_province_bench`` and ``<its name>_province_bench_migrated``, are created next to it (the role needs
CREATEDB), used and dropped. ``PYTHONDONTWRITEBYTECODE`` set in the environment makes every child compile
Django and the package from source (several seconds): the header says whether it is set.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 30.0


def _run(args: list[str], url: str) -> tuple[float, float, subprocess.CompletedProcess]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ansinh.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return wall, cpu, done


def _row(label: str, wall: float, cpu: float, result: dict) -> str:
    return (f"  {label:<15} {wall:7.2f} s wall {cpu:7.2f} s CPU   command {result['seconds']:6.2f} s, "
            f"load {result['load_seconds']:6.2f} s   communes {result['communes']}, old units "
            f"{result['old_units']}, mappings {result['mappings']}, created {result['created']}")


def bench(*, code: int, url_empty: str, url_migrated: str) -> list[float]:
    """The three runs; returns the load seconds (as the command measured them) of runs 1 and 2."""
    rows, loads = [], []
    wall, cpu, done = _run(["province", "load", str(code)], url_empty)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["migrated"] is True and result["created"] > 0, result
    rows.append(_row("empty database", wall, cpu, result))
    loads.append(result["load_seconds"])
    _run(["migrate", "-v", "0"], url_migrated)
    wall, cpu, done = _run(["province", "load", str(code)], url_migrated)
    first = json.loads(done.stdout.strip().splitlines()[-1])
    assert first["migrated"] is False and first["created"] == result["created"], (first, result)
    rows.append(_row("load", wall, cpu, first))
    loads.append(first["load_seconds"])
    wall, cpu, done = _run(["province", "load", str(code)], url_migrated)
    again = json.loads(done.stdout.strip().splitlines()[-1])
    assert again["created"] == 0, again
    rows.append(_row("again", wall, cpu, again))
    print(f"  {result['name']} ({code})")
    print("\n".join(rows))
    return loads


def _postgres_scratch(url: str, suffix: str, *, create: bool) -> str:
    """Create afresh (or drop) the scratch database ``<name of url's database>_<suffix>``; returns its URL."""
    import psycopg

    base, name = url.rsplit("/", 1)
    scratch = f"{name.split('?')[0]}_{suffix}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        if create:
            conn.execute(f'CREATE DATABASE "{scratch}"')
    return f"{base}/{scratch}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=int, default=79, help="province of today's map (default 79)")
    args = parser.parse_args()
    print(f"ansinh province load {args.code}; {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; PYTHONDONTWRITEBYTECODE="
          f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '') or 'unset'}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite")
        loads = bench(code=args.code, url_empty=f"sqlite:///{tmp}/empty.db", url_migrated=f"sqlite:///{tmp}/migrated.db")
        worst = max(worst, *loads)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        print("PostgreSQL")
        suffixes = ("province_bench", "province_bench_migrated")
        empty, migrated = (_postgres_scratch(url, suffix, create=True) for suffix in suffixes)
        try:
            loads = bench(code=args.code, url_empty=empty, url_migrated=migrated)
        finally:
            for suffix in suffixes:
                _postgres_scratch(url, suffix, create=False)
        worst = max(worst, *loads)
    verdict = "within" if worst <= BUDGET_SECONDS else "OVER"
    print(f"load at most {worst:.2f} s: {verdict} the budget of {BUDGET_SECONDS:.0f} s")


if __name__ == "__main__":
    main()
