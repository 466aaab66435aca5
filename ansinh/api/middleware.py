"""Guard of the API paths (/api/…): bodies above ANSINH_API_MAX_BODY_BYTES are refused with 413 before
anything reads them, and every error answer (unknown path 404, method 405, server error 500, Django's
own 400) is the API's JSON error, never an HTML page or a stack trace."""

import json
import logging

from django.conf import settings
from django.http import JsonResponse

from .errors import INVALID_INPUT, error_body

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
NUL_REFUSED = "Dữ liệu gửi lên chứa ký tự NUL (\\0), không được phép."


def _nul_field(value, path: str = "") -> str | None:
    """The dotted path of the first string (key or value) holding a NUL character, or None."""
    if isinstance(value, str):
        return path or None if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return where
            found = _nul_field(item, where)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_field(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def nul_refusal(request) -> JsonResponse | None:
    """PostgreSQL cannot store or compare text with NUL: a query parameter or JSON string holding one is
    refused with 422 naming the field, before any view reads it."""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in v for v in values):
            return _nul_error(name)
    if request.method in ("POST", "PUT", "PATCH") and b"\\u0000" in request.body:
        try:
            field = _nul_field(json.loads(request.body))
        except ValueError:
            return None
        if field:
            return _nul_error(field)
    return None


def _nul_error(field: str) -> JsonResponse:
    return JsonResponse(error_body("invalid", INVALID_INPUT, field.replace("\x00", ""), errors=[
        {"field": field.replace("\x00", ""), "type": "nul_character", "message": NUL_REFUSED}]),
        status=422, json_dumps_params={"ensure_ascii": False})


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
        refused = nul_refusal(request)
        if refused is not None:
            return refused
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
