"""Benchmark: recording HI payments over HTTP, served by granian (``ansinh serve``).

Goal (issue "Enrolment and collection"): at least 200 payments per second with p95 at most 100 ms on
2 cores, PostgreSQL. Prints the figures; it is not a test.

    DATABASE_URL=postgres://ansinh:ansinh@127.0.0.1:5432/ansinh_bench \
        uv run python bench/bench_payments_http.py [--mode quote|enrol] [--requests 2000] [--clients 8]

``--mode quote`` (default): each request pays a household's saved quote on its page (/bao-gia/bhyt/N/):
payment, card validity of every member, status and numbered receipt, in one transaction. The quotes are
saved in-process beforehand (``hi_enroll``), as agents do before a collection day.
``--mode enrol``: each request prices, enrols and pays a household in one (the household page's form).
The database must hold the demo province (loaded with ``ansinh demo --no-serve`` when empty). Each
request pays one different household with its own idempotency key; each client signs in as a different
collection agent (``--as agents``, default) or all as the province SI officer (``--as officer``). Only the
payment requests are timed; each on a new connection unless ``--keep-alive``. The server is
``ansinh serve --workers 6 --threads 1`` (``--workers``,
``--threads``). Besides throughput and latency it prints the CPU time per payment of the busiest
processes (server, PostgreSQL, kernel, this client): on 2 cores, 200 payments/s leaves 10 ms in all.
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

from django.db.models import Count  # noqa: E402

from ansinh.accounts.models import Role, UserRole  # noqa: E402
from ansinh.accounts.services import households_in_scope, user_role_assign  # noqa: E402
from ansinh.collection.models import Agent  # noqa: E402
from ansinh.enrollment.errors import AlreadyCovered, NoEligibleMembers  # noqa: E402
from ansinh.enrollment.services import hi_enroll, hi_household_quote  # noqa: E402
from ansinh.registry.models import Household  # noqa: E402

OFFICER, PASSWORD = "bhxh_tinh", "ansinh-demo"
BENCH_AGENT_PREFIX = "bench_thu_"


class Client:
    """One signed-in client: an HTTP/1.1 keep-alive connection, or (``reconnect``) a new connection for
    each request."""

    def __init__(self, port: int, reconnect: bool = False):
        self.port = port
        self.reconnect = reconnect
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
        if self.reconnect:
            self.conn.close()  # the next request connects again (http.client reopens it)
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, data.decode("utf-8", "replace")

    def login(self, username: str):
        self.request("GET", "/dang-nhap/")
        status, _ = self.request("POST", "/dang-nhap/", {
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
        })
        if status != 302:
            raise SystemExit(f"login failed ({status})")


def bench_users(clients: int, as_role: str) -> list[User]:
    """One user per client: the province officer for all, or (agents) a sign-in for each of the
    ``clients`` agents with the most households (created once in the bench database)."""
    if as_role == "officer":
        return [User.objects.get(username=OFFICER)] * clients
    users = []
    agents = Agent.objects.annotate(n=Count("households")).order_by("-n", "pk")[:clients]
    for agent in agents:
        existing = UserRole.objects.filter(agent=agent).select_related("user").first()
        if existing is not None:  # the demo's agent sign-in (same password)
            users.append(existing.user)
            continue
        user, created = User.objects.get_or_create(username=f"{BENCH_AGENT_PREFIX}{agent.pk}")
        if created:
            user.set_password(PASSWORD)
            user.save()
            user_role_assign(user=user, role=Role.COLLECTION_AGENT, agent=agent)
        users.append(user)
    return users


def prepare(count: int, mode: str, users: list[User], demo_scale: float = 1.0) -> list[list[tuple[str, int]]]:
    """Per client, (URL to post to, amount due today) for different households with someone to cover:
    ``count`` in all, shared out evenly."""
    if not Household.objects.exists():
        call_command("demo", "--no-serve", "--scale", str(demo_scale))
    today = timezone.localdate()
    per_client = -(-count // len(users))
    jobs: list[list[tuple[str, int]]] = []
    taken: set[int] = set()
    for user in users:
        mine: list[tuple[str, int]] = []
        for household in households_in_scope(user).exclude(pk__in=taken).order_by("?")[: per_client * 3]:
            try:
                if mode == "quote":
                    quote = hi_enroll(user=user, household=household, months=12, on=today)
                    mine.append((f"/bao-gia/bhyt/{quote.pk}/", quote.payable))
                else:
                    payable = hi_household_quote(user=user, household=household, months=12, on=today)["payable"]
                    mine.append((f"/ho/{household.pk}/thu-bhyt/", payable))
            except (NoEligibleMembers, AlreadyCovered):
                continue
            taken.add(household.pk)
            if len(mine) == per_client:
                break
        jobs.append(mine)
    return jobs


def cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by process name (Linux /proc; empty elsewhere): where the time goes."""
    totals: dict[str, float] = {}
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        name = "client (this bench)" if int(entry) == os.getpid() else stat[stat.index("(") + 1: stat.rindex(")")]
        name = {"python": "server", "python3": "server", "granian": "server"}.get(name, name)
        fields = stat[stat.rindex(")") + 2:].split()
        totals[name] = totals.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return totals


