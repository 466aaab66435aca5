"""The quote entry point: one JSON request in, one JSON result (with its breakdown) out.

Request kinds and keys (money in integer VND, dates 'YYYY-MM-DD', months 'YYYY-MM'; a key left out
takes the default shown; unknown keys are refused):

vsi_contribution  on; income; payment_mode = monthly (monthly | 3_months | 6_months | 12_months |
                  advance | backpay); months = the mode's own (required for advance and backpay);
                  support_group = "other" (poor | near_poor | ethnic_minority | island_commune | other |
                  none, or a list: the highest support wins); months_already_supported = 0;
                  fund_rate_monthly = vsi.fund_rate_monthly of the year before the payment year (a
                  decimal ratio such as "0.0025" for 0,25%); reached_retirement_age = false and
                  contribution_months (backpay); province_code = none (local support)
                  -> gross, state_support, local_support, amount_due, payable
hi_household      on; members (count, ranks 1..n) or ranks (list); months = 12 (3 | 6 | 12);
                  support_pct = 0 (percent for every member, or a list with one per member)
                  -> per_member (rank order), total, state_support, payable
pension_rate      on; sex (male | female); contribution_months -> rate_pct
pension_amount    on; sex; contribution_months; average_income -> rate_pct, monthly_pension
retirement_age    sex; birth_month ('YYYY-MM'); on (accepted, unused: the age is the one in force for
                  the year the person reaches it) -> retirement_age, month_reaching_age,
                  pension_start_month
hi_card           paid_on; months (3 | 6 | 12); previous_card_end = null (last day of the previous card);
                  first_time = (previous_card_end is null): a first participation has no previous card
                  -> valid_from, valid_to (both inclusive), rule, rule_text
lump_sum          on; contribution_months_before_2014; contribution_months_from_2014; average_income
                  (adjusted, VND/month); state_support_received (VND); contributions_paid (own money
                  paid, VND; required under 12 months in all); reason = other (serious_illness |
                  incapacity_81 | other) -> gross, state_support_deducted, amount
social_pension    on; age (whole years on `on`) or birth_date; has_pension; poor_or_near_poor = false;
                  province = none (a key of social_pension.local_top_up, e.g. ha_noi)
                  -> eligible, monthly_amount; with province also local_amount, total_monthly

Errors raise RuleError; `quote_cli` turns them into {"error", "message", ...} with exit status 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import TextIO

from .dates import whole_years_between
from .errors import INCOME_ABOVE_CEILING, INVALID_MEMBERS, INVALID_MONTHS, INVALID_REQUEST, RuleError
from .hi_card import hi_card_validity
from .household_hi import household_hi_contribution, household_hi_support_minimum_pct
from .lump_sum import REASON_OTHER, REASONS, vsi_lump_sum
from .money import plain_number
from .parameters import ParameterSet, default_parameters
from .pension import SEXES, pension_amount, pension_rate
from .request_fields import (
    MAX_AGE_YEARS,
    MAX_CARD_AHEAD_DAYS,
    MAX_CONTRIBUTION_MONTHS,
    MAX_FUND_RATE_MONTHLY,
    MAX_HOUSEHOLD_RANK,
    MISSING,
    RequestFields,
    decimal_number,
    invalid,
    whole_number,
)
from .retirement_age import retirement_age
from .social_pension import social_pension
from .vsi_contribution import vsi_contribution

DEFAULT_HI_MONTHS = 12
LAST_CARD_DATE = date(9900, 1, 1)
"""Sanity bound: a card paid or ending later could run past the last date the calendar can hold."""


def _support_groups(fields: RequestFields) -> tuple[str, ...]:
    """One group code or a list of them; the codes themselves are checked by the support rule."""
    value = fields.raw("support_group", "other")
    groups = [value] if isinstance(value, str) else value
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise invalid("support_group", "«support_group» phải là một mã nhóm hoặc một danh sách mã nhóm.",
                      value=str(value))
    return tuple(groups)


def _fund_rate(fields: RequestFields) -> Decimal | None:
    if not fields.given("fund_rate_monthly"):
        return None
    value = fields.raw("fund_rate_monthly")
    rate = decimal_number(value)
    if rate is None or not 0 <= rate <= MAX_FUND_RATE_MONTHLY:
        raise invalid("fund_rate_monthly", "«fund_rate_monthly» phải là lãi suất tháng dạng số thập phân "
                      "(ví dụ \"0.0025\" cho 0,25%).", value=str(value))
    return rate


def _quote_vsi(fields: RequestFields, params: ParameterSet) -> dict:
    return vsi_contribution(
        on=fields.date("on"),
        income=fields.integer("income", minimum=0, too_large_code=INCOME_ABOVE_CEILING),
        payment_mode=fields.text("payment_mode", "monthly"),
        months=fields.integer("months", None, minimum=1, code=INVALID_MONTHS),
        support_groups=_support_groups(fields),
        months_already_supported=fields.integer("months_already_supported", 0, minimum=0),
        fund_rate_monthly=_fund_rate(fields),
        reached_retirement_age=fields.boolean("reached_retirement_age", False),
        contribution_months=fields.integer("contribution_months", None, minimum=0, maximum=MAX_CONTRIBUTION_MONTHS),
        province_code=fields.code("province_code"),
        params=params,
    ).to_dict()


def _ranks(fields: RequestFields) -> list[int]:
    if fields.given("ranks"):
        value = fields.raw("ranks")
        if not isinstance(value, list):
            raise invalid("ranks", "«ranks» phải là danh sách thứ tự thành viên.")
        ranks = [whole_number(v) for v in value]
        if any(r is None for r in ranks):
            raise invalid("ranks", "«ranks» chỉ gồm các số nguyên.")
        if any(not 1 <= r <= MAX_HOUSEHOLD_RANK for r in ranks):
            raise invalid("ranks", "Thứ tự thành viên nằm ngoài giới hạn.", INVALID_MEMBERS, ranks=ranks)
        if fields.given("members") and fields.integer("members") != len(ranks):
            raise invalid("members", "«members» khác số phần tử của «ranks».")
        return ranks
    count = fields.integer("members", minimum=1, maximum=MAX_HOUSEHOLD_RANK, code=INVALID_MEMBERS)
    return list(range(1, count + 1))


def _quote_hi(fields: RequestFields, params: ParameterSet) -> dict:
    ranks = _ranks(fields)
    raw_support = fields.raw("support_pct", 0)
    if isinstance(raw_support, list):
        support = [fields.percent("support_pct", v) for v in raw_support]
    else:
        support = fields.percent("support_pct", raw_support)
    return household_hi_contribution(
        on=fields.date("on"),
        months=fields.integer("months", DEFAULT_HI_MONTHS, minimum=1, code=INVALID_MONTHS),
        ranks=ranks,
        support_pct=support,
        params=params,
    ).to_dict()


def _pension_args(fields: RequestFields) -> dict:
    return {
        "on": fields.date("on"),
        "sex": fields.choice("sex", SEXES),
        "contribution_months": fields.integer("contribution_months", minimum=0, maximum=MAX_CONTRIBUTION_MONTHS),
    }


def _quote_pension_rate(fields: RequestFields, params: ParameterSet) -> dict:
    return pension_rate(**_pension_args(fields), params=params).to_dict()


def _quote_pension_amount(fields: RequestFields, params: ParameterSet) -> dict:
    args = _pension_args(fields)
    average_income = fields.integer("average_income", minimum=0)
    return pension_amount(**args, average_income=average_income, params=params).to_dict()


def _quote_retirement_age(fields: RequestFields, params: ParameterSet) -> dict:
    if fields.given("on"):
        fields.date("on")
    year, month = fields.month("birth_month")
    return retirement_age(sex=fields.choice("sex", SEXES), birth_year=year, birth_month=month, params=params).to_dict()


def _quote_hi_card(fields: RequestFields, params: ParameterSet) -> dict:
    paid_on = fields.date("paid_on")
    previous = fields.date("previous_card_end") if fields.given("previous_card_end") else None
    first_time = fields.boolean("first_time", previous is None)
    if first_time and previous is not None:
        raise invalid("first_time", "Tham gia lần đầu thì không có thẻ cũ: bỏ «previous_card_end» hoặc đặt "
                      "«first_time» là false.")
    if not first_time and previous is None:
        raise invalid("previous_card_end", "Không phải lần đầu tham gia: cần «previous_card_end» (ngày cuối "
                      "cùng thẻ cũ có giá trị).")
    if previous is not None and (previous - paid_on).days > MAX_CARD_AHEAD_DAYS:
        raise invalid("previous_card_end", "«previous_card_end» quá xa sau ngày đóng.")
    months = fields.integer("months", minimum=1, maximum=MAX_CONTRIBUTION_MONTHS, code=INVALID_MONTHS)
    if max(paid_on, previous or paid_on) > LAST_CARD_DATE:
        raise invalid("paid_on", "«paid_on» nằm ngoài khoảng ngày tính được.")
    return hi_card_validity(paid_on=paid_on, months=months, previous_valid_to=previous, params=params).to_dict()


def _quote_lump_sum(fields: RequestFields, params: ParameterSet) -> dict:
    return vsi_lump_sum(
        on=fields.date("on"),
        months_before_2014=fields.integer("contribution_months_before_2014", minimum=0,
                                          maximum=MAX_CONTRIBUTION_MONTHS),
        months_from_2014=fields.integer("contribution_months_from_2014", minimum=0, maximum=MAX_CONTRIBUTION_MONTHS),
        average_income=fields.integer("average_income", minimum=0),
        state_support_received=fields.integer("state_support_received", minimum=0),
        paid_total=fields.integer("contributions_paid", None, minimum=0),
        reason=fields.choice("reason", REASONS, REASON_OTHER),
        params=params,
    ).to_dict()


def _social_pension_age(fields: RequestFields, on) -> int:
    if fields.given("age") == fields.given("birth_date"):
        raise invalid("age", "Cần đúng một trong hai trường «age» hoặc «birth_date».")
    if fields.given("age"):
        return fields.integer("age", minimum=0, maximum=MAX_AGE_YEARS)
    born = fields.date("birth_date")
    if born > on or on.year - born.year > MAX_AGE_YEARS:
        raise invalid("birth_date", "«birth_date» phải là một ngày trước «on».")
    return whole_years_between(born, on)


def _quote_social_pension(fields: RequestFields, params: ParameterSet) -> dict:
    on = fields.date("on")
    province = fields.code("province")
    if province is not None and not province[0].isalnum():
        raise invalid("province", "«province» phải là một mã (chữ thường, chữ số).", value=province)
    return social_pension(
        on=on,
        age=_social_pension_age(fields, on),
        has_pension=fields.boolean("has_pension", MISSING),
        poor_or_near_poor=fields.boolean("poor_or_near_poor", False),
        province=province,
        params=params,
    ).to_dict()


QUOTE_KINDS: Mapping[str, tuple[frozenset, Callable]] = {
    "vsi_contribution": (
        frozenset({"on", "income", "months", "payment_mode", "support_group", "months_already_supported",
                   "fund_rate_monthly", "reached_retirement_age", "contribution_months", "province_code"}),
        _quote_vsi,
    ),
    "hi_household": (frozenset({"on", "members", "ranks", "months", "support_pct"}), _quote_hi),
    "pension_rate": (frozenset({"on", "sex", "contribution_months"}), _quote_pension_rate),
    "pension_amount": (frozenset({"on", "sex", "contribution_months", "average_income"}), _quote_pension_amount),
    "retirement_age": (frozenset({"on", "sex", "birth_month"}), _quote_retirement_age),
    "hi_card": (frozenset({"paid_on", "months", "previous_card_end", "first_time"}), _quote_hi_card),
    "lump_sum": (
        frozenset({"on", "contribution_months_before_2014", "contribution_months_from_2014", "average_income",
                   "state_support_received", "contributions_paid", "reason"}),
        _quote_lump_sum,
    ),
    "social_pension": (
        frozenset({"on", "age", "birth_date", "has_pension", "poor_or_near_poor", "province"}),
        _quote_social_pension,
    ),
}


def _json_ready(value):
    """Decimals to JSON numbers: whole ones as int; fractional ones are rates (e.g. 44.5%), never money."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value


