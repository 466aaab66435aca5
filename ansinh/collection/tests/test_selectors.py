"""The agent's daily collection book and the officer's reconciliation: exact counts and amounts per agent
per day (VSI, HI, receipts issued and cancelled, money to hand over), scope, and a difference shown."""

import datetime

import pytest

from ansinh.collection.models import Payment
from ansinh.collection.selectors import (
    agents_in_scope, collection_book, collection_book_entries, collection_reconciliation, payments_in_scope,
)
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.reports.tests.paid import paid_once_per_module

START, END = datetime.date(2024, 7, 1), datetime.date(2024, 12, 31)


@pytest.fixture(scope="module")
def _paid_module(django_db_setup, django_db_blocker):
    yield from paid_once_per_module(django_db_blocker)


@pytest.fixture
def paid(_paid_module, db):
    return _paid_module


def _amounts(paid):
    hi = paid.vectors["hi"]["expect"]["total"]
    head = paid.vectors["vsi_head"]["expect"]["payable"]
    other = paid.vectors["vsi_other"]["expect"]["payable"]
    return hi, head, other


def test_the_agent_book_has_one_row_per_day_with_schemes_receipts_cancellations_and_handover(paid):
    hi, head, son = _amounts(paid)  # the son paid the same as the other household's head, then was cancelled
    book = collection_book(user=paid.p.users["thu_1"], date_from=START, date_to=END)
    rows = {r["day"]: r for r in book["rows"]}
    assert sorted(rows) == [datetime.date(2024, 7, 1), datetime.date(2024, 10, 1), datetime.date(2024, 10, 2),
                            datetime.date(2024, 12, 1)]
    july = rows[datetime.date(2024, 7, 1)]
    assert (july["hi_count"], july["hi_amount"], july["vsi_count"], july["vsi_amount"]) == (1, hi, 0, 0)
    assert (july["issued_count"], july["issued_amount"], july["handover"]) == (1, hi, hi)
    assert july["first_receipt"] == july["last_receipt"] == paid.hi_receipt.number
    assert july["agent_code"] == "NVT001"
    taken = rows[datetime.date(2024, 10, 1)]
    assert (taken["vsi_count"], taken["vsi_amount"], taken["issued_count"], taken["handover"]) == (1, son, 1, son)
    cancelled = rows[datetime.date(2024, 10, 2)]
    assert (cancelled["cancelled_count"], cancelled["cancelled_amount"], cancelled["issued_count"]) == (1, son, 0)
    assert cancelled["handover"] == -son
    december = rows[datetime.date(2024, 12, 1)]
    assert (december["vsi_count"], december["vsi_amount"], december["handover"]) == (1, head, head)
    assert book["totals"]["handover"] == hi + head
    assert book["totals"]["issued_amount"] == hi + head + son
    assert book["totals"]["cancelled_amount"] == son
    assert (book["totals"]["vsi_count"], book["totals"]["hi_count"], book["totals"]["issued_count"]) == (2, 1, 3)


def test_an_agent_sees_only_their_own_book_and_an_officer_the_agents_of_their_area(paid):
    other = paid.vectors["vsi_other"]["expect"]["payable"]
    book = collection_book(user=paid.p.users["thu_2"], date_from=START, date_to=END)
    assert [(r["agent_code"], r["day"], r["handover"]) for r in book["rows"]] == [
        ("NVT002", datetime.date(2024, 10, 1), other)]
    with pytest.raises(OutOfScope):
        collection_book(user=paid.p.users["thu_2"], date_from=START, date_to=END, agent=paid.p.agent)
    district = collection_book(user=paid.p.users["bhxh_huyen"], date_from=START, date_to=END)
    assert {r["agent_code"] for r in district["rows"]} == {"NVT001"}
    province = collection_book(user=paid.p.users["bhxh_tinh"], date_from=START, date_to=END)
    assert {r["agent_code"] for r in province["rows"]} == {"NVT001", "NVT002"}
    assert set(agents_in_scope(user=paid.p.users["bhxh_huyen"])) == {paid.p.agent}
    with pytest.raises(PermissionDenied):
        collection_book(user=paid.p.users["hoi_tinh"], date_from=START, date_to=END)


