"""Base schemas shared by every router: input refuses unknown fields (a misspelt field is an error, not
silently ignored), so a program learns of its mistake at once."""

from ninja import Schema
from pydantic import ConfigDict


class StrictSchema(Schema):
    """Base of every input schema (request bodies): unknown fields are refused with 422."""

    model_config = ConfigDict(extra="forbid")
