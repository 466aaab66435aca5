"""The public calculator's answers: ``ansinh.rules.quote`` with the active parameters (the files plus the
values added at runtime). Every function raises RuleError (code + Vietnamese message) for a request the
rules refuse."""

from __future__ import annotations

from datetime import date

from ansinh.areas.models import AdministrativeUnit, Level
from ansinh.areas.selectors import map_in_force
from ansinh.parameters.selectors import active_parameters
from ansinh.rules.errors import NOT_ELIGIBLE, RuleError
from ansinh.rules.quote import hi_state_support_pct, quote

DEFAULT_HI_MONTHS = 12


def _given(request: dict) -> dict:
    return {k: v for k, v in request.items() if v is not None}


def income_floor(*, on: date) -> int | None:
    """The lowest VSI income on `on` (the rural poverty line), for the form's first value."""
    try:
        return active_parameters().value("vsi.income_floor", on)
    except RuleError:
        return None


def province_code_in_force(*, on: date) -> str | None:
    """The code of this database's province on the map in force on `on` (Hậu Giang 93 before 01/07/2025,
    Cần Thơ 92 from that day), whose local support the estimate applies; None without a loaded map."""
    return (AdministrativeUnit.objects.filter(map=map_in_force(on=on), level=Level.PROVINCE)
            .order_by("code").values_list("code", flat=True).first())


def vsi_estimate(*, on: date, income, payment_mode: str, support_group: str, months=None,
                 months_already_supported=None, reached_retirement_age: bool = False,
                 contribution_months=None) -> dict:
    """A VSI contribution (kind ``vsi_contribution``): gross, state_support, local_support (of the province
    in force on `on`), amount_due, payable and the breakdown. Numbers may arrive as typed text; the rules refuse them."""
    request = _given({
        "kind": "vsi_contribution", "on": on.isoformat(), "income": income, "payment_mode": payment_mode,
        "months": months, "support_group": support_group, "months_already_supported": months_already_supported,
        "province_code": province_code_in_force(on=on),
    })
    if payment_mode == "backpay":
        request |= _given({"reached_retirement_age": reached_retirement_age,
                           "contribution_months": contribution_months})
    return quote(request, params=active_parameters())


def hi_estimate(*, on: date, members, months=None, group: str = "none", previous_card_end: date | None = None) -> dict:
    """Household HI (kind ``hi_household``) for `members` ranked members of one support group:
    per_member, members, total, state_support, payable and the breakdown; plus support_group and
    support_pct (the state minimum for the group on `on`, Decree 188/2025), and ``card``: the validity of
    the card paid on `on` (kind ``hi_card``: valid_from, valid_to, rule_text, notes), a renewal when
    `previous_card_end` (the old card's last day) is given, else a first participation."""
    params = active_parameters()
    support_pct = hi_state_support_pct(group=group, on=on, params=params) if group != "none" else 0
    months = DEFAULT_HI_MONTHS if months is None else months
    request = {"kind": "hi_household", "on": on.isoformat(), "members": members, "months": months,
               "support_pct": support_pct}
    result = quote(request, params=params)
    card = quote({"kind": "hi_card", "paid_on": on.isoformat(), "months": months,
                  "previous_card_end": previous_card_end.isoformat() if previous_card_end else None}, params=params)
    return result | {"support_group": group, "support_pct": support_pct, "card": card}


