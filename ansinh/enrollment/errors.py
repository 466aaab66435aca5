"""Enrolment errors with their Vietnamese messages."""

from ansinh.core.errors import AnSinhError


class PricingError(AnSinhError):
    """The rules module refused the request; ``code`` is the rules error code."""

    code = "pricing_error"
    message = "Không tính được mức đóng."


class NoEligibleMembers(AnSinhError):
    code = "invalid_members"
    message = "Hộ gia đình không có thành viên nào thuộc diện tham gia BHYT hộ gia đình."


class AlreadyCovered(AnSinhError):
    code = "already_covered"
    message = "Người này đã có thẻ BHYT/thời gian đóng BHXH còn hiệu lực trong kỳ đã chọn."


class NotEligible(AnSinhError):
    code = "not_eligible"
    message = "Người này không thuộc diện tham gia BHXH tự nguyện."


class QuoteOutdated(AnSinhError):
    """A quote priced on another day than the payment gives another amount under the law of the payment
    day; ``details["due"]`` is that amount (VND)."""

    code = "quote_outdated"
    message = "Báo giá đã cũ: mức đóng theo quy định ngày nộp tiền đã khác. Hãy lập báo giá mới."


class PaidBeforeQuote(AnSinhError):
    """A payment dated before the day its quote was made."""

    code = "paid_before_quote"
    message = "Ngày nộp tiền không được trước ngày lập báo giá."


class MonthsNotMissing(AnSinhError):
    """The months a back-payment or an advance would cover are not where they may be placed: back-paid
    months must be missing months before the payment month (in one run), advance months come after the
    months already paid."""

    code = "invalid_months"
    message = "Các tháng đóng không hợp lệ: trùng hoặc không liền với những tháng còn thiếu."
