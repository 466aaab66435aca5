"""Bounded pagination and query values: a page number, offset, page size or record id beyond what the
database can hold is refused with 422 naming the parameter (never a database overflow answered 500).

Page sizes above ``MAX_PAGE_SIZE`` are refused with 422 (not silently clamped), so a program learns at once
that it asked for more than one answer gives."""

import datetime
from typing import Annotated

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, PageNumberPagination
from pydantic import AfterValidator

MAX_DB_INT = 2**63 - 1
MAX_PAGE = 10**6
MAX_PAGE_SIZE = 500
MAX_OFFSET = 10**9
EARLIEST = datetime.datetime(2000, 1, 1)
LATEST = datetime.datetime(2100, 1, 1)

DbId = Annotated[int, Field(ge=1, le=MAX_DB_INT, description="Mã số (id)")]
"""A record id in a query or path: 1 … 2^63−1."""


def _sane_datetime(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is not None and not EARLIEST <= value.replace(tzinfo=None) < LATEST:
        raise ValueError("thời điểm phải từ năm 2000 đến trước năm 2100")
    return value


def _sane_date(value: datetime.date | None) -> datetime.date | None:
    if value is not None and not EARLIEST.date() <= value < LATEST.date():
        raise ValueError("ngày phải từ năm 2000 đến trước năm 2100")
    return value


SaneDatetime = Annotated[datetime.datetime, AfterValidator(_sane_datetime)]
SaneDate = Annotated[datetime.date, AfterValidator(_sane_date)]


class PageNumber(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = 100, **kwargs):
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)


class LimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)
