"""Quotes: what a household would pay for household HI, what a person would pay for VSI (the same JSON
breakdown as ``ansinh quote`` under ``quote``), saved quotes (status ``quoted`` until paid) and their list.

Roles: pricing and reading — every role that sees the household or person (``registry.view_household`` /
``registry.view_person``: SI officers, association officers, group leaders, collection agents, province
administrators), in their scope; saving a quote — SI officers and collection agents
(``enrollment.add_hiparticipation`` / ``enrollment.add_vsiparticipation``). Money is integer VND, dates ISO.
A household or person outside the caller's scope answers 404 like a missing one."""

import datetime
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from ..pagination import DbId, LimitOffset
from ..schemas import BODY_ERRORS, ERRORS, Id
from pydantic import ConfigDict

from ansinh.collection.forms import MODE_MONTHS, REFERRER_MESSAGE
from ansinh.collection.views import referrers_for
from ansinh.core.errors import ValidationError
from ansinh.enrollment.models import HiParticipation, PaymentMode, Status
from ansinh.enrollment.selectors import KIND_HI, KIND_VSI, participation_get, quotes_in_scope
from ansinh.enrollment.services import hi_enroll, hi_household_quote, hi_lines_for_payment, vsi_enroll, vsi_quote
from ansinh.registry.selectors import household_get, person_get

router = Router(tags=["quotes"])

HiMonths = Literal[3, 6, 12]
Mode = Literal[tuple(PaymentMode.values)]
API_KINDS = {"hi": KIND_HI, "vsi": KIND_VSI}
"""The scheme in API paths: ``hi`` household HI, ``vsi`` voluntary SI (the pages say bhyt / bhxh)."""
MONTHS_NEEDED = "Vui lòng nhập số tháng đóng trước hoặc đóng bù."


class ReferrerInvalid(ValidationError):
    code = "invalid_referrer"
    message = REFERRER_MESSAGE


class MonthsMissing(ValidationError):
    code = "invalid_months"
    message = MONTHS_NEEDED


# --- input -----------------------------------------------------------------------------------------

class HiQuoteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    household_id: Id
    months: HiMonths = 12
    on: datetime.date | None = Field(None, description="Ngày tính giá (mặc định hôm nay)")


class HiSaveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    household_id: Id
    months: HiMonths = 12
    referred_by_id: Id | None = Field(None, description="Người vận động (chi hội trưởng, tổ trưởng, hội viên)")


class VsiQuoteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    person_id: Id
    income: Annotated[int, Field(strict=True, ge=1, description="Mức thu nhập tháng làm căn cứ đóng (đồng)")]
    payment_mode: Mode = "12_months"
    months: Annotated[int, Field(strict=True, ge=1, le=600)] | None = Field(
        None, description="Chỉ cho đóng trước nhiều năm (advance) hoặc đóng bù (backpay)")
    on: datetime.date | None = Field(None, description="Ngày tính giá (mặc định hôm nay)")


class VsiSaveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    person_id: Id
    income: Annotated[int, Field(strict=True, ge=1)]
    payment_mode: Mode = "12_months"
    months: Annotated[int, Field(strict=True, ge=1, le=600)] | None = None
    referred_by_id: Id | None = None


# --- output ----------------------------------------------------------------------------------------

class HiLineOut(Schema):
    person_id: int
    full_name: str
    rank: int
    share_pct: int
    amount: int
    support_pct: int
    state_support: int
    payable: int


class HiQuoteOut(Schema):
    household_id: int
    on: datetime.date
    months: int
    members: list[HiLineOut]
    total: int
    state_support: int
    payable: int
    quote: dict[str, Any] = Field(description="Kết quả của bộ quy tắc, như `ansinh quote` (kind hi_household)")


class VsiQuoteOut(Schema):
    person_id: int
    on: datetime.date
    income: int
    payment_mode: str
    months: int
    support_group: str
    gross: int
    state_support: int
    local_support: int
    amount_due: int
    payable: int
    quote: dict[str, Any] = Field(description="Kết quả của bộ quy tắc, như `ansinh quote` (kind vsi_contribution)")


