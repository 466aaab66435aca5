"""Reads behind the official lists (D05-TS, D03-TS): which payments, in which rows, with which totals.

A list holds the payments *taken* in a period (``paid_on`` from/to, inclusive) that are not reversed:
positive payments with no reversal pointing to them. Rows are per payment for VSI (D05-TS) and per
member per payment for household HI (D03-TS), in the order the receipts were issued.

Scope is checked at the top: permission ``collection.view_payment``; an agent's list holds only the
payments they took; an officer's the payments for participations made in their area (either map).
The command line runs as ``OPERATOR`` (the whole database; whoever can run it can read the database).
Money is integer VND; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet, Sum
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.services import require_permission
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.collection.models import Agent, Payment, Receipt
from ansinh.collection.selectors import SCHEME_HI, SCHEME_VSI, agent_in_scope_get, org_on, payments_in_scope
from ansinh.core.errors import AnSinhError
from ansinh.enrollment.models import HiParticipation, PaymentMode
from ansinh.enrollment.renewals import record_communes_of
from ansinh.registry.models import Household, Relationship


class Operator:
    """The person at the command line, who can read the database anyway.

    The official lists give them every payment in the database; every other selector sees them as a
    province-level social insurance officer of the province loaded (``areas.selectors.home_province``: the
    new-map province, whose scope reaches the old communes it took over; an unsaved role, all permissions).
    """

    is_authenticated = True
    is_active = True
    username = "operator"
    pk = None

    def has_perm(self, perm: str, obj=None) -> bool:
        return True

    def get_full_name(self) -> str:
        return "Người vận hành (dòng lệnh)"

    @property
    def ansinh_role(self):
        from ansinh.accounts.models import UserRole
        from ansinh.areas.selectors import home_province
        from ansinh.core.errors import PermissionDenied

        province = home_province()
        if province is None:
            raise PermissionDenied("Chưa nạp bản đồ tỉnh, hoặc đã nạp nhiều tỉnh (dòng lệnh làm việc trên một tỉnh).")
        return UserRole(role=Role.SI_OFFICER, area=province)

    def __repr__(self) -> str:
        return "OPERATOR"


OPERATOR = Operator()


class AreaNotFound(AnSinhError):
    code = "area_not_found"
    message = "Không tìm thấy đơn vị hành chính có mã này."


class AreaAmbiguous(AnSinhError):
    code = "area_ambiguous"
    message = "Mã này có trên cả bản đồ cũ và bản đồ mới; hãy chọn bản đồ (old/new)."


class AgentNotFound(AnSinhError):
    code = "agent_not_found"
    message = "Không tìm thấy nhân viên thu có mã này."


PAYMENT_MODE_LABELS = dict(PaymentMode.choices)
RELATIONSHIP_LABELS = dict(Relationship.choices)


@dataclass(frozen=True)
class ListFilter:
    """What a list covers: payments taken from ``date_from`` to ``date_to`` (inclusive; None = open),
    for records made under ``area`` (any level, either map) and/or taken by ``agent``."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    area: AdministrativeUnit | None = None
    agent: Agent | None = None


def area_resolve(*, code: str, map_version: str | None = None) -> AdministrativeUnit:
    """The administrative unit with this GSO code (province, district or commune).

    The same number can name an old and a new unit: give ``map_version`` ("old"/"new") then.
    Raises AreaNotFound, AreaAmbiguous.
    """
    units = AdministrativeUnit.objects.filter(code=str(code).strip().lstrip("0") or "0")
    if map_version:
        units = units.filter(map=map_version)
    found = list(units.select_related("parent", "province")[:2])
    if not found:
        raise AreaNotFound(f"Không tìm thấy đơn vị hành chính có mã {code}.")
    if len(found) > 1:
        raise AreaAmbiguous(
            f"Mã {code} là {found[0].name} ({found[0].get_map_display()}) và {found[1].name} "
            f"({found[1].get_map_display()}); hãy chọn bản đồ."
        )
    return found[0]


def agent_resolve(*, user, code: str) -> Agent:
    """The agent with this code, if the user may see them. Raises AgentNotFound, PermissionDenied,
    OutOfScope."""
    try:
        if user is OPERATOR:
            return Agent.objects.select_related("org", "area").get(code=code)
        return agent_in_scope_get(user=user, code=code)
    except Agent.DoesNotExist:
        raise AgentNotFound(f"Không tìm thấy nhân viên thu có mã {code}.") from None


def _scoped_payments(*, user, scheme: str) -> QuerySet[Payment]:
    if user is OPERATOR:
        return Payment.objects.filter(**{f"{scheme}__isnull": False})
    return payments_in_scope(user=user, scheme=scheme)


