"""Writes of the messaging app: consent, templates, queueing reminders, sending and delivery reports.

Never two messages for one card/period and window: every ``OutboxMessage`` has ``key`` =
``<kind>:<card or period id>:<window>`` under a unique constraint and is inserted with ``ignore_conflicts``, so a
repeated run, or two runs at once, queue each message once. Sending claims a message with a lease
(``locked_until``) by a conditional UPDATE, so two workers never send one message at once; the gateway gets our
random ``ref`` as its idempotency key for the rare resend after a worker died between the gateway's answer and
our write.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import hmac
import time
import uuid

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ansinh.accounts.services import require_permission, require_person_in_scope
from ansinh.core.errors import ValidationError
from ansinh.core.text import fold
from ansinh.registry.models import Person

from . import selectors
from .errors import ConsentDateInFuture, EmailMissing, OptOutLinkInvalid, PhoneInvalid, ZaloTemplateIdMissing
from .gateways import GatewayRefused, GatewayRetry, Outgoing, gateway_for
from .models import (
    Channel, ConsentRecord, ConsentSource, DeliveryAttempt, MessageTemplate, OutboxMessage, OutboxStatus,
    ProvinceMessaging,
)
from .phones import MOBILE, phone_national
from .rendering import date_text, money_text, template_check, template_render

OPT_OUT_SALT = "ansinh.messaging.opt-out"
OPT_OUT_WORDS = ("tu choi", "tuchoi", "huy", "stop")
LEASE = datetime.timedelta(minutes=5)


def _setting(name: str, default):
    return getattr(settings, name, default)


# ---------------------------------------------------------------------------------------------
# Consent (Decree 13/2023/NĐ-CP)
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def consent_record(*, user, person: Person, granted: bool, decided_on: datetime.date, source: str,
                   email: str = "", note: str = "") -> ConsentRecord:
    """Record that ``person`` agreed to (or refused / withdrew from) reminder messages on ``decided_on``.
    Raises PermissionDenied, OutOfScope, ConsentDateInFuture."""
    require_permission(user, "messaging.record_consent")
    require_person_in_scope(user, person)
    if decided_on > timezone.localdate():
        raise ConsentDateInFuture()
    return ConsentRecord.objects.create(person=person, granted=granted, decided_on=decided_on, source=source,
                                        email=email, note=note, recorded_by=user)


def opt_out_token(ref: str) -> str:
    """A signed token naming one message (its random ``ref``; no personal data)."""
    return signing.Signer(salt=OPT_OUT_SALT).sign(ref)


def opt_out_message(token: str) -> OutboxMessage:
    """The message a link's token names. Raises OptOutLinkInvalid."""
    try:
        ref = signing.Signer(salt=OPT_OUT_SALT).unsign(token)
    except signing.BadSignature:
        raise OptOutLinkInvalid() from None
    message = OutboxMessage.objects.filter(ref=ref).first()
    if message is None:
        raise OptOutLinkInvalid()
    return message


@transaction.atomic
def opt_out_by_link(*, token: str) -> ConsentRecord:
    """The recipient of the message named by ``token`` withdraws consent (the one-click link). Raises
    OptOutLinkInvalid."""
    message = opt_out_message(token)
    person_id = message.recipient_id or message.person_id
    latest = (ConsentRecord.objects.select_for_update().filter(person_id=person_id)
              .order_by("-recorded_at", "-pk").first())
    if latest is not None and not latest.granted:
        return latest  # already withdrawn (the link opened twice): one record, not two
    return ConsentRecord.objects.create(person_id=person_id, granted=False, decided_on=timezone.localdate(),
                                        source=ConsentSource.LINK, note="Từ chối qua đường dẫn trong tin nhắn")


