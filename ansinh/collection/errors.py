"""Collection errors with their Vietnamese messages."""

from ansinh.areas.errors_structure import StructureError
from ansinh.core.errors import AnSinhError

KEY_MESSAGE = "Thiếu hoặc sai mã giao dịch; vui lòng tải lại trang rồi nhập lại."
"""The one message for a bad hidden transaction key (idempotency key), whatever is wrong with it."""

REPLAY_MESSAGE = ("Mã giao dịch này đã được dùng với nội dung khác; khoản thu không được ghi. Hãy dùng mã giao "
                  "dịch mới cho một khoản thu mới.")
"""A key sent again (through the API) with another request than the first."""

OTHER_USER_KEY_MESSAGE = ("Mã giao dịch này đã được một người dùng khác sử dụng; khoản thu không được ghi. Hãy dùng "
                          "mã giao dịch mới cho một khoản thu mới.")
"""A key already used by another user: its receipt is never answered to someone else."""

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


PAID_ON_FUTURE = "Ngày nộp không được sau hôm nay."
PAID_ON_TOO_OLD = ("Ngày nộp không được sớm hơn {earliest} ({days} ngày trước hôm nay); khoản thu cũ hơn phải do "
                   "cán bộ BHXH điều chỉnh.")


class PaymentDateInvalid(AnSinhError):
    code = "invalid_paid_on"
    message = "Ngày nộp không hợp lệ."


class NotReversible(AnSinhError):
    code = "not_reversible"
    message = "Khoản thu này không thể hủy."


# --- The structure kept by the provincial administrator (organisations, agents, assignments) ---------

ORG_HAS_OPEN_AGENTS = ("Tổ chức này còn {count} nhân viên thu đang làm việc; hãy cho các nhân viên nghỉ "
                       "(hoặc chuyển sang tổ chức khác) trước khi đóng tổ chức.")
ORG_CLOSED = "Tổ chức «{name}» đã đóng từ ngày {closed_on}; không thể thêm hoặc sửa nhân viên thu."
SUCCESSOR_SELF = "Tổ chức kế thừa phải là một tổ chức khác."
SUCCESSOR_CYCLE = "Tổ chức kế thừa không được là tổ chức đã được «{name}» kế thừa."
VALID_FROM_AFTER_CLOSE = "Ngày bắt đầu hoạt động không được sau ngày đóng ({closed_on})."
AGENT_HAS_HOUSEHOLDS = ("Còn {count} hộ đang giao cho nhân viên thu này; hãy giao các hộ đó cho nhân viên "
                        "khác trước khi cho nghỉ.")
AGENT_HAS_ACCOUNTS = ("Còn {count} tài khoản đang dùng nhân viên thu này — hãy khóa hoặc đổi phạm vi các tài "
                      "khoản đó trước.")
CATCHMENT_LEAVES_HOUSEHOLDS = "Còn {count} hộ ngoài địa bàn mới (đầu tiên: {code}) — hãy giao lại trước."
AGENT_PAID_AFTER = "Nhân viên thu này có khoản thu ngày {paid_on}; ngày nghỉ không được trước ngày đó."
AGENT_CLOSED = "Nhân viên thu «{name}» đã nghỉ từ ngày {closed_on}; không thể giao hộ hay sửa địa bàn."
PHONE_INVALID = "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."
CATCHMENT_EMPTY = "Vui lòng chọn ít nhất một xã/phường."
HAMLET_TOO_LONG = "Tên ấp dài tối đa 100 ký tự: «{hamlet}»."
STARTS_ON_FUTURE = "Ngày hiệu lực không được sau hôm nay."
STARTS_ON_BEFORE_LAST = ("Ngày hiệu lực không được trước ngày giao gần nhất của hộ {code} ({last}); "
                         "{count} hộ có lần giao sau ngày này.")
ASSIGNED_SAME_DAY = ("{count} hộ đã được giao cho nhân viên thu khác trong ngày {starts_on} (đầu tiên: {code}); "
                     "mỗi hộ chỉ giao một lần trong ngày — hãy chọn ngày hiệu lực khác.")
ALREADY_ASSIGNED = "đã giao từ trước"
NO_HOUSEHOLDS = "Không có hộ nào ở địa bàn đã chọn."
CODES_REQUIRED = "Vui lòng nhập mã hộ."
UNKNOWN_HOUSEHOLDS = "Không tìm thấy hộ có mã: {codes}."
HOUSEHOLDS_OUT_OF_PROVINCE = "Hộ {codes} không thuộc tỉnh bạn quản trị."
OUTSIDE_CATCHMENT = ("{count} hộ nằm ngoài địa bàn của nhân viên thu này (hộ đầu tiên: {code}); hãy thêm xã/ấp "
                     "của họ vào địa bàn trước.")
COMMUNE_NOT_IN_CATCHMENT = "Xã/phường «{name}» không thuộc địa bàn của nhân viên thu này."


class AssignmentRefused(StructureError):
    """Households not assigned: the agent is closed, a household lies outside the agent's catchment or
    the date does not fit. Nothing was written."""

    code = "assignment_refused"
    message = "Không giao được hộ cho nhân viên thu."
