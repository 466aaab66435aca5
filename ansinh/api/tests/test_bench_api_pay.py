"""``bench/bench_api_pay.py`` at a small size against the test server: every planned payment answers 201 with
its receipt, and the figures are printed. (The speed goal is measured by running the script on PostgreSQL.)"""

import datetime
import importlib.util
from pathlib import Path

import pytest

from ansinh.collection.models import Payment, Receipt
from ansinh.enrollment.models import HiParticipation, Status
from ansinh.testing.province import PASSWORD, make_household, make_person, small_province_build

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_api_pay.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_api_pay", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_api_payment_benchmark_pays_every_quote_it_saved(live_server):
    sp = small_province_build()
    for n in range(3):  # more households for the first agent
        person = make_person(name=f"Hộ thử {n}", born=datetime.date(1980, 1, 1 + n), sex="female",
                             commune=sp.commune, cid=f"0931800000{n + 10}")
        make_household(code=f"HG-B{n}", commune=sp.commune, agent=sp.agent, people=[(person, "head")])
    bench = load_bench()
    # one client: the test server shares one SQLite connection between its threads (PostgreSQL is for speed)
    users = bench.bench_users(1, "agents")
    assert [u.username for u in users] == ["thu_1"]  # the agent with the most households
    jobs = bench.api_jobs(3, users)
    assert [len(mine) for mine in jobs] == [3]
    assert all(path.startswith("/api/v1/payments/quotes/hi/") for mine in jobs for path, _ in mine)
    port = int(live_server.url.rsplit(":", 1)[1])
    result = bench.pay_all(port=port, users=users, jobs=jobs, password=PASSWORD)
    assert result["failures"] == []
    assert len(result["latencies"]) == 3
    assert Payment.objects.count() == Receipt.objects.count() == 3
    assert HiParticipation.objects.filter(status=Status.PAID).count() == 3
    lines = bench.report(result, planned=3, label="test")
    assert lines[2] == "payments recorded  3 of 3 (0 failed)"
    assert lines[3].startswith("throughput") and lines[5].startswith("latency p95")