@transaction.atomic
def inbound_reply_handle(*, phone: str, text: str) -> int:
    """A reply from a phone: "TU CHOI" (with or without accents, any case) withdraws the consent of every person
    recorded with that phone. Returns how many people opted out (0 for any other text or an unknown phone)."""
    if fold(text or "").strip().strip(".!") not in OPT_OUT_WORDS:
        return 0
    try:
        national = phone_national(phone if not (phone or "").startswith("84") else "0" + phone[2:])
    except PhoneInvalid:
        return 0
    today = timezone.localdate()
    people = list(Person.objects.filter(phone=national).values_list("pk", flat=True))
    withdrawn = {pk for pk, (granted, _) in selectors.consents_of(people).items() if not granted}
    people = [pk for pk in people if pk not in withdrawn]  # a repeated reply adds nothing
    ConsentRecord.objects.bulk_create([
        ConsentRecord(person_id=pk, granted=False, decided_on=today, source=ConsentSource.SMS_REPLY,
                      note="Trả lời TU CHOI") for pk in people
    ])
    return len(people)


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def template_save(*, user, kind: str, body: str, zalo_template_id: str = "") -> MessageTemplate:
    """Save the text of ``kind`` for the user's province. Raises PermissionDenied, TemplateFieldUnknown,
    TemplateFieldMissing, TemplateBraces, TemplateEmpty, ZaloTemplateIdMissing."""
    require_permission(user, "messaging.change_messagetemplate")
    province = selectors.user_province(user)
    template_check(body)
    config = ProvinceMessaging.objects.filter(province=province).first() if province else None
    if config is not None and config.channel == Channel.ZALO and not zalo_template_id.strip():
        raise ZaloTemplateIdMissing()
    template, _ = MessageTemplate.objects.update_or_create(
        province=province, kind=kind,
        defaults={"body": body, "zalo_template_id": zalo_template_id.strip(), "updated_by": user},
    )
    return template


# ---------------------------------------------------------------------------------------------
# Queueing
# ---------------------------------------------------------------------------------------------

