"""Reference data: administrative units of both maps (old units with their validity dates, new units),
the old -> new mapping of 1 July 2025, and the legal parameters in force on a date. Every signed-in user
may read them."""

import datetime
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ..pagination import DbId, PageNumber, SaneDate
from ..selectors_reference import parameters_in_force, unit_mappings, units_list
from ..schemas import ERRORS

router = Router(tags=["reference"])


class UnitOut(Schema):
    id: int
    map: str
    level: str
    code: str
    name: str
    division_type: str
    parent_id: int | None
    province_id: int | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class UnitFilter(Schema):
    map: Literal["old", "new"] | None = Field(None, description="old: trước 01/07/2025; new: từ 01/07/2025")
    level: Literal["province", "district", "commune"] | None = None
    parent_id: DbId | None = None
    on: SaneDate | None = Field(None, description="Chỉ các đơn vị còn hiệu lực ngày này")


class MappingOut(Schema):
    old_unit_id: int
    old_code: str = Field(..., alias="old_unit.code")
    old_name: str = Field(..., alias="old_unit.name")
    new_unit_id: int
    new_code: str = Field(..., alias="new_unit.code")
    new_name: str = Field(..., alias="new_unit.name")
    is_partial: bool
    is_primary: bool
    effective_on: datetime.date


class MappingFilter(Schema):
    old_unit_id: DbId | None = None
    new_unit_id: DbId | None = None


class ParameterOut(Schema):
    name: str
    label: str
    unit: str
    value: Any = Field(description="Tiền: số nguyên đồng; tỷ lệ: chuỗi số thập phân")
    since: datetime.date
    alias_of: str | None = Field(None, description="Tham số được tham chiếu (khi đây là bí danh)")
    reference: str
    confidence: str
    origin: str


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Đơn vị hành chính (cả hai bản đồ)")
@paginate(PageNumber, page_size=200)
def units(request, filters: Query[UnitFilter]):
    return units_list(map_version=filters.map, level=filters.level, parent_id=filters.parent_id, on=filters.on)


@router.get("/unit-mappings", response={200: list[MappingOut], **ERRORS}, summary="Đơn vị cũ → đơn vị mới (01/07/2025)")
@paginate(PageNumber, page_size=200)
def mappings(request, filters: Query[MappingFilter]):
    return unit_mappings(old_unit_id=filters.old_unit_id, new_unit_id=filters.new_unit_id)


@router.get("/parameters", response={200: list[ParameterOut], **ERRORS}, summary="Tham số pháp lý có hiệu lực vào một ngày")
def parameters(request, on: SaneDate | None = Query(None, description="Mặc định: hôm nay"),
               prefix: str = Query("", max_length=100)):
    return parameters_in_force(on=on or timezone.localdate(), prefix=prefix)
