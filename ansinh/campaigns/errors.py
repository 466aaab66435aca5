"""Campaign and target errors with their Vietnamese messages (constants, so tests assert them exactly)."""

from ansinh.core.errors import OutOfScope, ValidationError

GOAL_NEGATIVE = "Chỉ tiêu không được là số âm."
GOAL_NOT_NUMBER = "Chỉ tiêu phải là một số."
GOAL_TOO_LARGE = "Chỉ tiêu quá lớn (tối đa 99.999.999.999.999)."
GOAL_NOT_WHOLE = "Chỉ tiêu số người hoặc số tiền phải là số nguyên."
PERCENT_ABOVE_100 = "Chỉ tiêu tỷ lệ không được vượt quá 100%."
PERIOD_ORDER = "Ngày kết thúc kỳ chỉ tiêu không được trước ngày bắt đầu."
PERIOD_OUTSIDE_CAMPAIGN = "Kỳ chỉ tiêu phải nằm trong thời gian chiến dịch ({start} – {end})."
UNIT_MISSING = "Phải chọn đúng một đơn vị nhận chỉ tiêu: địa bàn, chi hội/tổ TK&VV hoặc nhân viên thu."
UNIT_OUT_OF_SCOPE = "Đơn vị nhận chỉ tiêu nằm ngoài địa bàn bạn phụ trách."
GOAL_KIND_MISMATCH = "Chỉ tiêu «{indicator}» phải giao theo {kind}."
INDICATOR_UNKNOWN = "Chỉ tiêu không hợp lệ."
UNIT_CLOSED = "Đơn vị đã đóng từ {closed_on}."
TARGET_DUPLICATE = "Đơn vị này đã có chỉ tiêu cùng loại cho cùng kỳ."
CAMPAIGN_PERIOD_ORDER = "Ngày kết thúc chiến dịch không được trước ngày bắt đầu."
CAMPAIGN_LAUNCH_OUTSIDE = "Ngày ra quân phải nằm trong thời gian chiến dịch."
CAMPAIGN_CODE_TAKEN = "Mã chiến dịch này đã được dùng."
CAMPAIGN_NEEDS_PROVINCE = "Chỉ cán bộ cấp tỉnh được tạo hoặc sửa chiến dịch."
CAMPAIGN_OTHER_PROVINCE = "Chiến dịch này thuộc tỉnh khác."
CAMPAIGN_CODE_MISSING = "Vui lòng nhập mã chiến dịch."
CAMPAIGN_NAME_MISSING = "Vui lòng nhập tên chiến dịch."
TARGETS_OUTSIDE_CAMPAIGN = ("Có chỉ tiêu nằm ngoài thời gian mới của chiến dịch ({start} – {end}): sửa kỳ các chỉ tiêu "
                            "đó trước.")
COPY_SAME_CAMPAIGN = "Hãy chọn một chiến dịch khác để sao chép chỉ tiêu."


class TargetInvalid(ValidationError):
    """A target's goal, period or indicator is refused."""

    code = "target_invalid"
    message = "Chỉ tiêu không hợp lệ."


class TargetGoalNegative(TargetInvalid):
    code = "goal_negative"
    message = GOAL_NEGATIVE


class TargetPercentTooHigh(TargetInvalid):
    code = "percent_above_100"
    message = PERCENT_ABOVE_100


class TargetPeriodInvalid(TargetInvalid):
    code = "period_invalid"
    message = PERIOD_ORDER


class TargetGoalKindMismatch(TargetInvalid):
    code = "goal_kind_mismatch"
    message = "Cách giao chỉ tiêu không khớp với loại chỉ tiêu."


class TargetUnitInvalid(TargetInvalid):
    code = "unit_invalid"
    message = UNIT_MISSING


class TargetUnitClosed(TargetInvalid):
    """The target's association unit or agent closed on or before the end of its period."""

    code = "target_unit_closed"


class TargetDuplicate(TargetInvalid):
    code = "target_duplicate"
    message = TARGET_DUPLICATE


class TargetOutOfScope(OutOfScope):
    code = "unit_out_of_scope"
    message = UNIT_OUT_OF_SCOPE


class CampaignInvalid(ValidationError):
    code = "campaign_invalid"
    message = "Chiến dịch không hợp lệ."

