"""Who am I: the caller's role and scope, so a device knows what it may sync."""

from ninja import Router, Schema

from ansinh.accounts.services import scope_label
from ..schemas import ERRORS

router = Router(tags=["meta"])


class MeOut(Schema):
    username: str
    full_name: str
    role: str | None
    scope: str


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Tài khoản đang dùng API")
def me(request):
    user = request.user
    user_role = getattr(user, "ansinh_role", None)
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "role": user_role.role if user_role else None,
        "scope": scope_label(user_role) if user_role else "",
    }
