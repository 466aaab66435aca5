"""Payments: pay a saved quote, enrol and pay in one, the receipt as JSON and as PDF.

Roles: paying — SI officers (their area) and collection agents (their assigned households)
(``collection.add_payment``); group leaders, association officers and province administrators get 403.
Reading a receipt — SI officers (receipts of their area) and collection agents (the receipts they issued)
(``collection.view_payment``).

Every payment carries an ``Idempotency-Key`` header (1–64 characters, made by the client, new for each
payment). The same key sent again with the same request answers the first receipt (200 instead of 201)
and writes nothing; the same key with another request (another body or another quote) is refused with
409 ``idempotency_conflict`` and nothing is written. The server keeps a SHA-256 of the normalised request
(operation, quote, body fields in a fixed order) with the key. Money is integer VND, dates ISO."""

import datetime
import hashlib
import json
from typing import Annotated, Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Header, Router, Schema
from ninja.responses import Status as Reply

from ..pagination import DbId
from pydantic import ConfigDict

from ansinh.collection.models import Payment, PaymentMethod, Receipt
from ansinh.collection.selectors import receipt_get
from ansinh.collection.services import hi_enroll_and_pay, payment_date_check, payment_record, vsi_enroll_and_pay
from ansinh.enrollment.models import HiParticipation, VsiParticipation
from ansinh.registry.selectors import household_get, person_get
from ansinh.reports.pdf import receipt_pdf

from .quotes import HiMonths, Id, Mode, person_referrer, referrer, vsi_months
from ..schemas import BODY_ERRORS, CONFLICT, ERRORS

router = Router(tags=["payments"])

Vnd = Annotated[int, Field(strict=True, ge=1, description="Số tiền (đồng), đúng bằng số phải đóng")]
Method = Literal[tuple(PaymentMethod.values)]
IdempotencyKey = Header(..., alias="Idempotency-Key", min_length=1, max_length=64,
                        description="Mã giao dịch do máy khách tạo, mới cho mỗi khoản thu")
QUOTE_MODELS = {"hi": HiParticipation, "vsi": VsiParticipation}


class PayIn(Schema):
    model_config = ConfigDict(extra="forbid")
    amount: Vnd
    method: Method = "cash"
    paid_on: datetime.date | None = Field(None, description="Ngày nộp (mặc định hôm nay; không sau hôm nay)")


class HiEnrolPayIn(PayIn):
    household_id: Id
    months: HiMonths = 12
    referred_by_id: Id | None = None


class VsiEnrolPayIn(PayIn):
    person_id: Id
    income: Annotated[int, Field(strict=True, ge=1)]
    payment_mode: Mode = "12_months"
    months: Annotated[int, Field(strict=True, ge=1, le=600)] | None = None
    referred_by_id: Id | None = None


class ReceiptItemOut(Schema):
    label: str
    amount: int


class ReceiptOut(Schema):
    id: int
    number: str
    issued_on: datetime.date
    payer_name: str
    items: list[ReceiptItemOut]
    amount: int
    amount_in_words: str
    org_code: str
    org_name: str
    agent_id: int | None
    payment_id: int
    method: str
    paid_on: datetime.date
    scheme: Literal["hi", "vsi"]
    quote_id: int
    cancelled: bool = Field(description="Khoản thu đã bị hủy (có khoản hủy trỏ tới)")


PAID = {201: ReceiptOut, 200: ReceiptOut, **CONFLICT}


