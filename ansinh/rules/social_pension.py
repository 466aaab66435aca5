"""Social pension (trợ cấp hưu trí xã hội), from 2025-07-01, with a province's local top-up.

A Vietnamese citizen aged social_pension.min_age or more (75), or social_pension.min_age_poor_or_near_poor
(70) to under that age in a poor or near-poor household, with no pension and no monthly SI allowance,
gets social_pension.monthly_amount a month (500,000 VND). A province may add a dated amount of its own,
social_pension.local_top_up.<province_code> (Hà Nội: + 150,000 from 2026-01-01), paid only to recipients.
Law 41/2024/QH15 Art 21-22; Decree 176/2025/NĐ-CP Art 2-3.

Ineligibility is an answer (eligible false, amount 0), not an error. Open point (rules.md 4b): a
pension below the social pension (Decree 176 Art 2(1)(b)); `has_pension` means a pension of at least
that amount, and the breakdown says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .breakdown import Line, breakdown_dicts, vnd_text
from .errors import INVALID_REQUEST, RuleError
from .parameters import ParameterSet, Resolved, default_parameters

BASIS_ELIGIBILITY = ("Điều 21 Luật 41/2024/QH15", "Điều 2 Nghị định 176/2025/NĐ-CP")
BASIS_AMOUNT = ("Điều 22 Luật 41/2024/QH15", "Điều 3 Nghị định 176/2025/NĐ-CP")
OPEN_POINT_PENSION_VI = (
    "Điểm còn mở: người có lương hưu thấp hơn mức trợ cấp hưu trí xã hội (điểm b khoản 1 Điều 2 Nghị định "
    "176/2025/NĐ-CP); ở đây «has_pension» nghĩa là có lương hưu hoặc trợ cấp BHXH hằng tháng từ mức trợ "
    "cấp hưu trí xã hội trở lên."
)
ADVICE_NOTE_VI = (
    "Người không đủ {years} năm đóng BHXH để hưởng lương hưu vẫn được trợ cấp hưu trí xã hội khi đủ tuổi và "
    "có văn bản đề nghị."
)
NO_LOCAL_TOP_UP_VI = "Chưa có mức hỗ trợ thêm của địa phương «{code}» áp dụng cho ngày {on}: tính 0 đồng."


@dataclass(frozen=True)
class SocialPension:
    """eligible, monthly_amount (VND, 0 when not eligible); with a province, local_amount and total."""

    on: date
    age: int
    eligible: bool
    reason_vi: str
    monthly_amount: int
    province: str | None
    local_amount: int
    amount_parameter: Resolved
    age_parameters: tuple[Resolved, ...]
    local_parameter: Resolved | None
    has_pension: bool
    years_needed: Resolved

    @property
    def total_monthly(self) -> int:
        return self.monthly_amount + self.local_amount

    @property
    def breakdown(self) -> tuple[Line, ...]:
        eligibility = Line(
            key="eligible",
            label="Đủ điều kiện hưởng trợ cấp hưu trí xã hội",
            value="có" if self.eligible else "không",
            formula=self.reason_vi,
            parameters=self.age_parameters + (() if self.has_pension else (self.years_needed,)),
            basis=BASIS_ELIGIBILITY,
            notes=(OPEN_POINT_PENSION_VI,) if self.has_pension else (
                ADVICE_NOTE_VI.format(years=self.years_needed.value),),
        )
        amount = Line(
            key="monthly_amount",
            label="Mức trợ cấp hưu trí xã hội hằng tháng",
            amount=self.monthly_amount,
            formula=(f"{vnd_text(self.amount_parameter.value)} một tháng" if self.eligible
                     else "không đủ điều kiện: 0 đồng"),
            parameters=(self.amount_parameter,),
            basis=BASIS_AMOUNT,
            depends_on=(eligibility,),
        )
        lines = [eligibility, amount]
        if self.province is not None:
            if self.local_parameter is None:
                formula = NO_LOCAL_TOP_UP_VI.format(code=self.province, on=self.on.strftime("%d/%m/%Y"))
            elif self.eligible:
                formula = f"{vnd_text(self.local_parameter.value)} một tháng (ngân sách địa phương «{self.province}»)"
            else:
                formula = "chỉ người hưởng trợ cấp hưu trí xã hội được hỗ trợ thêm: 0 đồng"
            local = Line(
                key="local_amount",
                label="Địa phương hỗ trợ thêm hằng tháng",
                amount=self.local_amount,
                formula=formula,
                parameters=(self.local_parameter,) if self.local_parameter else (),
                basis=("khoản 2 Điều 3 Nghị định 176/2025/NĐ-CP",),
                depends_on=(eligibility,),
            )
            total = Line(
                key="total_monthly",
                label="Tổng số tiền nhận hằng tháng",
                amount=self.total_monthly,
                formula="trợ cấp hưu trí xã hội + địa phương hỗ trợ thêm",
                depends_on=(amount, local),
            )
            lines += [local, total]
        return tuple(lines)

    def to_dict(self) -> dict:
        data = {
            "kind": "social_pension",
            "on": self.on.isoformat(),
            "age": self.age,
            "eligible": self.eligible,
            "monthly_amount": self.monthly_amount,
        }
        if self.province is not None:
            data |= {"province": self.province, "local_amount": self.local_amount,
                     "total_monthly": self.total_monthly}
        return data | {"breakdown": breakdown_dicts(self.breakdown)}


def social_pension(
    *,
    on: date,
    age: int,
    has_pension: bool,
    poor_or_near_poor: bool = False,
    province: str | None = None,
    params: ParameterSet | None = None,
) -> SocialPension:
    """Whether a person of `age` whole years on `on` gets the social pension, and how much a month (VND).

    has_pension: receives a pension or a monthly SI allowance; poor_or_near_poor: lives in a poor or
    near-poor household; province: a key of social_pension.local_top_up (e.g. 'ha_noi'; no value
    recorded -> 0). Raises RuleError invalid_request (negative age) and no_parameter_for_date (before
    2025-07-01, when the social pension starts).
    """
    params = params or default_parameters()
    if age < 0:
        raise RuleError(INVALID_REQUEST, "«age» không được âm.", field="age", value=age)
    amount = params.get("social_pension.monthly_amount", on)
    min_age = params.get("social_pension.min_age", on)
    min_age_poor = params.get("social_pension.min_age_poor_or_near_poor", on)
    if has_pension:
        eligible, reason = False, "Đang hưởng lương hưu hoặc trợ cấp BHXH hằng tháng."
    elif age >= min_age.value:
        eligible, reason = True, f"{age} tuổi ≥ {min_age.value} tuổi, không hưởng lương hưu."
    elif age >= min_age_poor.value and poor_or_near_poor:
        eligible, reason = True, (f"{min_age_poor.value} ≤ {age} tuổi < {min_age.value} tuổi, thuộc hộ nghèo "
                                  "hoặc hộ cận nghèo, không hưởng lương hưu.")
    elif age >= min_age_poor.value:
        eligible, reason = False, (f"{age} tuổi < {min_age.value} tuổi và không thuộc hộ nghèo, hộ cận nghèo.")
    else:
        eligible, reason = False, f"{age} tuổi < {min_age_poor.value} tuổi."
    local = params.find(f"social_pension.local_top_up.{province}", on) if province is not None else None
    return SocialPension(
        on=on,
        age=age,
        eligible=eligible,
        reason_vi=reason,
        monthly_amount=amount.value if eligible else 0,
        province=province,
        local_amount=local.value if (eligible and local is not None) else 0,
        amount_parameter=amount,
        age_parameters=(min_age, min_age_poor),
        local_parameter=local,
        has_pension=has_pension,
        years_needed=params.get("benefits.pension_years_needed", on),
    )
