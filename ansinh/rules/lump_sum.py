"""VSI lump-sum withdrawal (BHXH một lần), with the state support received deducted.

Per year of contributions: benefits.lump_sum_months_per_year (1.5 months of average income for the
years before 2014, 2 for the years from 2014). Odd months before 2014 are carried into the period
from 2014; there 1..6 odd months count as half a year and 7..11 as a year. Under one year in all:
what was paid, at most benefits.lump_sum_under_one_year_cap_months months of average income.
The state support received is deducted by benefits.lump_sum_support_deducted_pct of the claim's case
(`reason`): in full, except for the serious illnesses and the 81 % incapacity (Law 41/2024 Art
102(1)(c)-(d)); a case missing there on the date is refused (not_eligible).
Law 58/2014 Art 77(2)-(3); Law 41/2024 Art 102(2)-(3); Decree 159/2025 Art 9.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .breakdown import Line, breakdown_dicts, pct_text, vnd_text
from .dates import MONTHS_PER_YEAR
from .errors import INVALID_REQUEST, NOT_ELIGIBLE, ParameterError, RuleError
from .money import plain_number, ratio, to_vnd
from .parameters import ParameterSet, default_parameters
from .pension import contribution_years_for_rate

REASON_OTHER = "other"
REASONS = ("serious_illness", "incapacity_81", REASON_OTHER)
"""The cases of a claim that change the deduction (keys of benefits.lump_sum_support_deducted_pct)."""
REASON_TEXT_VI = {
    "serious_illness": "đang mắc bệnh nguy hiểm đến tính mạng",
    "incapacity_81": "suy giảm khả năng lao động từ 81% trở lên hoặc khuyết tật đặc biệt nặng",
    REASON_OTHER: "trường hợp khác được hưởng BHXH một lần",
}
GIVE_UP_NOTE_VI = (
    "Hưởng BHXH một lần thì chấm dứt quá trình đóng: người lao động không còn được tính thời gian này "
    "để hưởng lương hưu hằng tháng và không được quỹ BHXH đóng BHYT khi hưởng lương hưu."
)
CASES_NOTE_VI = {
    "law_58_2014": "Các trường hợp được hưởng: khoản 1 Điều 77 Luật 58/2014/QH13.",
    "law_41_2024": "Chỉ được hưởng trong các trường hợp tại khoản 1 Điều 102 Luật 41/2024/QH15.",
}
"""The cases in which a lump sum is allowed, by common.social_insurance_law code."""
UNDER_ONE_YEAR_NOTE_VI = (
    "Giả định: «contributions_paid» là số tiền người lao động tự đóng (không gồm tiền Nhà nước hỗ trợ), "
    "nên không trừ thêm tiền hỗ trợ."
)


@dataclass(frozen=True)
class LumpSum:
    """gross (VND, before deduction), state_support_deducted, amount (VND, never negative)."""

    on: date
    gross: int
    state_support_deducted: int
    amount: int
    breakdown: tuple[Line, ...]
    reason: str = REASON_OTHER

    def to_dict(self) -> dict:
        return {
            "kind": "lump_sum",
            "on": self.on.isoformat(),
            "reason": self.reason,
            "gross": self.gross,
            "state_support_deducted": self.state_support_deducted,
            "amount": self.amount,
            "breakdown": breakdown_dicts(self.breakdown),
        }


def vsi_lump_sum(
    *,
    on: date,
    months_before_2014: int,
    months_from_2014: int,
    average_income: int,
    state_support_received: int = 0,
    paid_total: int | None = None,
    reason: str = REASON_OTHER,
    params: ParameterSet | None = None,
) -> LumpSum:
    """The VSI lump sum claimed on `on` (VND).

    months_before_2014 / months_from_2014: contributed months in each period; average_income: adjusted
    average monthly income (VND); state_support_received: VND of state support received, deducted
    by the share of benefits.lump_sum_support_deducted_pct for `reason` (serious_illness,
    incapacity_81, other); paid_total: VND the person paid from their own money, required when the
    months total under one year (then the lump sum is that, at most the cap, with nothing deducted).
    Raises RuleError invalid_request (paid_total missing, unknown reason), not_eligible (no months,
    or a reason that is not a case of a lump sum on `on`) and no_parameter_for_date.
    """
    params = params or default_parameters()
    per_year = params.get("benefits.lump_sum_months_per_year", on)
    half_year = params.get("benefits.odd_months_half_year_max", on)
    deducted_pct = params.get("benefits.lump_sum_support_deducted_pct", on)
    if reason not in REASONS:
        raise RuleError(INVALID_REQUEST, f"«reason» phải là một trong: {', '.join(REASONS)}.", field="reason",
                        value=reason)
    if reason not in deducted_pct.value:
        raise RuleError(
            NOT_ELIGIBLE,
            f"Trường hợp «{REASON_TEXT_VI[reason]}» chưa được hưởng BHXH một lần theo quy định áp dụng "
            f"ngày {on:%d/%m/%Y}.",
            field="reason", reason=reason,
        )
    total_months = months_before_2014 + months_from_2014
    if total_months == 0:
        raise RuleError(NOT_ELIGIBLE, "Chưa có tháng đóng BHXH tự nguyện nào nên không có BHXH một lần.",
                        field="contribution_months_from_2014")
    law = params.value("common.social_insurance_law", on)
    if law not in CASES_NOTE_VI:
        raise ParameterError(f"no lump-sum rule for social insurance law code {law!r}")
    notes = [GIVE_UP_NOTE_VI, CASES_NOTE_VI[law]]
    if total_months < MONTHS_PER_YEAR:
        if paid_total is None:
            raise RuleError(INVALID_REQUEST, "Cần số tiền đã đóng khi thời gian đóng dưới một năm.",
                            field="contributions_paid")
        cap = params.get("benefits.lump_sum_under_one_year_cap_months", on)
        cap_amount = to_vnd(cap.value * average_income)
        gross = min(paid_total, cap_amount)
        line = Line(
            key="gross",
            label="Mức hưởng khi đóng chưa đủ một năm",
            amount=gross,
            formula=f"min({vnd_text(paid_total)} đã đóng, {plain_number(cap.value)} × {vnd_text(average_income)})",
            parameters=(cap,),
            rounded=True,
            notes=(UNDER_ONE_YEAR_NOTE_VI,),
        )
        deducted = 0
        deduction_formula = "đóng chưa đủ một năm: số đã đóng không gồm tiền hỗ trợ, không trừ thêm"
    else:
        whole_before, odd_before = divmod(months_before_2014, MONTHS_PER_YEAR)
        if months_from_2014 == 0:
            whole_before, odd_before = 0, 0
            years_before = contribution_years_for_rate(months_before_2014, half_year.value)
        else:
            years_before = Decimal(whole_before)
        years_from = contribution_years_for_rate(months_from_2014 + odd_before, half_year.value)
        factors = per_year.value
        gross = to_vnd(average_income * (years_before * factors["before_2014"] + years_from * factors["from_2014"]))
        line = Line(
            key="gross",
            label="Mức hưởng BHXH một lần",
            amount=gross,
            formula=(
                f"{vnd_text(average_income)} × ({plain_number(years_before)} năm × "
                f"{plain_number(factors['before_2014'])} + {plain_number(years_from)} năm × "
                f"{plain_number(factors['from_2014'])}); tháng lẻ trước 2014 chuyển sang giai đoạn từ 2014, "
                f"1–{half_year.value} tháng lẻ = nửa năm, trên đó = 1 năm"
            ),
            parameters=(per_year, half_year),
            rounded=True,
        )
        share = deducted_pct.value[reason]
        deducted = min(to_vnd(ratio(share) * state_support_received), gross)
        deduction_formula = (
            f"{pct_text(share)} × {vnd_text(state_support_received)} đã được hỗ trợ "
            f"({REASON_TEXT_VI[reason]}; tối đa bằng mức hưởng)"
        )
    deduction = Line(
        key="state_support_deducted",
        label="Trừ số tiền Nhà nước đã hỗ trợ",
        amount=deducted,
        formula=deduction_formula,
        parameters=(deducted_pct,),
        basis=("Điều 9 Nghị định 159/2025/NĐ-CP",),
        rounded=True,
    )
    net = Line(key="amount", label="Số tiền BHXH một lần được nhận", amount=gross - deducted,
               formula="mức hưởng − hỗ trợ đã trừ", depends_on=(line, deduction), notes=tuple(notes))
    return LumpSum(on, gross, deducted, gross - deducted, (line, deduction, net), reason)