@contextlib.contextmanager
def _no_cyclic_gc():
    """Pause Python's cyclic garbage collector: building and writing 100,000 outbox messages makes hundreds
    of thousands of objects with no reference cycles, which the collector would otherwise scan again and
    again (a third of the insert's CPU time in ``bench/bench_reminders.py``). Memory is still freed by
    reference counting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _channel_of(province_id: int, configs: dict) -> str:
    config = configs.get(province_id)
    return config.channel if config else _setting("MESSAGING_DEFAULT_CHANNEL", Channel.SMS)


def reminders_queue(*, user, on: datetime.date) -> dict:
    """Queue the reminders of ``on`` for the user's scope (see ``selectors.reminder_candidates``): one message
    per card/period and window, to the person's phone or else their household head's, only for people who
    consented (``MESSAGING_REQUIRE_CONSENT``) and never for one who opted out (the card holder or the phone's
    owner). A phone that is not Vietnamese, or an e-mail channel without an address, is queued as failed with
    the reason and never sent. Safe to repeat and to run twice at once.

    Returns counts: ``{"candidates", "queued", "failed", "already", "no_phone", "no_consent", "opted_out"}``.
    Raises PermissionDenied."""
    require_permission(user, "messaging.queue_reminders")
    with _no_cyclic_gc():  # 100,000 candidates and messages: no cycles among them, no need to scan them
        return _reminders_queue(user=user, on=on)


def _reminders_queue(*, user, on: datetime.date) -> dict:
    candidates = selectors.reminder_candidates(user=user, on=on)
    heads = selectors.heads_of(r["household_id"] for r in candidates)
    recipients = {}
    for row in candidates:
        if row["phone"]:
            recipients[id(row)] = (row["person_id"], row["phone"])
        elif row["household_id"] in heads and heads[row["household_id"]][1]:
            recipients[id(row)] = heads[row["household_id"]]
    consents = selectors.consents_of({r["person_id"] for r in candidates} | {p for p, _ in recipients.values()})
    configs = selectors.province_settings()
    require_consent = _setting("MESSAGING_REQUIRE_CONSENT", True)
    now = timezone.now()
    counts = dict(candidates=len(candidates), queued=0, failed=0, already=0, no_phone=0, no_consent=0,
                  opted_out=0)
    queued, failed = [], []
    keys = [_outbox_key(row) for row in candidates]
    existing = selectors.outbox_keys_existing(keys)  # a repeated run builds nothing for these
    for row, key in zip(candidates, keys):
        subject = consents.get(row["person_id"])
        if subject is not None and not subject[0]:
            counts["opted_out"] += 1
            continue
        channel = _channel_of(row["province_id"], configs)
        recipient_id, phone = recipients.get(id(row), (None, ""))
        if channel != Channel.EMAIL and not phone:
            counts["no_phone"] += 1
            continue
        owner = consents.get(recipient_id or row["person_id"])
        if owner is not None and not owner[0]:
            counts["opted_out"] += 1
            continue
        if require_consent and owner is None:
            counts["no_consent"] += 1
            continue
        if key in existing:
            counts["already"] += 1
            continue
        target, reason, address = queued, "", phone
        if channel == Channel.EMAIL:
            address = owner[1] if owner else ""
            if not address:
                target, reason = failed, EmailMissing.message
        elif not MOBILE.fullmatch(phone):
            target, reason = failed, PhoneInvalid.message
        target.append(_message(
            key, uuid.uuid4().hex, row["reminder_kind"], row["window"], row["participation_id"], row["ends_on"],
            row["person_id"], recipient_id, channel, address, row["province_id"], row["commune_id"], row["agent_id"],
            {"ho_ten": row["full_name"], "ngay_het_han": date_text(row["ends_on"]),
             "so_tien": money_text(row["amount"]), "so_ngay": row["days_left"],
             "ma_ho": row["household_code"] or "", "loai": row["kind_label"]},
            reason, now, now,
        ))
    with transaction.atomic():
        counts["queued"] = _outbox_insert(queued, status=OutboxStatus.QUEUED)
        counts["failed"] = _outbox_insert(failed, status=OutboxStatus.FAILED)
    counts["already"] += len(queued) + len(failed) - counts["queued"] - counts["failed"]
    return counts


OUTBOX_BATCH = 2000
_OUTBOX_FIELDS = [f.attname for f in OutboxMessage._meta.concrete_fields]
_OUTBOX_GIVEN = ("key", "ref", "kind", "window", "source_id", "ends_on", "person_id", "recipient_id", "channel",
                 "address", "province_id", "commune_id", "agent_id", "params", "reason", "next_attempt_at",
                 "created_at")
_OUTBOX_POSITIONS = [_OUTBOX_FIELDS.index(name) for name in _OUTBOX_GIVEN]
_OUTBOX_DEFAULTS = [f.get_default() for f in OutboxMessage._meta.concrete_fields]  # every field not given


def _outbox_key(row: dict) -> str:
    """``<kind>:<card or period>:<window>``: a card is one member's line of an HI participation
    (``<participation id>.<person id>``), a VSI period the participation itself."""
    kind = row["reminder_kind"]
    card = row["participation_id"] if kind.startswith("vsi") else f"{row['participation_id']}.{row['person_id']}"
    return f"{kind}:{card}:{row['window']}"


def _message(*values) -> OutboxMessage:
    """An unsaved outbox message from the values of ``_OUTBOX_GIVEN`` in that order, the other fields at their
    defaults; built with positional arguments in the model's field order, Django's fast path (keywords cost
    several times more for 100,000 messages)."""
    args = _OUTBOX_DEFAULTS.copy()
    for position, value in zip(_OUTBOX_POSITIONS, values, strict=True):
        args[position] = value
    return OutboxMessage(*args)


def _outbox_insert(messages: list[OutboxMessage], *, status: str) -> int:
    """Insert ``messages`` (their ``ref`` is new, made by this run) with ``status``, skipping any whose ``key``
    exists: ``bulk_create(ignore_conflicts=True)`` lets the unique constraint decide, so a repeated run or one
    running at the same moment cannot add a second message for a card and window. Returns how many were
    inserted: the rows of this run's refs that are in the table afterwards (a skipped message's ref is not)."""
    inserted = 0
    for start in range(0, len(messages), OUTBOX_BATCH):
        batch = messages[start:start + OUTBOX_BATCH]
        for message in batch:
            message.status = status
        OutboxMessage.objects.bulk_create(batch, batch_size=OUTBOX_BATCH, ignore_conflicts=True)
        refs = [m.ref for m in batch]
        inserted += sum(OutboxMessage.objects.filter(ref__in=refs[i:i + selectors.CHUNK]).count()
                        for i in range(0, len(refs), selectors.CHUNK))
    return inserted


# ---------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------

def _backoff(attempts: int) -> datetime.timedelta:
    """60 s, 120 s, 240 s … after the 1st, 2nd, 3rd failed try (``MESSAGING_BACKOFF_SECONDS`` doubled)."""
    return datetime.timedelta(seconds=_setting("MESSAGING_BACKOFF_SECONDS", 60) * 2 ** (attempts - 1))


def _due(now) -> Q:
    return (Q(status__in=[OutboxStatus.QUEUED, OutboxStatus.RETRIED], next_attempt_at__lte=now)
            & (Q(locked_until__isnull=True) | Q(locked_until__lt=now)))


def _claim(pk: int, now) -> bool:
    return OutboxMessage.objects.filter(_due(now), pk=pk).update(locked_until=now + LEASE) == 1


def opt_out_link(ref: str) -> str:
    base = _setting("MESSAGING_PUBLIC_URL", "").rstrip("/")
    return base + reverse("messaging:opt_out", args=[opt_out_token(ref)])


def message_send(*, pk: int, now: datetime.datetime | None = None) -> str | None:
    """Send one due message if this process can claim it; returns its new status (None: not claimed).

    Text: the province's template filled with the message's values; a template with a missing or unknown
    field fails the message with the reason. The gateway's answer: accepted -> sent; timeout or 5xx ->
    retried after a backoff, failed after ``MESSAGING_MAX_ATTEMPTS`` tries; refused (4xx, invalid phone) ->
    failed. Each try is a ``DeliveryAttempt``."""
    now = now or timezone.now()
    if not _claim(pk, now):
        return None
    message = OutboxMessage.objects.select_related("province").get(pk=pk)
    # A person who opted out after the message was queued gets nothing.
    latest = selectors.consents_of([message.recipient_id or message.person_id, message.person_id])
    if any(not granted for granted, _ in latest.values()):
        return _finish(message, now, OutboxStatus.FAILED, reason="Người nhận đã từ chối nhận tin.",
                       outcome="refused")
    body, zalo_id = selectors.template_for(province_id=message.province_id, kind=message.kind)
    params = {**message.params, "duong_dan_tu_choi": opt_out_link(message.ref)}
    try:
        text = template_render(body, params)
    except ValidationError as error:  # TemplateFieldUnknown, TemplateFieldMissing, TemplateBraces, TemplateEmpty
        return _finish(message, now, OutboxStatus.FAILED, reason=error.message, outcome="refused")
    gateway = gateway_for(message.channel, message.province.code if message.province else None)
    outgoing = Outgoing(ref=message.ref, address=message.address, text=text, template_id=zalo_id,
                        params={k: str(v) for k, v in params.items()})
    message.text = text
    try:
        result = gateway.send(outgoing)
    except GatewayRefused as error:
        return _finish(message, now, OutboxStatus.FAILED, reason=error.reason, outcome="refused",
                       http_status=error.http_status, answer=error.answer)
    except GatewayRetry as error:
        attempts = message.attempts + 1
        if attempts >= _setting("MESSAGING_MAX_ATTEMPTS", 5):
            return _finish(message, now, OutboxStatus.FAILED, outcome="retry",
                           reason=f"{error.reason}; đã thử {attempts} lần.",
                           http_status=error.http_status, answer=error.answer)
        return _finish(message, now, OutboxStatus.RETRIED, reason=error.reason, outcome="retry",
                       http_status=error.http_status, answer=error.answer, next_attempt_at=now + _backoff(attempts))
    return _finish(message, now, OutboxStatus.SENT, reason="", outcome="sent", http_status=result.http_status,
                   answer=result.answer, provider_id=result.provider_id or message.ref, sent_at=now)


@transaction.atomic
def _finish(message: OutboxMessage, now, status: str, *, reason: str, outcome: str, http_status=None,
            answer: str = "", **fields) -> str:
    DeliveryAttempt.objects.create(message=message, at=now, outcome=outcome, http_status=http_status,
                                   answer=(answer or "")[:500])
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status, reason=reason[:300], attempts=message.attempts + 1, locked_until=None, text=message.text,
        **fields,
    )
    return status


def outbox_dispatch(*, now: datetime.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Send every due message (queued, or retried whose backoff has passed), at most ``limit``; returns the
    count per new status."""
    now = now or timezone.now()
    ids = list(OutboxMessage.objects.filter(_due(now)).order_by("next_attempt_at", "pk")
               .values_list("pk", flat=True)[:limit])
    counts: dict[str, int] = {}
    for pk in ids:
        status = message_send(pk=pk, now=now)
        if status:
            counts[status] = counts.get(status, 0) + 1
    return counts


