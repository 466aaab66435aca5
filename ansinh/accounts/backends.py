"""Authentication backend: Django's model backend, reading a signed-in user with their role and scope
in one hand-written query, and their permissions (own and through groups) from a short per-process cache."""

import functools
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Q

from ansinh.core.db import sql_cache_related, sql_columns, sql_id, sql_instance, sql_table


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
        """The active user with ``user_id`` and their ``UserRole`` with its area, agent and the agent's
        organisation (None when missing or inactive)."""
        user = _user_with_role(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

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


@functools.cache
def _user_sql() -> tuple[list[tuple], str]:
    from ansinh.accounts.models import UserRole
    from ansinh.areas.models import AdministrativeUnit
    from ansinh.collection.models import Agent, CollectionOrg

    parts = [(get_user_model(), "u"), (UserRole, "r"), (AdministrativeUnit, "a"), (Agent, "g"), (CollectionOrg, "o")]
    columns = [(model, *sql_columns(model, alias)) for model, alias in parts]
    sql = (f"SELECT {', '.join(c[2] for c in columns)} FROM {sql_table(get_user_model())} u "
           f"LEFT JOIN {sql_table(UserRole)} r ON r.user_id = u.id "
           f"LEFT JOIN {sql_table(AdministrativeUnit)} a ON a.id = r.area_id "
           f"LEFT JOIN {sql_table(Agent)} g ON g.id = r.agent_id "
           f"LEFT JOIN {sql_table(CollectionOrg)} o ON o.id = g.org_id WHERE u.id = %s")
    return [(model, names) for model, names, _ in columns], sql


def _user_with_role(user_id):
    """The user with ``user_id`` (or None) read with their role, the role's area, agent and the agent's
    organisation in one hand-written query: the ORM's ``select_related("ansinh_role", "ansinh_role__area",
    "ansinh_role__agent", "ansinh_role__agent__org").get(pk=user_id)``, which runs on every request and
    costs more to build than to run. ``role_of(user)``, the scope checks and an agent's receipts then need
    no query of their own (a leader's association unit is read when needed)."""
    parts, sql = _user_sql()
    user_id = sql_id(user_id)
    if user_id is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    instances, start = [], 0
    for model, names in parts:
        values = row[start:start + len(names)]
        start += len(names)
        instances.append(sql_instance(model, names, values) if values[0] is not None else None)
    user, role, area, agent, org = instances
    sql_cache_related(user, "ansinh_role", role)
    if role is not None:
        sql_cache_related(role, "area", area)
        sql_cache_related(role, "agent", agent)
        if agent is not None:
            sql_cache_related(agent, "org", org)
    return user
