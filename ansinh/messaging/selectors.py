"""Reads of the messaging app: whom to remind (from the renewal lists of ``enrollment.renewals``, the same
rule agents see), consent, templates and the outbox as officers read it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from ansinh.accounts.models import Role
from ansinh.accounts.services import record_communes_in_scope, require_permission, role_of
from ansinh.areas.models import AdministrativeUnit
from ansinh.core.masking import mask_phone
from ansinh.enrollment import renewals
from ansinh.enrollment.models import HiParticipation, VsiParticipation
from ansinh.registry.models import HouseholdMember, Relationship

from .models import ConsentRecord, MessageTemplate, OutboxMessage, OutboxStatus, ProvinceMessaging, ReminderKind
from .rendering import DEFAULT_BODIES

CHUNK = 900  # ids per IN (...) list: below SQLite's oldest limit of 999 variables

LAPSED = "lapsed"


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def outbox_keys_existing(keys: Iterable[str]) -> set[str]:
    """The outbox keys among ``keys`` that already have a message (queued in an earlier run)."""
    found: set[str] = set()
    for chunk in _chunks(keys):
        found.update(OutboxMessage.objects.filter(key__in=chunk).values_list("key", flat=True))
    return found


def default_windows() -> list[int]:
    return sorted(set(getattr(settings, "MESSAGING_WINDOWS", [30, 7])), reverse=True)


def province_settings() -> dict[int, ProvinceMessaging]:
    return {c.province_id: c for c in ProvinceMessaging.objects.all()}


def window_of(days_left: int, windows: list[int]) -> str | None:
    """The tightest window that holds ``days_left``: with windows 30 and 7, 25 days -> "30", 5 days -> "7";
    None when it is beyond every window."""
    fitting = [w for w in windows if 0 <= days_left <= w]
    return str(min(fitting)) if fitting else None


def reminder_candidates(*, user, on: datetime.date) -> list[dict]:
    """Cards and periods to remind about on ``on``, in ``user``'s scope, one row per card/period with its window:
    HI cards and VSI periods ending within the widest window (``ProvinceMessaging.windows`` of the commune's
    province, else ``settings.MESSAGING_WINDOWS``), and those that lapsed within the lapse look-back.

    Each row is a row of ``enrollment.renewals`` plus ``reminder_kind``, ``window``, ``commune_id``,
    ``province_id``, ``province_code``, ``agent_id``. Raises PermissionDenied."""
    configs = province_settings()
    widest = max([*default_windows(), *[max(c.window_days() or [0]) for c in configs.values()]])
    lapse = max([getattr(settings, "MESSAGING_LAPSE_DAYS", 90), *[c.lapse_days for c in configs.values()]])
    hi_rows = [(ReminderKind.HI_EXPIRING, r) for r in renewals.hi_cards_expiring(user=user, on=on, days=widest)]
    hi_rows += [(ReminderKind.HI_LAPSED, r) for r in renewals.hi_cards_lapsed(user=user, on=on, within_days=lapse)]
    vsi_rows = [(ReminderKind.VSI_ENDING, r) for r in renewals.vsi_periods_ending(user=user, on=on, days=widest)]
    vsi_rows += [(ReminderKind.VSI_LAPSED, r) for r in renewals.vsi_lapsed(user=user, on=on, within_days=lapse)]

    hi_places: dict[int, tuple[int, int | None]] = {}
    for ids in _chunks({r["participation_id"] for _, r in hi_rows}):
        for pk, commune_id, agent_id, own_agent in HiParticipation.objects.filter(pk__in=ids).values_list(
                "pk", "commune_id", "household__agent_id", "agent_id"):
            hi_places[pk] = (commune_id, agent_id or own_agent)
    vsi_places: dict[int, tuple[int, int | None]] = {}
    for ids in _chunks({r["participation_id"] for _, r in vsi_rows}):
        for pk, commune_id, agent_id, own_agent in VsiParticipation.objects.filter(pk__in=ids).values_list(
                "pk", "commune_id", "person__household_membership__household__agent_id", "agent_id"):
            vsi_places[pk] = (commune_id, agent_id or own_agent)
    communes = {pk: (province_id, code) for pk, province_id, code in AdministrativeUnit.objects.filter(
        pk__in={c for c, _ in [*hi_places.values(), *vsi_places.values()]}).values_list(
        "pk", "province_id", "province__code")}

    out = []
    for (kind, row) in [*hi_rows, *vsi_rows]:
        places = hi_places if kind in (ReminderKind.HI_EXPIRING, ReminderKind.HI_LAPSED) else vsi_places
        commune_id, agent_id = places[row["participation_id"]]
        province_id, province_code = communes[commune_id]
        config = configs.get(province_id)
        if config is not None and not config.enabled:
            continue
        if kind in (ReminderKind.HI_LAPSED, ReminderKind.VSI_LAPSED):
            limit = config.lapse_days if config else getattr(settings, "MESSAGING_LAPSE_DAYS", 90)
            if -row["days_left"] > limit:
                continue
            window = LAPSED
        else:
            window = window_of(row["days_left"], config.window_days() if config else default_windows())
            if window is None:
                continue
        out.append({**row, "reminder_kind": kind, "window": window, "commune_id": commune_id,
                    "province_id": province_id, "province_code": province_code, "agent_id": agent_id})
    return out


def heads_of(household_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Household id -> (head's person id, head's phone)."""
    out = {}
    for ids in _chunks({h for h in household_ids if h}):
        for household_id, person_id, phone in HouseholdMember.objects.filter(
                household_id__in=ids, relationship=Relationship.HEAD).values_list(
                "household_id", "person_id", "person__phone"):
            out[household_id] = (person_id, phone or "")
    return out


