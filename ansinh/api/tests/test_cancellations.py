"""Cancelling a payment through the API: the same rules and messages as the receipt page and the queue."""

import datetime

import pytest

from ansinh.collection import errors_cancellation as e
from ansinh.collection.models import CancellationStatus, Payment, Receipt
from ansinh.collection.services import payment_record
from ansinh.enrollment.services import hi_enroll

JULY_2024 = datetime.date(2024, 7, 1)


@pytest.fixture
def paid(small_province):
    p = small_province
    quoted = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    payment, receipt, _ = payment_record(user=p.users["thu_1"], participation=quoted, amount=quoted.payable,
                                         method="cash", paid_on=JULY_2024, idempotency_key="api-cancel-1")
    return payment, receipt


def _as(client, user):
    client.force_login(user)
    return client


def test_an_agent_asks_an_officer_sees_it_waiting_and_approves(client, small_province, paid):
    p, (payment, receipt) = small_province, paid
    asked = _as(client, p.users["thu_1"]).post(
        "/api/v1/cancellations/", {"receipt_id": receipt.pk, "reason": "wrong_household", "note": "Nhầm hộ"},
        content_type="application/json")
    assert asked.status_code == 201
    body = asked.json()
    assert (body["payment_id"], body["receipt_number"], body["amount"], body["status"], body["requested_by"]) == (
        payment.pk, receipt.number, payment.amount, "requested", "thu_1")
    officer = _as(client, p.users["bhxh_tinh"])
    assert [row["id"] for row in officer.get("/api/v1/cancellations/").json()] == [body["id"]]
    approved = officer.post(f"/api/v1/cancellations/{body['id']}/approve", {"note": ""},
                            content_type="application/json")
    assert approved.status_code == 200
    assert approved.json()["status"] == CancellationStatus.APPROVED and approved.json()["decided_by"] == "bhxh_tinh"
    assert Payment.objects.get(reverses=payment).amount == -payment.amount
    assert Receipt.objects.get(pk=receipt.pk).cancelled_by == p.users["bhxh_tinh"]


def test_asking_twice_and_refusing_without_a_note_give_the_pages_messages(client, small_province, paid):
    p, (payment, receipt) = small_province, paid
    agent = _as(client, p.users["thu_1"])
    data = {"receipt_id": receipt.pk, "reason": "duplicate_cash"}
    first = agent.post("/api/v1/cancellations/", data, content_type="application/json")
    again = agent.post("/api/v1/cancellations/", data, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["message"] == e.ALREADY_REQUESTED
    refused = _as(client, p.users["bhxh_tinh"]).post(f"/api/v1/cancellations/{first.json()['id']}/refuse",
                                                     {"note": ""}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json() == {"code": refused.json()["code"], "message": e.REFUSAL_NOTE_REQUIRED, "field": "note"}


def test_another_agents_receipt_is_not_found_and_a_leader_may_not_ask(client, small_province, paid):
    p, (payment, receipt) = small_province, paid
    other = _as(client, p.users["thu_2"]).post("/api/v1/cancellations/",
                                               {"receipt_id": receipt.pk, "reason": "wrong_amount"},
                                               content_type="application/json")
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    leader = _as(client, p.users["chi_hoi"]).post("/api/v1/cancellations/",
                                                  {"receipt_id": receipt.pk, "reason": "wrong_amount"},
                                                  content_type="application/json")
    assert leader.status_code == 403
    assert not payment.cancellations.exists()
