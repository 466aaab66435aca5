"""Payments through the API: a saved quote paid once per Idempotency-Key, a replay with the same request
answered with the first receipt, with another request refused (409) with nothing written; enrol-and-pay;
the receipt as JSON and PDF; scope and roles."""

import datetime
import json
import uuid

import pytest
from django.utils import timezone

from ansinh.api.errors import NOT_FOUND
from ansinh.collection.errors import REPLAY_MESSAGE, IdempotencyConflict
from ansinh.collection.models import Payment, Receipt
from ansinh.core.errors import PermissionDenied
from ansinh.core.money import format_vnd
from ansinh.core.words import amount_in_words
from ansinh.enrollment.models import HiParticipation, Status, VsiParticipation
from ansinh.enrollment.services import hi_enroll, vsi_enroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client, small_province):
    client.force_login(small_province.users["thu_1"])
    return client


@pytest.fixture
def quote(small_province):
    return hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12,
                     on=timezone.localdate())


def pay(client, url, body, key=None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def expected_receipt(receipt: Receipt, *, cancelled=False) -> dict:
    payment = receipt.payment
    return {
        "id": receipt.pk, "number": receipt.number, "issued_on": receipt.issued_on.isoformat(),
        "payer_name": receipt.payer_name, "items": receipt.items, "amount": receipt.amount,
        "amount_in_words": receipt.amount_in_words, "org_code": "BD93", "org_name": "Bưu điện tỉnh Hậu Giang",
        "agent_id": receipt.agent_id, "payment_id": payment.pk, "method": payment.method,
        "paid_on": payment.paid_on.isoformat(), "scheme": "hi" if payment.hi_id else "vsi",
        "quote_id": payment.hi_id or payment.vsi_id, "cancelled": cancelled,
    }


def test_paying_a_saved_quote_issues_the_receipt_and_a_replay_answers_the_same(agent, small_province, quote):
    today = timezone.localdate()
    url = f"/api/v1/payments/quotes/hi/{quote.pk}"
    body = {"amount": quote.payable, "method": "cash"}
    response = pay(agent, url, body, key="k-1")
    assert response.status_code == 201
    receipt = Receipt.objects.select_related("payment").get()
    assert response.json() == expected_receipt(receipt)
    assert receipt.number == f"BD93-NVT001-{today.year}-0000001"
    assert receipt.amount == quote.payable and receipt.amount_in_words == amount_in_words(quote.payable)
    assert receipt.payment.agent_id == small_province.agent.pk
    quote.refresh_from_db()
    assert quote.status == Status.PAID
    # the same request again (keys in another order, the default spelled out): the first receipt, 200
    again = pay(agent, url, {"method": "cash", "paid_on": None, "amount": quote.payable}, key="k-1")
    assert again.status_code == 200 and again.json() == response.json()
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1


def test_a_replayed_key_with_another_body_is_refused_and_nothing_is_written(agent, small_province, quote):
    url = f"/api/v1/payments/quotes/hi/{quote.pk}"
    assert pay(agent, url, {"amount": quote.payable}, key="k-2").status_code == 201
    other = pay(agent, url, {"amount": quote.payable, "method": "bank_transfer"}, key="k-2")
    assert other.status_code == 409
    assert other.json() == {"code": "idempotency_conflict", "message": REPLAY_MESSAGE, "field": None}
    # the same key for another quote: refused too, and that quote stays unpaid
    vsi = vsi_enroll(user=small_province.users["thu_1"], person=small_province.household.members.first().person,
                     income=1_500_000, months=12, payment_mode="12_months", on=timezone.localdate())
    elsewhere = pay(agent, f"/api/v1/payments/quotes/vsi/{vsi.pk}", {"amount": vsi.payable}, key="k-2")
    assert elsewhere.status_code == 409
    assert elsewhere.json() == {"code": "idempotency_conflict", "message": IdempotencyConflict.message,
                                "field": None}
    # and for a wrong amount to another quote (the key is said first)
    assert pay(agent, f"/api/v1/payments/quotes/vsi/{vsi.pk}", {"amount": 1}, key="k-2").status_code == 409
    vsi.refresh_from_db()
    assert vsi.status == Status.QUOTED
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1
    assert Payment.objects.get().method == "cash"


def test_a_key_first_used_on_a_page_is_another_request_through_the_api(agent, small_province, quote):
    from ansinh.collection.services import payment_record

    payment_record(user=small_province.users["thu_1"], participation=quote, amount=quote.payable, method="cash",
                   paid_on=timezone.localdate(), idempotency_key="page-key")
    response = pay(agent, f"/api/v1/payments/quotes/hi/{quote.pk}", {"amount": quote.payable}, key="page-key")
    assert response.status_code == 409 and response.json()["code"] == "idempotency_conflict"


def test_the_idempotency_key_header_is_required(agent, quote):
    response = pay(agent, f"/api/v1/payments/quotes/hi/{quote.pk}", {"amount": quote.payable})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and response.json()["field"] == "Idempotency-Key"
    too_long = pay(agent, f"/api/v1/payments/quotes/hi/{quote.pk}", {"amount": quote.payable}, key="x" * 65)
    assert too_long.status_code == 422
    assert not Payment.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"amount": "2906280"}, "amount"),
    ({"amount": 10.5}, "amount"),
    ({"amount": True}, "amount"),
    ({"amount": 100, "method": "cheque"}, "method"),
    ({"amount": 100, "paid_on": "03/12/2026"}, "paid_on"),
    ({"amount": 100, "tip": 5}, "tip"),
])
def test_wrong_types_are_422_naming_the_field_and_write_nothing(agent, quote, body, field):
    response = pay(agent, f"/api/v1/payments/quotes/hi/{quote.pk}", body, key=uuid.uuid4().hex)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not Payment.objects.exists()