def request_hash(operation: str, payload: Schema, **target) -> str:
    """SHA-256 of the normalised request: the operation, what it pays (``target``) and the body's fields
    with their defaults, in a fixed order; so the same request sent again, however its JSON is spaced or
    ordered, has the same hash, and any other request another."""
    text = json.dumps({"operation": operation, **target, "body": payload.model_dump(mode="json")},
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def receipt_out(receipt: Receipt, *, cancelled: bool | None = None) -> dict:
    payment = receipt.payment
    if cancelled is None:
        cancelled = Payment.objects.filter(reverses_id=payment.pk).exists()
    return {
        "id": receipt.pk, "number": receipt.number, "issued_on": receipt.issued_on, "payer_name": receipt.payer_name,
        "items": receipt.items, "amount": receipt.amount, "amount_in_words": receipt.amount_in_words,
        "org_code": receipt.org.code, "org_name": receipt.org.name, "agent_id": receipt.agent_id,
        "payment_id": payment.pk, "method": payment.method, "paid_on": payment.paid_on,
        "scheme": "hi" if payment.hi_id else "vsi", "quote_id": payment.hi_id or payment.vsi_id, "cancelled": cancelled,
    }


def _paid(receipt: Receipt, created: bool) -> Reply:
    return Reply(201 if created else 200, receipt_out(receipt, cancelled=False if created else None))


def _paid_on(payload: PayIn) -> datetime.date:
    paid_on = payload.paid_on or timezone.localdate()
    payment_date_check(paid_on=paid_on)
    return paid_on


@router.post("/quotes/{kind}/{quote_id}", response={**PAID, **BODY_ERRORS}, summary="Thu tiền theo báo giá đã lưu")
def quote_pay(request, kind: Literal["hi", "vsi"], quote_id: DbId, payload: PayIn,
              idempotency_key: str = IdempotencyKey):
    """Record full payment of a saved quote and issue its receipt (201), in one transaction: ``amount`` must
    equal the quote's ``payable``; a quote whose amount the law of the payment day changes is refused
    (``quote_outdated`` with the new amount). Roles: SI officers and collection agents."""
    paid_on = _paid_on(payload)
    _, receipt, created = payment_record(
        user=request.user, participation=QUOTE_MODELS[kind](pk=quote_id), amount=payload.amount,
        method=payload.method, paid_on=paid_on, idempotency_key=idempotency_key,
        request_hash=request_hash("quote_pay", payload, kind=kind, quote_id=quote_id),
    )
    return _paid(receipt, created)


@router.post("/hi", response={**PAID, **BODY_ERRORS}, summary="Đăng ký và thu tiền BHYT hộ gia đình")
def hi_pay(request, payload: HiEnrolPayIn, idempotency_key: str = IdempotencyKey):
    """Price the household on the payment day, enrol it and record its full payment with a receipt (201),
    in one transaction. Roles: SI officers and collection agents."""
    household = household_get(user=request.user, pk=payload.household_id)
    paid_on = _paid_on(payload)
    receipt, created = hi_enroll_and_pay(
        user=request.user, household=household, months=payload.months, amount=payload.amount,
        method=payload.method, paid_on=paid_on, idempotency_key=idempotency_key,
        referred_by=referrer(household, payload.referred_by_id), request_hash=request_hash("hi_pay", payload),
    )
    return _paid(receipt, created)


@router.post("/vsi", response={**PAID, **BODY_ERRORS}, summary="Đăng ký và thu tiền BHXH tự nguyện")
def vsi_pay(request, payload: VsiEnrolPayIn, idempotency_key: str = IdempotencyKey):
    """Price the person's VSI period on the payment day, enrol and record its full payment with a receipt
    (201), in one transaction. Roles: SI officers and collection agents."""
    person = person_get(user=request.user, pk=payload.person_id)
    paid_on = _paid_on(payload)
    chosen = person_referrer(person, payload.referred_by_id)
    receipt, created = vsi_enroll_and_pay(
        user=request.user, person=person, income=payload.income,
        months=vsi_months(payload.payment_mode, payload.months), payment_mode=payload.payment_mode,
        amount=payload.amount, method=payload.method, paid_on=paid_on, idempotency_key=idempotency_key,
        referred_by=chosen, request_hash=request_hash("vsi_pay", payload),
    )
    return _paid(receipt, created)


@router.get("/receipts/{receipt_id}", response={200: ReceiptOut, **ERRORS}, summary="Biên lai")
def receipt_detail(request, receipt_id: DbId):
    """One receipt. Roles: collection agents (the receipts they issued), SI officers (their area)."""
    return receipt_out(receipt_get(user=request.user, pk=receipt_id))


@router.get("/receipts/{receipt_id}/pdf", response=ERRORS, summary="Biên lai (PDF, khổ A5)",
            openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}})
def receipt_pdf_download(request, receipt_id: DbId):
    """The receipt as a one-page A5 PDF (the same document as the page's «In biên lai»). Roles: as the
    receipt."""
    response = HttpResponse(receipt_pdf(user=request.user, pk=receipt_id), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{receipt_id}.pdf"'
    return response

