"""Working lists as Excel: renewals and lapses, the agent's collection book, the reconciliation.

Same layout as the official lists (title block, Vietnamese header row, one row per line, a totals row;
money "#,##0", dates dd/mm/yyyy). Each function checks permission and scope through the selector it
calls and returns a summary dict for the command line.
"""

from __future__ import annotations

import datetime
from typing import BinaryIO

from ansinh.accounts.models import Role
from ansinh.accounts.services import role_of, scope_label
from ansinh.collection.models import CollectionOrg
from ansinh.collection.selectors import collection_book, collection_book_entries, collection_reconciliation, org_on
from ansinh.core.masking import mask_citizen_id, mask_phone
from ansinh.enrollment.renewals import LIST_TITLES, renewal_list
from ansinh.reports.selectors import OPERATOR

from .xlsx import DATE, INT, MONEY, Column, write_list

RENEWAL_COLUMNS = (
    Column("no", "STT", INT, 6),
    Column("kind_label", "Loại", width=18),
    Column("full_name", "Họ và tên", width=26),
    Column("si_number", "Mã số BHXH", width=13),
    Column("citizen_id", "Số CCCD/ĐDCN (che)", width=15),
    Column("date_of_birth", "Ngày sinh", DATE, 12),
    Column("phone", "Số điện thoại", width=12),
    Column("household_code", "Mã hộ gia đình", width=14),
    Column("commune", "Xã/phường", width=20),
    Column("agent", "Nhân viên thu", width=22),
    Column("starts_on", "Kỳ trước từ ngày", DATE, 12),
    Column("ends_on", "Hết hạn ngày", DATE, 12),
    Column("days_left", "Số ngày còn lại (âm: đã quá)", INT, 10),
    Column("months", "Số tháng kỳ trước", INT, 9),
    Column("amount", "Số tiền kỳ trước (đồng)", MONEY, 14, total=False),
)

BOOK_COLUMNS = (
    Column("agent", "Nhân viên thu", width=26),
    Column("day", "Ngày", DATE, 12),
    Column("vsi_count", "BHXH tự nguyện: số khoản", INT, 10, total=True),
    Column("vsi_amount", "BHXH tự nguyện: số tiền (đồng)", MONEY, 16),
    Column("hi_count", "BHYT hộ gia đình: số khoản", INT, 10, total=True),
    Column("hi_amount", "BHYT hộ gia đình: số tiền (đồng)", MONEY, 16),
    Column("issued_count", "Biên lai đã phát hành: số", INT, 10, total=True),
    Column("issued_amount", "Biên lai đã phát hành: số tiền (đồng)", MONEY, 16),
    Column("receipt_range", "Từ số … đến số …", width=40),
    Column("cancelled_count", "Biên lai hủy (hoàn tiền): số", INT, 10, total=True),
    Column("cancelled_amount", "Biên lai hủy: số tiền (đồng)", MONEY, 16),
    Column("handover", "Số tiền phải nộp về đơn vị (đồng) (= thu − hoàn)", MONEY, 18),
)

ENTRY_COLUMNS = (
    Column("no", "STT", INT, 6),
    Column("day", "Ngày", DATE, 12),
    Column("agent", "Nhân viên thu", width=26),
    Column("scheme_label", "Loại", width=18),
    Column("receipt_number", "Số biên lai", width=19),
    Column("payer", "Người nộp tiền", width=26),
    Column("kind", "Thu / hủy", width=10),
    Column("amount", "Số tiền (đồng) (âm: hủy, hoàn tiền)", MONEY, 16),
    Column("reason", "Lý do hủy", width=30),
)

RECONCILIATION_COLUMNS = (
    Column("agent", "Nhân viên thu", width=26),
    Column("payments_count", "Số khoản thu", INT, 9, total=True),
    Column("payments_amount", "Tổng tiền thu (đồng)", MONEY, 16),
    Column("receipts_count", "Số biên lai", INT, 9, total=True),
    Column("receipts_amount", "Tổng tiền trên biên lai (đồng)", MONEY, 16),
    Column("priced_amount", "Tổng số phải đóng theo hồ sơ đã tính (đồng)", MONEY, 16),
    Column("listed_amount", "Tổng trên danh sách D05-TS + D03-TS (đồng)", MONEY, 16),
    Column("diff_receipts", "Chênh lệch thu − biên lai", MONEY, 12),
    Column("diff_priced", "Chênh lệch thu − hồ sơ", MONEY, 12),
    Column("diff_listed", "Chênh lệch thu − danh sách", MONEY, 12),
    Column("without_receipt", "Khoản thu chưa có biên lai", INT, 10, total=True),
    Column("reversals_count", "Số khoản hủy", INT, 9, total=True),
    Column("reversals_amount", "Tiền hủy, hoàn (đồng)", MONEY, 14),
    Column("net_amount", "Thực thu (đồng) (= thu − hủy)", MONEY, 16),
    Column("status", "Kết quả", width=14),
)


def heading_name(user, *, on: datetime.date) -> str:
    """The name on the first line of a working list dated ``on``: the agent's organisation as it was that
    day (its successor after it closed, ``collection.selectors.org_on``), the officer's agency and area
    (or BHXH cơ sở office), the leader's unit; from the command line the collection organisation in force."""
    if user is OPERATOR:
        org = org_on(province_or_org=None, on=on)
        return org.name if org else ""
    user_role = role_of(user)
    if user_role.role == Role.COLLECTION_AGENT:
        return org_on(province_or_org=user_role.agent.org, on=on).name
    if user_role.role in (Role.SI_OFFICER, Role.PROVINCE_ADMIN):
        return f"Bảo hiểm xã hội — {scope_label(user_role)}"
    if user_role.role == Role.ASSOCIATION_OFFICER:
        return f"Hội Nông dân — {scope_label(user_role)}"
    return user_role.association_unit.name