def next_due_at() -> datetime.datetime | None:
    """When the next retried message becomes due (for scheduling the next dispatch)."""
    row = (OutboxMessage.objects.filter(status__in=[OutboxStatus.QUEUED, OutboxStatus.RETRIED])
           .order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first())
    return row


# ---------------------------------------------------------------------------------------------
# Webhooks
# ---------------------------------------------------------------------------------------------

def webhook_signature(body: bytes, timestamp: str) -> str:
    """HMAC-SHA256 of ``timestamp`` + "." + the request body with ``MESSAGING_WEBHOOK_SECRET``, hex. The
    timestamp (Unix seconds, header ``X-Timestamp``) is signed with the body so a captured report cannot be
    replayed later."""
    secret = _setting("MESSAGING_WEBHOOK_SECRET", "")
    return hmac.new(secret.encode(), timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def webhook_verify(*, body: bytes, signature: str, timestamp: str, now: float | None = None) -> bool:
    """True when ``signature`` is the HMAC of ``timestamp`` and the body with the shared secret (never with an
    empty secret) and the timestamp is within ``MESSAGING_WEBHOOK_TOLERANCE_SECONDS`` of now (a replay of an
    old report is refused; a repeated fresh one changes nothing: delivery reports and replies are idempotent).
    Compared as bytes: a header with non-ASCII characters is simply a wrong signature (``compare_digest``
    refuses non-ASCII str with TypeError)."""
    if not _setting("MESSAGING_WEBHOOK_SECRET", ""):
        return False
    timestamp = timestamp or ""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    tolerance = _setting("MESSAGING_WEBHOOK_TOLERANCE_SECONDS", 300)
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        return False
    given = (signature or "").encode("utf-8", "surrogatepass")
    return hmac.compare_digest(webhook_signature(body, timestamp).encode("ascii"), given)


@transaction.atomic
def delivery_report_record(*, ref: str = "", provider_id: str = "", delivered: bool, reason: str = "",
                           now: datetime.datetime | None = None) -> str:
    """A gateway's delivery report. Returns "delivered", "failed", "duplicate" (the message already has this
    outcome, or any final outcome: a second report changes nothing) or "unknown" (no such message)."""
    now = now or timezone.now()
    query = Q(ref=ref) if ref else Q(provider_id=provider_id)
    if not (ref or provider_id):
        return "unknown"
    message = OutboxMessage.objects.select_for_update().filter(query).first()
    if message is None:
        return "unknown"
    if message.status != OutboxStatus.SENT:
        return "duplicate"
    DeliveryAttempt.objects.create(message=message, at=now,
                                   outcome="report:delivered" if delivered else "report:failed",
                                   answer=(reason or "")[:500])
    if delivered:
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.DELIVERED, delivered_at=now)
        return "delivered"
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED, reason=(f"Không đến máy: {reason}" if reason else "Không đến máy.")[:300])
    return "failed"