def test_malformed_json_is_422_or_400_json_never_html(agent, quote):
    response = agent.post(f"/api/v1/payments/quotes/hi/{quote.pk}", "{amount: 1", content_type="application/json",
                          headers={"Idempotency-Key": "k"})
    assert response.status_code in (400, 422) and response["Content-Type"].startswith("application/json")
    assert not Payment.objects.exists()


def test_domain_refusals_are_400_with_the_pages_message(agent, quote):
    url = f"/api/v1/payments/quotes/hi/{quote.pk}"
    wrong = pay(agent, url, {"amount": quote.payable - 1}, key="k-3")
    assert wrong.status_code == 400
    assert wrong.json() == {"code": "amount_mismatch", "field": "amount",
                            "message": f"Số tiền nộp {format_vnd(quote.payable - 1)} không khớp với số phải đóng "
                                       f"{format_vnd(quote.payable)}."}
    future = pay(agent, url, {"amount": quote.payable,
                              "paid_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}, key="k-4")
    assert future.status_code == 400
    assert future.json() == {"code": "invalid_paid_on", "message": "Ngày nộp không được sau hôm nay.",
                             "field": "paid_on"}
    assert not Payment.objects.exists()


def test_another_areas_quote_or_household_is_404_and_nothing_written(client, small_province, quote):
    client.force_login(small_province.users["thu_2"])
    response = pay(client, f"/api/v1/payments/quotes/hi/{quote.pk}", {"amount": quote.payable}, key="k-5")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": NOT_FOUND, "field": None}
    hi = pay(client, "/api/v1/payments/hi", {"household_id": small_province.household.pk, "amount": quote.payable},
             key="k-6")
    assert hi.status_code == 404
    assert pay(client, "/api/v1/payments/quotes/hi/999999", {"amount": 1}, key="k-7").status_code == 404
    assert not Payment.objects.exists()


@pytest.mark.parametrize("username", ["chi_hoi", "hoi_tinh"])
def test_a_role_that_takes_no_money_is_refused_403(client, small_province, quote, username):
    client.force_login(small_province.users[username])
    response = pay(client, f"/api/v1/payments/quotes/hi/{quote.pk}", {"amount": quote.payable}, key="k-8")
    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied", "message": PermissionDenied.message, "field": None}
    hi = pay(client, "/api/v1/payments/hi", {"household_id": small_province.household.pk, "amount": quote.payable},
             key="k-9")
    assert hi.status_code == 403
    assert not Payment.objects.exists()
    quote.refresh_from_db()
    assert quote.status == Status.QUOTED


def test_enrol_and_pay_hi_then_replay(agent, small_province, quote):
    body = {"household_id": small_province.household.pk, "months": 12, "amount": quote.payable,
            "method": "cash"}
    response = pay(agent, "/api/v1/payments/hi", body, key="e-1")
    assert response.status_code == 201
    receipt = Receipt.objects.select_related("payment").get()
    assert response.json() == expected_receipt(receipt)
    assert [item["amount"] for item in receipt.items] == [line.payable for line in quote.members.order_by("rank")]
    again = pay(agent, "/api/v1/payments/hi", body, key="e-1")
    assert again.status_code == 200 and again.json() == response.json()
    changed = pay(agent, "/api/v1/payments/hi", {**body, "months": 6}, key="e-1")
    assert changed.status_code == 409 and changed.json()["message"] == REPLAY_MESSAGE
    assert HiParticipation.objects.filter(status=Status.PAID).count() == 1
    assert Payment.objects.count() == 1


def test_enrol_and_pay_vsi_by_an_officer(client, small_province):
    client.force_login(small_province.users["bhxh_huyen"])
    person = small_province.household.members.get(relationship="head").person
    price = client.post("/api/v1/quotes/vsi/price", json.dumps({"person_id": person.pk, "income": 1_500_000}),
                        content_type="application/json").json()
    body = {"person_id": person.pk, "income": 1_500_000, "payment_mode": "12_months", "amount": price["payable"]}
    response = pay(client, "/api/v1/payments/vsi", body, key="v-1")
    assert response.status_code == 201
    receipt = Receipt.objects.select_related("payment").get()
    assert response.json() == expected_receipt(receipt)
    assert receipt.agent_id is None and receipt.number == f"BD93-{timezone.localdate().year}-0000001"
    assert VsiParticipation.objects.get().status == Status.PAID


def test_the_receipt_as_json_and_pdf_in_scope_only(client, small_province, quote):
    client.force_login(small_province.users["thu_1"])
    created = pay(client, f"/api/v1/payments/quotes/hi/{quote.pk}", {"amount": quote.payable}, key="r-1").json()
    assert client.get(f"/api/v1/payments/receipts/{created['id']}").json() == created
    pdf = client.get(f"/api/v1/payments/receipts/{created['id']}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    client.force_login(small_province.users["thu_2"])
    assert client.get(f"/api/v1/payments/receipts/{created['id']}").status_code == 404
    assert client.get(f"/api/v1/payments/receipts/{created['id']}/pdf").status_code == 404
    client.force_login(small_province.users["bhxh_tinh"])
    assert client.get(f"/api/v1/payments/receipts/{created['id']}").json() == created


def test_another_users_key_is_never_replayed_to_them(client, agent, small_province, quote):
    from ansinh.collection.errors import OTHER_USER_KEY_MESSAGE

    url = f"/api/v1/payments/quotes/hi/{quote.pk}"
    first = pay(agent, url, {"amount": quote.payable}, key="k-mine")
    assert first.status_code == 201
    officer = small_province.users["bhxh_huyen"]  # may pay in the area, but did not record this payment
    client.force_login(officer)
    replay = pay(client, url, {"amount": quote.payable}, key="k-mine")
    assert replay.status_code == 409
    assert replay.json() == {"code": "idempotency_conflict", "message": OTHER_USER_KEY_MESSAGE, "field": None}
    # enrol-and-pay under the same key: refused the same way, nothing written
    again = pay(client, "/api/v1/payments/hi", {"household_id": small_province.household.pk,
                                                "amount": quote.payable}, key="k-mine")
    assert again.status_code == 409
    assert again.json() == {"code": "idempotency_conflict", "message": OTHER_USER_KEY_MESSAGE, "field": None}
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1
    assert Payment.objects.get().recorded_by == small_province.users["thu_1"]
