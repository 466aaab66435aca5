"""Collection errors with their Vietnamese messages."""

from ansinh.core.errors import AnSinhError

KEY_MESSAGE = "Thiếu hoặc sai mã giao dịch; vui lòng tải lại trang rồi nhập lại."
"""The one message for a bad hidden transaction key (idempotency key), whatever is wrong with it."""

CANCELLED_QUOTE_MESSAGE = ("Báo giá này đã hủy (hộ đã nộp tiền theo báo giá khác, hoặc khoản thu đã bị hủy); "
                           "hãy lập báo giá mới nếu cần.")


class AmountMismatch(AnSinhError):
    code = "amount_mismatch"
    message = "Số tiền nộp không khớp với số phải đóng."


class InvalidAmount(AnSinhError):
    code = "invalid_amount"
    message = "Số tiền phải là số nguyên dương (đồng)."


class AlreadyPaid(AnSinhError):
    code = "already_paid"
    message = "Khoản đóng này đã được thu tiền."


class IdempotencyConflict(AnSinhError):
    code = "idempotency_conflict"
    message = "Mã giao dịch này đã được dùng cho một khoản thu khác."


class NotReversible(AnSinhError):
    code = "not_reversible"
    message = "Khoản thu này không thể hủy."
