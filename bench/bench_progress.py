"""Benchmark: the district progress selector against a hand-written aggregate SQL, on 1,000,000
generated enrolments in PostgreSQL.

    DATABASE_URL=postgres://ansinh:ansinh@127.0.0.1:5432/ansinh_bench uv run --frozen python bench/bench_progress.py

The database named by DATABASE_URL is used only for this benchmark: it is created if missing (the role
needs CREATEDB), migrated, and filled once with generated data (``--regenerate`` wipes and refills it).
Data (all made up): the real Hậu Giang map, 40 agents, 1,000,000 people in 400,000 households, 1,365
association units with 36,000 members (the seed's sizes), 600,000 VSI periods and 400,000 household HI
periods (1,000,000 enrolments, about 1,000,000 HI member lines), one payment each from May to December 2024
(a spike on launch day), 0.5 % of them reversed, and the demo's campaign and targets.

Timed, in one run, each the median of ``--repeat`` runs after one warm-up:
- ``selector``: ``campaign_progress(campaign=..., by="district", on=...)`` — every indicator of the
  district progress page, with goals, %, remaining and forecast (what the page renders);
- ``page``: the district progress page through Django's test client (server time, HTML rendered);
- ``hand SQL``: one hand-written aggregate statement giving the same numbers for every indicator;
- ``page after one new payment``: the page right after a payment is recorded (the derived facts are
  brought up to date incrementally on read; the payment is rolled back afterwards);
and the ratios selector / hand SQL, for a hand-written SQL on the same derived tables the selector reads
and for one on the source tables (payments, participations, memberships). The numbers of all three are
compared and must be equal. Budget (issue): page <= 300 ms and selector <= 1.5 x hand SQL.
The first run builds the derived facts once (about a minute) and prints how long it took.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BUDGET_MS = 300
BUDGET_RATIO = 1.5
ON = datetime.date(2024, 12, 31)

PERSONS = 1_000_000
HOUSEHOLDS = 400_000
VSI = 600_000
HI = 400_000
UNITS_BRANCH = 588
UNITS_GROUP = 777
MEMBERS = 36_000


def _ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist (connecting to ``postgres``)."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate_sql(PERSONS: int, HOUSEHOLDS: int, VSI: int, HI: int, MEMBERS: int) -> list[str]:  # noqa: N803
    """The generator's statements for these sizes (``--scale`` multiplies the full sizes)."""
    return [
        # Communes numbered 0..74 in code order, with their district; agents numbered 0..4 per district.
        """CREATE TEMP TABLE bc AS SELECT (row_number() OVER (ORDER BY code)) - 1 AS n, id, parent_id
           FROM areas_administrativeunit WHERE map = 'old' AND level = 'commune'""",
        """INSERT INTO collection_collectionorg(code, name, kind, province_id)
           SELECT 'BENCH', 'Bưu điện (bench)', 'post_office', id FROM areas_administrativeunit WHERE map = 'old' AND level = 'province'""",
        """INSERT INTO collection_agent(org_id, code, full_name, phone, area_id)
           SELECT o.id, 'B' || d.code || '-' || k, 'Nhân viên ' || d.code || '-' || k, '', d.id
           FROM areas_administrativeunit d, generate_series(0, 4) k, collection_collectionorg o
           WHERE d.map = 'old' AND d.level = 'district' AND o.code = 'BENCH'""",
        """CREATE TEMP TABLE ba AS SELECT (row_number() OVER (PARTITION BY area_id ORDER BY id)) - 1 AS k, id, area_id
           FROM collection_agent""",
        # Household h (0-based) lives in commune h % 75 and is served by agent (h / 75) % 5 of its district.
        f"""CREATE TEMP TABLE bh AS SELECT h, bc.id AS commune_id, ba.id AS agent_id
           FROM generate_series(0, {HOUSEHOLDS} - 1) h JOIN bc ON bc.n = h % 75
           JOIN ba ON ba.area_id = bc.parent_id AND ba.k = (h / 75) % 5""",
        """INSERT INTO registry_household(id, code, commune_id, hamlet, address, poverty_status, agent_id)
           SELECT h + 1, 'BH' || h, commune_id, '', '', CASE WHEN h % 10 = 0 THEN 'near_poor' ELSE 'other' END,
                  agent_id FROM bh""",
        # Person i (1-based) belongs to household (i - 1) % HOUSEHOLDS; the first person is its head.
        f"""INSERT INTO registry_person(id, full_name, name_folded, date_of_birth, sex, citizen_id, phone,
                  ethnic_minority, hamlet, created_at, commune_id, other_coverage)
           SELECT i, 'Người ' || i, 'nguoi ' || i, date '1950-01-01' + ((i * 7919) % 20000)::int,
                  CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END, lpad(i::text, 12, '0'), '', false, '', now(),
                  bh.commune_id, ''
           FROM generate_series(1::bigint, {PERSONS}) i JOIN bh ON bh.h = (i - 1) % {HOUSEHOLDS}""",
        f"""INSERT INTO registry_householdmember(household_id, person_id, relationship)
           SELECT (i - 1) % {HOUSEHOLDS} + 1, i, CASE WHEN i <= {HOUSEHOLDS} THEN 'head' ELSE 'child' END
           FROM generate_series(1::bigint, {PERSONS}) i""",
        # Association units u (0-based): branches then groups, unit u in commune u % 75.
        f"""INSERT INTO registry_associationunit(id, kind, code, name, commune_id, branch_id)
           SELECT u + 1, CASE WHEN u < {UNITS_BRANCH} THEN 'branch' ELSE 'savings_group' END,
                  CASE WHEN u < {UNITS_BRANCH} THEN 'CH' ELSE 'TO' END || lpad(u::text, 5, '0'),
                  CASE WHEN u < {UNITS_BRANCH} THEN 'Chi hội ' ELSE 'Tổ TK&VV ' END || u, bc.id, NULL
           FROM generate_series(0, {UNITS_BRANCH + UNITS_GROUP} - 1) u JOIN bc ON bc.n = u % 75""",
        # Member m (0..35,999) is person m * 7 + 1, in commune n = (7 m) % 75, and joins unit (m % 19) * 75 + n of
        # that commune (when it exists); every 10th member is also in the next unit; the first member of each unit
        # leads it.
        f"""INSERT INTO registry_membership(person_id, unit_id, role, joined_on)
           SELECT m * 7 + 1, (m % 19) * 75 + (m * 7) % 75 + 1, 'member', NULL
           FROM generate_series(0::bigint, {MEMBERS} - 1) m
           WHERE (m % 19) * 75 + (m * 7) % 75 < {UNITS_BRANCH + UNITS_GROUP}""",
        f"""INSERT INTO registry_membership(person_id, unit_id, role, joined_on)
           SELECT m * 7 + 1, ((m + 1) % 19) * 75 + (m * 7) % 75 + 1, 'member', NULL
           FROM generate_series(0::bigint, {MEMBERS} - 1, 10) m
           WHERE ((m + 1) % 19) * 75 + (m * 7) % 75 < {UNITS_BRANCH + UNITS_GROUP}
           ON CONFLICT DO NOTHING""",
        """UPDATE registry_membership SET role = 'leader'
           WHERE id IN (SELECT min(id) FROM registry_membership GROUP BY unit_id)""",
        # Payment day d (0..244 from 2024-05-01): launch day 2024-05-20 (d = 19) gets 3 % of all sign-ups.
        # VSI period v (1-based): person (v * 104729) % PERSONS + 1 (some people twice); referred by a leader
        # for every 4th.
        f"""INSERT INTO enrollment_vsiparticipation(id, income, payment_mode, support_group, from_month, months,
                  priced_on, gross, amount_due, state_support, local_support, payable, quote, status, created_at,
                  agent_id, commune_id, created_by_id, person_id, referred_by_id)
           SELECT v, 1500000, '12_months', 'other', date_trunc('month', d)::date, 12, d, 3960000, 3960000, 475200,
                  0, 3484800, '{{}}'::jsonb, 'paid', now(), bh.agent_id, bh.commune_id, NULL, p,
                  CASE WHEN v % 4 = 0 THEN (v % {UNITS_BRANCH + UNITS_GROUP}) * 7 + 1 END
           FROM (SELECT v, (v * 104729) % {PERSONS} + 1 AS p,
                        date '2024-05-01' + CASE WHEN v % 33 = 0 THEN 19 ELSE ((v * 7) % 245)::int END AS d
                 FROM generate_series(1::bigint, {VSI}) v) s
           JOIN bh ON bh.h = (s.p - 1) % {HOUSEHOLDS}""",
        f"""INSERT INTO enrollment_hiparticipation(id, months, priced_on, total, state_support, payable, quote, status,
                  created_at, agent_id, commune_id, created_by_id, household_id, referred_by_id)
           SELECT g + 1, 12, d, 2106000, 0, 2106000, '{{}}'::jsonb, 'paid', now(), bh.agent_id, bh.commune_id, NULL,
                  g + 1, CASE WHEN g % 5 = 0 THEN (g % {UNITS_BRANCH + UNITS_GROUP}) * 7 + 1 END
           FROM (SELECT g, date '2024-05-01' + CASE WHEN g % 33 = 0 THEN 19 ELSE (g * 11) % 245 END AS d
                 FROM generate_series(0, {HI} - 1) g) s JOIN bh ON bh.h = s.g""",
        # One line per household member; the card is valid 12 months from the day after payment.
        f"""INSERT INTO enrollment_himembercoverage(rank, share_pct, amount, support_pct, state_support, payable,
                  valid_from, valid_to, validity_rule, person_id, participation_id)
           SELECT CASE WHEN i <= {HOUSEHOLDS} THEN 1 ELSE 1 + (i - 1) / {HOUSEHOLDS} END, 100, 842400, 0, 0, 842400,
                  hp.priced_on + 1, hp.priced_on + 365, '', i, hp.id
           FROM generate_series(1::bigint, {PERSONS}) i
           JOIN enrollment_hiparticipation hp ON hp.id = (i - 1) % {HOUSEHOLDS} + 1""",
        """INSERT INTO collection_payment(idempotency_key, amount, method, paid_on, reason, created_at, agent_id, hi_id,
                  recorded_by_id, reverses_id, vsi_id)
           SELECT 'bv' || id, payable, 'cash', priced_on, '', now(), agent_id, NULL, NULL, NULL, id
           FROM enrollment_vsiparticipation""",
        """INSERT INTO collection_payment(idempotency_key, amount, method, paid_on, reason, created_at, agent_id, hi_id,
                  recorded_by_id, reverses_id, vsi_id)
           SELECT 'bh' || id, payable, 'cash', priced_on, '', now(), agent_id, id, NULL, NULL, NULL
           FROM enrollment_hiparticipation""",
        # 0.5 % of the payments are reversed a week later; their participation is cancelled.
        """INSERT INTO collection_payment(idempotency_key, amount, method, paid_on, reason, created_at, agent_id, hi_id,
                  recorded_by_id, reverses_id, vsi_id)
           SELECT 'r' || id, -amount, method, paid_on + 7, 'bench', now(), agent_id, hi_id, NULL, id, vsi_id
           FROM collection_payment WHERE id % 200 = 0""",
        """UPDATE enrollment_vsiparticipation SET status = 'cancelled'
           WHERE id IN (SELECT vsi_id FROM collection_payment WHERE reverses_id IS NOT NULL AND vsi_id IS NOT NULL)""",
        """UPDATE enrollment_hiparticipation SET status = 'cancelled'
           WHERE id IN (SELECT hi_id FROM collection_payment WHERE reverses_id IS NOT NULL AND hi_id IS NOT NULL)""",
    ]

