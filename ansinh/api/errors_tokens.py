"""Errors of personal API tokens and of API authentication, with their Vietnamese messages as constants
(tests and forms assert them exactly). Token errors name the form field (``field``)."""

from ansinh.core.errors import AnSinhError, PermissionDenied, ValidationError

TOKEN_NAME_MISSING = "Vui lòng đặt tên cho mã truy cập (ví dụ: «Điện thoại của tôi»)."
TOKEN_NAME_TOO_LONG = "Tên mã truy cập tối đa 100 ký tự."
TOKEN_EXPIRY_MISSING = "Vui lòng chọn ngày hết hạn."
TOKEN_EXPIRY_PAST = "Ngày hết hạn phải sau hôm nay."
TOKEN_EXPIRY_TOO_LATE = "Mã truy cập có hạn tối đa {days} ngày (đến ngày {last})."
TOKEN_TOO_MANY = "Bạn đã có {count} mã truy cập còn hiệu lực (tối đa {count}): hãy thu hồi một mã trước."
TOKEN_ALREADY_REVOKED = "Mã truy cập này đã bị thu hồi."

TOKEN_INVALID = "Mã truy cập (token) không đúng."
TOKEN_EXPIRED = "Mã truy cập (token) đã hết hạn: hãy tạo mã mới trên trang tài khoản."
TOKEN_REVOKED = "Mã truy cập (token) đã bị thu hồi."
TOKEN_USER_INACTIVE = "Tài khoản của mã truy cập này đã bị khóa."
TOO_MANY_REQUESTS = "Quá nhiều yêu cầu với mã truy cập này: vui lòng thử lại sau {seconds} giây."
TOO_MANY_FAILURES = "Quá nhiều lần gửi mã truy cập sai từ địa chỉ này: vui lòng thử lại sau {seconds} giây."


class TokenInvalid(ValidationError):
    """A token's name or expiry is refused (``field``: ``name`` or ``expires_on``), or too many tokens."""

    code = "token_invalid"
    message = "Thông tin mã truy cập không hợp lệ."

    @property
    def field(self) -> str | None:
        return self.details.get("field")


class TokenAlreadyRevoked(ValidationError):
    code = "token_already_revoked"
    message = TOKEN_ALREADY_REVOKED


class ApiAuthFailed(AnSinhError):
    """A bearer token was sent but is refused: answered 401 with this code (``token_invalid``,
    ``token_expired``, ``token_revoked``, ``user_inactive``)."""

    code = "token_invalid"
    message = TOKEN_INVALID


class RateLimited(AnSinhError):
    """Too many requests (a token's use, or failed token attempts from one address): answered 429 with
    ``Retry-After``. ``details["retry_after"]``: seconds."""

    code = "rate_limited"
    message = TOO_MANY_REQUESTS


CSRF_FAILED = ("Thiếu hoặc sai mã chống giả mạo (CSRF) của phiên đăng nhập: hãy tải lại trang rồi thử lại, "
               "hoặc gửi mã truy cập (token) thay cho phiên đăng nhập.")


class CsrfFailed(PermissionDenied):
    """A write with the browser session but without its CSRF token (answered 403)."""

    code = "csrf_failed"
    message = CSRF_FAILED
