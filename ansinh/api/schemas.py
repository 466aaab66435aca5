"""Base schemas shared by every router: input refuses unknown fields (a misspelt field is an error, not
silently ignored), so a program learns of its mistake at once; a record id in a request body is capped like
one in a query or path (``pagination.DbId``), so an id beyond what the database holds is refused with 422
naming the field, never a database overflow answered 500."""

from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict

from .pagination import MAX_DB_INT

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_DB_INT, description="Mã số (id)")]
"""A record id in a JSON request body: an integer (not a string), 1 … 2^63−1."""


class StrictSchema(Schema):
    """Base of every input schema (request bodies): unknown fields are refused with 422."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    """Every error answer (``errors.py``)."""

    code: str = Field(description="Mã lỗi cố định cho chương trình (ví dụ not_found, invalid, rate_limited)")
    message: str = Field(description="Thông báo tiếng Việt, như trên trang web")
    field: str | None = Field(description="Trường dữ liệu bị sai, hoặc null")


class FieldError(Schema):
    field: str
    type: str | None
    message: str | None = None


class InvalidError(Error):
    """422: the input does not fit the description (wrong type, out of range, unknown field)."""

    errors: list[FieldError] = Field(description="Mọi trường sai, theo vị trí (body.payload.household_id…)")


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: InvalidError, 429: Error}
"""The error answers every operation may give, documented in the OpenAPI description: 400 refused by a rule of
the service (or malformed JSON), 401 not signed in or token refused, 403 no permission or CSRF check failed,
404 missing or outside the caller's scope, 422 input that does not fit the description, 429 too many
requests (``Retry-After``). Used as ``response={200: X, **ERRORS}``."""
BODY_ERRORS = {**ERRORS, 413: Error}
"""ERRORS plus 413: a request body above ANSINH_API_MAX_BODY_BYTES (``middleware.py``)."""
CONFLICT = {409: Error}
"""409: the request repeats a key (``Idempotency-Key``, a visit's ``client_uuid``) already used otherwise."""