def _period(date_from: datetime.date, date_to: datetime.date) -> str:
    return f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"


def _agent_label(code: str, name: str) -> str:
    return f"{code} — {name}" if code else name


def _range(first: str, last: str) -> str:
    if not first:
        return ""
    return first if first == last else f"{first} … {last}"


def _file(out) -> str:
    return out if isinstance(out, str) else getattr(out, "name", "")


def renewals_export(*, user, which: str, on: datetime.date, days: int, out: str | BinaryIO, area=None,
                    unit=None, agent=None) -> dict:
    """Write one renewal list (``hi_expiring``, ``vsi_ending``, ``hi_lapsed``, ``vsi_lapsed``) as of
    ``on``; ``days`` ahead (expiring) or back (lapsed; 0 = no limit). Citizen IDs are masked; phone
    numbers are whole for the agent who calls (and the command line), masked for other roles.
    Returns ``{"list", "rows", "file", "on", "days"}``. Raises PermissionDenied, ValueError."""
    rows = renewal_list(user=user, which=which, on=on, days=days, area=area, unit=unit, agent=agent)
    lapsed = which.endswith("lapsed")
    whole_phone = user is OPERATOR or role_of(user).role == Role.COLLECTION_AGENT

    def lines():
        for n, r in enumerate(rows, start=1):
            yield {**r, "no": n, "citizen_id": mask_citizen_id(r["citizen_id"]),
                   "phone": r["phone"] if whole_phone else mask_phone(r["phone"]),
                   "agent": _agent_label(r["agent_code"], r["agent_name"])}

    window = (f"kết thúc trong vòng {days} ngày trước" if days else "kết thúc trước ngày này") if lapsed \
        else f"trong {days} ngày tới"
    title = [("bold", heading_name(user, on=on).upper()), ("title", LIST_TITLES[which].upper()),
             ("bold", f"Tính đến ngày {on:%d/%m/%Y}, {window}")]
    if area is not None:
        title.append(("", f"Địa bàn: {area.name}"))
    if unit is not None:
        title.append(("", f"Chi hội / tổ: {unit.name}"))
    if agent is not None:
        title.append(("", f"Nhân viên thu: {agent.code} — {agent.full_name}"))
    result = write_list(out=out, sheet="Tái tục", title_lines=title, columns=RENEWAL_COLUMNS, rows=lines())
    return {"list": which, "rows": result.rows, "file": _file(out), "on": on.isoformat(), "days": days}


def book_export(*, user, date_from: datetime.date, date_to: datetime.date, out: str | BinaryIO, agent=None,
                detail: bool = False) -> dict:
    """Write the collection book (one row per agent per day) or, with ``detail``, every payment and
    reversal behind it. Returns ``{"list", "rows", "file", "totals"}`` (VND).
    Raises PermissionDenied, OutOfScope."""
    title = [("bold", heading_name(user, on=date_to).upper()),
             ("title", "SỔ THU TIỀN CỦA NHÂN VIÊN THU" + (" — CHI TIẾT" if detail else "")),
             ("bold", _period(date_from, date_to))]
    if agent is not None:
        title.append(("", f"Nhân viên thu: {agent.code} — {agent.full_name}"))
    title.append(("italic", "Đơn vị tính: đồng"))
    if detail:
        entries = collection_book_entries(user=user, date_from=date_from, date_to=date_to, agent=agent)
        rows = ({**e, "no": n, "agent": _agent_label(e["agent_code"], e["agent_name"]),
                 "kind": "Hủy" if e["is_reversal"] else "Thu"} for n, e in enumerate(entries, start=1))
        result = write_list(out=out, sheet="Sổ thu chi tiết", title_lines=title, columns=ENTRY_COLUMNS, rows=rows)
        return {"list": "book-detail", "rows": result.rows, "file": _file(out), "totals": result.totals}
    book = collection_book(user=user, date_from=date_from, date_to=date_to, agent=agent)
    rows = ({**r, "agent": _agent_label(r["agent_code"], r["agent_name"]),
             "receipt_range": _range(r["first_receipt"], r["last_receipt"])}
            for r in book["rows"])
    result = write_list(out=out, sheet="Sổ thu", title_lines=title, columns=BOOK_COLUMNS, rows=rows,
                        footer_lines=("Người nộp tiền (nhân viên thu)", "Người nhận tiền (kế toán đơn vị)"))
    return {"list": "book", "rows": result.rows, "file": _file(out), "totals": result.totals}


def reconciliation_export(*, user, date_from: datetime.date, date_to: datetime.date, out: str | BinaryIO,
                          agent=None) -> dict:
    """Write the reconciliation per agent (payments vs receipts vs priced participations vs lists).
    Returns ``{"list", "rows", "file", "totals", "ok"}``. Raises PermissionDenied, OutOfScope."""
    data = collection_reconciliation(user=user, date_from=date_from, date_to=date_to, agent=agent)
    rows = ({**r, "agent": _agent_label(r["agent_code"], r["agent_name"]),
             "status": "Khớp" if r["ok"] else "Có chênh lệch"} for r in data["rows"])
    title = [("bold", heading_name(user, on=date_to).upper()), ("title", "ĐỐI CHIẾU TIỀN THU, BIÊN LAI VÀ HỒ SƠ THEO NHÂN VIÊN THU"),
             ("bold", _period(date_from, date_to)), ("italic", "Đơn vị tính: đồng")]
    result = write_list(out=out, sheet="Đối chiếu", title_lines=title, columns=RECONCILIATION_COLUMNS, rows=rows)
    return {"list": "reconciliation", "rows": result.rows, "file": _file(out), "totals": result.totals,
            "ok": data["totals"]["ok"]}