RESET_SEQUENCES = [
    "registry_person", "registry_household", "registry_associationunit", "enrollment_vsiparticipation",
    "enrollment_hiparticipation",
]


def sizes(scale: float) -> dict:
    """The generated sizes at ``scale`` (1: the full benchmark). Members are every 7th person, and the
    referrers (one per association unit) must exist: at least 10,000 people."""
    persons = max(10_000, round(PERSONS * scale))
    households = max(4_000, round(HOUSEHOLDS * scale))
    return {"PERSONS": persons, "HOUSEHOLDS": households, "VSI": max(6_000, round(VSI * scale)),
            "HI": min(households, max(4_000, round(HI * scale))), "MEMBERS": min(MEMBERS, persons // 7)}


def _check_columns(sql: str) -> None:
    """Fail with a clear message when the models gained a required column the generator does not write
    (the generator writes SQL for speed; the small run in the test suite keeps it up to date)."""
    import re

    from django.apps import apps

    found = re.match(r"\s*INSERT INTO (\w+)\(([^)]*)\)", sql)
    if not found:
        return
    table, columns = found.group(1), {c.strip() for c in found.group(2).split(",")}
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None:
        return
    missing = [f.column for f in model._meta.concrete_fields
               if not f.null and not f.primary_key and not f.has_db_default() and f.column not in columns]
    if missing:
        raise SystemExit(f"bench_progress: the generator does not write {', '.join(missing)} of {table}: "
                         "add them to generate_sql()")


def generate(say=print, scale: float = 1.0) -> None:
    """Fill the (migrated, empty) benchmark database with generated data."""
    from django.db import connection, transaction

    from ansinh.areas.services import areas_load

    started = time.monotonic()
    with transaction.atomic():
        areas_load(old_province_code=93, new_province_code=92)
        with connection.cursor() as cursor:
            for sql in generate_sql(**sizes(scale)):
                _check_columns(sql)
                t = time.monotonic()
                cursor.execute(sql)
                say(f"  {time.monotonic() - t:6.1f} s  {' '.join(sql.split())[:90]}")
            for table in RESET_SEQUENCES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
        _campaign()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"generated in {time.monotonic() - started:.0f} s")


def _campaign() -> None:
    """The demo's campaign and targets (the seed's launch-day goals per district, leaders' goals)."""
    from decimal import Decimal

    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
    from ansinh.campaigns.models import Campaign, GoalKind, Indicator, Target

    province = AdministrativeUnit.objects.get(map=MapVersion.OLD, level=Level.PROVINCE, code="93")
    campaign = Campaign.objects.create(
        code="HG-2024-05", name="Chiến dịch (bench)", province=province, launch_day=datetime.date(2024, 5, 20),
        starts_on=datetime.date(2024, 5, 1), ends_on=datetime.date(2024, 12, 31),
    )
    launch = datetime.date(2024, 5, 20)
    targets = []
    for district in AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT):
        for indicator, goal in ((Indicator.VSI_NEW, 50), (Indicator.HI_NEW, 100)):
            targets.append(Target(campaign=campaign, indicator=indicator, area=district, period_start=launch,
                                  period_end=launch, goal=Decimal(goal), goal_kind=GoalKind.COUNT))
    for indicator, goal in ((Indicator.LEADERS_VSI, 50), (Indicator.LEADERS_HI, 100)):
        targets.append(Target(campaign=campaign, indicator=indicator, area=province, period_start=launch,
                              period_end=campaign.ends_on, goal=Decimal(goal), goal_kind=GoalKind.PERCENT))
    Target.objects.bulk_create(targets)


