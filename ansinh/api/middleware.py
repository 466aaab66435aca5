"""Guard of the API paths (/api/…): bodies above ANSINH_API_MAX_BODY_BYTES are refused with 413 before
anything reads them, and every error answer (unknown path 404, method 405, server error 500, Django's
own 400) is the API's JSON error, never an HTML page or a stack trace."""

import json
import logging

from django.conf import settings
from django.http import JsonResponse

from .errors import error_body

logger = logging.getLogger("ansinh.api")

API_PREFIX = "/api/"
BODY_TOO_LARGE = "Dữ liệu gửi lên quá lớn: tối đa {limit} byte."
LENGTH_INVALID = "Độ dài dữ liệu (Content-Length) không hợp lệ."
STATUS_ERRORS = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("not_authenticated", "Bạn cần đăng nhập hoặc gửi mã truy cập (token) hợp lệ."),
    403: ("permission_denied", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy địa chỉ hoặc hồ sơ."),
    405: ("method_not_allowed", "Phương thức (GET, POST…) này không dùng được ở địa chỉ này."),
    413: ("body_too_large", "Dữ liệu gửi lên quá lớn."),
    500: ("server_error", "Máy chủ gặp lỗi: chưa có gì được ghi. Vui lòng thử lại sau."),
}
OTHER_ERROR = ("http_error", "Yêu cầu không thực hiện được.")


def max_body_bytes() -> int:
    return getattr(settings, "ANSINH_API_MAX_BODY_BYTES", 1_000_000)


def json_error(status: int, code: str | None = None, message: str | None = None) -> JsonResponse:
    default_code, default_message = STATUS_ERRORS.get(status, OTHER_ERROR)
    return JsonResponse(error_body(code or default_code, message or default_message), status=status,
                        json_dumps_params={"ensure_ascii": False})


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(length)
        except ValueError:
            return json_error(400, "bad_request", LENGTH_INVALID)
        if length < 0:
            return json_error(400, "bad_request", LENGTH_INVALID)
        if length > max_body_bytes():
            return json_error(413, "body_too_large", BODY_TOO_LARGE.format(limit=max_body_bytes()))
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            replaced = json_error(response.status_code)
            for header in ("Allow", "Retry-After"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response

    def process_exception(self, request, exception):
        """A server error under /api/ (an exception no handler turned into an answer): logged with its
        traceback, answered with the JSON 500."""
        if not request.path.startswith(API_PREFIX):
            return None
        logger.exception("API error on %s %s", request.method, request.path)
        return json_error(500)
