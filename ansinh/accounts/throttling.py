"""Sign-in throttling helpers for django-axes (settings: ``AXES_USERNAME_CALLABLE``)."""

from .forms import USERNAME_MAX


def attempted_username(request, credentials) -> str | None:
    """The user name an attempt is counted under: as typed (the credentials, else the posted form),
    cut to USERNAME_MAX characters so an overlong name can neither fail the attempts table nor fill it."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = getattr(request, "POST", {}).get("username")
    return None if username is None else str(username)[:USERNAME_MAX]
