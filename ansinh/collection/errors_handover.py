"""Errors of the cash handover, each with its Vietnamese message (a constant) and the form field it
concerns (``field``)."""

from ansinh.core.errors import ValidationError

AMOUNT_INVALID = "Số tiền bàn giao: phải là số nguyên dương (đồng); 0 đ chỉ khi tiền mặt của những ngày này bằng 0."
AMOUNT_TOO_LARGE = ("Số tiền bàn giao: {amount} lớn hơn số tiền mặt đã thu trừ các khoản hủy trong những ngày "
                    "này ({due}).")
RECEIVED_INVALID = "Số tiền thực nhận: phải là số nguyên không âm (đồng)."
RECEIVED_TOO_LARGE = "Số tiền thực nhận: {received} lớn hơn số tiền đã khai bàn giao ({amount})."
HANDED_TO_REQUIRED = "Người nhận tiền: vui lòng ghi họ tên người nhận (thủ quỹ, cán bộ)."
DATES_ORDER = "Đến ngày: phải từ ngày bắt đầu trở đi."
DATES_TOO_LONG = "Đến ngày: một lần bàn giao gồm tối đa {days} ngày."
DATES_AFTER_HANDOVER = "Đến ngày: không được sau ngày bàn giao ({handed_on})."
HANDED_ON_FUTURE = "Ngày bàn giao: không được sau hôm nay."
NOTHING_TO_HAND_OVER = "Từ ngày: không có tiền mặt nào cần bàn giao từ {date_from} đến {date_to}."
DAY_HANDED_OVER = "Từ ngày: tiền ngày {days} đã được bàn giao (lần bàn giao ngày {handed_on}); mỗi ngày chỉ bàn giao một lần."
ALREADY_CONFIRMED = "Số tiền thực nhận: lần bàn giao này đã được xác nhận ngày {confirmed_at} bởi {by}."
NOT_AN_AGENT = "Chỉ nhân viên thu ghi nhận bàn giao tiền của mình."
HOLD_DAYS_INVALID = "Số ngày làm việc được giữ tiền: từ 0 đến 30."


class HandoverError(ValidationError):
    """A handover or its confirmation refused. ``field`` names the form field it concerns."""

    code = "handover_invalid"

    def __init__(self, message: str | None = None, *, field: str | None = None, code: str | None = None):
        super().__init__(message, code=code, field=field)

    @property
    def field(self) -> str | None:
        return self.details.get("field")


class HandoverAmountInvalid(HandoverError):
    code = "handover_amount_invalid"
    message = AMOUNT_INVALID

    def __init__(self, message: str | None = None, *, field: str | None = None, code: str | None = None):
        if message is None and field == "amount_received":
            message = RECEIVED_INVALID
        super().__init__(message, field=field, code=code)


class HandoverTooLarge(HandoverError):
    code = "handover_too_large"
    message = AMOUNT_TOO_LARGE


class HandoverDatesInvalid(HandoverError):
    code = "handover_dates_invalid"
    message = DATES_ORDER


class NothingToHandOver(HandoverError):
    code = "nothing_to_hand_over"
    message = NOTHING_TO_HAND_OVER


class DayAlreadyHandedOver(HandoverError):
    code = "day_already_handed_over"
    message = DAY_HANDED_OVER


class HandoverAlreadyConfirmed(HandoverError):
    code = "handover_already_confirmed"
    message = ALREADY_CONFIRMED