def _month_start(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def benefits_estimate(*, sex: str, birth_month: str, contribution_months=None, average_income=None,
                      months_before_2014=0, state_support_received=0, poor_or_near_poor: bool = False) -> dict:
    """Retirement and pension advice for a person of `sex` born in `birth_month` ('YYYY-MM').

    Returns ``{"retirement": <retirement_age result>, "month_reaching_age": date, "pension_start": date,
    "pension": <pension_amount (or pension_rate without an income) result on the pension start date, or
    None>, "not_eligible": None or {"message", "years_needed", "missing_months", "missing_years_part",
    "missing_months_part"}, "lump_sum": None or <lump_sum_advice>, "social_pension": None or
    <social_pension_advice>}``. The pension uses the rules in force on its start date (years needed, rate
    bands); the lump sum a person could take instead is shown with an average income, the social pension
    when the years needed are not reached. Raises RuleError for bad input of the pension itself.
    """
    params = active_parameters()
    retirement = quote({"kind": "retirement_age", "sex": sex, "birth_month": birth_month}, params=params)
    pension_start = _month_start(retirement["pension_start_month"])
    answer = {
        "retirement": retirement,
        "month_reaching_age": _month_start(retirement["month_reaching_age"]),
        "pension_start": pension_start,
        "pension": None,
        "not_eligible": None,
        "lump_sum": None,
        "social_pension": None,
    }
    if contribution_months is None:
        return answer
    request = _given({
        "kind": "pension_amount" if average_income is not None else "pension_rate",
        "on": pension_start.isoformat(), "sex": sex, "contribution_months": contribution_months,
        "average_income": average_income,
    })
    try:
        answer["pension"] = quote(request, params=params)
    except RuleError as error:
        if error.code != NOT_ELIGIBLE:
            raise
        missing = max(0, error.details["years_needed"] * 12 - error.details["contribution_months"])
        answer["not_eligible"] = {
            "message": error.message,
            "years_needed": error.details["years_needed"],
            "missing_months": missing,
            "missing_years_part": missing // 12,
            "missing_months_part": missing % 12,
        }
        answer["social_pension"] = social_pension_advice(birth_month=birth_month,
                                                         poor_or_near_poor=poor_or_near_poor, params=params)
    if average_income is not None and isinstance(contribution_months, int):
        answer["lump_sum"] = lump_sum_advice(
            on=pension_start, contribution_months=contribution_months, months_before_2014=months_before_2014,
            average_income=average_income, state_support_received=state_support_received, params=params)
    return answer


LUMP_SUM_LABELS = {
    "contribution_months_before_2014": "Số tháng đóng trước năm 2014",
    "contribution_months_from_2014": "Số tháng đóng từ năm 2014",
    "state_support_received": "Số tiền Nhà nước đã hỗ trợ đóng",
    "average_income": "Thu nhập bình quân",
    "contributions_paid": "Số tiền đã tự đóng",
}
"""The lump-sum request keys as the page names them (its messages name the keys)."""

LUMP_SUM_MONTHS_DO_NOT_ADD_UP = "Số tháng đóng trước năm 2014 ({before}) không được lớn hơn tổng số tháng đã đóng ({total})."


def lump_sum_advice(*, on: date, contribution_months: int, months_before_2014, average_income,
                    state_support_received, params) -> dict:
    """The lump sum (kind ``lump_sum``; Law 41/2024 Art 102, Decree 159/2025 Art 9) a person could take on
    ``on`` instead of a pension: ``{"result": <quote result with breakdown>, "error": None}`` or
    ``{"result": None, "error": <Vietnamese message>}`` (months that do not add up, under a year without
    the amount paid …): the advice never hides the pension estimate."""
    if isinstance(months_before_2014, int) and months_before_2014 > contribution_months:
        return {"result": None, "error": LUMP_SUM_MONTHS_DO_NOT_ADD_UP.format(before=months_before_2014,
                                                                              total=contribution_months)}
    from_2014 = contribution_months - months_before_2014 if isinstance(months_before_2014, int) else contribution_months
    request = {"kind": "lump_sum", "on": on.isoformat(), "contribution_months_before_2014": months_before_2014,
               "contribution_months_from_2014": from_2014, "average_income": average_income,
               "state_support_received": state_support_received}
    try:
        return {"result": quote(_given(request), params=params), "error": None}
    except RuleError as error:
        message = error.message
        for key, label in LUMP_SUM_LABELS.items():
            message = message.replace(f"«{key}»", f"«{label}»")
        return {"result": None, "error": message}


def social_pension_advice(*, birth_month: str, poor_or_near_poor: bool, params) -> dict:
    """The social pension (kind ``social_pension``; Law 41/2024 Art 21–22, Decree 176/2025) of a person
    born in ``birth_month`` ('YYYY-MM') with no pension: from the first day of the month after they reach
    the age (75, or 70 in a poor or near-poor household; the latest parameter values), and not before the
    scheme's first day. Returns ``{"on": date, "age": int, "result": <quote result>, "error": None}`` or
    ``{"result": None, "error": <message>}``."""
    name = "social_pension.min_age_poor_or_near_poor" if poor_or_near_poor else "social_pension.min_age"
    ages = params.parameter(name).values
    age = ages[-1].value
    born = _month_start(birth_month)
    index = (born.year + age) * 12 + born.month  # the month after the birthday month
    on = max(date(index // 12, index % 12 + 1, 1), ages[0].start)
    request = {"kind": "social_pension", "on": on.isoformat(), "birth_date": born.isoformat(),
               "has_pension": False, "poor_or_near_poor": poor_or_near_poor}
    try:
        result = quote(request, params=params)
    except RuleError as error:
        return {"on": on, "age": age, "result": None, "error": error.message}
    return {"on": on, "age": result["age"], "result": result, "error": None}