HAND_FACTS_SQL = """
WITH c AS (SELECT id, parent_id FROM areas_administrativeunit WHERE map = 'old' AND level = 'commune'
           AND province_id = %(province)s),
daily AS (
  SELECT c.parent_id AS d,
    SUM(value) FILTER (WHERE indicator = 'vsi_new' AND day BETWEEN %(start)s AND %(end)s) AS vsi_c,
    SUM(value) FILTER (WHERE indicator = 'vsi_new' AND day = %(launch)s) AS vsi_l,
    SUM(value) FILTER (WHERE indicator = 'hi_new' AND day BETWEEN %(start)s AND %(end)s) AS hi_c,
    SUM(value) FILTER (WHERE indicator = 'hi_new' AND day = %(launch)s) AS hi_l,
    SUM(value) FILTER (WHERE indicator = 'collected' AND day BETWEEN %(start)s AND %(end)s) AS collected
  FROM campaigns_dailytotal t JOIN c ON c.id = t.commune_id
  WHERE t.day BETWEEN %(start)s AND %(end)s GROUP BY 1),
leaders AS (
  SELECT c.parent_id AS d, COUNT(*) AS leaders,
    COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM campaigns_memberfact f WHERE f.person_id = h.person_id
      AND f.program = 'vsi' AND f.paid_on BETWEEN %(start)s AND %(end)s)) AS l_vsi,
    COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM campaigns_memberfact f WHERE f.person_id = h.person_id
      AND f.program = 'hi' AND f.paid_on BETWEEN %(start)s AND %(end)s)) AS l_hi
  FROM campaigns_memberhome h JOIN registry_associationunit u ON u.id = h.leads_id JOIN c ON c.id = u.commune_id
  GROUP BY 1),
members AS (
  SELECT c.parent_id AS d, COUNT(*) AS members, COUNT(cov.person_id) AS covered
  FROM campaigns_memberhome h JOIN registry_associationunit u ON u.id = h.unit_id JOIN c ON c.id = u.commune_id
  LEFT JOIN (SELECT DISTINCT person_id FROM campaigns_memberfact WHERE paid_on <= %(end)s
             AND valid_from <= %(end)s AND (valid_to >= %(end)s OR to_month >= %(month)s)) cov
         ON cov.person_id = h.person_id
  GROUP BY 1)
SELECT daily.d, vsi_c, vsi_l, hi_c, hi_l, collected, leaders, l_vsi, l_hi, members, covered
FROM daily FULL JOIN leaders USING (d) FULL JOIN members USING (d) ORDER BY 1
"""

