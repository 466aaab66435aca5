"""Benchmark: recording HI payments over HTTP (enrol + pay + receipt per request), served by granian.

Goal (issue "Enrolment and collection"): at least 200 payments per second with p95 at most 100 ms on
2 cores, PostgreSQL. Prints the figures; it is not a test.

    DATABASE_URL=postgres://ansinh:ansinh@127.0.0.1:5432/ansinh_bench \
        uv run python bench/bench_payments_http.py [--requests 2000] [--clients 8] [--workers 2]

The database must hold the demo province (it is loaded with ``ansinh demo --no-serve`` when empty).
Each request pays one different household as the province SI officer, with its own idempotency key;
the amounts due are computed in-process beforehand, so only the payment requests are timed.
"""

import argparse
import http.client
import http.cookies
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from ansinh.enrollment.errors import NoEligibleMembers  # noqa: E402
from ansinh.enrollment.services import hi_household_quote  # noqa: E402
from ansinh.registry.models import Household  # noqa: E402

USERNAME, PASSWORD = "bhxh_tinh", "ansinh-demo"


class Client:
    """One logged-in HTTP/1.1 keep-alive connection."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, data.decode("utf-8", "replace")

    def login(self):
        self.request("GET", "/dang-nhap/")
        status, _ = self.request("POST", "/dang-nhap/", {
            "username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
        })
        if status != 302:
            raise SystemExit(f"login failed ({status})")


def prepare(count: int) -> list[tuple[int, int]]:
    """(household id, amount due today) for ``count`` households with someone to enrol."""
    if not Household.objects.exists():
        call_command("demo", "--no-serve")
    user = User.objects.get(username=USERNAME)
    today = timezone.localdate()
    jobs = []
    for household in Household.objects.order_by("?")[: count * 2]:
        try:
            jobs.append((household.pk, hi_household_quote(user=user, household=household, months=12, on=today)["payable"]))
        except NoEligibleMembers:
            continue
        if len(jobs) == count:
            break
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8097)
    args = parser.parse_args()

    call_command("migrate", interactive=False, verbosity=0)
    jobs = prepare(args.requests)
    server = subprocess.Popen(
        [sys.executable, "-m", "ansinh.cli", "serve", "--port", str(args.port), "--workers", str(args.workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/dang-nhap/")
                break
            except OSError:
                time.sleep(0.2)
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        queue = iter(jobs)
        today = timezone.localdate().strftime("%d/%m/%Y")

        def run():
            client = Client(args.port)
            client.login()
            token = client.cookies.get("csrftoken", "")
            while True:
                with lock:
                    job = next(queue, None)
                if job is None:
                    return
                household_id, amount = job
                started = time.perf_counter()
                status, body = client.request("POST", f"/ho/{household_id}/thu-bhyt/", {
                    "months": "12", "amount": str(amount), "method": "cash", "paid_on": today,
                    "idempotency_key": uuid.uuid4().hex, "csrfmiddlewaretoken": token,
                })
                elapsed = time.perf_counter() - started
                with lock:
                    if status == 302:
                        latencies.append(elapsed)
                    else:
                        failures.append(f"{household_id}: {status} {re.sub(r'\\s+', ' ', body)[:120]}")

        threads = [threading.Thread(target=run) for _ in range(args.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies.sort()
    done = len(latencies)
    p95 = latencies[int(done * 0.95) - 1] * 1000 if done else float("nan")
    print(f"database           {django.db.connection.vendor}")
    print(f"payments recorded  {done} of {len(jobs)} ({len(failures)} failed)")
    print(f"throughput         {done / wall:.0f} payments/s  (goal >= 200)")
    print(f"latency p50        {statistics.median(latencies) * 1000:.1f} ms" if done else "latency p50  n/a")
    print(f"latency p95        {p95:.1f} ms  (goal <= 100)")
    for failure in failures[:5]:
        print("failure:", failure)


if __name__ == "__main__":
    main()
