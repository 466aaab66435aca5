"""Benchmark: assigning 10,000 households of one hamlet to a collection agent (the administrator's bulk
assignment, ``households_assign_by_area``). Budget (issue 11): at most 5 s.

    uv run --frozen python bench/bench_assign.py                  # 10,000 households, SQLite
    uv run --frozen python bench/bench_assign.py --households 50000
    DATABASE_URL=postgres://ansinh:ansinh@127.0.0.1:5432/ansinh_bench uv run --frozen python bench/bench_assign.py --use-database-url

A fresh SQLite file in a temporary folder (or, with ``--use-database-url``, the database named by
DATABASE_URL, migrated; its rows are left in place) gets the real map (Hậu Giang 93 and Cần Thơ 92), a
provincial administrator of 92, a collection organisation with two agents whose catchment is one hamlet of
one new-map commune, and ``--households`` households in that hamlet (made up). Timed, each in its own
transaction, through the service as the page calls it (permission, scope, catchment and date checks, one
``bulk_create`` of the log rows, one ``update()`` of ``Household.agent``):
- ``first``: the hamlet's households to agent A (no earlier assignment);
- ``reassign``: the same households to agent B a day later (each has an earlier assignment to check).
Prints one JSON line per run and a last line with the figures and whether they are within budget.
"""

import argparse
import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--use-database-url", action="store_true", help="use DATABASE_URL instead of a temp SQLite")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    if not args.use_database_url:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from ansinh.accounts.models import Role
    from ansinh.accounts.services import roles_sync, user_role_assign
    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
    from ansinh.areas.services import areas_load
    from ansinh.collection.models import HouseholdAssignment
    from ansinh.collection.services_structure import (agent_catchment_set, agent_create, collection_org_create,
                                                      households_assign_by_area)
    from ansinh.registry.models import Household

    areas_load(old_province_code=93, new_province_code=92)
    roles_sync()
    province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    commune = AdministrativeUnit.objects.filter(province=province, level=Level.COMMUNE).order_by("code").first()
    stamp = f"{time.time_ns() % 10**8}"
    admin = User.objects.create_user(username=f"bench_admin_{stamp}")
    user_role_assign(user=admin, role=Role.PROVINCE_ADMIN, area=province)
    admin = User.objects.get(pk=admin.pk)
    org = collection_org_create(user=admin, code=f"B{stamp}", name="Bưu điện (bench)")
    hamlet = f"Ấp bench {stamp}"
    agents = []
    for k in "AB":
        agent = agent_create(user=admin, org=org, code=f"{k}{stamp}", full_name=f"Nhân viên {k}")
        agent_catchment_set(user=admin, agent=agent, communes=[commune], hamlets={commune.pk: [hamlet]})
        agents.append(agent)
    Household.objects.bulk_create([Household(code=f"BH{stamp}-{i:06d}", commune=commune, hamlet=hamlet)
                                   for i in range(args.households)], batch_size=2000)
    today = timezone.localdate()
    figures = {}
    for name, agent, starts_on in [("first", agents[0], today - datetime.timedelta(days=1)),
                                   ("reassign", agents[1], today)]:
        wall, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            count = households_assign_by_area(user=admin, agent=agent, commune=commune, hamlet=hamlet,
                                              starts_on=starts_on).assigned
        seconds = time.perf_counter() - wall
        figures[name] = round(seconds, 3)
        assert count == args.households
        assert Household.objects.filter(hamlet=hamlet, agent=agent).count() == args.households
        print(json.dumps({"run": name, "households": count, "seconds": round(seconds, 3),
                          "cpu_seconds": round(time.process_time() - cpu, 3),
                          "per_1000_ms": round(seconds * 1000 / count * 1000, 1)}))
    log = HouseholdAssignment.objects.filter(household__hamlet=hamlet).count()
    print(json.dumps({"database": connection.vendor, "households": args.households, "log_rows": log,
                      **{f"{k}_s": v for k, v in figures.items()}, "budget_s": BUDGET_SECONDS,
                      "within_budget": max(figures.values()) <= BUDGET_SECONDS}))
    tmp.cleanup()


if __name__ == "__main__":
    main()