class SavedQuoteOut(Schema):
    kind: Literal["hi", "vsi"]
    id: int
    status: str
    household_id: int | None
    person_id: int | None
    months: int
    priced_on: datetime.date
    from_month: datetime.date | None
    income: int | None
    payment_mode: str | None
    state_support: int
    payable: int
    agent_id: int | None
    referred_by_id: int | None
    created_at: datetime.datetime


class SavedQuoteDetailOut(SavedQuoteOut):
    members: list[HiLineOut] = Field(description="BHYT: các thành viên theo thứ tự; BHXH: rỗng")
    quote: dict[str, Any] = Field(description="Báo giá đã chốt với diễn giải (như `ansinh quote`)")


class QuoteFilter(Schema):
    model_config = ConfigDict(extra="forbid")
    status: Literal[tuple(Status.values)] | None = None
    household_id: DbId | None = None


# --- helpers ---------------------------------------------------------------------------------------

class Mapped:
    """A queryset whose page (the slice the paginator takes) is turned into dicts by ``convert``; the
    paginator counts it with one COUNT query."""

    def __init__(self, rows, convert):
        self.rows, self.convert = rows, convert

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index):
        return [self.convert(row) for row in self.rows[index]]


def _kind(kind: str) -> str:
    if kind not in API_KINDS:
        raise HiParticipation.DoesNotExist(kind)  # 404
    return API_KINDS[kind]


def vsi_months(payment_mode: str, months: int | None) -> int:
    """The months of a VSI period as the payment form takes them: fixed by a periodic mode, given for an
    advance or a back-payment. Raises MonthsMissing (field ``months``)."""
    if payment_mode in MODE_MONTHS:
        return MODE_MONTHS[payment_mode]
    if months is None:
        raise MonthsMissing(field="months")
    return months


def referrer(household, referred_by_id: int | None, person=None):
    """The person named as having persuaded the household (or ``person``): one of the pages' choices
    (``referrers_for``). Raises ReferrerInvalid (field ``referred_by_id``)."""
    if referred_by_id is None:
        return None
    people, _ = referrers_for(household, person)
    chosen = next((p for p in people if p.pk == referred_by_id), None)
    if chosen is None:
        raise ReferrerInvalid(field="referred_by_id")
    return chosen


def person_referrer(person, referred_by_id: int | None):
    """``referrer`` for a person: one of the choices of their household. Raises ReferrerInvalid."""
    membership = getattr(person, "household_membership", None)
    if referred_by_id is not None and membership is None:
        raise ReferrerInvalid(field="referred_by_id")
    return referrer(membership.household, referred_by_id, person) if membership else None


def _hi_lines(lines) -> list[dict]:
    return [{"person_id": line["person"].pk, "full_name": line["person"].full_name,
             **{k: line[k] for k in ("rank", "share_pct", "amount", "support_pct", "state_support", "payable")}}
            for line in lines]


def saved_quote(participation, *, detail: bool = False) -> dict:
    """A saved participation as the API shows it."""
    is_hi = isinstance(participation, HiParticipation)
    out = {
        "kind": "hi" if is_hi else "vsi", "id": participation.pk, "status": participation.status,
        "household_id": participation.household_id if is_hi else None,
        "person_id": None if is_hi else participation.person_id, "months": participation.months,
        "priced_on": participation.priced_on, "from_month": None if is_hi else participation.from_month,
        "income": None if is_hi else participation.income,
        "payment_mode": None if is_hi else participation.payment_mode,
        "state_support": participation.state_support, "payable": participation.payable,
        "agent_id": participation.agent_id, "referred_by_id": participation.referred_by_id,
        "created_at": participation.created_at,
    }
    if detail:
        lines = hi_lines_for_payment(participation=participation) if is_hi else []
        out["members"] = [{"person_id": line.person_id, "full_name": line.person.full_name, "rank": line.rank,
                           "share_pct": line.share_pct, "amount": line.amount, "support_pct": line.support_pct,
                           "state_support": line.state_support, "payable": line.payable} for line in lines]
        out["quote"] = participation.quote
    return out


# --- endpoints -------------------------------------------------------------------------------------

