"""The official lists the collection organisation sends to the social insurance agency.

- D05-TS: list of voluntary social insurance participants (Danh sách người tham gia BHXH tự nguyện).
- D03-TS: list of health-insurance-only participants (Danh sách người chỉ tham gia BHYT), here the
  household HI members, one row per member per payment.

Both forms belong to the collection procedure of Vietnam Social Security (Decision 595/QĐ-BHXH of
14/04/2017 as amended; the edition in force is to be confirmed with the agency). The columns are those
the domain brief (shared/domain/README.md) lists, plus a few for reconciliation (receipt, paid date).

How the totals reconcile with the receipts, to the đồng:
- D05-TS: "Số tiền người tham gia đóng" (``payable``) of a row is the payment, equal to its receipt;
  ``amount_due = payable + state_support + local_support`` on every row.
- D03-TS: "Số tiền theo tỷ lệ" (``amount``) is the member's ladder share before support;
  "Số tiền người tham gia nộp" (``payable`` = amount − state support) is what was collected; the
  payable of a household's rows adds up to its receipt.
So sum(D05 payable) + sum(D03 payable) = sum of the receipts of the listed payments; each summary
states both sides and ``reconciles``.
"""

from __future__ import annotations

from typing import BinaryIO

from ansinh.collection.selectors import SCHEME_HI, SCHEME_VSI
from ansinh.reports.selectors import ListFilter, d03_rows, d05_rows, list_heading, list_receipts_total

from .xlsx import DATE, INT, MONEY, MONTH, PCT, Column, write_list

D05_COLUMNS = (
    Column("no", "STT", INT, 6),
    Column("full_name", "Họ và tên", width=26),
    Column("si_number", "Mã số BHXH", width=13),
    Column("citizen_id", "Số CCCD/ĐDCN", width=15),
    Column("date_of_birth", "Ngày sinh", DATE, 12),
    Column("income", "Mức thu nhập tháng làm căn cứ đóng (đồng)", MONEY, 16, total=False),
    Column("from_month", "Từ tháng", MONTH, 10),
    Column("months", "Số tháng đóng", INT, 8),
    Column("payment_mode", "Phương thức đóng", width=18),
    Column("amount_due", "Tổng số tiền phải đóng (đồng)", MONEY, 16),
    Column("payable", "Số tiền người tham gia đóng (đồng) (= số tiền trên biên lai)", MONEY, 18),
    Column("state_support_pct", "NSNN hỗ trợ: tỷ lệ (%)", PCT, 9),
    Column("state_support", "NSNN hỗ trợ: số tiền (đồng)", MONEY, 14),
    Column("local_support_pct", "NSĐP hỗ trợ: tỷ lệ (%)", PCT, 9),
    Column("local_support", "NSĐP hỗ trợ: số tiền (đồng)", MONEY, 14),
    Column("province_code", "Mã tỉnh", width=8),
    Column("district_code", "Mã huyện", width=8),
    Column("commune_code", "Mã xã", width=8),
    Column("old_province_code", "Mã tỉnh trước 01/07/2025", width=9),
    Column("old_district_code", "Mã huyện trước 01/07/2025", width=9),
    Column("old_commune_code", "Mã xã trước 01/07/2025", width=9),
    Column("receipt_number", "Số biên lai", width=19),
    Column("paid_on", "Ngày nộp tiền", DATE, 12),
)

D03_COLUMNS = (
    Column("no", "STT", INT, 6),
    Column("full_name", "Họ và tên", width=26),
    Column("si_number", "Mã số BHXH", width=13),
    Column("citizen_id", "Số CCCD/ĐDCN", width=15),
    Column("date_of_birth", "Ngày sinh", DATE, 12),
    Column("household_code", "Mã hộ gia đình", width=14),
    Column("province_code", "Mã tỉnh", width=8),
    Column("commune_code", "Mã xã", width=8),
    Column("old_commune_code", "Mã xã trước 01/07/2025", width=9),
    Column("rank", "Người thứ", INT, 7),
    Column("share_pct", "Tỷ lệ đóng theo thứ tự trong hộ (%)", PCT, 11),
    Column("months", "Số tháng đóng", INT, 8),
    Column("valid_from", "Thẻ có giá trị từ ngày", DATE, 12),
    Column("valid_to", "Thẻ có giá trị đến ngày", DATE, 12),
    Column("amount", "Số tiền theo tỷ lệ (đồng) (4,5% lương cơ sở × số tháng × tỷ lệ)", MONEY, 18),
    Column("support_pct", "NSNN hỗ trợ: tỷ lệ (%)", PCT, 9),
    Column("state_support", "NSNN hỗ trợ: số tiền (đồng)", MONEY, 14),
    Column("payable", "Số tiền người tham gia nộp (đồng) (= theo tỷ lệ − NSNN hỗ trợ; cộng theo hộ = biên lai)",
           MONEY, 20),
    Column("receipt_number", "Số biên lai", width=19),
    Column("paid_on", "Ngày nộp tiền", DATE, 12),
)

