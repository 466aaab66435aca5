"""Errors of cancelling a payment, each with its constant Vietnamese message; ``details["field"]`` names the
form field it belongs to (``payment``, ``request``, ``reason``, ``note``, ``refunded_by``, ``refunded_on``,
``amount``) so a page puts it there."""

from ansinh.core.errors import PermissionDenied, ValidationError

NOT_OWN_PAYMENT = "Nhân viên thu chỉ được yêu cầu hủy khoản thu do chính mình thu."
REASON_INVALID = "Vui lòng chọn lý do hủy."
NOTE_TOO_LONG = "Ghi chú dài tối đa 300 ký tự."
CHANGE_OF_MIND_TOO_LATE = ("Người nộp chỉ được đổi ý trong {days} ngày sau ngày nộp tiền ({paid_on}); khoản thu "
                           "này đã quá thời hạn đó.")
IS_A_REVERSAL = "Đây là bút toán hủy của một khoản thu khác; không hủy được."
ALREADY_CANCELLED = "Khoản thu này đã được hủy trước đó."
ALREADY_REQUESTED = "Khoản thu này đã có yêu cầu hủy đang chờ duyệt."
SENT_TO_AGENCY = ("Khoản thu này đã gửi danh sách cho cơ quan BHXH (hoặc đã cấp thẻ/sổ): việc điều chỉnh phải làm "
                  "qua cơ quan BHXH, không hủy được ở đây.")
LATER_PAYMENT = ("Đã có khoản thu sau khoản này cho cùng {whom} (biên lai số {number}); hãy hủy khoản thu sau "
                 "trước.")
ALREADY_DECIDED = "Yêu cầu hủy này đã được xử lý trước đó ({status})."
OWN_REQUEST = "Bạn không thể tự duyệt yêu cầu hủy do chính mình gửi; cần một cán bộ BHXH khác duyệt."
SECOND_OFFICER = ("Khoản thu này do bạn ghi nhận: theo quy định của tỉnh, việc hủy phải do một cán bộ BHXH "
                  "khác duyệt.")
NOT_AN_OFFICER = "Chỉ cán bộ BHXH phụ trách địa bàn mới được duyệt hoặc từ chối yêu cầu hủy thu."
REFUSAL_NOTE_REQUIRED = "Vui lòng ghi lý do từ chối."
REFUND_NOT_APPROVED = "Chỉ ghi hoàn tiền cho khoản thu đã được duyệt hủy."
REFUND_ALREADY = "Đã ghi hoàn tiền cho khoản thu này rồi."
REFUND_AMOUNT = "Số tiền hoàn phải là số nguyên dương, không quá số tiền đã thu ({amount})."
REFUND_BY = "Người trả lại tiền phải là nhân viên thu đã thu khoản này hoặc một cán bộ BHXH phụ trách."
REFUND_DATE = "Ngày hoàn tiền phải từ ngày duyệt hủy ({decided_on}) đến hôm nay."


class NotOwnPayment(PermissionDenied):
    code = "not_own_payment"
    message = NOT_OWN_PAYMENT


class NotAnOfficer(PermissionDenied):
    code = "not_an_officer"
    message = NOT_AN_OFFICER


class CancellationInvalid(ValidationError):
    """The request or decision cannot be made as given; nothing was written."""

    code = "cancellation_invalid"
    message = REASON_INVALID


class NotCancellable(ValidationError):
    """This payment cannot be cancelled (a reversal, already cancelled, already requested, sent to the agency,
    a later payment depends on it)."""

    code = "not_cancellable"
    message = ALREADY_CANCELLED


class SentToAgency(NotCancellable):
    code = "sent_to_agency"
    message = SENT_TO_AGENCY


class AlreadyDecided(ValidationError):
    code = "already_decided"
    message = ALREADY_DECIDED


class OwnRequest(ValidationError):
    code = "own_request"
    message = OWN_REQUEST


class SecondOfficerNeeded(ValidationError):
    code = "second_officer_needed"
    message = SECOND_OFFICER


class RefundInvalid(ValidationError):
    code = "refund_invalid"
    message = REFUND_NOT_APPROVED
