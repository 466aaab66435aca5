"""Errors of user administration with their Vietnamese messages (constants, so tests assert them exactly).
Each error names the form field it belongs to (``field``)."""

from ansinh.core.errors import ValidationError

USERNAME_MISSING = "Vui lòng nhập tên đăng nhập."
USERNAME_INVALID = "Tên đăng nhập chỉ gồm chữ không dấu, số và các ký tự . _ - (tối đa 150 ký tự)."
USERNAME_TAKEN = "Tên đăng nhập này đã có người dùng."
FULL_NAME_MISSING = "Vui lòng nhập họ và tên."
PHONE_INVALID = "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."
ROLE_UNKNOWN = "Vai trò không hợp lệ."
SCOPE_MISSING = "Vai trò «{role}» cần chọn {what}."
SCOPE_TWO = "Chỉ chọn một địa bàn: tỉnh, xã, huyện/xã cũ hoặc một văn phòng BHXH cơ sở."
SCOPE_WRONG_LEVEL = "Địa bàn của quản trị tỉnh phải là tỉnh, thành phố bạn quản trị."
SCOPE_OUTSIDE = "Địa bàn, đơn vị này nằm ngoài tỉnh, thành phố bạn quản trị."
AGENT_TAKEN = "Nhân viên thu này đã gắn với tài khoản «{username}»."
PASSWORD_MISSING = "Vui lòng nhập mật khẩu."
PASSWORD_MESSAGES = {
    "password_too_short": "Mật khẩu quá ngắn: cần ít nhất {min_length} ký tự.",
    "password_too_common": "Mật khẩu này quá phổ biến, dễ bị đoán.",
    "password_entirely_numeric": "Mật khẩu không được chỉ gồm chữ số.",
    "password_too_similar": "Mật khẩu quá giống thông tin của tài khoản.",
}
PASSWORD_MISMATCH = "Hai lần nhập mật khẩu không khớp."
SELF_DEACTIVATE = "Bạn không thể tự khóa tài khoản của mình."
SELF_ROLE = "Bạn không thể tự đổi vai trò, địa bàn của mình."
NEEDS_ADMIN = "Chỉ quản trị tỉnh được quản lý người dùng."

SCOPE_WORDS = {
    "si_officer": "tỉnh, xã, huyện/xã cũ hoặc văn phòng BHXH cơ sở",
    "association_officer": "tỉnh, xã, huyện/xã cũ hoặc văn phòng BHXH cơ sở",
    "group_leader": "chi hội hoặc tổ TK&VV",
    "collection_agent": "nhân viên thu",
    "province_admin": "tỉnh, thành phố",
}


class UserInvalid(ValidationError):
    """A user's name, role, scope or password is refused; ``field`` names the form field."""

    code = "user_invalid"
    message = "Thông tin người dùng không hợp lệ."

    @property
    def field(self) -> str | None:
        return self.details.get("field")