@router.post("/hi/price", response={200: HiQuoteOut, **BODY_ERRORS}, summary="Tính BHYT hộ gia đình cho một hộ (không lưu)")
def hi_price(request, payload: HiQuoteIn):
    """What the household would pay for 3, 6 or 12 months on ``on``: each member on the list (rank, share,
    support, amount) and the rules' breakdown. Roles: every role that sees the household, in its scope."""
    on = payload.on or timezone.localdate()
    household = household_get(user=request.user, pk=payload.household_id)
    result = hi_household_quote(user=request.user, household=household, months=payload.months, on=on)
    return {"household_id": household.pk, "on": on, "months": payload.months, "members": _hi_lines(result["members"]),
            "total": result["total"], "state_support": result["state_support"], "payable": result["payable"],
            "quote": result["quote"]}


@router.post("/vsi/price", response={200: VsiQuoteOut, **BODY_ERRORS}, summary="Tính BHXH tự nguyện cho một người (không lưu)")
def vsi_price(request, payload: VsiQuoteIn):
    """What the person would pay for VSI with this income, mode and months on ``on`` (the support group
    follows the household, as on the pages) and the rules' breakdown. Roles: every role that sees the
    person, in its scope."""
    on = payload.on or timezone.localdate()
    person = person_get(user=request.user, pk=payload.person_id)
    months = vsi_months(payload.payment_mode, payload.months)
    result = vsi_quote(user=request.user, person=person, income=payload.income, months=months,
                       payment_mode=payload.payment_mode, on=on)
    return {"person_id": person.pk, "on": on, "income": payload.income, "payment_mode": payload.payment_mode,
            "months": result["months"], "support_group": result["support_group"], "gross": result["gross"],
            "state_support": result["state_support"], "local_support": result.get("local_support", 0),
            "amount_due": result["amount_due"], "payable": result["payable"], "quote": result}


@router.post("/hi", response={201: SavedQuoteDetailOut, **BODY_ERRORS}, summary="Lưu báo giá BHYT hộ gia đình (thu sau)")
def hi_save(request, payload: HiSaveIn):
    """Price the household today and keep the quote (status ``quoted``) to be paid later. Roles: SI
    officers and collection agents (their assigned households)."""
    household = household_get(user=request.user, pk=payload.household_id)
    participation = hi_enroll(user=request.user, household=household, months=payload.months,
                              on=timezone.localdate(), referred_by=referrer(household, payload.referred_by_id))
    saved = participation_get(user=request.user, kind=KIND_HI, pk=participation.pk)
    return Reply(201, saved_quote(saved, detail=True))


@router.post("/vsi", response={201: SavedQuoteDetailOut, **BODY_ERRORS}, summary="Lưu báo giá BHXH tự nguyện (thu sau)")
def vsi_save(request, payload: VsiSaveIn):
    """Price the person's VSI period today and keep the quote (status ``quoted``). Roles: SI officers
    and collection agents."""
    person = person_get(user=request.user, pk=payload.person_id)
    chosen = person_referrer(person, payload.referred_by_id)
    participation = vsi_enroll(user=request.user, person=person, income=payload.income,
                               months=vsi_months(payload.payment_mode, payload.months),
                               payment_mode=payload.payment_mode, on=timezone.localdate(), referred_by=chosen)
    saved = participation_get(user=request.user, kind=KIND_VSI, pk=participation.pk)
    return Reply(201, saved_quote(saved, detail=True))


@router.get("/{kind}/", response={200: list[SavedQuoteOut], **ERRORS}, summary="Danh sách báo giá đã lưu")
@paginate(LimitOffset)
def quote_list(request, kind: Literal["hi", "vsi"], filters: Query[QuoteFilter]):
    """Saved quotes (any status; ``?status=quoted`` for those awaiting payment) of households or people in
    the caller's scope, newest first; ``?household_id=`` for one household. Roles: every role that sees
    households."""
    rows = quotes_in_scope(user=request.user, kind=_kind(kind), status=filters.status,
                           household_id=filters.household_id)
    return Mapped(rows, saved_quote)


@router.get("/{kind}/{quote_id}", response={200: SavedQuoteDetailOut, **ERRORS}, summary="Một báo giá đã lưu")
def quote_detail(request, kind: Literal["hi", "vsi"], quote_id: DbId):
    """One saved quote with its members (HI) and its frozen breakdown. Roles: every role that sees the
    household or person."""
    return saved_quote(participation_get(user=request.user, kind=_kind(kind), pk=quote_id), detail=True)