HAND_RAW_SQL = """
WITH c AS (SELECT id, parent_id FROM areas_administrativeunit WHERE map = 'old' AND level = 'commune'
           AND province_id = %(province)s),
pay AS NOT MATERIALIZED (SELECT p.* FROM collection_payment p WHERE p.amount > 0
        AND NOT EXISTS (SELECT 1 FROM collection_payment r WHERE r.reverses_id = p.id)),
vsi_first AS (
  SELECT DISTINCT ON (v.person_id) v.person_id, v.commune_id, p.paid_on
  FROM pay p JOIN enrollment_vsiparticipation v ON v.id = p.vsi_id ORDER BY v.person_id, p.paid_on, p.id),
hi_first AS (
  SELECT DISTINCT ON (l.person_id) l.person_id, h.commune_id, p.paid_on
  FROM pay p JOIN enrollment_hiparticipation h ON h.id = p.hi_id
  JOIN enrollment_himembercoverage l ON l.participation_id = h.id ORDER BY l.person_id, p.paid_on, p.id),
news AS (
  SELECT c.parent_id AS d,
    COUNT(*) FILTER (WHERE k = 'v' AND paid_on BETWEEN %(start)s AND %(end)s) AS vsi_c,
    COUNT(*) FILTER (WHERE k = 'v' AND paid_on = %(launch)s) AS vsi_l,
    COUNT(*) FILTER (WHERE k = 'h' AND paid_on BETWEEN %(start)s AND %(end)s) AS hi_c,
    COUNT(*) FILTER (WHERE k = 'h' AND paid_on = %(launch)s) AS hi_l
  FROM (SELECT 'v' AS k, commune_id, paid_on FROM vsi_first UNION ALL
        SELECT 'h', commune_id, paid_on FROM hi_first) f JOIN c ON c.id = f.commune_id GROUP BY 1),
money AS (
  SELECT c.parent_id AS d, SUM(p.amount) AS collected
  FROM pay p LEFT JOIN enrollment_vsiparticipation v ON v.id = p.vsi_id
  LEFT JOIN enrollment_hiparticipation h ON h.id = p.hi_id
  JOIN c ON c.id = COALESCE(v.commune_id, h.commune_id)
  WHERE p.paid_on BETWEEN %(start)s AND %(end)s GROUP BY 1),
homes AS (
  SELECT DISTINCT ON (m.person_id) m.person_id, u.commune_id
  FROM registry_membership m JOIN registry_associationunit u ON u.id = m.unit_id
  ORDER BY m.person_id, (u.kind <> 'branch'), u.code COLLATE "C", u.id),
led AS (
  SELECT DISTINCT ON (m.person_id) m.person_id, u.commune_id
  FROM registry_membership m JOIN registry_associationunit u ON u.id = m.unit_id WHERE m.role = 'leader'
  ORDER BY m.person_id, (u.kind <> 'branch'), u.code COLLATE "C", u.id),
leaders AS (
  SELECT c.parent_id AS d, COUNT(*) AS leaders,
    COUNT(*) FILTER (WHERE EXISTS (
      SELECT 1 FROM enrollment_vsiparticipation v JOIN collection_payment p ON p.vsi_id = v.id
      WHERE v.person_id = led.person_id AND p.amount > 0 AND p.paid_on BETWEEN %(start)s AND %(end)s
        AND NOT EXISTS (SELECT 1 FROM collection_payment r WHERE r.reverses_id = p.id))) AS l_vsi,
    COUNT(*) FILTER (WHERE EXISTS (
      SELECT 1 FROM enrollment_himembercoverage l JOIN collection_payment p ON p.hi_id = l.participation_id
      WHERE l.person_id = led.person_id AND p.amount > 0 AND p.paid_on BETWEEN %(start)s AND %(end)s
        AND NOT EXISTS (SELECT 1 FROM collection_payment r WHERE r.reverses_id = p.id))) AS l_hi
  FROM led JOIN c ON c.id = led.commune_id GROUP BY 1),
members AS (
  SELECT c.parent_id AS d, COUNT(*) AS members,
    COUNT(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM enrollment_himembercoverage l JOIN collection_payment p ON p.hi_id = l.participation_id
        WHERE l.person_id = homes.person_id AND p.amount > 0 AND p.paid_on <= %(end)s
          AND l.valid_from <= %(end)s AND l.valid_to >= %(end)s
          AND NOT EXISTS (SELECT 1 FROM collection_payment r WHERE r.reverses_id = p.id))
      OR EXISTS (
        SELECT 1 FROM enrollment_vsiparticipation v JOIN collection_payment p ON p.vsi_id = v.id
        WHERE v.person_id = homes.person_id AND p.amount > 0 AND p.paid_on <= %(end)s
          AND v.from_month <= %(end)s
          AND (EXTRACT(YEAR FROM v.from_month) * 12 + EXTRACT(MONTH FROM v.from_month) + v.months - 1) >= %(month)s
          AND NOT EXISTS (SELECT 1 FROM collection_payment r WHERE r.reverses_id = p.id))) AS covered
  FROM homes JOIN c ON c.id = homes.commune_id GROUP BY 1)
SELECT news.d, vsi_c, vsi_l, hi_c, hi_l, collected, leaders, l_vsi, l_hi, members, covered
FROM news FULL JOIN money USING (d) FULL JOIN leaders USING (d) FULL JOIN members USING (d) ORDER BY 1
"""


