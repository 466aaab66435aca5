"""API authentication: the browser session (the site's own pages, signed in through the django-axes
guarded sign-in page) or a personal token in ``Authorization: Bearer <secret>``.

The API takes no password at all (no HTTP Basic, no sign-in endpoint), so it cannot be used to guess
passwords around django-axes; failed token attempts have their own limit per address."""

from django.conf import settings
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from .errors_tokens import CsrfFailed
from .services import api_token_authenticate, client_address


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <secret>``: the token's user becomes ``request.user`` (so the history
    records who changed what). A refused token answers 401 (``token_invalid``, ``token_expired``,
    ``token_revoked``, ``user_inactive``); too many requests 429."""

    def authenticate(self, request, token: str):
        user = api_token_authenticate(secret=token.strip(), address=client_address(request))
        request.user = user
        request.api_token_used = True
        return user


class SessionAuth(APIKeyCookie):
    """The browser session. Its CSRF check runs only when the request carries a session cookie (a request
    without one has no session to forge: the next method, or 401), and a failed check answers 403
    ``csrf_failed`` in Vietnamese. The API lists ``token_auth`` before it, so a Bearer request is never
    held by a CSRF check (ninja stops at the first method that answers or raises)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        key = request.COOKIES.get(self.param_name)
        if not key:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return key

    def authenticate(self, request, key):
        return request.user if key and request.user.is_authenticated else None


token_auth = TokenAuth()
session_auth = SessionAuth()