def quote(request: Mapping, *, params: ParameterSet | None = None) -> dict:
    """Answer one quote request (see the module docstring for kinds, keys and defaults).

    Returns a JSON-serialisable dict: the result keys, `kind` and `breakdown` (lines with label,
    amount in VND, formula, parameters used, legal reference, confidence, rounding and notes).
    Raises RuleError with code income_below_floor, income_above_ceiling, income_off_step,
    invalid_months, invalid_members, backpay_not_eligible, not_eligible, invalid_request or
    no_parameter_for_date. `params` defaults to the packaged parameters (pass
    default_parameters().with_extra_values(...) to include values stored at runtime).
    """
    if not isinstance(request, Mapping):
        raise RuleError(INVALID_REQUEST, "Yêu cầu phải là một đối tượng JSON.", field=None)
    kind = request.get("kind")
    if not isinstance(kind, str) or kind not in QUOTE_KINDS:
        raise invalid("kind", f"«kind» phải là một trong: {', '.join(QUOTE_KINDS)}.", value=str(kind))
    allowed, handler = QUOTE_KINDS[kind]
    fields = RequestFields(request, allowed | {"kind"})
    return _json_ready(handler(fields, params or default_parameters()))


def hi_state_support_pct(*, group: str, on, params: ParameterSet | None = None) -> int | Decimal:
    """Minimum state support percent of household HI for a member's group ('near_poor', 'student',
    'agri_average') on date `on`; 0 for a group without one. Decree 146/2018 Art 4; Decree 188/2025."""
    return plain_number(household_hi_support_minimum_pct(on, group, params) or Decimal(0))


