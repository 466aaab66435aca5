"""Household HI card validity: from when and until when a card paid on a date is valid.

Renewed without a break: valid from the day after the previous card ends. First participation, or a
break at or above the threshold: valid household_hi.card_wait_days after the full payment. The break
threshold changed shape on 2025-07-01 (3 months within a fiscal year -> 90 days); one function per
shape, picked by common.health_insurance_law. The two open points of rules.md are parameters
(household_hi.card_wait_days, household_hi.card_end_counts_from) and are stated in the result.
The last valid day follows the Civil Code month-end rule (dates.period_last_day): the day before the
same calendar day `months` later, or the last day of the target month when it has no such day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .breakdown import Line, breakdown_dicts
from .dates import ONE_DAY, add_months, format_date_vi, period_last_day
from .errors import ParameterError
from .household_hi import hi_check_months, hi_rates_on
from .parameters import ParameterSet, Resolved, default_parameters

FIRST_PARTICIPATION = "first_participation"
RENEWAL_WITHOUT_BREAK = "renewal_without_break"
BREAK_WAITING = "break_waiting"
SHORT_BREAK = "short_break_from_payment"

RULE_TEXT_VI = {
    FIRST_PARTICIPATION: "Tham gia lần đầu: thẻ có giá trị sau {wait} ngày kể từ ngày đóng đủ.",
    RENEWAL_WITHOUT_BREAK: "Gia hạn liên tục: thẻ có giá trị từ ngày sau ngày thẻ cũ hết hạn.",
    BREAK_WAITING: "Gián đoạn {gap}: thẻ có giá trị sau {wait} ngày kể từ ngày đóng đủ.",
    SHORT_BREAK: "Gián đoạn dưới ngưỡng — {gap}: thẻ có giá trị từ ngày đóng.",
}
OPEN_POINT_WAIT = "Điểm còn mở: '30 ngày sau' tính là ngày đóng + {wait} ngày (tham số household_hi.card_wait_days)."
OPEN_POINT_END = (
    "Điểm còn mở: số tháng của thẻ tính từ {base} (tham số household_hi.card_end_counts_from = {code})."
)
END_RULE_BASIS = "khoản 3 Điều 148 Bộ luật Dân sự 91/2015/QH13"
END_RULE_TEXT = (
    "Ngày hết hạn: ngày liền trước ngày tương ứng của tháng cuối thời hạn; nếu tháng đó không có ngày "
    "tương ứng thì là ngày cuối cùng của tháng đó ({basis})."
).format(basis=END_RULE_BASIS)
VALIDITY_BASIS = {
    "law_46_2014": ("Điều 16 Luật Bảo hiểm y tế 25/2008/QH12 (sửa đổi bởi Luật 46/2014/QH13)",),
    "law_51_2024": (
        "điểm c khoản 3 Điều 16 Luật Bảo hiểm y tế 25/2008/QH12 (sửa đổi bởi điểm b khoản 14 Điều 1 "
        "Luật 51/2024/QH15)",
        "Điều 13 Nghị định 188/2025/NĐ-CP",
    ),
}
"""The legal basis of the validity rule, by common.health_insurance_law code."""
OPEN_POINT_SHORT_BREAK = (
    "Giả định: rules.md không nói về gián đoạn dưới ngưỡng; thẻ có giá trị từ ngày đóng (không lùi về trước)."
)


def hi_card_break_2015(params: ParameterSet, paid_on: date, gap_start: date) -> tuple[bool, str, Resolved]:
    """Before 2025-07-01: a break is uncovered time of at least N months within one fiscal year
    (calendar year), household_hi.card_break_months_in_fiscal_year. The uncovered time runs from
    `gap_start` to the day before `paid_on`. Returns (is_break, description, parameter)."""
    threshold = params.get("household_hi.card_break_months_in_fiscal_year", paid_on)
    start = gap_start
    while start < paid_on:
        year_end = min(paid_on, date(start.year + 1, 1, 1))
        if add_months(start, threshold.value) <= year_end:
            return True, f"từ {threshold.value} tháng trở lên trong năm tài chính {start.year}", threshold
        start = year_end
    return False, f"dưới {threshold.value} tháng trong mỗi năm tài chính (năm dương lịch)", threshold


def hi_card_break_2025(params: ParameterSet, paid_on: date, gap_start: date) -> tuple[bool, str, Resolved]:
    """From 2025-07-01: a break is uncovered time of at least household_hi.card_break_days days."""
    threshold = params.get("household_hi.card_break_days", paid_on)
    days = (paid_on - gap_start).days
    return days >= threshold.value, f"{days} ngày (ngưỡng {threshold.value} ngày)", threshold


CARD_BREAK_RULES = {"law_46_2014": hi_card_break_2015, "law_51_2024": hi_card_break_2025}


@dataclass(frozen=True)
class HiCardValidity:
    """valid_from / valid_to (inclusive dates), the rule used and the parameters behind it."""

    paid_on: date
    months: int
    previous_valid_to: date | None
    valid_from: date
    valid_to: date
    rule: str
    rule_text: str
    parameters: tuple[Resolved, ...]
    notes: tuple[str, ...]
    basis: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "kind": "hi_card",
            "paid_on": self.paid_on.isoformat(),
            "months": self.months,
            "previous_valid_to": self.previous_valid_to.isoformat() if self.previous_valid_to else None,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "rule": self.rule,
            "rule_text": self.rule_text,
            "parameters": [p.to_dict() for p in self.parameters],
            "notes": list(self.notes),
            "breakdown": breakdown_dicts(self.breakdown),
        }

    @property
    def breakdown(self) -> tuple[Line, ...]:
        """Two lines (from, to) with the parameters used, the legal basis and the open points."""
        end_params = tuple(p for p in self.parameters if p.name == "household_hi.card_end_counts_from")
        start = Line(
            key="valid_from",
            label="Thẻ BHYT có giá trị từ ngày",
            value=format_date_vi(self.valid_from),
            formula=self.rule_text,
            parameters=tuple(p for p in self.parameters if p not in end_params),
            basis=self.basis,
            notes=tuple(n for n in self.notes if n != END_RULE_TEXT),
        )
        end = Line(
            key="valid_to",
            label="Thẻ BHYT có giá trị đến hết ngày",
            value=format_date_vi(self.valid_to),
            formula=f"{self.months} tháng. {END_RULE_TEXT}",
            parameters=end_params,
            basis=(END_RULE_BASIS,),
            depends_on=(start,),
        )
        return (start, end)


def hi_card_validity(
    *, paid_on: date, months: int, previous_valid_to: date | None = None, params: ParameterSet | None = None
) -> HiCardValidity:
    """The validity of a household HI card fully paid on `paid_on` for `months` months (3, 6 or 12).

    previous_valid_to: last day of the person's previous card (None for a first participation).
    Returns HiCardValidity with valid_from, valid_to (inclusive), rule (first_participation,
    renewal_without_break, break_waiting, short_break_from_payment) and the Vietnamese rule text.
    Raises RuleError invalid_months, no_parameter_for_date. Legal basis: Law 46/2014 and Law 51/2024
    on the Health Insurance Law (card validity); rules.md section 4.
    """
    params = params or default_parameters()
    hi_check_months(hi_rates_on(paid_on, params), months)
    law = params.value("common.health_insurance_law", paid_on)
    if law not in CARD_BREAK_RULES or law not in VALIDITY_BASIS:
        raise ParameterError(f"no HI card rule for law code {law!r}")
    wait = params.get("household_hi.card_wait_days", paid_on)
    end_from = params.get("household_hi.card_end_counts_from", paid_on)
    used = [wait, end_from]
    notes = [OPEN_POINT_WAIT.format(wait=wait.value)]
    waiting_start = paid_on + timedelta(days=wait.value)
    if previous_valid_to is None:
        rule, gap_text, valid_from = FIRST_PARTICIPATION, "", waiting_start
    elif paid_on <= previous_valid_to + ONE_DAY:
        rule, gap_text, valid_from = RENEWAL_WITHOUT_BREAK, "", previous_valid_to + ONE_DAY
    else:
        is_break, gap_text, threshold = CARD_BREAK_RULES[law](params, paid_on, previous_valid_to + ONE_DAY)
        used.append(threshold)
        if is_break:
            rule, valid_from = BREAK_WAITING, waiting_start
        else:
            rule, valid_from = SHORT_BREAK, paid_on
            notes.append(OPEN_POINT_SHORT_BREAK)
    bases = {"valid_from": (valid_from, "ngày bắt đầu có giá trị"), "payment_date": (paid_on, "ngày đóng")}
    if end_from.value not in bases:
        raise ParameterError(f"household_hi.card_end_counts_from: unknown code {end_from.value!r}")
    base, base_text = bases[end_from.value]
    notes.append(OPEN_POINT_END.format(base=base_text, code=end_from.value))
    notes.append(END_RULE_TEXT)
    valid_to = period_last_day(base, months)
    text = RULE_TEXT_VI[rule].format(wait=wait.value, gap=gap_text)
    text += f" Có giá trị từ {format_date_vi(valid_from)} đến {format_date_vi(valid_to)}."
    return HiCardValidity(
        paid_on=paid_on,
        months=months,
        previous_valid_to=previous_valid_to,
        valid_from=valid_from,
        valid_to=valid_to,
        rule=rule,
        rule_text=text,
        parameters=tuple(used),
        notes=tuple(notes),
        basis=VALIDITY_BASIS[law],
    )
