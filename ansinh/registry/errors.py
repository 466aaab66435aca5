"""Errors of the registry's services with their Vietnamese messages kept as constants, so tests and forms
assert them exactly. Each names the form field it concerns in ``details["field"]`` (``.field``)."""

from ansinh.core.errors import OutOfScope, ValidationError

# association units (branches, savings-and-loan groups) and their leaders
UNIT_CODE_REQUIRED = "Vui lòng nhập mã đơn vị."
UNIT_CODE_TAKEN = "Mã đơn vị «{code}» đã được dùng cho một chi hội hoặc tổ khác."
UNIT_NAME_REQUIRED = "Vui lòng nhập tên đơn vị."
UNIT_KIND_INVALID = "Loại đơn vị phải là chi hội nông dân hoặc tổ tiết kiệm và vay vốn."
UNIT_COMMUNE_NOT_COMMUNE = "Phải chọn một xã, phường, thị trấn."
UNIT_COMMUNE_OUT_OF_SCOPE = "Xã, phường này nằm ngoài tỉnh bạn phụ trách."
UNIT_OUT_OF_SCOPE = "Chi hội, tổ này nằm ngoài tỉnh bạn phụ trách."
UNIT_BRANCH_FOR_BRANCH = "Chi hội không trực thuộc một chi hội khác: để trống ô chi hội."
UNIT_BRANCH_NOT_BRANCH = "Tổ TK&VV phải gắn với một chi hội nông dân (không phải một tổ)."
UNIT_BRANCH_CLOSED = "Chi hội được chọn đã đóng ngày {day}."
UNIT_COMMUNE_OLD_MAP = "Đơn vị mới phải ở một xã, phường theo bản đồ hành chính từ 01/07/2025."
UNIT_COMMUNE_HAS_MEMBERS = ("Đơn vị còn {count} hội viên, thành viên nên không chuyển sang xã, phường khác được: "
                            "hãy lập đơn vị mới ở xã, phường đó rồi sáp nhập đơn vị này vào.")
UNIT_HAS_ACCOUNTS = ("Còn {count} tài khoản đang dùng đơn vị này — hãy khóa hoặc đổi phạm vi các tài khoản đó "
                     "trước.")
UNIT_CLOSED = "Đơn vị này đã đóng ngày {day}: không sửa, đổi người đứng đầu hay sáp nhập được nữa."
UNIT_DATE_IN_FUTURE = "Ngày không được sau hôm nay ({today})."
UNIT_HAS_MEMBERS = ("Đơn vị còn {count} hội viên, thành viên nên không đóng được: hãy sáp nhập vào một đơn vị "
                    "khác (hội viên được chuyển sang đơn vị nhận).")
UNIT_HAS_GROUPS = "Chi hội còn {count} tổ TK&VV đang hoạt động: hãy sáp nhập chi hội vào chi hội khác."
UNIT_CLOSE_BEFORE_LEADER = "Ngày đóng phải sau ngày người đứng đầu hiện tại bắt đầu ({day})."
MERGE_INTO_ITSELF = "Không thể sáp nhập một đơn vị vào chính nó."
MERGE_TARGET_CLOSED = "Đơn vị nhận đã đóng ngày {day}: hãy chọn một đơn vị đang hoạt động."
MERGE_KIND_DIFFERS = "Chỉ sáp nhập được vào đơn vị cùng loại (chi hội vào chi hội, tổ vào tổ)."
MERGE_BEFORE_LEADER = "Ngày sáp nhập phải sau ngày người đứng đầu hiện tại của đơn vị bắt đầu ({day})."
LEADER_TWO_ON_ONE_DATE = ("Ngày {day} đơn vị đã có người đứng đầu khác ({name}): mỗi ngày một đơn vị chỉ có một "
                          "người đứng đầu.")
LEADER_START_BEFORE_CURRENT = ("Ngày bắt đầu phải sau ngày người đứng đầu hiện tại bắt đầu ({day}); những gì đã "
                               "ghi không được sửa lại.")
LEADER_ALREADY = "Người này đang là người đứng đầu đơn vị."
LEADER_PERSON_OUT_OF_SCOPE = "Người này cư trú ngoài tỉnh bạn phụ trách."
PERSON_NOT_FOUND = "Không tìm thấy người có số căn cước này trong tỉnh bạn phụ trách."
PERSON_CITIZEN_ID_INVALID = "Số căn cước phải gồm đúng 12 chữ số."
LEADER_PERSON_REQUIRED = "Vui lòng nhập số căn cước hoặc chọn một hội viên của đơn vị."


class UnitRefused(ValidationError):
    """An association unit or leadership change the rules refuse; ``field`` names the form field."""

    code = "unit_refused"
    message = "Thao tác với chi hội, tổ không hợp lệ."
    default_field: str | None = None

    def __init__(self, message: str | None = None, *, field: str | None = None, code: str | None = None):
        super().__init__(message, code=code, field=field or self.default_field)

    @property
    def field(self) -> str | None:
        return self.details.get("field")


class UnitCodeTaken(UnitRefused):
    code = "unit_code_taken"
    default_field = "code"


class UnitCommuneInvalid(UnitRefused):
    code = "unit_commune_invalid"
    message = UNIT_COMMUNE_NOT_COMMUNE
    default_field = "commune"


class UnitBranchInvalid(UnitRefused):
    code = "unit_branch_invalid"
    default_field = "branch"


class UnitClosed(UnitRefused):
    code = "unit_closed"


class UnitDateInvalid(UnitRefused):
    code = "unit_date_invalid"


class UnitHasMembers(UnitRefused):
    code = "unit_has_members"
    default_field = "closed_on"


class MergeTargetInvalid(UnitRefused):
    code = "merge_target_invalid"
    default_field = "target"


class LeaderTwoOnOneDate(UnitRefused):
    code = "leader_two_on_one_date"
    default_field = "starts_on"


class LeaderStartBeforeCurrent(UnitRefused):
    code = "leader_start_before_current"
    default_field = "starts_on"


class LeaderPersonInvalid(UnitRefused):
    code = "leader_person_invalid"
    default_field = "citizen_id"


class UnitOutOfScope(OutOfScope):
    """The unit (or the commune chosen for it) lies outside the user's province."""

    code = "unit_out_of_scope"
    message = UNIT_OUT_OF_SCOPE

    def __init__(self, message: str | None = None, *, field: str | None = None):
        super().__init__(message, field=field)

    @property
    def field(self) -> str | None:
        return self.details.get("field")
