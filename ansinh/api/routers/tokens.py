"""Personal API tokens through the API: list and revoke one's own; create one only from a browser session
(a stolen token cannot mint new tokens that would outlive its revocation)."""

import datetime

from ninja import Field, Router, Schema, Status

from ..auth import session_auth
from ..pagination import DbId
from ..schemas import BODY_ERRORS, ERRORS, StrictSchema
from ..selectors import api_token_get, api_tokens_of
from ..services import api_token_create, api_token_revoke

router = Router(tags=["tokens"])


class TokenIn(StrictSchema):
    name: str = Field(..., max_length=200, description="Tên mã: thiết bị, chương trình")
    expires_on: datetime.date = Field(..., description="Hết hạn sau ngày này (tối đa 365 ngày)")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="Mã bí mật: chỉ hiện một lần, hãy lưu ngay")


@router.get("", response={200: list[TokenOut], **ERRORS}, summary="Các mã truy cập của tôi")
def tokens(request):
    return list(api_tokens_of(user=request.user))


@router.post("", response={201: TokenCreatedOut, **BODY_ERRORS}, auth=session_auth, summary="Tạo mã truy cập (phiên đăng nhập)")
def token_create(request, payload: TokenIn):
    token, secret = api_token_create(user=request.user, name=payload.name, expires_on=payload.expires_on)
    return Status(201, {**{f: getattr(token, f) for f in TokenOut.model_fields}, "secret": secret})


@router.post("/{token_id}/revoke", response={200: TokenOut, **BODY_ERRORS}, summary="Thu hồi một mã của tôi")
def token_revoke(request, token_id: DbId):
    return api_token_revoke(user=request.user, token=api_token_get(user=request.user, pk=token_id))