def consents_of(person_ids: Iterable[int]) -> dict[int, tuple[bool, str]]:
    """Person id -> (granted, e-mail) of their latest consent record (people without one are absent)."""
    out: dict[int, tuple[bool, str]] = {}
    for ids in _chunks(set(person_ids)):
        for person_id, granted, email in ConsentRecord.objects.filter(person_id__in=ids).order_by(
                "person_id", "recorded_at", "pk").values_list("person_id", "granted", "email"):
            out[person_id] = (granted, email)
    return out


def consent_history(*, user, person) -> list[ConsentRecord]:
    """A person's consent records, newest first. Raises PermissionDenied, OutOfScope."""
    from ansinh.accounts.services import require_person_in_scope

    require_permission(user, "registry.view_person")
    require_person_in_scope(user, person)
    return list(ConsentRecord.objects.filter(person=person).select_related("recorded_by")
                .order_by("-recorded_at", "-pk"))


def template_for(*, province_id: int | None, kind: str) -> tuple[str, str]:
    """(body, zalo_template_id) of the province's template of ``kind``, else the default row, else the
    built-in default text."""
    rows = {t.province_id: t for t in MessageTemplate.objects.filter(
        Q(province_id=province_id) | Q(province__isnull=True), kind=kind)}
    chosen = rows.get(province_id) or rows.get(None)
    if chosen is not None:
        return chosen.body, chosen.zalo_template_id
    return DEFAULT_BODIES[kind], ""


def templates_for(*, user) -> list[dict]:
    """Every reminder kind with the text used in the user's province: ``{"kind", "label", "body",
    "zalo_template_id", "own" (the province has its own text)}``. Raises PermissionDenied."""
    require_permission(user, "messaging.change_messagetemplate")
    province = user_province(user)
    out = []
    for kind, label in ReminderKind.choices:
        body, zalo_id = template_for(province_id=province.pk if province else None, kind=kind)
        own = province is not None and MessageTemplate.objects.filter(province=province, kind=kind).exists()
        out.append({"kind": kind, "label": label, "body": body, "zalo_template_id": zalo_id, "own": own})
    return out


def user_province(user) -> AdministrativeUnit | None:
    """The province of the user's area (officers, administrators), or None."""
    user_role = role_of(user)
    if user_role.area_id is not None:
        return user_role.area.province
    if user_role.si_office_id is not None:
        return user_role.si_office.province
    return None


def _outbox_in_scope(user) -> QuerySet[OutboxMessage]:
    user_role = require_permission(user, "messaging.view_outboxmessage")
    rows = OutboxMessage.objects.all()
    if user_role.role == Role.COLLECTION_AGENT:
        return rows.filter(agent_id=user_role.agent_id)
    return rows.filter(commune__in=record_communes_in_scope(user))


def outbox_list(*, user, status: str | None = None, limit: int = 200) -> list[dict]:
    """The latest messages in the user's scope (agents: their households), phone masked. Each:
    ``{"id", "kind_label", "window", "full_name", "phone" (masked), "channel", "status", "status_label",
    "reason", "attempts", "ends_on", "created_at", "sent_at", "delivered_at", "commune", "agent"}``.
    Raises PermissionDenied."""
    rows = _outbox_in_scope(user)
    if status:
        rows = rows.filter(status=status)
    rows = rows.select_related("person", "commune", "agent").order_by("-created_at", "-pk")[:limit]
    labels = dict(OutboxStatus.choices)
    kinds = dict(ReminderKind.choices)
    return [{
        "id": m.pk, "kind_label": kinds[m.kind], "window": m.window, "full_name": m.person.full_name,
        "phone": mask_phone(m.address) if m.channel != "email" else _mask_email(m.address),
        "channel": m.get_channel_display(), "status": m.status, "status_label": labels[m.status],
        "reason": m.reason, "attempts": m.attempts, "ends_on": m.ends_on, "created_at": m.created_at,
        "sent_at": m.sent_at, "delivered_at": m.delivered_at, "commune": m.commune.name,
        "agent": m.agent.full_name if m.agent else "",
    } for m in rows]


def _mask_email(value: str) -> str:
    name, _, domain = value.partition("@")
    return (name[:1] + "***@" + domain) if domain else ""


def _counts(rows: QuerySet, by: list[str]) -> list[dict]:
    statuses = OutboxStatus.values
    aggregates = {s: Count("pk", filter=Q(status=s)) for s in statuses}
    out = []
    for row in rows.values(*by).annotate(total=Count("pk"), **aggregates).order_by(*by):
        out.append(row)
    return out


def outbox_counts(*, user) -> dict:
    """Counts by status, in total, per commune and per agent, in the user's scope:
    ``{"total": {status: n, "total": n}, "communes": [{"commune__name", "total", <status>: n}],
    "agents": [{"agent__code", "agent__full_name", ...}]}``. Raises PermissionDenied."""
    rows = _outbox_in_scope(user)
    total = rows.aggregate(total=Count("pk"), **{s: Count("pk", filter=Q(status=s)) for s in OutboxStatus.values})
    return {
        "total": total,
        "communes": _counts(rows, ["commune__name"]),
        "agents": _counts(rows, ["agent__code", "agent__full_name"]),
    }
