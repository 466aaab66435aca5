"""Reading parameters: the active set (files + values added at runtime), and what the pages list.

``active_parameters()`` is what every price uses. It is cached per process and keyed on the rows of
ParameterValue (count, largest id, latest creation time: one small query), so a value added by any
process is picked up by every process on its next price, without a restart. Inside a web request the
key is checked once, on the first call (every price of one request uses one parameter set); outside a
request (commands, tests) it is checked on every call.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import date

from django.db import connection

from ansinh.accounts.services import require_permission, role_of
from ansinh.core.errors import PermissionDenied
from ansinh.core.db import sql_table
from ansinh.rules import ParameterError, ParameterSet, default_parameters
from ansinh.rules.parameters import Parameter

from .errors import LEGAL_PARAMETER_ADMIN_ONLY, LOCAL_SUPPORT_OWN_PROVINCE, UNKNOWN_PARAMETER, UnknownParameter
from .models import ParameterValue
from .values import value_load

ADD_PERMISSION = "parameters.add_parametervalue"
"""The named Django permission to add a dated value (given to the province_admin role); the level check
``parameter_level_check`` narrows it per parameter."""
LOCAL_SUPPORT_FAMILY = "vsi.local_support"

NAMESPACE_LABELS_VI = {
    "common": "Tham số chung",
    "vsi": "BHXH tự nguyện",
    "household_hi": "BHYT hộ gia đình",
    "benefits": "Quyền lợi BHXH tự nguyện (hưu trí, trợ cấp một lần)",
    "social_pension": "Trợ cấp hưu trí xã hội",
}

_cache: dict[str, tuple[tuple, ParameterSet]] = {}
_cache_lock = threading.Lock()
_request = threading.local()
"""``checked``: None outside a request; False at the start of one; True once the key was checked."""


def request_started(**kwargs) -> None:
    """Signal receiver (``django.core.signals.request_started``): check the key again in this request."""
    _request.checked = False


def request_finished(**kwargs) -> None:
    """Signal receiver (``request_finished``): calls made outside a request check the key every time."""
    _request.checked = None


def active_parameters_refresh() -> None:
    """Make the next ``active_parameters()`` check the key even inside a request (after adding a value)."""
    if getattr(_request, "checked", None):
        _request.checked = False


def runtime_item(row: ParameterValue) -> dict:
    """A stored row as one dated value for ``ParameterSet.with_extra_values``."""
    reference = {"document": row.reference_document}
    for key, text in (("article", row.reference_article), ("link", row.reference_link),
                      ("note", row.reference_note)):
        if text.strip():
            reference[key] = text
    item = {"start": row.start, "value": value_load(row.value_json), "reference": reference,
            "confidence": row.confidence}
    if row.note.strip():
        item["note"] = row.note
    if row.change_reason.strip():
        item["change_reason"] = row.change_reason
    return item


def runtime_extra(rows) -> dict[str, list[dict]]:
    """Rows grouped by parameter name, in the form ``with_extra_values`` takes."""
    extra: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        extra[row.name].append(runtime_item(row))
    return dict(extra)


def _build(rows) -> ParameterSet:
    extra = runtime_extra(rows)
    return default_parameters().with_extra_values(extra) if extra else default_parameters()


def active_parameters() -> ParameterSet:
    """The parameters in force for pricing: the packaged files plus every value added at runtime.

    Raises ParameterError if a stored value no longer fits the files (fail loudly, never price with a
    silently dropped value).
    """
    cached = _cache.get("active")
    in_request = getattr(_request, "checked", None)
    if in_request and cached is not None:
        return cached[1]
    key = _rows_key()
    if in_request is not None:
        _request.checked = True
    if cached is not None and cached[0] == key:
        return cached[1]
    with _cache_lock:
        # Keyed by the state read before the rows: a value added meanwhile changes the key again, so the
        # next check reloads (never the other way round).
        params = _build(list(ParameterValue.objects.order_by("name", "start")))
        _cache["active"] = (key, params)
    return params


def _rows_key() -> tuple:
    """(count, largest id, latest creation time) of the stored values, as the database gives them.
    Hand-written: it runs on every request that prices, and the ORM's aggregate costs more to build than
    to run (``ParameterValue.objects.aggregate(Count("id"), Max("id"), Max("created_at"))``)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(id), MAX({quote('created_at')}) FROM {sql_table(ParameterValue)}")
        return tuple(cursor.fetchone())


def parameter_get(*, name: str, params: ParameterSet | None = None) -> Parameter:
    """The parameter named `name` in the active set (an undeclared family member comes back empty).
    Raises UnknownParameter."""
    params = params or active_parameters()
    try:
        return params.parameter(name)
    except ParameterError:
        raise UnknownParameter(UNKNOWN_PARAMETER.format(name=name), name=name) from None


