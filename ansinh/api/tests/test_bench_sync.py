"""The sync benchmark (bench/bench_api_sync.py) on a few households: it runs, answers every household
with members and card dates, and its size per household keeps the 1,000-household goal within reach."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_api_sync.py"


def test_sync_benchmark_small(settings):
    spec = importlib.util.spec_from_file_location("bench_api_sync", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    settings.ANSINH_API_TOKEN_RATE = (1000, 60)
    user = bench.populate(30)
    result = bench.measure(user, households=30, repeat=1)
    assert (result["households"], result["has_more"]) == (30, False)
    assert result["members"] >= 30
    assert result["gzip_bytes"] * 1000 / 30 <= bench.GOAL_BYTES  # scaled to 1,000 households
