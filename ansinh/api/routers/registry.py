"""Registry: households and people in the caller's scope (the same selectors and scope rules as the
pages), searchable without diacritics, paginated; a device's incremental sync. Personal data is masked as
on the pages (citizen ID and SI number keep their last 4 digits, phone its first 3 and last 2)."""

import datetime
import json

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ansinh.core.masking import mask_citizen_id, mask_phone
from ansinh.registry.selectors import household_get, households_search, people_search, person_get

from ..pagination import DbId, PageNumber
from ..selectors_registry import SYNC_PAGE, SYNC_PAGE_MAX, household_payloads, registry_changes
from ..schemas import ERRORS

router = Router(tags=["registry"])

PAGE_SIZE = 50


class HouseholdOut(Schema):
    id: int
    code: str
    commune_id: int
    commune_name: str = Field(..., alias="commune.name")
    hamlet: str
    address: str
    poverty_status: str
    agent_code: str | None = None
    head_name: str | None = None
    head_citizen_id: str = Field("", description="Số CCCD của chủ hộ, che trừ 4 số cuối")

    @staticmethod
    def resolve_agent_code(obj) -> str | None:
        return obj.agent.code if obj.agent_id else None

    @staticmethod
    def resolve_head_citizen_id(obj) -> str:
        return mask_citizen_id(obj.head_citizen_id)


class CardOut(Schema):
    valid_from: datetime.date | None
    valid_to: datetime.date


class PersonFields(Schema):
    id: int
    full_name: str
    date_of_birth: datetime.date
    sex: str
    citizen_id: str = Field(description="Che trừ 4 số cuối")
    si_number: str = Field(description="Che trừ 4 số cuối")
    phone: str = Field(description="Che trừ 3 số đầu và 2 số cuối")
    ethnic_minority: bool
    other_coverage: str
    hamlet: str
    commune_id: int
    died_on: datetime.date | None
    moved_out_on: datetime.date | None


class PersonOut(PersonFields):
    household_id: int | None
    relationship: str | None

    @staticmethod
    def resolve_citizen_id(obj) -> str:
        return mask_citizen_id(obj.citizen_id)

    @staticmethod
    def resolve_si_number(obj) -> str:
        return mask_citizen_id(obj.si_number)

    @staticmethod
    def resolve_phone(obj) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_household_id(obj) -> int | None:
        membership = getattr(obj, "household_membership", None)
        return membership.household_id if membership else None

    @staticmethod
    def resolve_relationship(obj) -> str | None:
        membership = getattr(obj, "household_membership", None)
        return membership.relationship if membership else None


class MemberOut(PersonFields):
    relationship: str
    since: datetime.date | None
    hi_card: CardOut | None = Field(description="Thẻ BHYT đã đóng gần nhất (ngày hiệu lực), hoặc null")


class HouseholdFullOut(Schema):
    id: int
    code: str
    commune_id: int
    commune_name: str
    hamlet: str
    address: str
    poverty_status: str
    poverty_from: datetime.date | None
    agent_code: str | None
    members: list[MemberOut]


class RemovedMemberOut(Schema):
    household_id: int
    person_id: int


class SyncOut(Schema):
    households: list[HouseholdFullOut]
    removed_households: list[int]
    removed_members: list[RemovedMemberOut]
    next_cursor: str
    has_more: bool
    reset: bool = Field(description="true: phạm vi của bạn đã đổi — xóa dữ liệu trên máy rồi nhận lại toàn bộ")


class SearchIn(Schema):
    q: str = Field("", max_length=100, description="Mã hộ hoặc tên (gõ không dấu cũng được)")


@router.get("/households", response={200: list[HouseholdOut], **ERRORS}, summary="Hộ gia đình trong phạm vi")
@paginate(PageNumber, page_size=PAGE_SIZE)
def households(request, filters: Query[SearchIn]):
    return households_search(user=request.user, query=filters.q)


@router.get("/households/{household_id}", response={200: HouseholdFullOut, **ERRORS}, summary="Một hộ với các thành viên")
def household(request, household_id: DbId):
    found = household_get(user=request.user, pk=household_id)
    return household_payloads([found.pk])[0]


@router.get("/people", response={200: list[PersonOut], **ERRORS}, summary="Người trong phạm vi")
@paginate(PageNumber, page_size=PAGE_SIZE)
def people(request, filters: Query[SearchIn]):
    return people_search(user=request.user, query=filters.q)


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="Một người")
def person(request, person_id: DbId):
    return person_get(user=request.user, pk=person_id)


@router.get("/sync", response={200: SyncOut, **ERRORS}, summary="Đồng bộ cho thiết bị (changed_since)")
def sync(request, changed_since: str | None = Query(None, max_length=200,
                                                    description="next_cursor của lần trước; trống: toàn bộ"),
         limit: int = Query(SYNC_PAGE, ge=1, le=SYNC_PAGE_MAX)):
    """Thousands of members in one answer: the JSON is written directly (the description above documents
    it; the fuzzing suite checks that the answers conform to it)."""
    body = registry_changes(user=request.user, cursor=changed_since or None, limit=limit)
    return HttpResponse(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                        content_type="application/json; charset=utf-8")
