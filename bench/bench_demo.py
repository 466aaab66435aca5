"""Benchmark: generate the full demo province on a fresh SQLite file (goal: at most 60 s on 2 cores).

    uv run --frozen python bench/bench_demo.py [--seed 2024] [--scale 1.0] [--keep]

Runs what ``ansinh demo --no-serve`` runs (migrations, the Hậu Giang map, 588 branches, 777
savings-and-loan groups, 36,000 members in their households, agents, users, the May 2024 campaign, and
the VSI / household HI sign-ups of May–December 2024 with payments and receipts) in a temporary
folder, then prints one JSON object: wall and CPU seconds, the ratio to the 60 s goal, rows written
per second, quotes asked of the rules module, and the summary counts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 60.0


def _rows_written() -> dict[str, int]:
    """Rows per table of the demo's large tables."""
    from ansinh.collection.models import Payment, Receipt
    from ansinh.enrollment.models import HiMemberCoverage, HiParticipation, VsiParticipation
    from ansinh.registry.models import AssociationUnit, Household, HouseholdMember, Membership, Person

    models = (Person, HouseholdMember, Household, AssociationUnit, Membership, VsiParticipation, HiParticipation,
              HiMemberCoverage, Payment, Receipt)
    return {m._meta.label: m.objects.count() for m in models}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true", help="keep the database file and print its path")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ansinh-bench-demo-"))
    db_path = folder / "ansinh.db"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    wall, cpu = time.perf_counter(), time.process_time()
    import django

    django.setup()
    from ansinh.demo.generator import demo_run

    summary = demo_run(seed=args.seed, scale=args.scale,
                       progress=lambda text: print(f"[{time.perf_counter() - wall:5.1f} s] {text}", file=sys.stderr))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rows = _rows_written()
    summary.pop("users")
    result = {
        "seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "goal_seconds": GOAL_SECONDS,
        "ratio_to_goal": round(wall / GOAL_SECONDS, 2),
        "rows": rows,
        "rows_per_second": round(sum(rows.values()) / wall),
        "database_mb": round(db_path.stat().st_size / 1e6, 1),
        "counts": summary,
    }
    if args.keep:
        result["database"] = str(db_path)
    else:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
