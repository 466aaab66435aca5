"""Reads over personal API tokens: a user's own, and those of a province administrator's users."""

from django.contrib.auth.models import User
from django.db.models import QuerySet

from ansinh.accounts.selectors import user_list
from ansinh.accounts.services import role_of
from ansinh.accounts.services_users import admin_province, scope_in_province
from ansinh.core.errors import OutOfScope

from .models import ApiToken


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, live ones first, newest first. Raises PermissionDenied (no role)."""
    role_of(user)
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")


def api_token_get(*, user: User, pk: int) -> ApiToken:
    """One of the user's own tokens. Raises ApiToken.DoesNotExist, PermissionDenied."""
    role_of(user)
    return ApiToken.objects.get(pk=pk, user=user)


def api_tokens_in_province(*, user: User) -> QuerySet[ApiToken]:
    """Tokens of the users of the administrator's province, live ones first, by user name. Raises
    PermissionDenied (not a province administrator)."""
    ids = [u.pk for u in user_list(user=user)]
    return (ApiToken.objects.filter(user_id__in=ids).select_related("user", "revoked_by")
            .order_by("revoked_at", "user__username", "-created_at"))


def api_token_get_for_admin(*, user: User, pk: int) -> ApiToken:
    """One token of a user of the administrator's province. Raises ApiToken.DoesNotExist,
    PermissionDenied, OutOfScope."""
    province = admin_province(user)
    token = ApiToken.objects.select_related("user").get(pk=pk)
    if token.user.is_superuser or not scope_in_province(getattr(token.user, "ansinh_role", None), province):
        raise OutOfScope()
    return token
