"""A small province with real priced and paid participations, for the list, book and renewal tests.

Everything is priced by the rules module through the enrolment services and paid through
``payment_record``; the expected amounts are read from the shared vectors file, never typed here.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ansinh.collection.models import Payment, Receipt
from ansinh.collection.services import payment_record, payment_reverse
from ansinh.enrollment.models import HiParticipation, VsiParticipation
from ansinh.enrollment.services import hi_enroll, vsi_enroll
from ansinh.registry.models import HouseholdMember
from ansinh.testing.province import SmallProvince, make_person, small_province_build

VECTORS_FILE = Path(__file__).resolve().parents[3].parent / "shared" / "vectors" / "rules.json"


def vector(vector_id: str) -> dict:
    """One worked example of the shared vectors file, by id."""
    cases = {case["id"]: case for case in json.loads(VECTORS_FILE.read_text(encoding="utf-8"))}
    return cases[vector_id]


@dataclass
class Paid:
    """What was recorded: participations, payments and receipts by name."""

    p: SmallProvince
    hi: HiParticipation
    hi_payment: Payment
    hi_receipt: Receipt
    vsi_head: VsiParticipation
    vsi_head_receipt: Receipt
    vsi_other: VsiParticipation
    vsi_other_receipt: Receipt
    vsi_reversed: VsiParticipation
    vsi_reversed_payment: Payment
    vectors: dict = field(default_factory=dict)


def _pay(user, participation, on, key):
    payment, receipt, _ = payment_record(user=user, participation=participation, amount=participation.payable,
                                         method="cash", paid_on=on, idempotency_key=key)
    return payment, receipt


def _vsi(user, person, case: dict, key: str, paid_on: datetime.date | None = None):
    req = case["request"]
    on = datetime.date.fromisoformat(req["on"])
    participation = vsi_enroll(user=user, person=person, income=req["income"], months=req["months"],
                               payment_mode=req["payment_mode"], on=on, support_group=req["support_group"])
    payment, receipt = _pay(user, participation, paid_on or on, key)
    return participation, payment, receipt


def paid_province_build() -> Paid:
    """The small province plus:

    - household HG-0001 (agent NVT001) grown to 5 members, HI for 12 months priced and paid on the
      date of vector ``hi-2024-5`` (total 4,043,520 đ);
    - its head in VSI, vector ``vsi-poor-12m-3m-income-2024`` (12 months, poor group), paid that day;
    - the head of HG-0002 (agent NVT002), vector ``vsi-2024-floor-other`` (1 month), paid that day;
    - the son of HG-0001, vector ``vsi-2024-floor-other``, paid on the same day then reversed the
      next day (so on no list).
    """
    p = small_province_build()
    thu_1, thu_2 = p.users["thu_1"], p.users["thu_2"]
    for n, (name, born, sex, rel) in enumerate([
        ("Nguyễn Thị Dung", datetime.date(2003, 4, 12), "female", "child"),
        ("Lê Thị Hường", datetime.date(1948, 6, 30), "female", "parent"),
    ], start=10):
        person = make_person(name=name, born=born, sex=sex, commune=p.commune, cid=f"0931000000{n}",
                             phone=f"09120000{n}")
        HouseholdMember.objects.create(household=p.household, person=person, relationship=rel)
    head = p.household.members.get(relationship="head").person
    head.si_number = "0930000001"  # a leading zero that the lists must keep
    head.phone = "0912345678"
    head.save()
    son = p.household.members.get(person__full_name="Nguyễn Văn Cường").person
    other_head = p.other_household.members.get(relationship="head").person

    hi_case = vector("hi-2024-5")
    hi_on = datetime.date.fromisoformat(hi_case["request"]["on"])
    hi = hi_enroll(user=thu_1, household=p.household, months=hi_case["request"]["months"], on=hi_on)
    hi_payment, hi_receipt = _pay(thu_1, hi, hi_on, "hi-hg-0001")

    head_case = vector("vsi-poor-12m-3m-income-2024")
    vsi_head, _, vsi_head_receipt = _vsi(thu_1, head, head_case, "vsi-head")
    other_case = vector("vsi-2024-floor-other")
    vsi_other, _, vsi_other_receipt = _vsi(thu_2, other_head, other_case, "vsi-other")
    vsi_reversed, reversed_payment, _ = _vsi(thu_1, son, other_case, "vsi-son")
    on = datetime.date.fromisoformat(other_case["request"]["on"])
    payment_reverse(user=thu_1, payment=reversed_payment, reason="Nhập nhầm người", on=on + datetime.timedelta(days=1))

    for obj in (hi, vsi_head, vsi_other, vsi_reversed):
        obj.refresh_from_db()
    return Paid(p=p, hi=hi, hi_payment=hi_payment, hi_receipt=hi_receipt, vsi_head=vsi_head,
                vsi_head_receipt=vsi_head_receipt, vsi_other=vsi_other, vsi_other_receipt=vsi_other_receipt,
                vsi_reversed=vsi_reversed, vsi_reversed_payment=reversed_payment,
                vectors={"hi": hi_case, "vsi_head": head_case, "vsi_other": other_case})


def paid_once_per_module(django_db_blocker):
    """Build the paid province once for a test module, inside a transaction rolled back at its end.

    Use as a module-scoped fixture; each test still runs inside its own savepoint (the ``db`` fixture),
    so what a test writes is undone before the next one. Tests must not rely on in-memory changes
    made by another test to the shared objects."""
    with django_db_blocker.unblock(), transaction.atomic():
        paid = paid_province_build()
        yield paid
        transaction.set_rollback(True)