def _selector_numbers(report) -> list[tuple]:
    """The district report as rows (district id, vsi campaign, vsi launch, hi campaign, hi launch, collected,
    leaders, leaders with VSI, leaders with HI, members, members covered), like the hand SQL."""
    out = []
    for group in report.groups:
        cells = {(c.series.indicator, c.series.start == c.series.end): c for c in
                 (report.cell(group, s) for s in report.series)}
        out.append((
            group.id, cells[("vsi_new", False)].count, cells[("vsi_new", True)].count,
            cells[("hi_new", False)].count, cells[("hi_new", True)].count, cells[("collected", False)].count,
            cells[("leaders_vsi", False)].of, cells[("leaders_vsi", False)].count,
            cells[("leaders_hi", False)].count, cells[("members_covered", False)].of,
            cells[("members_covered", False)].count,
        ))
    return out


def _median_ms(fn, repeat: int) -> tuple[float, object]:
    result = fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _officer():
    from django.contrib.auth.models import User

    from ansinh.accounts.models import Role
    from ansinh.accounts.services import roles_sync, user_role_assign
    from ansinh.areas.models import AdministrativeUnit

    user = User.objects.filter(username="bench_officer").first()
    if user is None:
        roles_sync()
        user = User.objects.create_user(username="bench_officer", password="bench-pass-123")
        user_role_assign(user=user, role=Role.SI_OFFICER,
                         area=AdministrativeUnit.objects.get(map="old", level="province", code="93"))
    return User.objects.get(pk=user.pk)


