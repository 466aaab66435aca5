"""One JSON shape for every API error: ``{"code", "message", "field"}``.

``code`` is stable for programs, ``message`` is the Vietnamese text the pages show for the same error,
``field`` names the input that is wrong (or is null). Never an HTML page, never a stack trace."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ansinh.api.errors_tokens import ApiAuthFailed, RateLimited
from ansinh.core.errors import AnSinhError, OutOfScope, PermissionDenied

NOT_FOUND = "Không tìm thấy hồ sơ."
NOT_SIGNED_IN = "Bạn cần đăng nhập hoặc gửi mã truy cập (token) hợp lệ."
INVALID_INPUT = "Dữ liệu gửi lên không hợp lệ."
CONFLICT_CODES = frozenset({"idempotency_conflict"})
"""Domain error codes answered 409 Conflict (the request repeats a key already used otherwise)."""

MALFORMED_JSON = "Dữ liệu gửi lên không phải JSON hợp lệ."


def error_body(code: str, message: str, field: str | None = None, **extra) -> dict:
    return {"code": code, "message": message, "field": field, **extra}


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every error into the JSON shape above."""

    @api.exception_handler(AnSinhError)
    def _domain(request, exc: AnSinhError):
        if isinstance(exc, OutOfScope):  # outside scope answers like a missing record
            return api.create_response(request, error_body("not_found", NOT_FOUND), status=404)
        status = 403 if isinstance(exc, PermissionDenied) else 409 if exc.code in CONFLICT_CODES else 400
        field = exc.details.get("field") if exc.details else None
        return api.create_response(request, error_body(exc.code, exc.message, field), status=status)

    @api.exception_handler(ObjectDoesNotExist)  # a selector's Model.DoesNotExist
    @api.exception_handler(Http404)
    def _missing(request, exc):
        return api.create_response(request, error_body("not_found", NOT_FOUND), status=404)

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return api.create_response(request, error_body("not_authenticated", NOT_SIGNED_IN), status=401)

    @api.exception_handler(NinjaValidationError)
    def _invalid(request, exc: NinjaValidationError):
        first = exc.errors[0] if exc.errors else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header", "payload")]
        return api.create_response(
            request,
            error_body("invalid", INVALID_INPUT, ".".join(loc) or None, errors=[
                {"field": ".".join(str(p) for p in e.get("loc", ())), "type": e.get("type")} for e in exc.errors
            ]),
            status=422,
        )

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        if exc.status_code == 400 and exc.__cause__ is not None:  # ninja could not parse the body
            return api.create_response(request, error_body("malformed_json", MALFORMED_JSON), status=400)
        return api.create_response(request, error_body("http_error", str(exc)), status=exc.status_code)

    @api.exception_handler(ApiAuthFailed)
    def _token_refused(request, exc: ApiAuthFailed):
        return api.create_response(request, error_body(exc.code, exc.message), status=401)

    @api.exception_handler(RateLimited)
    def _rate_limited(request, exc: RateLimited):
        response = api.create_response(request, error_body(exc.code, exc.message), status=429)
        response["Retry-After"] = str(exc.details.get("retry_after", 60))
        return response
