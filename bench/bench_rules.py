"""Benchmark of the rules module (a script, not a test): prints figures and ratios.

    uv run --frozen python bench/bench_rules.py [--participants N]

1. p50 / p95 of one in-process quote with its breakdown (VSI and household HI requests).
2. Re-pricing N participants (default 1,000,000; 60% VSI periodic payments, 40% HI households) on one
   core through the lean bulk path (ansinh.rules.bulk: parameters looked up once per date, the same
   rule functions as the quotes), and the ratio to a plain integer-arithmetic loop computing the same
   totals (checked equal).
3. The bulk path for advance payments (no plain-integer equivalent, timed on its own).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date
from decimal import Decimal

from ansinh.rules.bulk import HiBulkPricer, VsiBulkPricer
from ansinh.rules.quote import quote
from ansinh.rules.vsi_support import vsi_state_support_choice

ON = date(2025, 9, 1)
MODES = ("monthly", "3_months", "6_months", "12_months")
GROUPS = (("poor",), ("near_poor",), ("ethnic_minority",), ("other",), ("none",))


def p50_of_quotes(request: dict, runs: int = 3000) -> tuple[float, float]:
    for _ in range(200):
        quote(request)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        quote(request)
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1e3, times[int(len(times) * 0.95)] * 1e3


def participants(n: int, vsi: VsiBulkPricer, seed: int = 7) -> list[tuple]:
    rng = random.Random(seed)
    rates = vsi.rates
    top_step = (rates.ceiling_vnd - rates.floor_vnd) // rates.step_vnd
    rows = []
    for _ in range(n):
        if rng.random() < 0.6:
            income = rates.floor_vnd + rates.step_vnd * min(top_step, int(rng.expovariate(1 / 20)))
            rows.append(("vsi", income, rng.choice(MODES), rng.choice(GROUPS), rng.randrange(0, 130)))
        else:
            members = rng.randint(1, 6)
            pct = rng.choice((0, 0, 0, 30, 70))
            rows.append(("hi", members, rng.choice((3, 6, 12)), pct))
    return rows


def bulk_totals(rows, vsi: VsiBulkPricer, hi: HiBulkPricer) -> tuple[int, int]:
    due = support = 0
    pcts = {p: [Decimal(p)] * 6 for p in (0, 30, 70)}
    for row in rows:
        if row[0] == "vsi":
            a = vsi.price(income=row[1], payment_mode=row[2], groups=row[3], months_already_supported=row[4])
            due += a.amount_due
            support += a.state_support
        else:
            total, sup = hi.price(members=row[1], months=row[2], support_pcts=pcts[row[3]][: row[1]])
            due += total
            support += sup
    return due, support


def integer_totals(rows, vsi: VsiBulkPricer, hi: HiBulkPricer) -> tuple[int, int]:
    """The same totals with plain integers; the rates come from the same parameters (no literals)."""
    rates = vsi.rates
    rate_num, rate_den = (rates.contribution_rate.value / 100).as_integer_ratio()
    base_num, base_den = rates.support_unit.as_integer_ratio()
    cap = rates.support_cap.value
    mode_months = dict(rates.mode_months.value)
    group_pct = {g: int(vsi_state_support_choice(ON, rates.law, g, vsi.params).pct) for g in GROUPS}
    hi_num, hi_den = hi.rates.monthly_first.as_integer_ratio()
    shares = [int(hi.rates.share(rank)) for rank in range(1, 7)]

    def half_up(a: int, b: int) -> int:
        return (2 * a + b) // (2 * b)

    due = support = 0
    for row in rows:
        if row[0] == "vsi":
            _, income, mode, groups, already = row
            months = mode_months[mode]
            due += half_up(income * rate_num * months, rate_den)
            supported = max(0, min(months, cap - already))
            support += half_up(group_pct[groups] * base_num * supported, 100 * base_den)
        else:
            _, members, months, pct = row
            for rank in range(members):
                amount = half_up(hi_num * months * shares[rank], hi_den * 100)
                due += amount
                support += half_up(amount * pct, 100)
    return due, support


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    args = parser.parse_args()

    vsi_request = {"kind": "vsi_contribution", "on": ON.isoformat(), "income": 2000000, "months": 3,
                   "payment_mode": "3_months", "support_group": "near_poor"}
    hi_request = {"kind": "hi_household", "on": ON.isoformat(), "members": 4, "months": 12, "support_pct": 30}
    for name, request in (("VSI", vsi_request), ("HI household", hi_request)):
        p50, p95 = p50_of_quotes(request)
        print(f"single {name} quote with breakdown: p50 {p50:.3f} ms, p95 {p95:.3f} ms (target p50 <= 1 ms)")

    vsi, hi = VsiBulkPricer(ON), HiBulkPricer(ON)
    rows = participants(args.participants, vsi)
    start, cpu = time.perf_counter(), time.process_time()
    bulk = bulk_totals(rows, vsi, hi)
    bulk_seconds, bulk_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    plain = integer_totals(rows, vsi, hi)
    plain_seconds, plain_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert bulk == plain, (bulk, plain)
    print(f"re-price {len(rows):,} participants (60% VSI, 40% HI households) on one core: "
          f"{bulk_seconds:.1f} s wall, {bulk_cpu:.1f} s CPU (target <= 60 s); "
          f"totals due {bulk[0]:,} VND, state support {bulk[1]:,} VND")
    print(f"plain integer loop, same totals: {plain_seconds:.2f} s wall, {plain_cpu:.2f} s CPU; "
          f"ratio bulk / plain = {bulk_cpu / plain_cpu:.1f}x (CPU)")

    advance = VsiBulkPricer(date(2026, 3, 1))
    start = time.perf_counter()
    for i in range(100_000):
        advance.price(income=advance.rates.floor_vnd, payment_mode="advance", months=12 + i % 49, groups=("poor",))
    print(f"100,000 advance payments (12..60 months, discounted month by month): {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
