"""The explanation of a VSI quote: one line per step, with parameters, legal basis and open points."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .breakdown import Line, breakdown_dicts, pct_text, vnd_text
from .money import HUNDRED, plain_number
from .labels import GROUP_LABELS_VI
from .vsi_payment_modes import ADVANCE, BACKPAY

if TYPE_CHECKING:
    from .vsi_contribution import VsiContribution

OPEN_POINT_ROUNDING = (
    "Điểm còn mở: cách làm tròn của cơ quan BHXH chưa được công bố; mặc định làm tròn nửa lên "
    "đến đồng ở mỗi số tiền cuối cùng."
)
OPEN_POINT_ADVANCE_SUPPORT = (
    "Điểm còn mở: cách trừ hỗ trợ của Nhà nước khi đóng một lần cho nhiều năm về sau; mặc định "
    "hỗ trợ tính theo số tháng, không chiết khấu."
)
OPEN_POINT_LOCAL_MONTHS = (
    "Giả định: hỗ trợ của địa phương áp dụng cho cùng số tháng được Nhà nước hỗ trợ."
)
OPEN_POINT_BACKPAY_SUPPORT = (
    "Điểm còn mở: tháng đóng bù có được Nhà nước (và địa phương) hỗ trợ hay không; theo tham số "
    "vsi.backpay_state_support = {code}: {meaning}."
)
BACKPAY_SUPPORT_MEANING = {"none": "tháng đóng bù không được hỗ trợ (mặc định)",
                           "supported": "tháng đóng bù được hỗ trợ theo tỷ lệ của nhóm"}
NOTE_SUPPORT_LIMITED = "Tổng hỗ trợ được giới hạn bằng số tiền phải đóng."
NOTE_FUND_RATE_GIVEN = "Lãi suất r do yêu cầu cung cấp, không lấy từ tham số."

LUMP_PAYMENT_BASIS = {
    ("law_58_2014", ADVANCE): "Điều 9 Nghị định 134/2015/NĐ-CP",
    ("law_58_2014", BACKPAY): "Điều 9 Nghị định 134/2015/NĐ-CP",
    ("law_41_2024", ADVANCE): "khoản 1 Điều 6 Nghị định 159/2025/NĐ-CP",
    ("law_41_2024", BACKPAY): "khoản 1 Điều 7 Nghị định 159/2025/NĐ-CP",
}
"""(common.social_insurance_law, payment mode) -> the formula's legal basis."""

MODE_LABELS_VI = {
    "monthly": "hằng tháng",
    "3_months": "3 tháng một lần",
    "6_months": "6 tháng một lần",
    "12_months": "12 tháng một lần",
    ADVANCE: "một lần cho nhiều năm về sau",
    BACKPAY: "một lần cho những năm còn thiếu",
}


def _income_line(q: VsiContribution) -> Line:
    r = q.rates
    return Line(
        key="income",
        label="Mức thu nhập tháng chọn làm căn cứ đóng",
        amount=q.income,
        formula=(
            f"{vnd_text(r.floor_vnd)} ≤ thu nhập ≤ {plain_number(r.ceiling_multiplier.value)} × "
            f"{vnd_text(r.ceiling_base.value)} = {vnd_text(r.ceiling_vnd)}; "
            f"bước {vnd_text(r.step_vnd)} trên mức tối thiểu"
        ),
        parameters=(r.floor, r.ceiling_base, r.ceiling_multiplier, r.step),
    )


def _gross_line(q: VsiContribution) -> Line:
    r, a = q.rates, q.amounts
    return Line(
        key="gross",
        label="Số tiền đóng theo tỷ lệ (chưa trừ hỗ trợ)",
        amount=a.gross,
        formula=f"{pct_text(r.contribution_rate.value)} × {vnd_text(q.income)} × {a.months} tháng",
        parameters=(r.contribution_rate,),
        rounded=True,
    )


