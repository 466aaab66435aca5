"""Domain errors: a code for programs and tests, a Vietnamese message for people."""


class AnSinhError(Exception):
    """Base of every domain error. ``code`` is stable; ``message`` is Vietnamese."""

    code = "error"
    message = "Đã có lỗi."

    def __init__(self, message: str | None = None, *, code: str | None = None, **details):
        self.message = message or self.message
        self.code = code or self.code
        self.details = details
        super().__init__(self.message)


class PermissionDenied(AnSinhError):
    code = "permission_denied"
    message = "Bạn không có quyền thực hiện thao tác này."


class OutOfScope(AnSinhError):
    code = "out_of_scope"
    message = "Hồ sơ này nằm ngoài địa bàn bạn phụ trách."


class ValidationError(AnSinhError):
    code = "invalid"
    message = "Dữ liệu không hợp lệ."