def _row(parameter: Parameter, on: date) -> dict:
    current = parameter.find(on)
    upcoming = [v for v in parameter.values if v.start > on]
    return {
        "parameter": parameter,
        "current": current,
        "upcoming": upcoming,
        "runtime_count": sum(1 for v in parameter.values if v.origin == "runtime"),
    }


def parameter_namespaces(*, on: date) -> list[dict]:
    """Every parameter grouped by namespace (its first name part), for the list page.

    Returns ``[{"key", "label", "rows": [{"parameter", "current" (value in force on `on` or None),
    "upcoming" (later values), "runtime_count"}], "families": [{"family", "members": [row...]}]}]``.
    """
    params = active_parameters()
    families = {f["name"]: f for f in params.families()}
    groups: dict[str, dict] = {}
    members: dict[str, list] = defaultdict(list)
    for name in params.names():
        parameter = params.parameter(name)
        if parameter.family:
            members[parameter.family].append(_row(parameter, on))
            continue
        key = name.split(".")[0]
        groups.setdefault(key, {"key": key, "label": NAMESPACE_LABELS_VI.get(key, key), "rows": [], "families": []})
        groups[key]["rows"].append(_row(parameter, on))
    for name, family in families.items():
        key = name.split(".")[0]
        groups.setdefault(key, {"key": key, "label": NAMESPACE_LABELS_VI.get(key, key), "rows": [], "families": []})
        groups[key]["families"].append({"family": family, "members": members.get(name, [])})
    order = list(NAMESPACE_LABELS_VI)
    return sorted(groups.values(), key=lambda g: (order.index(g["key"]) if g["key"] in order else len(order), g["key"]))


def parameter_history(*, name: str, on: date) -> dict:
    """One parameter with every dated value, for its page.

    Returns ``{"parameter", "values": [{"dated", "in_force", "record" (the ParameterValue with who and
    when for a runtime value, else None)}], "current"}`` (values newest first). Raises UnknownParameter.
    """
    parameter = parameter_get(name=name)
    records = {r.start: r for r in ParameterValue.objects.filter(name=parameter.name).select_related("created_by")}
    current = parameter.find(on)
    values = [
        {"dated": dated, "in_force": dated is current,
         "record": records.get(dated.start) if dated.origin == "runtime" else None}
        for dated in reversed(parameter.values)
    ]
    return {"parameter": parameter, "values": values, "current": current}


def parameter_for_addition(*, user, name: str) -> Parameter:
    """The parameter a user is about to add a value to (for the form). Raises PermissionDenied (without
    ``parameters.add_parametervalue``) and UnknownParameter."""
    parameter = parameter_get(name=name)
    parameter_level_check(user=user, parameter=parameter)
    return parameter


def parameter_level_check(*, user, parameter: Parameter) -> None:
    """Who may add a value to ``parameter``, by level: a legal (national) parameter only a provincial
    administrator (``province_admin``) or a superuser; a province's local support
    (``vsi.local_support.<code>``) only the administrator of that province, or of the province that
    succeeded it on 01/07/2025 (or a superuser). District and
    commune officers never: a value applies to the whole province and beyond. Raises PermissionDenied
    (with the Vietnamese reason)."""
    from ansinh.accounts.models import Role

    if user.is_authenticated and user.is_superuser and user.is_active:
        return
    user_role = role_of(user)
    if user_role.role == Role.SI_OFFICER:  # the officers who used to add values: say why no longer
        raise PermissionDenied(LEGAL_PARAMETER_ADMIN_ONLY)
    require_permission(user, ADD_PERMISSION)
    if user_role.role != Role.PROVINCE_ADMIN or user_role.area is None:
        raise PermissionDenied(LEGAL_PARAMETER_ADMIN_ONLY)
    if parameter.family == LOCAL_SUPPORT_FAMILY:
        code = parameter.name.rsplit(".", 1)[1]
        if code not in _own_province_codes(user_role.area):
            raise PermissionDenied(LOCAL_SUPPORT_OWN_PROVINCE.format(code=code))


def _own_province_codes(province) -> set[str]:
    """The administrator's province code and those of the old provinces (before 01/07/2025) whose communes
    became its communes: the successor keeps the records, so it records their past local support too."""
    from ansinh.areas.models import UnitMapping

    olds = UnitMapping.objects.filter(new_unit__province=province, is_primary=True).values_list(
        "old_unit__province__code", flat=True).distinct()
    return {province.code, *olds}
