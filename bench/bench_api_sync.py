"""Benchmark: a device's first sync through the API (``GET /api/v1/registry/sync``) of 1,000 households
with their members and HI card dates, as the collection agent they are assigned to, with a personal token.

    uv run --frozen python bench/bench_api_sync.py                     # 1,000 households, SQLite
    uv run --frozen python bench/bench_api_sync.py --households 200    # smaller
    DATABASE_URL=postgres://… uv run --frozen python bench/bench_api_sync.py   # on PostgreSQL (emptied first)

A fresh database (a temporary SQLite file unless DATABASE_URL names PostgreSQL) gets the real Hậu Giang
map, one agent with a user and a token, and ``--households`` households of 1 to 6 generated members
(made up names and citizen IDs), each member with a paid 12-month HI card. The sync is then requested
through Django's test client (the whole request: middleware, token check, scope, JSON) ``--repeat`` times
after one warm-up; printed: the median and slowest server time, the answer's size and its gzip-compressed
size. Goals (issue 15): at most 2 s of server time and at most 1 MB transferred (compressed).
``ansinh/api/tests/test_bench_sync.py`` runs ``populate`` and ``measure`` on a few households.
"""

import argparse
import datetime
import gzip
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 2.0
GOAL_BYTES = 1_000_000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hạnh", "Lan", "Mai", "Nam", "Phúc", "Tâm", "Thảo", "Vy"]
RELATIONSHIPS = ["head", "spouse", "child", "child", "parent", "grandchild"]


def populate(households: int, *, seed: int = 15):
    """The agent's user and ``households`` households with members and paid HI cards (bulk writes, as an
    import would leave them). Returns the user."""
    from django.contrib.auth.models import User

    from ansinh.accounts.services import roles_sync, user_role_assign
    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
    from ansinh.collection.models import Agent, CollectionOrg
    from ansinh.enrollment.models import HiMemberCoverage, HiParticipation
    from ansinh.registry.models import Household, HouseholdMember, Person

    rnd = random.Random(seed)
    roles_sync()
    province = AdministrativeUnit.objects.get(map=MapVersion.OLD, level=Level.PROVINCE, code="93")
    communes = list(AdministrativeUnit.objects.filter(map=MapVersion.OLD, level=Level.COMMUNE,
                                                      province=province).order_by("code")[:10])
    org = CollectionOrg.objects.create(code="BDSYNC", name="Bưu điện (đồng bộ)", province=province)
    agent = Agent.objects.create(org=org, code="NVTSYNC", full_name="Nhân Viên Đồng Bộ", area=province)
    user = User.objects.create_user(username="dong_bo", password="x")
    user_role_assign(user=user, role="collection_agent", agent=agent)
    homes = Household.objects.bulk_create([
        Household(code=f"DB-{i:06d}", commune=communes[i % len(communes)], agent=agent, hamlet=f"Ấp {i % 9 + 1}",
                  address=f"Số {i % 300 + 1}, ấp {i % 9 + 1}") for i in range(households)])
    people, links = [], []
    for home in homes:
        for rank, relationship in enumerate(RELATIONSHIPS[: rnd.randint(1, 6)]):
            born = datetime.date(rnd.randint(1950, 2020), rnd.randint(1, 12), rnd.randint(1, 28))
            people.append(Person(full_name=f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}",
                                 date_of_birth=born, sex=rnd.choice(["male", "female"]), commune=home.commune,
                                 citizen_id=f"093{len(people) + 1:09d}", hamlet=home.hamlet))
            links.append((home, relationship, rank + 1))
    people = Person.objects.bulk_create(people)
    HouseholdMember.objects.bulk_create([HouseholdMember(household=home, person=person, relationship=relationship)
                                         for person, (home, relationship, _) in zip(people, links)])
    paid = HiParticipation.objects.bulk_create([
        HiParticipation(household=home, commune=home.commune, months=12, priced_on=datetime.date(2026, 1, 5),
                        total=1_264_000, state_support=0, payable=1_264_000, quote={}, status="paid", agent=agent)
        for home in homes])
    by_home = {p.household_id: p for p in paid}
    HiMemberCoverage.objects.bulk_create([
        HiMemberCoverage(participation=by_home[home.pk], person=person, rank=rank, share_pct=100, amount=1,
                         payable=1, valid_from=datetime.date(2026, 2, 4), valid_to=datetime.date(2027, 2, 3))
        for person, (home, _, rank) in zip(people, links)])
    return User.objects.get(pk=user.pk)


def measure(user, *, households: int, repeat: int = 3) -> dict:
    """Sync as ``user`` with a fresh token: ``{"households", "members", "median_s", "max_s", "bytes",
    "gzip_bytes"}`` (one warm-up, then ``repeat`` timed requests)."""
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from ansinh.api.services import api_token_create

    cache.clear()
    _, secret = api_token_create(user=user, name="bench", expires_on=timezone.localdate() + datetime.timedelta(days=2))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"/api/v1/registry/sync?limit={max(households, 1)}"
    times, body = [], b""
    for _ in range(repeat + 1):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
        body = response.content
    import json

    data = json.loads(body)
    times = times[1:]
    return {"households": len(data["households"]), "members": sum(len(h["members"]) for h in data["households"]),
            "has_more": data["has_more"], "median_s": statistics.median(times), "max_s": max(times),
            "bytes": len(body), "gzip_bytes": len(gzip.compress(body, compresslevel=6))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    folder = tempfile.mkdtemp(prefix="bench-api-sync-")
    if not url.startswith("postgres"):
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.db"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from ansinh.areas.services import areas_load

    if url.startswith("postgres"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    areas_load(old_province_code=93, new_province_code=92)
    started = time.perf_counter()
    user = populate(args.households)
    print(f"populated {args.households} households in {time.perf_counter() - started:.1f} s "
          f"({django.db.connection.vendor})")
    result = measure(user, households=args.households, repeat=args.repeat)
    ok_time = result["median_s"] <= GOAL_SECONDS
    ok_size = result["gzip_bytes"] <= GOAL_BYTES
    print(f"first sync: {result['households']} households, {result['members']} members with card dates")
    print(f"server time: median {result['median_s'] * 1000:.0f} ms, slowest {result['max_s'] * 1000:.0f} ms "
          f"(goal <= {GOAL_SECONDS * 1000:.0f} ms) {'OK' if ok_time else 'OVER'}")
    print(f"size: {result['bytes']:,} bytes, gzip {result['gzip_bytes']:,} bytes "
          f"(goal <= {GOAL_BYTES:,}) {'OK' if ok_size else 'OVER'}")
    return 0 if ok_time and ok_size else 1


if __name__ == "__main__":
    sys.exit(main())
