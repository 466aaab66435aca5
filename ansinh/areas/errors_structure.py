"""Errors of the structure the provincial administrator keeps (offices, organisations, agents), each
with its Vietnamese message kept as a constant and the form field it concerns (``field``)."""

from ansinh.core.errors import OutOfScope, ValidationError

CODE_REQUIRED = "Vui lòng nhập mã."
CODE_TOO_LONG = "Mã dài tối đa {max} ký tự."
CODE_TAKEN = "Mã «{code}» đã được dùng; vui lòng chọn mã khác."
NAME_REQUIRED = "Vui lòng nhập tên."
DATE_IN_FUTURE = "Ngày không được sau hôm nay."
CLOSED_BEFORE_START = "Ngày đóng không được trước ngày bắt đầu hoạt động ({start})."
ALREADY_CLOSED = "«{name}» đã đóng từ ngày {closed_on}; không thể thay đổi."
NOT_A_PROVINCE = "Tài khoản quản trị chưa được gán một tỉnh (bản đồ mới)."
COMMUNE_OUTSIDE = "Xã/phường «{name}» không thuộc {province} (bản đồ từ 01/07/2025)."
COMMUNE_IN_OTHER_OFFICE = "Xã/phường «{name}» đã thuộc văn phòng BHXH cơ sở «{office}» ({code}) đang hoạt động."
OFFICE_HAS_USERS = ("Còn {count} tài khoản đang hoạt động được phân địa bàn văn phòng này; hãy đổi địa bàn "
                    "của họ trước khi đóng văn phòng.")


class StructureError(ValidationError):
    """A structure change refused. ``field`` names the form field it concerns, or is None."""

    code = "structure_invalid"

    def __init__(self, message: str | None = None, *, field: str | None = None, code: str | None = None):
        super().__init__(message, code=code, field=field)

    @property
    def field(self) -> str | None:
        return self.details.get("field")


class DuplicateCode(StructureError):
    code = "duplicate_code"
    message = "Mã đã được dùng."


class OutsideProvince(StructureError):
    code = "outside_province"
    message = "Nằm ngoài tỉnh bạn quản trị."


class InvalidDate(StructureError):
    code = "invalid_date"
    message = "Ngày không hợp lệ."


class AlreadyClosed(StructureError):
    code = "already_closed"
    message = "Đã đóng; không thể thay đổi."


class StillInUse(StructureError):
    """Closing refused while something still depends on the record (agents, households, users)."""

    code = "still_in_use"
    message = "Chưa thể đóng: vẫn còn dữ liệu đang gắn với mục này."


class OverlappingOffice(StructureError):
    code = "overlapping_office"
    message = "Xã/phường đã thuộc một văn phòng BHXH cơ sở khác."


__all__ = ["AlreadyClosed", "DuplicateCode", "InvalidDate", "OutOfScope", "OutsideProvince", "OverlappingOffice",
           "StillInUse", "StructureError"]