def list_payments(*, user, scheme: str, filters: ListFilter) -> QuerySet[Payment]:
    """Payments of ``scheme`` ("vsi" or "hi") on a list: taken in the period, not reversed, in scope,
    for the area and agent of ``filters``. Raises PermissionDenied."""
    payments = _scoped_payments(user=user, scheme=scheme).filter(
        amount__gt=0, reverses__isnull=True, reversed_by__isnull=True
    )
    if filters.date_from is not None:
        payments = payments.filter(paid_on__gte=filters.date_from)
    if filters.date_to is not None:
        payments = payments.filter(paid_on__lte=filters.date_to)
    if filters.area is not None:
        payments = payments.filter(**{f"{scheme}__commune__in": record_communes_of(unit=filters.area)})
    if filters.agent is not None:
        payments = payments.filter(agent=filters.agent)
    return payments


def _pct(value) -> int | Decimal | None:
    """A percentage from a frozen quote ("20", 20, "12.5") as int when whole, else Decimal; None if absent."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() else number.normalize()


class RowCodes:
    """The residence codes of a list row on the map in force on the row's date (its payment date):
    the old map (province, district, commune) for payments up to 30/06/2025; from 01/07/2025 the
    successor province and the new commune (an old-map commune through its primary mapping, ``areas``),
    no district, and the old codes alongside (``old_*``). Units are read once per list."""

    def __init__(self):
        from ansinh.areas.services import MAP_CHANGE_DATE

        self.change = MAP_CHANGE_DATE
        self._cache: dict[tuple[int, bool], dict] = {}

    @staticmethod
    def _own(unit: AdministrativeUnit) -> dict:
        district = unit.parent if unit.parent_id and unit.parent.level == Level.DISTRICT else None
        return {"province_code": unit.province.code if unit.province_id else "",
                "district_code": district.code if district else "",
                "commune_code": unit.code if unit.level == Level.COMMUNE else ""}

    def on(self, commune_id: int | None, paid_on: datetime.date) -> dict:
        blank = {"province_code": "", "district_code": "", "commune_code": "", "old_province_code": "",
                 "old_district_code": "", "old_commune_code": ""}
        if commune_id is None:
            return blank
        new_map = paid_on >= self.change
        key = (commune_id, new_map)
        if key not in self._cache:
            from ansinh.areas.models import UnitMapping

            unit = AdministrativeUnit.objects.select_related("parent", "province").get(pk=commune_id)
            codes = {**blank, **self._own(unit)}
            if new_map and unit.map == MapVersion.OLD:
                mapping = (UnitMapping.objects.filter(old_unit=unit, is_primary=True)
                           .select_related("new_unit__province").first())
                if mapping is not None:
                    new = mapping.new_unit
                    codes = {"province_code": new.province.code if new.province_id else "", "district_code": "",
                             "commune_code": new.code, "old_province_code": codes["province_code"],
                             "old_district_code": codes["district_code"], "old_commune_code": codes["commune_code"]}
            self._cache[key] = codes
        return self._cache[key]


D05_FIELDS = (
    "pk", "paid_on", "receipt__number", "receipt__amount", "vsi__person__full_name", "vsi__person__si_number",
    "vsi__person__citizen_id", "vsi__person__date_of_birth", "vsi__income", "vsi__from_month", "vsi__months",
    "vsi__payment_mode", "vsi__amount_due", "vsi__payable", "vsi__state_support", "vsi__local_support",
    "vsi__quote__support_pct", "vsi__quote__local_support_pct", "vsi__commune_id",
)


def d05_rows(*, user, filters: ListFilter, chunk_size: int = 2000) -> Iterator[dict]:
    """Rows of the D05-TS list (voluntary SI participants), one per payment, streamed.

    Each row: ``{"no", "full_name", "si_number", "citizen_id", "date_of_birth" (date), "income" (VND per
    month), "from_month" (date, first day), "months", "payment_mode" (Vietnamese label), "amount_due"
    (total to pay, VND), "payable" (own payment, VND; equals the receipt), "state_support_pct",
    "state_support" (VND), "local_support_pct", "local_support" (VND), "province_code", "district_code"
    (blank on the new map), "commune_code", "old_province_code", "old_district_code", "old_commune_code",
    "receipt_number", "receipt_amount", "paid_on"}``. The codes are those of the map in force on the payment
    date (``RowCodes``): old-map codes up to 30/06/2025, the successor province and new commune after, with
    the old codes alongside (blank when the row is on the old map).
    ``amount_due = payable + state_support + local_support``. Percentages come from the frozen quote.
    Raises PermissionDenied.
    """
    payments = list_payments(user=user, scheme=SCHEME_VSI, filters=filters)
    values = payments.order_by("paid_on", "receipt__year", "receipt__serial", "pk").values_list(*D05_FIELDS)
    codes = RowCodes()
    for no, v in enumerate(values.iterator(chunk_size=chunk_size), start=1):
        (_pk, paid_on, receipt_number, receipt_amount, name, si_number, citizen_id, born, income, from_month,
         months, mode, due, payable, state, local, state_pct, local_pct, commune_id) = v
        local_pct = _pct(local_pct)
        if local_pct is None and not local:
            local_pct = 0
        yield {
            "no": no, "full_name": name, "si_number": si_number or "", "citizen_id": citizen_id or "",
            "date_of_birth": born, "income": income, "from_month": from_month, "months": months,
            "payment_mode": PAYMENT_MODE_LABELS.get(mode, mode), "amount_due": due, "payable": payable,
            "state_support_pct": _pct(state_pct), "state_support": state, "local_support_pct": local_pct,
            "local_support": local, **codes.on(commune_id, paid_on),
            "receipt_number": receipt_number or "", "receipt_amount": receipt_amount or 0, "paid_on": paid_on,
        }


D03_FIELDS = (
    "pk", "paid_on", "receipt__number", "hi__household__code", "hi__months", "hi__members__rank",
    "hi__members__person__full_name", "hi__members__person__si_number", "hi__members__person__citizen_id",
    "hi__members__person__date_of_birth", "hi__members__share_pct", "hi__members__amount",
    "hi__members__support_pct", "hi__members__state_support", "hi__members__payable", "hi__members__valid_from",
    "hi__members__valid_to", "hi__commune_id",
)


def d03_rows(*, user, filters: ListFilter, chunk_size: int = 2000) -> Iterator[dict]:
    """Rows of the D03-TS list (household HI only), one per member per payment, streamed.

    Each row: ``{"no", "full_name", "si_number", "citizen_id", "date_of_birth", "household_code",
    "rank" (place on the household list), "share_pct" (100/70/60/50/40), "months", "valid_from",
    "valid_to" (card validity, dates; None until activated), "amount" (the member's share before
    support, VND), "support_pct", "state_support" (VND), "payable" (what the member pays, VND; the sum
    over a household equals its receipt), "receipt_number", "paid_on", "payment_id", and the household's
    residence codes on the map of the payment date like D05-TS ("province_code", "district_code",
    "commune_code", "old_province_code", "old_district_code", "old_commune_code")}``.
    Raises PermissionDenied.
    """
    payments = list_payments(user=user, scheme=SCHEME_HI, filters=filters)
    values = payments.order_by("paid_on", "receipt__year", "receipt__serial", "pk", "hi__members__rank").values_list(
        *D03_FIELDS
    )
    codes = RowCodes()
    for no, v in enumerate(values.iterator(chunk_size=chunk_size), start=1):
        (pk, paid_on, receipt_number, household_code, months, rank, name, si_number, citizen_id, born, share,
         amount, support_pct, support, payable, valid_from, valid_to, commune_id) = v
        yield {
            "no": no, "full_name": name, "si_number": si_number or "", "citizen_id": citizen_id or "",
            "date_of_birth": born, "household_code": household_code, "rank": rank, "share_pct": share,
            "months": months, "valid_from": valid_from, "valid_to": valid_to, "amount": amount,
            "support_pct": support_pct, "state_support": support, "payable": payable,
            "receipt_number": receipt_number or "", "paid_on": paid_on, "payment_id": pk,
            **codes.on(commune_id, paid_on),
        }


def list_receipts_total(*, user, scheme: str, filters: ListFilter) -> dict:
    """The receipts behind a list: ``{"count", "amount"}`` (VND) of the receipts of its payments.
    Used to show that a list reconciles with the receipts to the đồng. Raises PermissionDenied."""
    payments = list_payments(user=user, scheme=scheme, filters=filters)
    receipts = Receipt.objects.filter(payment__in=payments)
    total = receipts.aggregate(amount=Sum("amount"))["amount"] or 0
    return {"count": receipts.count(), "amount": total}


def list_heading(*, user, filters: ListFilter) -> dict:
    """Title-block facts of a list: ``{"org_name", "org_code", "period", "area_name", "agent_label"}``.

    The organisation is the agent's (filter or the signed-in agent), else the collection organisation in
    force, named as it was on the list's date (its last day, else its first, else today): a list of 2024
    names Bưu điện tỉnh Hậu Giang, a list dated after 01/07/2025 its successor (``collection.selectors.org_on``)."""
    agent = filters.agent
    if agent is None and user is not OPERATOR:
        user_role = require_permission(user, "collection.view_payment")
        if user_role.role == Role.COLLECTION_AGENT:
            agent = user_role.agent
    on = filters.date_to or filters.date_from or timezone.localdate()
    org = org_on(province_or_org=agent.org if agent is not None else None, on=on)
    if filters.date_from and filters.date_to:
        period = f"Từ ngày {filters.date_from:%d/%m/%Y} đến ngày {filters.date_to:%d/%m/%Y}"
    elif filters.date_from:
        period = f"Từ ngày {filters.date_from:%d/%m/%Y}"
    elif filters.date_to:
        period = f"Đến ngày {filters.date_to:%d/%m/%Y}"
    else:
        period = "Toàn bộ thời gian"
    area = filters.area
    area_name = ""
    if area is not None:
        area_name = area.name
        if area.parent is not None and area.level != Level.PROVINCE:
            area_name += f", {area.parent.name}"
        if area.map == MapVersion.OLD:
            area_name += " (bản đồ trước 01/07/2025)"
    return {
        "org_name": org.name if org else "", "org_code": org.code if org else "", "period": period,
        "area_name": area_name, "agent_label": f"{agent.code} — {agent.full_name}" if agent else "",
    }


# ---------------------------------------------------------------------------------------------
# Household member list (Form 4 of Decree 188/2025)
# ---------------------------------------------------------------------------------------------

def _base_salary_in(quote) -> int | None:
    """The base salary (VND/month) a frozen HI quote was priced with, from its breakdown parameters."""
    if not isinstance(quote, dict):
        return None
    if isinstance(quote.get("base_salary"), int):
        return quote["base_salary"]
    for line in quote.get("breakdown") or []:
        for parameter in line.get("parameters") or []:
            names = [parameter.get("name", "")] + [s.get("name", "") for s in parameter.get("selected_by") or []]
            if any(n.endswith("base_salary") for n in names) and parameter.get("value") is not None:
                try:
                    return int(Decimal(str(parameter["value"])))
                except InvalidOperation:
                    return None
    return None


def household_member_list(*, user, household: Household, participation: HiParticipation | None = None) -> dict:
    """The household member list (Form 4 of Decree 188/2025/NĐ-CP) for a household.

    ``participation`` defaults to the household's latest HI participation that is not cancelled; with
    none, the members that would be on the list are shown without months or amounts.
    Returns ``{"household", "head_name", "participation", "months", "base_salary" (VND or None),
    "rows": [{"no", "full_name", "hi_code" (SI number), "citizen_id", "date_of_birth", "facility"
    (registered primary care facility; blank: not recorded), "base_salary", "relationship" (Vietnamese),
    "support_pct", "card_kind" (blank: not recorded), "months", "share_pct", "payable"}]}``.
    Raises PermissionDenied, OutOfScope.
    """
    from ansinh.accounts.services import require_household_in_scope
    from ansinh.enrollment.models import Status
    from ansinh.enrollment.selectors import hi_eligible_members

    require_permission(user, "registry.view_household")
    require_household_in_scope(user, household)
    if participation is None:
        participation = (
            household.hi_participations.exclude(status=Status.CANCELLED).order_by("-priced_on", "-pk").first()
        )
    relationships = {m.person_id: m.relationship for m in household.members.all()}
    head = household.members.select_related("person").filter(relationship=Relationship.HEAD).first()
    rows = []
    base_salary = None
    if participation is not None:
        base_salary = _base_salary_in(participation.quote)
        lines = participation.members.select_related("person").order_by("rank")
        for no, line in enumerate(lines, start=1):
            person = line.person
            rows.append({
                "no": no, "full_name": person.full_name, "hi_code": person.si_number or "",
                "citizen_id": person.citizen_id or "", "date_of_birth": person.date_of_birth, "facility": "",
                "base_salary": base_salary,
                "relationship": RELATIONSHIP_LABELS.get(relationships.get(person.pk, ""), ""),
                "support_pct": line.support_pct, "card_kind": "", "months": participation.months,
                "share_pct": line.share_pct, "payable": line.payable,
            })
    else:
        for no, member in enumerate(hi_eligible_members(household=household), start=1):
            person = member.person
            rows.append({
                "no": no, "full_name": person.full_name, "hi_code": person.si_number or "",
                "citizen_id": person.citizen_id or "", "date_of_birth": person.date_of_birth, "facility": "",
                "base_salary": None, "relationship": RELATIONSHIP_LABELS.get(member.relationship, ""),
                "support_pct": None, "card_kind": "", "months": None, "share_pct": None, "payable": None,
            })
    return {
        "household": household, "head_name": head.person.full_name if head else "", "participation": participation,
        "months": participation.months if participation else None, "base_salary": base_salary, "rows": rows,
    }
