"""Benchmark: every page of every role on the demo province — server time, transfer, Largest Contentful
Paint on a slow phone (issue 16: at most 200 ms, 300 KB compressed, 2.5 s).

    ./dev demo &                                    # the demo province on http://127.0.0.1:8000
    uv run --frozen python bench/bench_pages.py [--base http://127.0.0.1:8000] [--runs 5] [--no-lcp]

For each role's pages (signed in with the demo password) it prints, as JSON lines then a summary:
- ``server_ms``: the median time to the last byte of the HTML over ``--runs`` requests on this machine
  (no network in between: what the server spends);
- ``transfer_kb``: what Chromium transferred for the page and everything it loaded (HTML, CSS, scripts,
  fonts), compressed as served — read from the DevTools protocol (``encodedDataLength``);
- ``lcp_ms``: Largest Contentful Paint in Chromium at 390 × 844 with a slow-4G profile (150 ms latency,
  1.6 Mbit/s down, 750 kbit/s up) and the CPU slowed 4×, empty cache;
and for each figure the ratio to its goal; then a table (one line per page: server ms, transfer KB, LCP s,
"đạt"/"KHÔNG ĐẠT" against the three goals) and a summary line (pages within every goal, the worst of
each figure, ``uptime``'s load average: figures taken on a loaded machine are inflated). Exits 0; it is a
measurement, not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse

PASSWORD = "ansinh-demo"
GOALS = {"server_ms": 200, "transfer_kb": 300, "lcp_ms": 2500}
PAGES = {
    None: ["/dang-nhap/", "/tinh-muc-dong/", "/tinh-luong-huu/", "/tham-so/"],
    "thu_vien": ["/", "/ho/", "/viec-can-lam/", "/so-thu/", "/tai-tuc/", "/bien-lai/"],
    "chihoitruong": ["/tien-do/", "/viec-can-lam/"],
    "bhxh_tinh": ["/chien-dich/", "/tien-do/", "/tien-do/can-bo/", "/tien-do/theo-ngay/", "/danh-sach/",
                  "/doi-soat/", "/chi-tieu/", "/nhap/", "/ho/", "/bien-lai/", "/tai-tuc/"],
    "bhxh_xa": ["/tien-do/", "/ho/"],
    "hoinongdan_tinh": ["/tien-do/", "/tien-do/can-bo/"],
    "quan_tri": ["/quan-tri/"],
}
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8,
           "uploadThroughput": 750 * 1024 / 8}
LCP_JS = """() => new Promise(resolve => {
  let last = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) last = e.startTime; })
    .observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => resolve(last), 500);
})"""


def sign_in(base: str, username: str) -> str:
    """The session cookie of ``username`` (a GET for the CSRF cookie, then the sign-in form)."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    conn.request("GET", "/dang-nhap/")
    response = conn.getresponse()
    response.read()
    cookies = {c.split("=", 1)[0]: c.split(";", 1)[0].split("=", 1)[1]
               for c in response.headers.get_all("Set-Cookie") or []}
    token = cookies["csrftoken"]
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    conn.request("POST", "/dang-nhap/", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={token}",
        "Referer": base + "/dang-nhap/"})
    response = conn.getresponse()
    response.read()
    for cookie in response.headers.get_all("Set-Cookie") or []:
        if cookie.startswith("sessionid="):
            return cookie.split(";", 1)[0]
    sys.exit(f"cannot sign in as {username} (status {response.status})")


def server_ms(base: str, path: str, cookie: str | None, runs: int) -> tuple[float, int]:
    url = urllib.parse.urlsplit(base)
    times, status = [], 0
    for _ in range(runs):
        conn = http.client.HTTPConnection(url.hostname, url.port)
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        status = response.status
        conn.close()
    return statistics.median(times), status


def browser_figures(browser, base: str, path: str, cookie: str | None) -> tuple[float, float]:
    """Transferred KB (compressed, everything the page loaded) and LCP (ms) on a throttled phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    if cookie:
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": base}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    sizes: dict[str, float] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(base + path, wait_until="load", timeout=120_000)
    lcp = page.evaluate(LCP_JS)
    context.close()
    return sum(sizes.values()) / 1024, lcp


def passes(row: dict) -> bool:
    """Within every goal measured for the page (and answered with 200 or a redirect)."""
    return row["status"] < 400 and all(row[key] <= goal for key, goal in GOALS.items() if key in row)


def load_average() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def print_table(rows: list[dict]) -> None:
    """One line per page against the goals, then the summary line."""
    print(f"\n{'người dùng':16} {'trang':22} {'mã':>3} {'máy chủ ms':>10} {'tải KB':>7} {'LCP s':>6}  kết quả")
    for r in rows:
        lcp = f"{r['lcp_ms'] / 1000:6.2f}" if "lcp_ms" in r else f"{'—':>6}"
        kb = f"{r['transfer_kb']:7.1f}" if "transfer_kb" in r else f"{'—':>7}"
        over = [name for key, name in (("server_ms", "máy chủ"), ("transfer_kb", "tải"), ("lcp_ms", "LCP"))
                if key in r and r[key] > GOALS[key]]
        verdict = "đạt" if passes(r) else "KHÔNG ĐẠT (" + ", ".join(over or ["mã " + str(r["status"])]) + ")"
        print(f"{r['user']:16} {r['path']:22} {r['status']:>3} {r['server_ms']:10.0f} {kb} {lcp}  {verdict}")
    ok = sum(passes(r) for r in rows)
    worst = {key: max(r.get(key, 0) for r in rows) for key in GOALS}
    print(f"Tổng: {ok}/{len(rows)} trang đạt mục tiêu (máy chủ ≤ {GOALS['server_ms']} ms, tải ≤ "
          f"{GOALS['transfer_kb']} KB, LCP ≤ {GOALS['lcp_ms'] / 1000:g} s); chậm nhất {worst['server_ms']:.0f} ms, "
          f"nặng nhất {worst['transfer_kb']:.0f} KB, LCP lâu nhất {worst['lcp_ms'] / 1000:.2f} s; "
          f"tải máy (1/5/15 phút) {load_average()}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-lcp", action="store_true", help="only the server times (no Chromium)")
    args = parser.parse_args()
    browser = playwright = None
    if not args.no_lcp:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    rows = []
    for username, paths in PAGES.items():
        cookie = sign_in(args.base, username) if username else None
        for path in paths:
            ms, status = server_ms(args.base, path, cookie, args.runs)
            row = {"user": username or "khách", "path": path, "status": status, "server_ms": round(ms, 1)}
            if browser:
                kb, lcp = browser_figures(browser, args.base, path, cookie)
                row.update(transfer_kb=round(kb, 1), lcp_ms=round(lcp))
            for key, goal in GOALS.items():
                if key in row:
                    row[f"{key}_ratio"] = round(row[key] / goal, 2)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if browser:
        browser.close()
        playwright.stop()
    print_table(rows)
    summary = {key: {"worst": max(rows, key=lambda r: r.get(key, 0))[key],
                     "worst_page": (lambda r: f"{r['user']} {r['path']}")(max(rows, key=lambda r: r.get(key, 0))),
                     "over_goal": [f"{r['user']} {r['path']}" for r in rows if r.get(key, 0) > goal], "goal": goal}
               for key, goal in GOALS.items() if key in rows[0]}
    print(json.dumps({"pages": len(rows), "summary": summary}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
