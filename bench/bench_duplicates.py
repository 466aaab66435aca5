"""Benchmark of the probable-duplicate search (``registry.duplicates``) and of the duplicate review of an
import.

    uv run --frozen python bench/bench_duplicates.py                  # 1,000,000 people, 36,000-row import
    uv run --frozen python bench/bench_duplicates.py --people 100000 --rows 3600   # smaller, quicker

1. A fresh SQLite database (the Hậu Giang map, 8 branches per commune) gets ``--people`` people spread
   over the old-map communes (names from the usual lists, each folded once; dates of birth 1950–2004;
   on SQLite one prepared INSERT in one transaction with the table's indexes built after, on PostgreSQL
   COPY then VACUUM ANALYZE), then ``--lookups`` calls of ``probable_duplicates`` as the add-person form
   makes them (half of them a one-letter typo of someone in the registry, half random): median, 95th
   percentile and the slowest, against the target of 100 ms; how many people each lookup compared
   (``candidate_rows``, counted again outside the timing); and the CPU time of the process for the same
   lookups (the wall-clock figures grow with the machine's load, the CPU time barely does; on PostgreSQL
   it leaves out the server's share). With ``DATABASE_URL`` pointing at PostgreSQL, this part runs there
   instead (the people are added once, if the database has fewer than ``--people``).
2. ``--rows`` member rows (the generator of ``bench_import``) are imported twice into copies of a SQLite
   registry of ``--registry`` people: with the duplicate review (alike people nearby flagged with a score)
   and without it (``engine.PROBABLE_DUPLICATES = False``); prints both times and the difference against
   the target of 20 s more: "more than the import itself" is the whole ``members_import`` call with the
   review minus the same call without it (reading, checking and writing the rows are in both).
Each run is its own process. Every figure is printed with the load average of the machine.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_import as bi  # noqa: E402  (the same map, branches and member rows)

ROOT = bi.ROOT


def _django(db: Path | None):
    url = os.environ.get("DATABASE_URL", "")
    if db is not None or not url.startswith("postgres"):
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _random_name(rnd: random.Random, male: bool) -> str:
    return " ".join((rnd.choice(bi.FAMILY), rnd.choice(bi.MIDDLE_M if male else bi.MIDDLE_F),
                     rnd.choice(bi.GIVEN_M if male else bi.GIVEN_F)))


def child_people(db: Path | None, n: int, seed: int) -> None:
    """Add people up to ``n`` with one prepared INSERT; print how many and how long."""
    _django(db)
    from django.core.management import call_command
    from django.db import connection, transaction

    from ansinh.areas.models import AdministrativeUnit

    if db is None:  # PostgreSQL: schema and map once
        call_command("migrate", verbosity=0)
        if not AdministrativeUnit.objects.filter(level="commune").exists():
            from ansinh.areas.services import areas_load

            areas_load(old_province_code=93, new_province_code=92)
    from ansinh.core.text import fold
    from ansinh.registry.models import Person

    have = Person.objects.count()
    t = time.perf_counter()
    communes = list(AdministrativeUnit.objects.filter(map="old", level="commune").values_list("pk", flat=True))
    rnd = random.Random(seed)
    table = Person._meta.db_table
    columns = ["full_name", "name_folded", "date_of_birth", "sex", "phone", "ethnic_minority", "other_coverage",
               "hamlet", "commune_id", "created_at"]
    now = datetime.datetime.now(datetime.UTC)
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        now = now.isoformat(sep=" ")
    todo = max(0, n - have)
    folded: dict[str, str] = {}  # few distinct names: fold each once
    hamlets = [f"Ấp {i}" for i in range(1, 9)]

    def rows():  # the same people, in the same order, as one row at a time from the same seed
        for _ in range(todo):
            male = rnd.random() < 0.5
            name = _random_name(rnd, male)
            key = folded.get(name)
            if key is None:
                key = folded[name] = fold(name)
            born = datetime.date(rnd.randint(1950, 2004), rnd.randint(1, 12), rnd.randint(1, 28))
            yield (name, key, born.isoformat() if sqlite else born, "male" if male else "female", "", False, "",
                   hamlets[rnd.randint(1, 8) - 1], rnd.choice(communes), now)

    with connection.cursor() as cursor:
        if sqlite and todo:
            # the table's own indexes are dropped while it fills and built once at the end (much faster
            # than keeping them up to date row by row); the same names and definitions, so Django's state holds
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")
            cursor.execute("PRAGMA cache_size = -400000")
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL", [table])
            indexes = cursor.fetchall()
            with transaction.atomic():
                for name, _ in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
                batch = []
                for row in rows():
                    batch.append(row)
                    if len(batch) == 100_000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                for _, index_sql in indexes:
                    cursor.execute(index_sql)
        elif todo:  # PostgreSQL: COPY
            with transaction.atomic():
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows():
                        copy.write_row(row)
        if sqlite or not todo:
            cursor.execute("ANALYZE")
        else:  # as autovacuum would soon after: without it the first reads of the new rows write hint bits
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(json.dumps({"people": Person.objects.count(), "added": todo, "seconds": time.perf_counter() - t}))


def child_lookups(db: Path | None, lookups: int, seed: int) -> None:
    """Time ``lookups`` probable-duplicate searches as the add-person form makes them."""
    _django(db)
    from ansinh.registry.duplicates import candidate_rows, places_of, probable_duplicates
    from ansinh.registry.models import Person

    rnd = random.Random(seed)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    samples = []
    while len(samples) < lookups:
        person = Person.objects.filter(pk=rnd.randint(1, top)).values_list(
            "full_name", "date_of_birth", "commune_id").first()
        if person is None:
            continue
        name, born, commune_id = person
        if len(samples) % 2:  # random person: usually nobody alike
            name = _random_name(rnd, rnd.random() < 0.5)
            born = datetime.date(rnd.randint(1950, 2004), rnd.randint(1, 12), rnd.randint(1, 28))
        else:  # a one-letter typo of someone in the registry
            i = rnd.randrange(len(name) - 1) + 1
            name = name[:i] + "x" + name[i + 1:]
        samples.append((name, born, commune_id))
    probable_duplicates(full_name=samples[0][0], date_of_birth=samples[0][1], commune=samples[0][2])  # warm up
    times, cpu, found = [], [], 0
    for name, born, commune_id in samples:
        t, c = time.perf_counter(), time.process_time()
        hits = probable_duplicates(full_name=name, date_of_birth=born, commune=commune_id)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        found += bool(hits)
    load = os.getloadavg()[0]
    # the people whose names each lookup compared (counted again, outside the timing)
    live = Person.objects.filter(merged_into__isnull=True)
    examined = sorted(len(candidate_rows(live, date_of_birth=born, places=places_of(commune_id)))
                      for _, born, commune_id in samples)
    times.sort()
    cpu.sort()
    print(json.dumps({"lookups": lookups, "with_hits": found, "median_ms": statistics.median(times),
                      "cpu_median_ms": statistics.median(cpu), "cpu_p95_ms": cpu[int(len(cpu) * 0.95) - 1],
                      "p95_ms": times[int(len(times) * 0.95) - 1], "max_ms": times[-1],
                      "examined_median": statistics.median(examined), "examined_max": examined[-1],
                      "load": load, "people": Person.objects.count()}))


def child_import(db: Path, path: Path, review: bool) -> None:
    _django(db)
    from ansinh.imports import engine
    from ansinh.imports.models import DuplicateCandidate
    from ansinh.imports.services import members_import

    engine.PROBABLE_DUPLICATES = review
    t, c = time.perf_counter(), time.process_time()
    summary, _, _ = members_import(path=path)
    print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "load": os.getloadavg()[0],
                      "candidates": DuplicateCandidate.objects.count(),
                      **{k: summary[k] for k in ("rows", "imported", "updated", "rejected", "duplicates")}}))


def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"child {args[1]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000, help="people searched by the lookups")
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--rows", type=int, default=36_000, help="rows of the import, 0 to skip")
    parser.add_argument("--registry", type=int, default=200_000, help="people in the registry before the import")
    parser.add_argument("--keep", help="keep the databases and files in this folder")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: use the databases a previous run kept there instead of new ones")
    parser.add_argument("--_child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child:
        kind, *rest = args._child
        db = Path(rest[0]) if rest[0] != "-" else None
        if kind == "setup":
            bi.child_setup(Path(rest[0]), Path(rest[1]))
        elif kind == "people":
            child_people(db, int(rest[1]), int(rest[2]))
        elif kind == "lookups":
            child_lookups(db, int(rest[1]), int(rest[2]))
        elif kind == "import":
            child_import(db, Path(rest[1]), rest[2] == "review")
        return

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-dups-"))
    work.mkdir(parents=True, exist_ok=True)
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    try:
        template, communes_file = work / "template.db", work / "communes.json"
        reuse = args.reuse and args.keep and template.exists() and communes_file.exists()
        if not reuse:
            for leftover in work.glob("*.db*"):
                leftover.unlink()
            t = time.perf_counter()
            _child("--_child", "setup", str(template), str(communes_file))
        communes = json.loads(communes_file.read_text())
        if not reuse:
            print(f"Fresh SQLite database: Hậu Giang map, {len(communes)} old-map communes "
                  f"({time.perf_counter() - t:.1f} s)")

        # 1. one lookup against --people people
        target = "-" if postgres else str(work / "people.db")
        if not postgres and not (reuse and (work / "people.db").exists()):
            bi._fresh_copy(template, work / "people.db")
        filled = _child("--_child", "people", target, str(args.people), "11")
        print(f"{'PostgreSQL' if postgres else 'SQLite'}: {filled['people']:,} people "
              f"({filled['added']:,} added in {filled['seconds']:.0f} s)")
        result = _child("--_child", "lookups", target, str(args.lookups), "5")
        print(f"probable_duplicates, {result['lookups']} lookups against {result['people']:,} people "
              f"({result['with_hits']} found someone alike): median {result['median_ms']:.1f} ms, "
              f"95% {result['p95_ms']:.1f} ms, slowest {result['max_ms']:.1f} ms; target <= 100 ms: "
              f"{'MET' if result['p95_ms'] <= 100 else 'NOT MET'}; people compared per lookup: median "
              f"{result['examined_median']:.0f}, most {result['examined_max']}; CPU time of this process (what the "
              f"lookup costs whatever else runs): median {result['cpu_median_ms']:.1f} ms, 95% "
              f"{result['cpu_p95_ms']:.1f} ms (load average {result['load']:.2f})")

        # 2. the duplicate review of an import vs the import alone (SQLite)
        if args.rows:
            registry = work / "registry.db"
            if not (reuse and registry.exists()):
                bi._fresh_copy(template, registry)
            _child("--_child", "people", str(registry), str(args.registry), "13")
            members = work / f"hoi_vien_{args.rows}.xlsx"
            bi.write_xlsx(members, bi.member_rows(args.rows, communes))
            runs = {}
            for mode in ("plain", "review"):
                bi._fresh_copy(registry, work / f"{mode}.db")
                runs[mode] = _child("--_child", "import", str(work / f"{mode}.db"), str(members), mode)
            extra = runs["review"]["seconds"] - runs["plain"]["seconds"]
            print(f"Import of {args.rows:,} rows into a registry of {args.registry:,} people: without the duplicate "
                  f"review {runs['plain']['seconds']:.1f} s, with it {runs['review']['seconds']:.1f} s "
                  f"({runs['review']['duplicates']:,} probable duplicates flagged, "
                  f"{runs['review']['candidates']:,} review items); {extra:+.1f} s; target <= +20 s: "
                  f"{'MET' if extra <= 20 else 'NOT MET'}; CPU time of the import process: without "
                  f"{runs['plain']['cpu']:.1f} s, with {runs['review']['cpu']:.1f} s "
                  f"({runs['review']['cpu'] - runs['plain']['cpu']:+.1f} s) "
                  f"(load average {runs['plain']['load']:.2f} / "
                  f"{runs['review']['load']:.2f})")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