def _due_line(q: VsiContribution, gross: Line) -> Line:
    r, a = q.rates, q.amounts
    mode = MODE_LABELS_VI[q.payment_mode] if q.payment_mode in MODE_LABELS_VI else q.payment_mode
    if q.payment_mode not in (ADVANCE, BACKPAY):
        return Line(
            key="amount_due",
            label=f"Số tiền phải đóng (đóng {mode})",
            amount=a.amount_due,
            formula="bằng số tiền đóng theo tỷ lệ",
            depends_on=(gross,),
        )
    rate_text = pct_text(q.fund_rate * HUNDRED)
    parameters = (r.contribution_rate,) + ((q.fund_rate_parameter,) if q.fund_rate_parameter else ())
    notes = [OPEN_POINT_ROUNDING] + ([] if q.fund_rate_parameter else [NOTE_FUND_RATE_GIVEN])
    if q.payment_mode == ADVANCE:
        formula = f"Σ(i=1..{a.months}) {vnd_text(q.income)} × {pct_text(r.contribution_rate.value)} / (1 + {rate_text})^(i−1)"
        notes.append(OPEN_POINT_ADVANCE_SUPPORT)
        parameters += (r.max_advance,)
    else:
        formula = f"Σ(i=1..{a.months}) {vnd_text(q.income)} × {pct_text(r.contribution_rate.value)} × (1 + {rate_text})^i"
        parameters += (r.backpay_max_missing, r.years_needed)
    return Line(
        key="amount_due",
        label=f"Số tiền phải đóng (đóng {mode}, r = {rate_text}/tháng của năm trước năm đóng)",
        amount=a.amount_due,
        formula=formula,
        parameters=parameters,
        basis=(LUMP_PAYMENT_BASIS[(r.law, q.payment_mode)],),
        rounded=True,
        notes=tuple(notes),
        given_confidence=None if q.fund_rate_parameter else "reported",
    )


def _support_line(q: VsiContribution, key: str) -> Line:
    r, a = q.rates, q.amounts
    choice = q.state if key == "state_support" else q.local
    amount = a.state_support if key == "state_support" else a.local_support
    label = (
        f"Nhà nước hỗ trợ ({GROUP_LABELS_VI.get(choice.group, choice.group).lower()}, {pct_text(choice.pct)})"
        if key == "state_support"
        else f"Ngân sách địa phương hỗ trợ ({pct_text(choice.pct)})"
    )
    notes = []
    backpay_parameters = ()
    if q.payment_mode == BACKPAY:
        code = r.backpay_support.value if r.backpay_support is not None else "none"
        notes.append(OPEN_POINT_BACKPAY_SUPPORT.format(code=code, meaning=BACKPAY_SUPPORT_MEANING.get(code, code)))
        backpay_parameters = (r.backpay_support,) if r.backpay_support is not None else ()
    if a.supported_months < a.months and not (q.payment_mode == BACKPAY and a.supported_months == 0):
        notes.append(
            f"Chỉ {a.supported_months}/{a.months} tháng được hỗ trợ do giới hạn {r.support_cap.value} tháng."
        )
    if a.support_limited_to_due:
        notes.append(NOTE_SUPPORT_LIMITED)
    if key == "local_support":
        notes.append(OPEN_POINT_LOCAL_MONTHS)
        if choice.table is None:
            notes.append(f"Không có mức hỗ trợ địa phương nào được ghi nhận cho tỉnh {q.province_code}.")
    tables = (choice.table,) if choice.table else ()
    return Line(
        key=key,
        label=label,
        amount=amount,
        formula=(
            f"{pct_text(choice.pct)} × {pct_text(r.contribution_rate.value)} × "
            f"{vnd_text(r.support_base.value)} × {a.supported_months} tháng"
        ),
        parameters=tables + (r.contribution_rate, r.support_base, r.support_cap) + backpay_parameters,
        rounded=True,
        notes=tuple(notes),
    )


def vsi_breakdown(q: VsiContribution) -> tuple[Line, ...]:
    """Lines: income, gross, amount_due, state_support, [local_support], payable."""
    gross = _gross_line(q)
    due = _due_line(q, gross)
    supports = [_support_line(q, "state_support")]
    if q.province_code is not None:
        supports.append(_support_line(q, "local_support"))
    payable = Line(
        key="payable",
        label="Số tiền người tham gia phải nộp",
        amount=q.amounts.payable,
        formula="số tiền phải đóng − hỗ trợ của Nhà nước − hỗ trợ của địa phương",
        depends_on=(due, *supports),
    )
    return (_income_line(q), gross, due, *supports, payable)


def vsi_result_dict(q: VsiContribution) -> dict:
    """The JSON result of a VSI quote (all money in integer VND)."""
    a = q.amounts
    result = {
        "kind": "vsi_contribution",
        "on": q.on.isoformat(),
        "income": q.income,
        "payment_mode": q.payment_mode,
        "months": a.months,
        "support_group": q.state.group,
        "support_pct": plain_number(q.state.pct),
        "supported_months": a.supported_months,
        "gross": a.gross,
        "amount_due": a.amount_due,
        "state_support": a.state_support,
        "local_support": a.local_support,
        "payable": a.payable,
    }
    if q.province_code is not None:
        result["province_code"] = q.province_code
        result["local_support_pct"] = plain_number(q.local.pct)
    if q.fund_rate is not None:
        result["fund_rate_monthly"] = str(q.fund_rate)
    result["breakdown"] = breakdown_dicts(vsi_breakdown(q))
    return result
