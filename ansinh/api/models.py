"""Personal API tokens: a user's named, expiring credentials for a device or a script.

The secret is shown once, when the token is created; only its SHA-256 digest is stored (the secret is
random and long, so a slow password hash would add nothing), with a short prefix to recognise it by."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ApiToken(models.Model):
    """One personal API token (``Authorization: Bearer <secret>``). Revoking keeps the row (who and when);
    nothing is deleted. ``last_used_at`` is written at most once a minute per token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, help_text="The secret's first characters, to recognise it by.")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret, hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
