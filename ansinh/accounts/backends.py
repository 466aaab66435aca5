"""Authentication backend: Django's model backend, reading a signed-in user with their role and scope
in one query, and their permissions (own and through groups) from a short per-process cache."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

ROLE_RELATIONS = ("ansinh_role", "ansinh_role__area", "ansinh_role__agent", "ansinh_role__agent__org")
"""Loaded with the user: ``role_of(user)``, the scope checks and an agent's receipts then need no query of
their own (a leader's association unit is read when needed)."""

PERMISSION_CACHE_SECONDS = 60
"""How long a process keeps a user's permission names. Any change of groups, permissions or users made in
this process empties the cache at once (``permission_cache_clear``, connected in ``apps.py``); a change
made in another process (the admin site served by another worker) applies here within this time.
Deactivating a user applies at once: the user row is read on every request."""
_permission_cache: dict[int, tuple[float, frozenset[str]]] = {}


def permission_cache_clear(**kwargs) -> None:
    """Forget every cached permission set (signal receiver)."""
    _permission_cache.clear()


class RoleBackend(ModelBackend):
    """``ModelBackend`` with the same rules (active users only, superusers hold every permission);
    only the number of queries differs."""

    def get_user(self, user_id):
        """The active user with ``user_id`` and their ``UserRole`` (None when missing or inactive)."""
        try:
            user = get_user_model()._default_manager.select_related(*ROLE_RELATIONS).get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """Every ``app_label.codename`` the user holds, directly or through a group: one query, then kept
        on the user object for the request and per process for PERMISSION_CACHE_SECONDS."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            now = time.monotonic()
            key = user_obj.pk if not user_obj.is_superuser else -user_obj.pk
            cached = _permission_cache.get(key)
            if cached is None or now - cached[0] > PERMISSION_CACHE_SECONDS:
                perms = Permission.objects.all()
                if not user_obj.is_superuser:
                    perms = perms.filter(Q(user=user_obj) | Q(group__user=user_obj)).distinct()
                cached = (now, frozenset(
                    f"{app_label}.{codename}"
                    for app_label, codename in perms.values_list("content_type__app_label", "codename")
                ))
                _permission_cache[key] = cached
            user_obj._perm_cache = set(cached[1])
        return user_obj._perm_cache
