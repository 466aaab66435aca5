"""Parameter values as people type and read them: parsing a typed value for a unit (Vietnamese
number formats, JSON for structured units) and showing a value in Vietnamese.

The legal check itself is the rules loader's (``ansinh.rules.parameter_units.check_value`` and
``ParameterSet.with_extra_values``); this module only turns text into the raw value those checks take,
and turns their refusals into Vietnamese messages.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from ansinh.core.money import format_vnd
from ansinh.rules import parameter_units
from ansinh.rules.breakdown import pct_text
from ansinh.rules.money import plain_number
from ansinh.rules.errors import ParameterError
from ansinh.rules.parameters import default_parameters
from ansinh.rules.labels import GROUP_LABELS_VI  # noqa: F401  (also read from here by the pages)

from .errors import VALUE_INVALID, VALUE_NEGATIVE, VALUE_REQUIRED, ParameterValueRefused

INTEGER_UNITS = frozenset({"VND", "months", "days", "years"})
DECIMAL_UNITS = frozenset({"percent", "percent_per_month", "multiplier"})
TEXT_UNITS = frozenset({"code", "alias"})
JSON_UNITS = frozenset({"percent_by_group", "percent_list", "months_by_mode", "months_list",
                        "multiplier_by_period", "rate_bands"})

UNIT_LABELS_VI = {
    "VND": "đồng",
    "percent": "phần trăm",
    "percent_per_month": "phần trăm mỗi tháng",
    "percent_by_group": "phần trăm theo nhóm",
    "percent_list": "danh sách phần trăm",
    "months": "tháng",
    "months_by_mode": "số tháng theo phương thức đóng",
    "months_list": "danh sách số tháng",
    "days": "ngày",
    "years": "năm",
    "multiplier": "hệ số",
    "multiplier_by_period": "hệ số theo kỳ",
    "age": "tuổi",
    "rate_bands": "bậc tỷ lệ",
    "code": "mã",
    "alias": "tham chiếu tới tham số khác",
}

UNIT_HINTS_VI = {
    "VND": "một số tiền nguyên không âm (đồng), ví dụ 2.530.000",
    "percent": "một tỷ lệ phần trăm từ 0 đến 100, ví dụ 4,5",
    "percent_per_month": "một lãi suất tháng tính bằng phần trăm, ví dụ 0,31",
    "percent_by_group": 'một bảng JSON nhóm → phần trăm, ví dụ {"poor": 50, "near_poor": 40, "other": 20}',
    "percent_list": "một danh sách JSON các phần trăm, ví dụ [100, 70, 60, 50, 40]",
    "months": "một số tháng nguyên không âm, ví dụ 120",
    "months_by_mode": 'một bảng JSON phương thức → số tháng, ví dụ {"monthly": 1, "3_months": 3}',
    "months_list": "một danh sách JSON số tháng tăng dần, ví dụ [3, 6, 12]",
    "days": "một số ngày nguyên không âm, ví dụ 30",
    "years": "một số năm nguyên không âm, ví dụ 15",
    "multiplier": "một hệ số không âm, ví dụ 20 hoặc 1,05",
    "multiplier_by_period": 'một bảng JSON kỳ → hệ số, ví dụ {"y2024": 1.05}',
    "age": "một độ tuổi dạng 61y6m (hoặc «61 tuổi 6 tháng»), số tháng từ 0 đến 11",
    "rate_bands": ('một bảng JSON bậc tỷ lệ, ví dụ {"bands": [{"from_years": 15, "pct": 45, '
                   '"pct_per_year": 2}], "max_pct": 75}'),
    "code": "một mã gồm chữ thường, chữ số và dấu _",
    "alias": "tên một tham số khác, ví dụ common.base_salary",
}


MODE_LABELS_VI = {
    "monthly": "Hằng tháng",
    "3_months": "3 tháng",
    "6_months": "6 tháng",
    "12_months": "12 tháng",
    "advance": "Đóng trước nhiều năm",
    "backpay": "Đóng bù cho những năm còn thiếu",
}

_THOUSANDS_RE = re.compile(r"-?\d{1,3}(\.\d{3})+")
_INTEGER_RE = re.compile(r"-?\d{1,15}")
_DECIMAL_RE = re.compile(r"-?\d{1,15}(\.\d{1,12})?")
_AGE_RE = re.compile(r"(\d{1,3})\s*(?:y|tuổi)\s*(?:(\d{1,2})\s*(?:m|tháng)?)?", re.IGNORECASE)


def _invalid(unit: str) -> ParameterValueRefused:
    return ParameterValueRefused(VALUE_INVALID.format(hint=UNIT_HINTS_VI.get(unit, unit)), code="value_invalid",
                                 field="value")


def _negative() -> ParameterValueRefused:
    return ParameterValueRefused(VALUE_NEGATIVE, code="value_negative", field="value")


def _has_negative(raw) -> bool:
    if isinstance(raw, bool):
        return False
    if isinstance(raw, (int, Decimal)):
        return raw < 0
    if isinstance(raw, Mapping):
        return any(_has_negative(v) for v in raw.values())
    if isinstance(raw, (list, tuple)):
        return any(_has_negative(v) for v in raw)
    return False


def _raw_value(unit: str, text: str):
    """The raw value typed for `unit` (before the unit check), or raise ParameterValueRefused."""
    if unit in INTEGER_UNITS:
        compact = re.sub(r"[\s\u00a0]", "", text).removesuffix("đồng").removesuffix("đ")
        if _THOUSANDS_RE.fullmatch(compact):
            compact = compact.replace(".", "")
        if not _INTEGER_RE.fullmatch(compact):
            raise _invalid(unit)
        return int(compact)
    if unit in DECIMAL_UNITS:
        compact = re.sub(r"[\s\u00a0%]", "", text).replace(",", ".")
        if not _DECIMAL_RE.fullmatch(compact):
            raise _invalid(unit)
        return Decimal(compact)
    if unit == "age":
        match = _AGE_RE.fullmatch(text.strip())
        if not match:
            raise _invalid(unit)
        return f"{int(match.group(1))}y{int(match.group(2) or 0)}m"
    if unit in TEXT_UNITS:
        return text.strip()
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=lambda name: None)
    except ValueError:
        raise _invalid(unit) from None


def value_parse(unit: str, text: str | None):
    """The value typed as `text` for a parameter of `unit`, normalised by the rules' unit check.

    Integers may be written 2530000 or 2.530.000 (đ optional); decimals 4,5 or 4.5; ages 61y6m;
    mappings and lists as JSON. Raises ParameterValueRefused (field ``value``) with VALUE_REQUIRED,
    VALUE_NEGATIVE or VALUE_INVALID (naming the expected form).
    """
    if text is None or not str(text).strip():
        raise ParameterValueRefused(VALUE_REQUIRED, code="value_required", field="value")
    raw = _raw_value(unit, str(text).strip())
    if _has_negative(raw):
        raise _negative()
    try:
        return parameter_units.check_value(unit, raw)
    except (ValueError, TypeError, InvalidOperation):
        raise _invalid(unit) from None


def value_json(value) -> str:
    """A normalised value as the JSON text stored on a ParameterValue (decimals as strings)."""
    return json.dumps(parameter_units.json_value(value), ensure_ascii=False, sort_keys=False)


def value_load(text: str):
    """The raw value of a stored JSON text, as the rules loader takes it."""
    return json.loads(text, parse_float=Decimal)


# ---------- Showing values ----------

def _decimal(raw) -> Decimal:
    return raw if isinstance(raw, Decimal) else Decimal(str(raw))


def number_text(raw) -> str:
    """4.50 -> '4,5'; 20 -> '20'; 2340000 -> '2.340.000'."""
    number = plain_number(_decimal(raw))
    if isinstance(number, int):
        return f"{number:,}".replace(",", ".")
    return str(number).replace(".", ",")


def percent_text(raw) -> str:
    return pct_text(_decimal(raw))


def age_text(raw: str) -> str:
    """'61y6m' -> '61 tuổi 6 tháng'; '62y0m' -> '62 tuổi'."""
    match = parameter_units.AGE_RE.match(raw) if isinstance(raw, str) else None
    if not match:
        return str(raw)
    years, months = int(match.group(1)), int(match.group(2))
    return f"{years} tuổi {months} tháng" if months else f"{years} tuổi"


def value_text(value, unit: str) -> str:
    """A parameter value shown in Vietnamese for its unit (a value of None ends the parameter)."""
    if value is None:
        return "Hết hiệu lực"
    if unit == "VND":
        return format_vnd(int(value))
    if unit == "percent":
        return percent_text(value)
    if unit == "percent_per_month":
        return f"{percent_text(value)}/tháng"
    if unit == "percent_by_group":
        return " · ".join(f"{GROUP_LABELS_VI.get(k, k)}: {percent_text(v)}" for k, v in value.items())
    if unit == "percent_list":
        return " · ".join(percent_text(v) for v in value)
    if unit in ("months", "days", "years"):
        return f"{number_text(value)} {UNIT_LABELS_VI[unit]}"
    if unit == "months_by_mode":
        return " · ".join(f"{MODE_LABELS_VI.get(k, k)}: {v} tháng" for k, v in value.items())
    if unit == "months_list":
        return ", ".join(str(v) for v in value) + " tháng"
    if unit == "multiplier":
        return f"{number_text(value)} lần"
    if unit == "multiplier_by_period":
        return " · ".join(f"{PERIOD_LABELS_VI.get(k, k)}: {number_text(v)} tháng" for k, v in value.items())
    if unit == "code":
        return code_label(value)
    if unit == "age":
        return age_text(value)
    if unit == "rate_bands":
        bands = [
            f"từ {b['from_years']} năm: {percent_text(b['pct'])}, thêm {percent_text(b['pct_per_year'])} mỗi năm"
            for b in value["bands"]
        ]
        return "; ".join(bands) + f"; tối đa {percent_text(value['max_pct'])}"
    return str(value)


PERIOD_LABELS_VI = {"before_2014": "Các năm trước 2014", "from_2014": "Các năm từ 2014"}
"""Keys of a value per period of contribution years (benefits.lump_sum_months_per_year)."""


@functools.cache
def _code_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    params = default_parameters()
    for name in params.names():
        labels.update(params.parameter(name).value_labels or {})
    return labels


def code_label(code) -> str:
    """A code value's Vietnamese name from its parameter file's ``value_labels`` (the code itself when
    a file gives none, which a test forbids for the shipped files)."""
    return _code_labels().get(str(code), str(code))


def parameter_label(name) -> str:
    """The Vietnamese name of the parameter ``name`` (the name itself when there is no such parameter)."""
    params = default_parameters()
    try:
        return params.parameter(str(name)).label
    except ParameterError:  # an unknown name is shown as it is
        return str(name)


def iso_date(text) -> date | None:
    """'2024-07-01' (or a date) as a date; None when it is not one."""
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None
