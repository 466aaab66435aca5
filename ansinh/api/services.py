"""Personal API tokens: create (the secret is returned once), revoke (the owner, or the administrator of
the owner's province), and authenticate a bearer secret with per-token and per-address rate limits.

The rate limits count in the cache named ``ratelimit`` (``RATE_LIMIT_CACHE``; settings ``CACHES``,
``ANSINH_RATELIMIT_CACHE``): by default a database table, so every worker process and every machine
serving the API shares one count per token and per address."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.services import role_of
from ansinh.accounts.services_users import admin_province, scope_in_province
from ansinh.core.errors import OutOfScope

from . import errors_tokens as errors
from .models import ApiToken

SECRET_PREFIX = "as_"
PREFIX_LENGTH = 10
NAME_MAX = 100
MAX_ACTIVE_TOKENS = 10
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_max_days() -> int:
    return getattr(settings, "ANSINH_API_TOKEN_MAX_DAYS", 365)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _expires_at(expires_on: datetime.date) -> datetime.datetime:
    """The end of ``expires_on`` in the province's time (a token is valid through that day)."""
    next_day = datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(next_day)


@transaction.atomic
def api_token_create(*, user: User, name: str, expires_on: datetime.date | None) -> tuple[ApiToken, str]:
    """A new personal token of ``user`` named ``name``, valid through ``expires_on`` (at most
    ANSINH_API_TOKEN_MAX_DAYS days ahead). Returns the token and its secret, which is never stored and
    cannot be shown again. Raises PermissionDenied (no role), TokenInvalid (field ``name`` or
    ``expires_on``; too many active tokens)."""
    role_of(user)
    name = " ".join((name or "").split())
    if not name:
        raise errors.TokenInvalid(errors.TOKEN_NAME_MISSING, field="name")
    if len(name) > NAME_MAX:
        raise errors.TokenInvalid(errors.TOKEN_NAME_TOO_LONG, field="name")
    today = timezone.localdate()
    if expires_on is None:
        raise errors.TokenInvalid(errors.TOKEN_EXPIRY_MISSING, field="expires_on")
    if expires_on <= today:
        raise errors.TokenInvalid(errors.TOKEN_EXPIRY_PAST, field="expires_on")
    last = today + datetime.timedelta(days=token_max_days())
    if expires_on > last:
        raise errors.TokenInvalid(errors.TOKEN_EXPIRY_TOO_LATE.format(days=token_max_days(), last=f"{last:%d/%m/%Y}"),
                                  field="expires_on")
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per user
    active = ApiToken.objects.filter(user=user, revoked_at=None, expires_at__gt=timezone.now()).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise errors.TokenInvalid(errors.TOKEN_TOO_MANY.format(count=MAX_ACTIVE_TOKENS), field="name")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:PREFIX_LENGTH],
                                    token_hash=token_digest(secret), expires_at=_expires_at(expires_on))
    return token, secret


def _may_revoke(user: User, token: ApiToken) -> None:
    if token.user_id == user.pk:
        role_of(user)
        return
    province = admin_province(user)  # PermissionDenied unless a province administrator
    owner = token.user
    if owner.is_superuser or not scope_in_province(getattr(owner, "ansinh_role", None), province):
        raise OutOfScope()


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke ``token`` at once (its row is kept: who revoked it and when). The owner may revoke their
    own tokens; a province administrator any token of a user of their province. Raises PermissionDenied,
    OutOfScope, TokenAlreadyRevoked."""
    _may_revoke(user, token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise errors.TokenAlreadyRevoked()
    token.revoked_at = timezone.now()
    token.revoked_by = user
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token


# --- authentication and rate limits ----------------------------------------------------------------

def _rate(name: str, default: tuple[int, int]) -> tuple[int, int]:
    return tuple(getattr(settings, name, default))


RATE_LIMIT_CACHE = "ratelimit"


def _window_count(key: str, window: int, *, add: bool = True) -> int:
    """Requests counted under ``key`` in the current fixed window of ``window`` seconds, in the shared
    ``ratelimit`` cache. ``add`` is atomic on every backend (the first request of a window); on the
    database cache ``incr`` reads then writes, so two requests of one token at the very same moment may
    count once: a limit is at most exceeded by the requests that raced (Redis counts exactly)."""
    cache = caches[RATE_LIMIT_CACHE]
    slot = int(timezone.now().timestamp()) // window
    full_key = f"ansinh-api:{key}:{slot}"
    if not add:
        return cache.get(full_key, 0)
    if cache.add(full_key, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.add(full_key, 1, timeout=window + 1)
        return 1


def _retry_after(window: int) -> int:
    return window - int(timezone.now().timestamp()) % window


def client_address(request) -> str:
    """The client's address (REMOTE_ADDR: behind a proxy, the proxy must set it, as for django-axes)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _failure(address: str, exc: errors.ApiAuthFailed) -> errors.ApiAuthFailed:
    limit, window = _rate("ANSINH_API_AUTH_FAILURE_RATE", (20, 900))
    _window_count(f"fail:{address}", window)
    return exc


def api_token_authenticate(*, secret: str, address: str) -> User:
    """The active user whose live token ``secret`` is, counting the token's use (at most
    ANSINH_API_TOKEN_RATE requests per window) and writing its last use at most once a minute. Raises
    RateLimited (too many failed attempts from ``address`` or too many uses of the token) or ApiAuthFailed
    (unknown, expired, revoked token; deactivated user), counted against ``address``."""
    from ansinh.accounts.backends import _user_with_role

    fail_limit, fail_window = _rate("ANSINH_API_AUTH_FAILURE_RATE", (20, 900))
    if _window_count(f"fail:{address}", fail_window, add=False) >= fail_limit:
        seconds = _retry_after(fail_window)
        raise errors.RateLimited(errors.TOO_MANY_FAILURES.format(seconds=seconds), retry_after=seconds)
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        raise _failure(address, errors.ApiAuthFailed())
    token = ApiToken.objects.filter(token_hash=token_digest(secret)).first()
    if token is None:
        raise _failure(address, errors.ApiAuthFailed())
    now = timezone.now()
    if token.revoked_at is not None:
        raise _failure(address, errors.ApiAuthFailed(errors.TOKEN_REVOKED, code="token_revoked"))
    if token.expires_at <= now:
        raise _failure(address, errors.ApiAuthFailed(errors.TOKEN_EXPIRED, code="token_expired"))
    user = _user_with_role(token.user_id)
    if user is None or not user.is_active:
        raise _failure(address, errors.ApiAuthFailed(errors.TOKEN_USER_INACTIVE, code="user_inactive"))
    limit, window = _rate("ANSINH_API_TOKEN_RATE", (600, 60))
    if _window_count(f"token:{token.pk}", window) > limit:
        seconds = _retry_after(window)
        raise errors.RateLimited(errors.TOO_MANY_REQUESTS.format(seconds=seconds), retry_after=seconds)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # no history row for a use
    user.backend = "ansinh.accounts.backends.RoleBackend"
    return user
