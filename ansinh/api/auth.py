"""API authentication: the browser session (the site's own pages, signed in through the django-axes
guarded sign-in page) or a personal token in ``Authorization: Bearer <secret>``.

The API takes no password at all (no HTTP Basic, no sign-in endpoint), so it cannot be used to guess
passwords around django-axes; failed token attempts have their own limit per address."""

from ninja.security import HttpBearer

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


token_auth = TokenAuth()
