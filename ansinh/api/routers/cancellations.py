"""Cancelling a payment through the API: the same requests, approvals and refusals as the receipt page and
the officers' queue "Yêu cầu hủy thu" (``collection.services_cancellation``), so the same rules hold —
an agent asks only for their own payments, an SI officer of the area decides, nobody approves their own
request, four eyes per province, a payment sent to the agency is corrected through the agency.

Roles: collection agents ask (for receipts they issued); SI officers ask, list the requests waiting in
their area, approve and refuse. Other roles get 403."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Router, Schema
from ninja.responses import Status as Reply

from ansinh.collection.models import CancellationReason, PaymentCancellation
from ansinh.collection.selectors import receipt_get
from ansinh.collection.selectors_cancellation import cancellation_get, cancellations_pending
from ansinh.collection.services_cancellation import cancellation_approve, cancellation_refuse, cancellation_request

from ..pagination import DbId
from ..schemas import BODY_ERRORS, ERRORS, Id, StrictSchema

router = Router(tags=["cancellations"])

Reason = Literal[tuple(CancellationReason.values)]
Note = Annotated[str, Field(max_length=300)]


class CancellationRequestIn(StrictSchema):
    receipt_id: Id = Field(description="Biên lai của khoản thu cần hủy")
    reason: Reason = Field(description="Lý do: thu nhầm hộ, sai số tiền, thu trùng, người nộp đổi ý")
    note: Note = ""


class DecisionIn(StrictSchema):
    note: Note = Field("", description="Ghi chú của cán bộ (bắt buộc khi từ chối)")


class CancellationOut(Schema):
    id: int
    payment_id: int
    receipt_number: str
    amount: int = Field(description="Số tiền của khoản thu (đồng)")
    reason: str
    note: str
    status: Literal["requested", "approved", "refused"]
    requested_by: str
    requested_at: datetime.datetime
    decided_by: str | None
    decided_at: datetime.datetime | None
    decision_note: str


def _out(item: PaymentCancellation) -> dict:
    payment = item.payment
    receipt = getattr(payment, "receipt", None)
    return {
        "id": item.pk, "payment_id": payment.pk, "receipt_number": receipt.number if receipt else "",
        "amount": payment.amount, "reason": item.reason, "note": item.note, "status": item.status,
        "requested_by": item.requested_by.get_username(), "requested_at": item.requested_at,
        "decided_by": item.decided_by.get_username() if item.decided_by_id else None,
        "decided_at": item.decided_at, "decision_note": item.decision_note,
    }


@router.post("/", response={201: CancellationOut, **BODY_ERRORS}, summary="Yêu cầu hủy một khoản thu (nhân viên thu, cán bộ BHXH)")
def request_create(request, payload: CancellationRequestIn):
    receipt = receipt_get(user=request.user, pk=payload.receipt_id)
    item = cancellation_request(user=request.user, payment=receipt.payment, reason=payload.reason, note=payload.note)
    return Reply(201, _out(item))


@router.get("/", response={200: list[CancellationOut], **ERRORS}, summary="Yêu cầu hủy đang chờ duyệt trong địa bàn (cán bộ BHXH)")
def request_list(request):
    return [_out(item) for item in cancellations_pending(user=request.user)]


@router.post("/{int:pk}/approve", response={200: CancellationOut, **BODY_ERRORS}, summary="Duyệt hủy (cán bộ BHXH khác người yêu cầu)")
def request_approve(request, pk: DbId, payload: DecisionIn):
    item = cancellation_approve(user=request.user, request=cancellation_get(user=request.user, pk=pk),
                                note=payload.note)
    return _out(item)


@router.post("/{int:pk}/refuse", response={200: CancellationOut, **BODY_ERRORS}, summary="Từ chối hủy, ghi lý do (cán bộ BHXH)")
def request_refuse(request, pk: DbId, payload: DecisionIn):
    item = cancellation_refuse(user=request.user, request=cancellation_get(user=request.user, pk=pk),
                               note=payload.note)
    return _out(item)