def test_the_book_of_one_day_and_its_lines(paid):
    hi, _, _ = _amounts(paid)
    day = datetime.date(2024, 7, 1)
    book = collection_book(user=paid.p.users["bhxh_tinh"], date_from=day, date_to=day, agent=paid.p.agent)
    assert [r["handover"] for r in book["rows"]] == [hi]
    entries = collection_book_entries(user=paid.p.users["thu_1"], date_from=START, date_to=END)
    assert [(e["day"], e["scheme"], e["amount"], e["is_reversal"]) for e in entries] == [
        (datetime.date(2024, 7, 1), "hi", hi, False),
        (datetime.date(2024, 10, 1), "vsi", paid.vsi_reversed_payment.amount, False),
        (datetime.date(2024, 10, 2), "vsi", -paid.vsi_reversed_payment.amount, True),
        (datetime.date(2024, 12, 1), "vsi", paid.vsi_head_receipt.amount, False),
    ]
    cancel = entries[2]
    assert cancel["receipt_number"] == paid.vsi_reversed_payment.receipt.number
    assert cancel["payer"] == "Nguyễn Văn Cường" and cancel["reason"] == "Nhập nhầm người"


def test_reconciliation_per_agent_matches_payments_receipts_priced_and_listed(paid):
    hi, head, son = _amounts(paid)
    data = collection_reconciliation(user=paid.p.users["bhxh_tinh"], date_from=START, date_to=END)
    rows = {r["agent_code"]: r for r in data["rows"]}
    first = rows["NVT001"]
    assert (first["payments_count"], first["payments_amount"]) == (3, hi + head + son)
    assert (first["receipts_count"], first["receipts_amount"]) == (3, hi + head + son)
    assert first["priced_amount"] == first["listed_amount"] == hi + head + son
    assert (first["reversals_count"], first["reversals_amount"]) == (1, son)
    assert first["net_amount"] == hi + head
    assert (first["diff_receipts"], first["diff_priced"], first["diff_listed"], first["without_receipt"]) == (0, 0, 0, 0)
    assert first["ok"] is True
    assert rows["NVT002"]["payments_amount"] == rows["NVT002"]["receipts_amount"] == son
    assert data["totals"]["ok"] is True
    assert data["totals"]["net_amount"] == hi + head + son


def test_reconciliation_shows_a_payment_that_differs_from_its_participation(paid):
    # A payment recorded without the service (say, an import gone wrong): 1,000 đ short, no receipt.
    participation = paid.vsi_head
    Payment.objects.filter(pk=participation.payments.get().pk).update(amount=participation.payable - 1000)
    data = collection_reconciliation(user=paid.p.users["thu_1"], date_from=START, date_to=END)
    row = data["rows"][0]
    assert row["diff_priced"] == -1000 and row["diff_receipts"] == -1000 and row["diff_listed"] == -1000
    assert row["ok"] is False and data["totals"]["ok"] is False


def test_payments_in_scope_follow_the_role(paid):
    assert payments_in_scope(user=paid.p.users["thu_2"]).count() == 1
    assert payments_in_scope(user=paid.p.users["thu_1"]).count() == 4  # with the reversal
    assert payments_in_scope(user=paid.p.users["bhxh_huyen"], scheme="hi").count() == 1
    assert payments_in_scope(user=paid.p.users["bhxh_tinh"], scheme="vsi").count() == 4


def test_a_cancelled_household_payment_is_counted_once_on_each_side(paid):
    from ansinh.collection.services import payment_reverse

    hi, head, son = _amounts(paid)
    payment_reverse(user=paid.p.users["thu_1"], payment=paid.hi_payment, reason="Hộ xin hủy",
                    on=datetime.date(2024, 7, 2))
    row = collection_reconciliation(user=paid.p.users["thu_1"], date_from=START, date_to=END)["rows"][0]
    assert row["payments_amount"] == row["receipts_amount"] == row["listed_amount"] == hi + head + son
    assert row["reversals_amount"] == hi + son and row["net_amount"] == head and row["ok"] is True
