"""The reminder benchmark at a small size, so a change that breaks it fails the suite."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_reminders.py"


def test_the_reminder_benchmark_runs_small(db):
    spec = importlib.util.spec_from_file_location("bench_reminders", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(cards=200)
    assert result["first"]["candidates"] == 200
    assert (result["first"]["queued"], result["first"]["failed"], result["first"]["already"]) == (200, 0, 0)
    assert (result["again"]["queued"], result["again"]["already"]) == (0, 200)
