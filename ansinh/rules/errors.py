"""Errors of the rules package: one class per kind, Vietnamese messages kept as constants.

`RuleError` is what a caller (web page, API, CLI) shows to a person: a stable `code`, a Vietnamese
`message` and JSON-safe `details`. `ParameterError` is a defect in the parameter data (a YAML file or a
value added at runtime): it is raised when the data is loaded, never while pricing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

INCOME_BELOW_FLOOR = "income_below_floor"
INCOME_ABOVE_CEILING = "income_above_ceiling"
INCOME_OFF_STEP = "income_off_step"
INVALID_MONTHS = "invalid_months"
INVALID_MEMBERS = "invalid_members"
BACKPAY_NOT_ELIGIBLE = "backpay_not_eligible"
NOT_ELIGIBLE = "not_eligible"
INVALID_REQUEST = "invalid_request"
NO_PARAMETER_FOR_DATE = "no_parameter_for_date"

MESSAGES_VI: dict[str, str] = {
    INCOME_BELOW_FLOOR: "Mức thu nhập chọn đóng thấp hơn mức tối thiểu (chuẩn hộ nghèo khu vực nông thôn).",
    INCOME_ABOVE_CEILING: "Mức thu nhập chọn đóng cao hơn mức tối đa được phép.",
    INCOME_OFF_STEP: "Mức thu nhập chọn đóng phải bằng mức tối thiểu cộng một số lần bước thu nhập.",
    INVALID_MONTHS: "Số tháng đóng không hợp lệ với phương thức đóng đã chọn.",
    INVALID_MEMBERS: "Danh sách thành viên hộ gia đình không hợp lệ (trống hoặc thứ tự không hợp lệ).",
    BACKPAY_NOT_ELIGIBLE: "Không đủ điều kiện đóng một lần cho những năm còn thiếu.",
    NOT_ELIGIBLE: "Chưa đủ số năm đóng bảo hiểm xã hội để hưởng lương hưu.",
    INVALID_REQUEST: "Yêu cầu không hợp lệ.",
    NO_PARAMETER_FOR_DATE: "Chưa có tham số pháp lý áp dụng cho ngày này.",
}

ERROR_CODES = frozenset(MESSAGES_VI)


def _json_safe(value):
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return str(value)


class RuleError(Exception):
    """A request the rules refuse. `code` is one of ERROR_CODES, `message` is Vietnamese.

    Usage: ``raise RuleError(INVALID_MONTHS, None, months=4, allowed=[3, 6, 12])``; a message of None
    takes the standard message of the code. ``to_dict()`` gives the CLI/API error object.
    """

    def __init__(self, code: str, message_vi: str | None = None, **details):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown rule error code {code!r}")
        self.code = code
        self.message = message_vi or MESSAGES_VI[code]
        self.details = {k: _json_safe(v) for k, v in details.items()}
        super().__init__(f"{code}: {self.message}")

    def to_dict(self) -> dict:
        return {"error": self.code, "message": self.message, **self.details}


class ParameterError(ValueError):
    """The parameter data is wrong (unknown key, missing reference, bad unit, dates out of order...)."""
