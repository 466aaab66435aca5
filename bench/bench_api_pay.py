"""Benchmark: paying saved HI quotes through the REST API (``POST /api/v1/payments/quotes/hi/<id>``), served
by granian (``ansinh serve``), with concurrent clients.

Goal (issue 15): at least 200 payments per second with p95 at most 100 ms on 2 cores, PostgreSQL, like the
page (``bench/bench_payments_http.py``, whose approach this copies: the same users, quotes saved in-process
beforehand, a new connection per request, only the payment requests timed). Prints the figures; it is not
a test (``ansinh/api/tests/test_bench_api_pay.py`` runs it at a small size against the test server).

    DATABASE_URL=postgres://ansinh:ansinh@127.0.0.1:5432/ansinh_bench \\
        uv run python bench/bench_api_pay.py [--requests 2000] [--clients 8] [--workers 6]

Each request is what a phone sends: JSON ``{"amount": …, "method": "cash"}`` with a new
``Idempotency-Key`` header, signed in with the session cookie (and its CSRF header) of one collection
agent per client (``--as agents``) or of the province SI officer for all (``--as officer``). A request
counts when it answers 201 with the receipt's JSON. The database must hold the demo province (loaded
with ``ansinh demo --no-serve`` when empty).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import django  # noqa: E402

django.setup()

from bench_payments_http import (  # noqa: E402  (the page benchmark's client, users and CPU counters)
    PASSWORD,
    Client,
    bench_users,
    cpu_seconds,
    machine_ticks,
    prepare,
)
from django.core.management import call_command  # noqa: E402


class ApiClient(Client):
    """A signed-in client that sends JSON to the API with the session's CSRF header."""

    def post_json(self, path: str, body: dict, headers: dict) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Content-Type": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", ""),
                   "Referer": f"http://127.0.0.1:{self.port}/", **headers}
        self.conn.request("POST", path, body=json.dumps(body), headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        if self.reconnect:
            self.conn.close()
        return response.status, data.decode("utf-8", "replace")


def api_jobs(count: int, users) -> list[list[tuple[str, int]]]:
    """Per client, (API path, amount due) of saved HI quotes of different households (``prepare`` of the page
    benchmark saves them; the API pays the same quote the page's /bao-gia/bhyt/<id>/ would)."""
    return [[(url.replace("/bao-gia/bhyt/", "/api/v1/payments/quotes/hi/").rstrip("/"), amount)
             for url, amount in mine] for mine in prepare(count, "quote", users)]


def pay_all(*, port: int, users, jobs, password: str = PASSWORD, keep_alive: bool = False) -> dict:
    """Run one thread per client; each signs in and pays its quotes. Returns ``{"latencies", "failures",
    "wall", "cpu", "ticks"}`` (latencies in seconds of the 201 answers; cpu/ticks: before and after)."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def run(user, mine):
        try:
            _run(user, mine)
        except OSError as exc:  # a timeout or a refused connection ends this client; say so
            with lock:
                failures.append(f"client {user.username}: {exc!r}")

    def _run(user, mine):
        client = ApiClient(port, reconnect=not keep_alive)
        client.request("GET", "/dang-nhap/")
        status, _ = client.request("POST", "/dang-nhap/", {
            "username": user.username, "password": password,
            "csrfmiddlewaretoken": client.cookies.get("csrftoken", "")})
        if status != 302:
            with lock:
                failures.append(f"login {user.username}: {status}")
            return
        for path, amount in mine:
            started = time.perf_counter()
            status, body = client.post_json(path, {"amount": amount, "method": "cash"},
                                            {"Idempotency-Key": uuid.uuid4().hex})
            elapsed = time.perf_counter() - started
            with lock:
                if status == 201 and json.loads(body).get("amount") == amount:
                    latencies.append(elapsed)
                else:
                    failures.append(f"{path}: {status} {body[:160]}")

    threads = [threading.Thread(target=run, args=(user, mine)) for user, mine in zip(users, jobs, strict=True)]
    cpu_before, ticks_before = cpu_seconds(), machine_ticks()
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {"latencies": sorted(latencies), "failures": failures, "wall": wall,
            "cpu": (cpu_before, cpu_seconds()), "ticks": (ticks_before, machine_ticks())}


def report(result: dict, *, planned: int, label: str) -> list[str]:
    """The figures as printed lines: payments recorded, payments per second, p50 and p95 latency, CPU."""
    latencies, wall = result["latencies"], result["wall"]
    done = len(latencies)
    p95 = latencies[max(int(done * 0.95) - 1, 0)] * 1000 if done else float("nan")
    lines = [
        f"database           {django.db.connection.vendor}",
        f"mode               {label}",
        f"payments recorded  {done} of {planned} ({len(result['failures'])} failed)",
        f"throughput         {done / wall:.0f} payments/s  (goal >= 200)",
        f"latency p50        {statistics.median(latencies) * 1000:.1f} ms" if done else "latency p50        n/a",
        f"latency p95        {p95:.1f} ms  (goal <= 100)",
    ]
    cpu_before, cpu_after = result["cpu"]
    used = {name: cpu_after[name] - cpu_before.get(name, 0.0) for name in cpu_after}
    busiest = sorted(((v, k) for k, v in used.items() if v > 0.05 * wall), reverse=True)[:4]
    if done and busiest:
        lines.append("cpu per payment    " + ", ".join(f"{name} {v / done * 1000:.1f} ms" for v, name in busiest)
                     + f"  (of {os.cpu_count()} cores x {wall:.1f} s)")
    ticks_before, ticks_after = result["ticks"]
    if ticks_before and ticks_after:
        spent = [after - before for before, after in zip(ticks_before, ticks_after, strict=True)]
        total = sum(spent) or 1
        lines.append(f"machine            busy {100 * (total - spent[3] - spent[4] - spent[7]) / total:.0f}%, "
                     f"idle {100 * spent[3] / total:.0f}%, taken by the host (steal) {100 * spent[7] / total:.0f}%")
    lines += [f"failure: {f}" for f in result["failures"][:5]]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as", dest="as_role", choices=["agents", "officer"], default="agents")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--keep-alive", action="store_true")
    args = parser.parse_args()

    call_command("migrate", interactive=False, verbosity=0)
    users = bench_users(args.clients, args.as_role)
    jobs = api_jobs(args.requests, users)
    server = subprocess.Popen(
        [sys.executable, "-m", "ansinh.cli", "serve", "--port", str(args.port), "--workers", str(args.workers),
         "--threads", str(args.threads)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "ANSINH_DEMO": "1"})  # the demo province: served without a production SECRET_KEY
    try:
        import http.client

        for _ in range(600):  # up to 2 minutes on a busy machine
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/dang-nhap/")
                break
            except OSError:
                time.sleep(0.2)
        result = pay_all(port=args.port, users=users, jobs=jobs, keep_alive=args.keep_alive)
    finally:
        server.terminate()
        server.wait(timeout=10)
    label = (f"API: pay a saved quote, {args.workers} workers x {args.threads} threads, {args.clients} clients as "
             f"{args.as_role}, {'keep-alive' if args.keep_alive else 'a connection per request'}")
    print("\n".join(report(result, planned=sum(map(len, jobs)), label=label)))


if __name__ == "__main__":
    main()