def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def _no_constants(name):
    raise ValueError(f"{name} is not a number")


def quote_cli(argument: str, stdin: TextIO | str | None = None, *, params: ParameterSet | None = None) -> tuple[int, str]:
    """What `ansinh quote '<json>'` / `ansinh quote -` prints: (exit status, one JSON object).

    argument: the request JSON, or '-' to read it from `stdin` (a text stream or a string; default
    sys.stdin). Exit 0 with the result, or 2 with {"error": code, "message": Vietnamese text, ...}.
    Invalid JSON, duplicate keys, NaN and non-object JSON give invalid_request; never a traceback.
    """
    if argument == "-":
        stdin = sys.stdin if stdin is None else stdin
        text = stdin if isinstance(stdin, str) else stdin.read()
    else:
        text = argument
    try:
        try:
            request = json.loads(text, parse_float=Decimal, parse_constant=_no_constants,
                                 object_pairs_hook=_no_duplicate_keys)
        except (ValueError, RecursionError) as error:
            raise RuleError(INVALID_REQUEST, "Yêu cầu không phải là JSON hợp lệ.", reason=str(error)) from None
        result = quote(request, params=params)
    except RuleError as error:
        return 2, json.dumps(error.to_dict(), ensure_ascii=False, indent=2)
    return 0, json.dumps(result, ensure_ascii=False, indent=2)
