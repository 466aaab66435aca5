"""Production settings that fail closed: the web server does not start with the development signing key,
and ``ansinh check --deploy`` reports it."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def secret_key_require() -> None:
    """Refuse to serve without DEBUG when SECRET_KEY is not set (the demo province, which says so, may).
    Raises ImproperlyConfigured with the Vietnamese message of the settings."""
    if not settings.DEBUG and not settings.SECRET_KEY_FROM_ENV and not settings.ANSINH_DEMO:
        raise ImproperlyConfigured(settings.SECRET_KEY_MISSING)


@checks.register(checks.Tags.security, deploy=True)
def secret_key_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """``check --deploy``: the development key is never a production key."""
    if settings.SECRET_KEY_FROM_ENV and settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        return []
    return [checks.Error(settings.SECRET_KEY_MISSING, id="ansinh.E001")]
