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