SIGNATURES = ("Người lập biểu (ký, ghi rõ họ tên)", "Thủ trưởng đơn vị (ký, đóng dấu)")


def _title(*, heading: dict, name: str, form: str) -> list[tuple[str, str]]:
    lines = [("bold", heading["org_name"].upper()), ("", f"Mã đơn vị: {heading['org_code']}"),
             ("italic", f"Mẫu {form}"), ("title", name), ("bold", heading["period"])]
    if heading["area_name"]:
        lines.append(("", f"Địa bàn: {heading['area_name']}"))
    if heading["agent_label"]:
        lines.append(("", f"Nhân viên thu: {heading['agent_label']}"))
    lines.append(("italic", "Đơn vị tính: đồng"))
    return lines


def _summary(*, name: str, out, result, receipts: dict, payable_key: str = "payable") -> dict:
    listed = result.totals[payable_key]
    return {
        "list": name, "rows": result.rows, "file": out if isinstance(out, str) else getattr(out, "name", ""),
        "totals": result.totals, "receipts": receipts["count"], "receipts_amount": receipts["amount"],
        "difference": listed - receipts["amount"], "reconciles": listed == receipts["amount"],
    }


def d05_export(*, user, filters: ListFilter, out: str | BinaryIO) -> dict:
    """Write the D05-TS list (VSI participants, one row per payment not reversed) to ``out``.

    Columns: ``D05_COLUMNS``. Returns ``{"list": "d05-ts", "rows", "file", "totals" {amount_due,
    payable, state_support, local_support} (VND), "receipts" (count), "receipts_amount" (VND),
    "difference" (payable total − receipts, VND; 0 when it reconciles), "reconciles"}``.
    Raises PermissionDenied (and OutOfScope from an agent filter resolved outside the user's area).
    """
    heading = list_heading(user=user, filters=filters)
    receipts = list_receipts_total(user=user, scheme=SCHEME_VSI, filters=filters)
    result = write_list(
        out=out, sheet="D05-TS", columns=D05_COLUMNS, rows=d05_rows(user=user, filters=filters),
        title_lines=_title(heading=heading, name="DANH SÁCH NGƯỜI THAM GIA BẢO HIỂM XÃ HỘI TỰ NGUYỆN",
                           form="D05-TS"),
        footer_lines=SIGNATURES,
    )
    return _summary(name="d05-ts", out=out, result=result, receipts=receipts)


def d03_export(*, user, filters: ListFilter, out: str | BinaryIO) -> dict:
    """Write the D03-TS list (household HI members, one row per member per payment not reversed).

    Columns: ``D03_COLUMNS``. Returns the summary of ``d05_export`` with totals {amount, state_support,
    payable} (VND); ``difference`` compares the members' payable with the receipts.
    Raises PermissionDenied.
    """
    heading = list_heading(user=user, filters=filters)
    receipts = list_receipts_total(user=user, scheme=SCHEME_HI, filters=filters)
    result = write_list(
        out=out, sheet="D03-TS", columns=D03_COLUMNS, rows=d03_rows(user=user, filters=filters),
        title_lines=_title(heading=heading, name="DANH SÁCH NGƯỜI CHỈ THAM GIA BẢO HIỂM Y TẾ (HỘ GIA ĐÌNH)",
                           form="D03-TS"),
        footer_lines=SIGNATURES,
    )
    return _summary(name="d03-ts", out=out, result=result, receipts=receipts)
