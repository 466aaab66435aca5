"""Benchmark of the member-list import.

    uv run --frozen python bench/bench_import.py                 # 36,000 members + 1,000,000-row streaming run
    uv run --frozen python bench/bench_import.py --rows 3600 --big-rows 100000    # smaller, quicker

1. Generates an .xlsx of ``--rows`` association members of Hậu Giang (names, dates of birth as text,
   sex, citizen IDs, phones, hamlet, commune and district, branch, the branch head marked in "Chức vụ").
2. Imports it into a fresh SQLite database (areas and 600 branches loaded) with our importer
   (validated, deduplicated, committed), and into another fresh copy with django-import-export (a
   ModelResource for Person with the same relations: commune, membership of the branch, leader role;
   history recorded by simple-history as for ours), side by side in one run; prints seconds, CPU
   seconds, the ratio and the peak memory of each.
3. Imports ``--big-rows`` rows (default 1,000,000) with our importer and prints the peak RSS
   (``resource.getrusage``): memory stays bounded because the file is streamed.

Each import runs in its own process (so peak memory is its own). ``DATABASE_URL`` pointing at
PostgreSQL is not used: the figures are for SQLite, the database of the CI and the demo.
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Ấp", "Xã", "Huyện", "Chi hội",
          "Chức vụ"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô",
          "Hồ", "Dương", "Lâm", "Thạch", "Danh", "Lý", "Châu"]
MIDDLE_M = ["Văn", "Hữu", "Minh", "Thanh", "Quốc", "Công", "Đức", "Hoàng"]
MIDDLE_F = ["Thị", "Ngọc", "Thanh", "Kim", "Mỹ", "Thu", "Bích", "Hồng"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phúc", "Quang", "Sơn",
           "Tài", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Hòa", "Thủy", "Lộc", "Nghĩa", "Phước"]
GIVEN_F = ["Anh", "Bình", "Chi", "Diễm", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên", "Linh", "Mai",
           "Nga", "Nhung", "Phượng", "Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Xuân", "Yến", "Loan", "Hòa"]
PHONE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", "070", "076",
                  "077", "078", "079", "089", "090", "093", "081", "082", "083", "084", "085", "088", "091", "094"]
BRANCHES_PER_COMMUNE = 8


# --- child processes ---------------------------------------------------------------------------------

def _django(db: Path):
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child_setup(db: Path, out: Path) -> None:
    """Create the template database: schema, the Hậu Giang map, 8 branches per commune."""
    _django(db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ansinh.areas.models import AdministrativeUnit
    from ansinh.areas.services import areas_load
    from ansinh.registry.models import AssociationUnit

    areas_load(old_province_code=93, new_province_code=92)
    communes = list(AdministrativeUnit.objects.filter(map="old", level="commune").select_related("parent")
                    .order_by("code"))
    units = []
    for commune in communes:
        for n in range(1, BRANCHES_PER_COMMUNE + 1):
            units.append(AssociationUnit(kind="branch", code=f"CH{commune.code}{n:02d}", name=f"Chi hội ấp {n}",
                                         commune=commune))
    AssociationUnit.objects.bulk_create(units)
    out.write_text(json.dumps([[c.name, c.parent.name] for c in communes], ensure_ascii=False))
    print(json.dumps({"communes": len(communes), "branches": len(units)}))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ours(db: Path, path: Path, dry_run: bool) -> None:
    _django(db)
    from ansinh.imports.services import members_import

    wall, cpu = time.perf_counter(), time.process_time()
    summary, _, _ = members_import(path=path, dry_run=dry_run)
    result = {"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "peak_mb": _peak_mb(),
              **{k: summary[k] for k in ("rows", "imported", "updated", "unchanged", "rejected", "duplicates")}}
    from ansinh.registry.models import Membership, Person

    if not dry_run:
        result["people"] = Person.objects.count()
        result["memberships"] = Membership.objects.count()
        result["history"] = Person.history.count()
    print(json.dumps(result))


def child_import_export(db: Path, path: Path) -> None:
    _django(db)
    import datetime

    import tablib
    from import_export import fields, resources, widgets

    from ansinh.areas.models import AdministrativeUnit
    from ansinh.registry.models import AssociationUnit, Membership, Person

    communes = {(c.name, c.parent.name): c for c in
                AdministrativeUnit.objects.filter(map="old", level="commune").select_related("parent")}
    units = {(u.commune_id, u.name): u for u in AssociationUnit.objects.all()}

    class SexWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return {"Nam": "male", "Nữ": "female"}[value]

    class CommuneWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return communes[(value, row["Huyện"])]

    class PersonResource(resources.ModelResource):
        full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
        date_of_birth = fields.Field(attribute="date_of_birth", column_name="Ngày sinh",
                                     widget=widgets.DateWidget(format="%d/%m/%Y"))
        sex = fields.Field(attribute="sex", column_name="Giới tính", widget=SexWidget())
        citizen_id = fields.Field(attribute="citizen_id", column_name="Số CCCD")
        phone = fields.Field(attribute="phone", column_name="Số điện thoại")
        hamlet = fields.Field(attribute="hamlet", column_name="Ấp")
        commune = fields.Field(attribute="commune", column_name="Xã", widget=CommuneWidget())

        class Meta:
            model = Person
            import_id_fields = ("citizen_id",)
            fields = ("full_name", "date_of_birth", "sex", "citizen_id", "phone", "hamlet", "commune")
            skip_unchanged = True
            use_transactions = True

        def after_save_instance(self, instance, row, **kwargs):
            if kwargs.get("dry_run"):
                return
            unit = units[(instance.commune_id, row["Chi hội"])]
            role = "leader" if row["Chức vụ"] == "Chi hội trưởng" else "member"
            Membership.objects.get_or_create(person=instance, unit=unit, defaults={"role": role})

    assert datetime  # (DateWidget parses the text dates)
    wall, cpu = time.perf_counter(), time.process_time()
    dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True)
    totals = result.totals
    print(json.dumps({"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                      "peak_mb": _peak_mb(), "rows": len(dataset), "imported": totals.get("new", 0),
                      "updated": totals.get("update", 0), "rejected": totals.get("error", 0) + totals.get("invalid", 0),
                      "people": Person.objects.count(), "memberships": Membership.objects.count(),
                      "history": Person.history.count()}))


# --- generating the files ---------------------------------------------------------------------------

def member_rows(n: int, communes: list[list[str]], seed: int = 2024):
    """``n`` member rows: each branch of 8 per commune gets its members in turn, its first one as head."""
    rnd = random.Random(seed)
    serials = rnd.sample(range(1_000_000), min(n, 1_000_000)) if n <= 1_000_000 else list(range(n))
    branches = [(commune, district, b) for commune, district in communes for b in range(1, BRANCHES_PER_COMMUNE + 1)]
    for i in range(n):
        commune, district, b = branches[i % len(branches)]
        male = rnd.random() < 0.55
        year = rnd.randint(1950, 2004)
        born = f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{year}"
        name = " ".join((rnd.choice(FAMILY), rnd.choice(MIDDLE_M if male else MIDDLE_F),
                         rnd.choice(GIVEN_M if male else GIVEN_F)))
        century_sex = (0 if year < 2000 else 2) + (0 if male else 1)
        citizen_id = f"093{century_sex}{year % 100:02d}{serials[i] % 1_000_000:06d}"
        phone = rnd.choice(PHONE_PREFIXES) + f"{rnd.randint(0, 9_999_999):07d}"
        yield [i + 1, name, born, "Nam" if male else "Nữ", citizen_id, phone, f"Ấp {b}", commune, district,
               f"Chi hội ấp {b}", "Chi hội trưởng" if i < len(branches) else "Hội viên"]


def write_xlsx(path: Path, rows) -> None:
    """A plain .xlsx (shared strings, as Excel saves) written as a stream: fast enough for a million rows."""
    strings: dict[str, int] = {}
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'.encode())
            for r, row in enumerate([HEADER, *rows], start=1):
                cells = []
                for value in row:
                    if isinstance(value, int):
                        cells.append(f"<c><v>{value}</v></c>")
                    else:
                        index = strings.setdefault(value, len(strings))
                        cells.append(f'<c t="s"><v>{index}</v></c>')
                f.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
            f.write(b"</sheetData></worksheet>")
        sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst {ns}>{sst}</sst>')
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                   'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/'
                   'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}">'
                   '<sheets><sheet name="Hội viên" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http:'
                   f'//schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/'
                   'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="'
                   f'{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')


# --- the run ----------------------------------------------------------------------------------------------

def _fresh_copy(template: Path, target: Path) -> None:
    for suffix in ("-journal", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copy(template, target)


def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"child {args[0]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=36_000, help="members in the side-by-side run (36000)")
    parser.add_argument("--big-rows", type=int, default=1_000_000, help="rows of the streaming run, 0 to skip")
    parser.add_argument("--big-dry-run", action="store_true", help="check the big file without writing it")
    parser.add_argument("--skip-import-export", action="store_true")
    parser.add_argument("--keep", help="keep the generated files and databases in this folder")
    parser.add_argument("--_child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child:
        kind, *rest = args._child
        if kind == "setup":
            child_setup(Path(rest[0]), Path(rest[1]))
        elif kind == "ours":
            child_ours(Path(rest[0]), Path(rest[1]), rest[2] == "dry")
        elif kind == "ie":
            child_import_export(Path(rest[0]), Path(rest[1]))
        return

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        template, communes_file = work / "template.db", work / "communes.json"
        for pattern in ("*.db", "*.db-journal", "*.db-wal", "*.db-shm"):
            for leftover in work.glob(pattern):  # a journal left by a killed run would corrupt a new copy
                leftover.unlink()
        t = time.perf_counter()
        _child("--_child", "setup", str(template), str(communes_file))
        communes = json.loads(communes_file.read_text())
        print(f"Fresh SQLite database: Hậu Giang map and {len(communes) * BRANCHES_PER_COMMUNE} branches "
              f"({time.perf_counter() - t:.1f} s)")

        members = work / f"hoi_vien_{args.rows}.xlsx"
        if not args.rows:
            members = None
        t = time.perf_counter()
        if members is not None:
            side_by_side(args, work, template, members, communes, t)
        if args.big_rows:
            big = work / f"hoi_vien_{args.big_rows}.xlsx"
            t = time.perf_counter()
            if not big.exists():
                write_xlsx(big, member_rows(args.big_rows, communes, seed=7))
            print(f"\nGenerated {big.name}: {args.big_rows:,} rows, {big.stat().st_size / 1e6:.0f} MB "
                  f"({time.perf_counter() - t:.0f} s)")
            _fresh_copy(template, work / "big.db")
            result = _child("--_child", "ours", str(work / "big.db"), str(big),
                            "dry" if args.big_dry_run else "commit")
            print(f"Streaming run ({'dry run' if args.big_dry_run else 'committed'}): {result['rows']:,} rows in "
                  f"{result['seconds']:.0f} s (CPU {result['cpu']:.0f} s), imported {result['imported']:,}, "
                  f"peak RSS {result['peak_mb']:.0f} MB; target <= 500 MB: "
                  f"{'MET' if result['peak_mb'] <= 500 else 'NOT MET'}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def side_by_side(args, work: Path, template: Path, members: Path, communes: list, t: float) -> None:
    """Our importer and django-import-export on the same file, each into a fresh copy of the database."""
    write_xlsx(members, member_rows(args.rows, communes))
    print(f"Generated {members.name}: {args.rows:,} rows, {members.stat().st_size / 1e6:.1f} MB "
          f"({time.perf_counter() - t:.1f} s)")

    _fresh_copy(template, work / "ours.db")
    ours = _child("--_child", "ours", str(work / "ours.db"), str(members), "commit")
    print(f"\nAn Sinh importer: {ours['seconds']:.1f} s (CPU {ours['cpu']:.1f} s), peak {ours['peak_mb']:.0f} MB; "
          f"rows {ours['rows']}, imported {ours['imported']}, rejected {ours['rejected']}, "
          f"duplicates {ours['duplicates']}; people {ours['people']}, memberships {ours['memberships']}")
    again = _child("--_child", "ours", str(work / "ours.db"), str(members), "commit")
    print(f"  same file again: {again['seconds']:.1f} s; imported {again['imported']}, updated "
          f"{again['updated']}, unchanged {again['unchanged']}; people {again['people']}")
    target = 20.0
    print(f"  target <= {target:.0f} s: {'MET' if ours['seconds'] <= target else 'NOT MET'}")
    if not args.skip_import_export:
        _fresh_copy(template, work / "ie.db")
        ie = _child("--_child", "ie", str(work / "ie.db"), str(members))
        print(f"django-import-export: {ie['seconds']:.1f} s (CPU {ie['cpu']:.1f} s), peak {ie['peak_mb']:.0f} MB; "
              f"rows {ie['rows']}, imported {ie['imported']}; people {ie['people']}, "
              f"memberships {ie['memberships']}")
        ratio, cpu_ratio = ie["seconds"] / ours["seconds"], ie["cpu"] / ours["cpu"]
        print(f"  ratio (import-export / ours): {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU; target >= 2x: "
              f"{'MET' if ratio >= 2 else 'NOT MET'}")


if __name__ == "__main__":
    main()
