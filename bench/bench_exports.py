"""Benchmark: export the D05-TS list of 100,000 voluntary-SI participants (goal: at most 30 s).

    uv run --frozen python bench/bench_exports.py [--rows 100000] [--keep]

Builds a fresh SQLite database in a temporary folder (migrations, the Hậu Giang map, one post office,
8 agents), bulk-creates N people, N paid VSI participations, N payments and N receipts (amounts copied
from one real quote of the rules module), then times ``d05_export`` and prints the figures as JSON:
seconds to build, seconds to export, rows per second, file size, and the ratio to the 30 s goal.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 30.0


def _setup(db_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build(rows: int) -> dict:
    from django.db import transaction

    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
    from ansinh.areas.services import areas_load
    from ansinh.collection.models import Agent, CollectionOrg, Payment, Receipt
    from ansinh.collection.receipts import format_receipt_number
    from ansinh.core.words import amount_in_words
    from ansinh.enrollment import pricing
    from ansinh.enrollment.models import Status, VsiParticipation
    from ansinh.registry.models import Person

    areas_load(old_province_code=93, new_province_code=92)
    province = AdministrativeUnit.objects.get(map=MapVersion.OLD, level=Level.PROVINCE, code="93")
    communes = list(AdministrativeUnit.objects.filter(province=province, level=Level.COMMUNE).order_by("code"))
    org = CollectionOrg.objects.create(code="BD93", name="Bưu điện tỉnh Hậu Giang", province=province)
    agents = [
        Agent.objects.create(org=org, code=f"NVT{n:03d}", full_name=f"Nhân viên thu {n}", area=d)
        for n, d in enumerate(AdministrativeUnit.objects.filter(parent=province).order_by("code"), start=1)
    ]
    on = datetime.date(2024, 10, 1)
    quote = pricing.vsi_price(income=1_500_000, months=12, payment_mode="12_months", support_group="other", on=on)
    words = amount_in_words(quote["payable"])
    batch = 5000
    with transaction.atomic():
        for start in range(0, rows, batch):
            n = min(batch, rows - start)
            people = Person.objects.bulk_create([
                Person(full_name=f"Nguyễn Văn Thử {start + i}", date_of_birth=datetime.date(1970 + (start + i) % 30, 1 + i % 12, 1 + i % 28),
                       sex="male", citizen_id=f"093{start + i:09d}", si_number=f"93{start + i:08d}",
                       commune=communes[(start + i) % len(communes)])
                for i in range(n)
            ])
            participations = VsiParticipation.objects.bulk_create([
                VsiParticipation(
                    person=person, commune=person.commune, income=quote["income"], payment_mode="12_months",
                    support_group="other", from_month=on, months=12, priced_on=on, gross=quote["gross"],
                    amount_due=quote["amount_due"], state_support=quote["state_support"],
                    local_support=quote["local_support"], payable=quote["payable"], quote=quote,
                    status=Status.PAID, agent=agents[(start + i) % len(agents)],
                )
                for i, person in enumerate(people)
            ])
            payments = Payment.objects.bulk_create([
                Payment(idempotency_key=f"bench-{start + i}", vsi=v, amount=v.payable, method="cash",
                        paid_on=on + datetime.timedelta(days=(start + i) % 28), agent=v.agent)
                for i, v in enumerate(participations)
            ])
            Receipt.objects.bulk_create([
                Receipt(payment=pay, org=org, year=2024, serial=start + i + 1,
                        number=format_receipt_number(org_code=org.code, year=2024, serial=start + i + 1),
                        payer_name=f"Nguyễn Văn Thử {start + i}", items=[{"label": "BHXH tự nguyện 12 tháng",
                                                                          "amount": pay.amount}],
                        amount=pay.amount, amount_in_words=words, issued_on=pay.paid_on, agent=pay.agent)
                for i, pay in enumerate(payments)
            ])
    return {"payable_each": quote["payable"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database and the file; print their paths")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ansinh-bench-"))
    t0 = time.perf_counter()
    _setup(folder / "bench.db")
    built = _build(args.rows)
    build_seconds = time.perf_counter() - t0

    from ansinh.reports.exports.lists import d05_export
    from ansinh.reports.selectors import OPERATOR, ListFilter

    out = folder / "d05.xlsx"
    t1, c1 = time.perf_counter(), time.process_time()
    summary = d05_export(user=OPERATOR, filters=ListFilter(), out=str(out))
    seconds, cpu = time.perf_counter() - t1, time.process_time() - c1
    figures = {
        "rows": summary["rows"], "build_seconds": round(build_seconds, 1), "export_seconds": round(seconds, 2),
        "export_cpu_seconds": round(cpu, 2), "load_average": round(os.getloadavg()[0], 1),
        "rows_per_second": round(summary["rows"] / seconds), "file_mb": round(out.stat().st_size / 1e6, 1),
        "goal_seconds": GOAL_SECONDS, "ratio_to_goal": round(seconds / GOAL_SECONDS, 2),
        "payable_total": summary["totals"]["payable"], "expected_total": built["payable_each"] * args.rows,
        "reconciles": summary["reconciles"],
    }
    if args.keep:
        figures["folder"] = str(folder)
    else:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