def _one_more_payment() -> None:
    """A new VSI sign-up recorded the usual way (participation, then payment), as on a live launch day."""
    from ansinh.collection.models import Agent, Payment
    from ansinh.enrollment.models import VsiParticipation
    from ansinh.registry.models import Person

    person = Person.objects.filter(vsi_participations__isnull=True).order_by("pk").first()
    agent = Agent.objects.order_by("pk").first()
    v = VsiParticipation.objects.create(
        person=person, commune=person.commune, income=1_500_000, payment_mode="12_months", support_group="other",
        from_month=datetime.date(2024, 12, 1), months=12, priced_on=ON, gross=3_960_000, amount_due=3_960_000,
        state_support=475_200, payable=3_484_800, quote={}, status="paid", agent=agent)
    Payment.objects.create(idempotency_key=f"bench-live-{v.pk}", vsi=v, amount=v.payable, method="cash", paid_on=ON,
                           agent=agent)


def run(repeat: int, enforce_budget: bool = True) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from ansinh.campaigns.facts import facts_rebuild, facts_refresh
    from ansinh.campaigns.models import Campaign, ProgressState
    from ansinh.campaigns.progress import campaign_progress

    settings.ALLOWED_HOSTS = ["*"]
    campaign = Campaign.objects.select_related("province").get(code="HG-2024-05")
    if not ProgressState.objects.exists():
        started = time.perf_counter()
        counts = facts_rebuild()
        print(f"derived facts built once in {time.perf_counter() - started:.1f} s: {counts}")
        with connection.cursor() as cursor:
            for table in ("campaigns_signupfact", "campaigns_dailytotal", "campaigns_memberfact",
                          "campaigns_memberhome"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    facts_refresh()
    params = {"province": campaign.province_id, "start": campaign.starts_on, "end": ON, "launch": campaign.launch_day,
              "month": ON.year * 12 + ON.month}

    def selector():
        return campaign_progress(campaign=campaign, by="district", on=ON, map_version="old")

    def hand(sql):
        def query():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        return query

    client = Client()
    client.force_login(_officer())

    def page():
        response = client.get("/tien-do/", {"on": ON.isoformat(), "by": "district", "map": "old"})
        assert response.status_code == 200, response.status_code
        return response

    from ansinh.collection.models import Payment
    from ansinh.enrollment.models import HiParticipation, VsiParticipation

    print(f"data: {VsiParticipation.objects.count():,} VSI periods + {HiParticipation.objects.count():,} HI periods, "
          f"{Payment.objects.count():,} payments; on {ON}, district level, old map, {repeat} runs (median)")
    selector_ms, report = _median_ms(selector, repeat)
    page_ms, _ = _median_ms(page, repeat)
    facts_ms, facts_rows = _median_ms(hand(HAND_FACTS_SQL), repeat)
    raw_ms, raw_rows = _median_ms(hand(HAND_RAW_SQL), max(1, repeat // 3))
    numbers = _selector_numbers(report)
    norm = lambda rows: [tuple(int(v or 0) for v in r) for r in rows]  # noqa: E731
    same = norm(numbers) == norm(facts_rows) == norm(raw_rows)
    from django.db import transaction

    with transaction.atomic():  # one more sign-up, as on a live launch day; rolled back afterwards
        _one_more_payment()
        started = time.perf_counter()
        page()
        live_ms = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)

    ratio_facts = selector_ms / facts_ms
    ratio_raw = selector_ms / raw_ms
    print(f"selector campaign_progress(by='district'):        {selector_ms:8.1f} ms")
    print(f"district progress page (server time, rendered):   {page_ms:8.1f} ms   budget {BUDGET_MS} ms")
    print(f"page after one new payment (incremental refresh): {live_ms:8.1f} ms")
    print(f"hand-written SQL on the same derived tables:      {facts_ms:8.1f} ms   ratio {ratio_facts:.2f}x "
          f"(budget {BUDGET_RATIO}x)")
    print(f"hand-written SQL on the source tables:            {raw_ms:8.1f} ms   ratio {ratio_raw:.2f}x")
    print(f"same numbers (selector = hand SQL on facts = hand SQL on source): {same}")
    ok = same and (not enforce_budget or page_ms <= BUDGET_MS and ratio_facts <= BUDGET_RATIO
                   and ratio_raw <= BUDGET_RATIO)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regenerate", action="store_true", help="wipe and refill the benchmark database")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each (median is printed)")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="sizes × this (the test suite runs 0.01); budgets apply to the full size only")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("DATABASE_URL must name a PostgreSQL database for this benchmark", file=sys.stderr)
        return 2
    _ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from ansinh.campaigns.models import Campaign

    call_command("migrate", interactive=False, verbosity=0)
    if args.regenerate:
        call_command("flush", interactive=False, verbosity=0)
    if not Campaign.objects.exists():
        n = sizes(args.scale)
        print(f"generating {n['VSI'] + n['HI']:,} enrolments …")
        generate(scale=args.scale)
    if args.generate_only:
        return 0
    return run(args.repeat, enforce_budget=args.scale >= 1)


if __name__ == "__main__":
    sys.exit(main())