def machine_ticks() -> list[int]:
    """The machine's CPU time so far (Linux /proc/stat, all cores): user, nice, system, idle, iowait, irq,
    softirq, steal (ticks); empty elsewhere."""
    try:
        with open("/proc/stat") as fh:
            return [int(x) for x in fh.readline().split()[1:9]]
    except OSError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["quote", "enrol"], default="quote")
    parser.add_argument("--as", dest="as_role", choices=["agents", "officer"], default="agents",
                        help="each client a different collection agent (default), or all the province officer")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=6,
                        help="server processes (default 6: 3 per core, each waits on PostgreSQL part of a request)")
    parser.add_argument("--threads", type=int, default=1, help="server threads per worker")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--demo-scale", type=float, default=1.0,
                        help="size of the demo loaded into an empty database (the test suite runs 0.05)")
    parser.add_argument("--keep-alive", action="store_true",
                        help="each client keeps one connection (default: a new connection per request, as many "
                             "agents' devices give; granian serves a connection on one process, so a few "
                             "long-lived connections load the processes unevenly)")
    args = parser.parse_args()

    call_command("migrate", interactive=False, verbosity=0)
    if not Household.objects.exists():
        call_command("demo", "--no-serve", "--scale", str(args.demo_scale))
    users = bench_users(args.clients, args.as_role)
    jobs = prepare(args.requests, args.mode, users, args.demo_scale)
    server = subprocess.Popen(
        [sys.executable, "-m", "ansinh.cli", "serve", "--port", str(args.port), "--workers", str(args.workers),
         "--threads", str(args.threads)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "ANSINH_DEMO": "1"},  # the demo province: served without a production SECRET_KEY
    )
    try:
        for _ in range(900):  # up to 3 minutes: a busy machine starts the server slowly
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/dang-nhap/")
                break
            except OSError:
                time.sleep(0.2)
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        today = timezone.localdate().strftime("%d/%m/%Y")

        def run(user, mine):
            client = Client(args.port, reconnect=not args.keep_alive)
            client.login(user.username)
            token = client.cookies.get("csrftoken", "")
            for url, amount in mine:
                started = time.perf_counter()
                status, body = client.request("POST", url, {
                    "months": "12", "amount": str(amount), "method": "cash", "paid_on": today,
                    "idempotency_key": uuid.uuid4().hex, "csrfmiddlewaretoken": token,
                    "xac_nhan": "1",  # the confirm step of the pay form (its summary step writes nothing)
                })
                elapsed = time.perf_counter() - started
                with lock:
                    if status == 302:
                        latencies.append(elapsed)
                    else:
                        failures.append(f"{url}: {status} {re.sub(r'\\s+', ' ', body)[:120]}")

        threads = [threading.Thread(target=run, args=(user, mine)) for user, mine in zip(users, jobs, strict=True)]
        cpu_before, ticks_before = cpu_seconds(), machine_ticks()
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        cpu_after, ticks_after = cpu_seconds(), machine_ticks()
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies.sort()
    done = len(latencies)
    p95 = latencies[int(done * 0.95) - 1] * 1000 if done else float("nan")
    print(f"database           {django.db.connection.vendor}")
    print(f"mode               {args.mode} ({'pay a saved quote' if args.mode == 'quote' else 'enrol and pay'}), "
          f"{args.workers} workers x {args.threads} threads, {args.clients} clients as {args.as_role}, "
          f"{'keep-alive' if args.keep_alive else 'a connection per request'}")
    print(f"payments recorded  {done} of {sum(map(len, jobs))} ({len(failures)} failed)")
    print(f"throughput         {done / wall:.0f} payments/s  (goal >= 200)")
    print(f"latency p50        {statistics.median(latencies) * 1000:.1f} ms" if done else "latency p50  n/a")
    print(f"latency p95        {p95:.1f} ms  (goal <= 100)")
    used = {name: cpu_after[name] - cpu_before.get(name, 0.0) for name in cpu_after}
    busiest = sorted(((v, k) for k, v in used.items() if v > 0.05 * wall), reverse=True)[:4]
    if done and busiest:
        print("cpu per payment    " + ", ".join(f"{name} {v / done * 1000:.1f} ms" for v, name in busiest)
              + f"  (of {os.cpu_count()} cores x {wall:.1f} s)")
    if ticks_before and ticks_after:
        spent = [after - before for before, after in zip(ticks_before, ticks_after, strict=True)]
        total = sum(spent) or 1
        print(f"machine            busy {100 * (total - spent[3] - spent[4] - spent[7]) / total:.0f}%, "
              f"idle {100 * spent[3] / total:.0f}%, waiting on disk {100 * spent[4] / total:.0f}%, "
              f"taken by the host (steal) {100 * spent[7] / total:.0f}%")
    for failure in failures[:5]:
        print("failure:", failure)


if __name__ == "__main__":
    main()
