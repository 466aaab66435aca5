"""Reminders that reach people: consent per person, editable templates, per-province channel settings and
an outbox of messages with their attempts.

- ``ConsentRecord``: append-only; a person's consent is their latest record (Decree 13/2023/NĐ-CP Art 9–12:
  consent with its date and source; withdrawal honoured from the moment it is recorded).
- ``MessageTemplate``: one Vietnamese text per province and reminder kind, with placeholders checked at
  save time (``messaging.rendering``).
- ``ProvinceMessaging``: the channel (SMS, Zalo ZNS, e-mail) and windows of one province. Endpoints and
  secrets are settings (``MESSAGING_GATEWAYS``), never rows.
- ``OutboxMessage``: one message per card/period and window (``key`` is unique, so a repeated or
  concurrent run cannot queue it twice); ``DeliveryAttempt`` rows record each try and the gateway's answer.
"""

from django.conf import settings
from django.db import models


class ConsentSource(models.TextChoices):
    FORM = "form", "Phiếu đồng ý ký tại nhà"
    AGENT = "agent", "Nhân viên thu ghi nhận"
    OFFICER = "officer", "Cán bộ ghi nhận"
    SMS_REPLY = "sms_reply", "Tin nhắn trả lời (TU CHOI)"
    LINK = "link", "Đường dẫn từ chối trong tin nhắn"
    IMPORT = "import", "Nhập từ danh sách"


class ConsentRecord(models.Model):
    """One consent decision of a person about reminder messages; never edited, a new row supersedes it."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="consent_records")
    granted = models.BooleanField(help_text="True: agrees to reminders; False: refused or withdrew (opt-out).")
    decided_on = models.DateField(help_text="The date the person gave or withdrew consent.")
    source = models.CharField(max_length=10, choices=ConsentSource.choices)
    email = models.EmailField(blank=True, default="", help_text="Address the person agreed to receive e-mail at.")
    note = models.CharField(max_length=200, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["person", "-recorded_at"], name="consent_person_latest")]
        permissions = [("record_consent", "Ghi nhận đồng ý / từ chối nhận tin nhắn nhắc hạn")]


class ReminderKind(models.TextChoices):
    HI_EXPIRING = "hi_expiring", "Thẻ BHYT sắp hết hạn"
    VSI_ENDING = "vsi_ending", "Sắp hết kỳ đóng BHXH tự nguyện"
    HI_LAPSED = "hi_lapsed", "Thẻ BHYT đã hết hạn"
    VSI_LAPSED = "vsi_lapsed", "Đã hết kỳ đóng BHXH tự nguyện"


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    ZALO = "zalo", "Zalo ZNS"
    EMAIL = "email", "Thư điện tử"


class MessageTemplate(models.Model):
    """The text of one reminder kind in one province (``province`` null: the default for every province)."""

    province = models.ForeignKey("areas.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    body = models.TextField()
    zalo_template_id = models.CharField(max_length=40, blank=True, default="",
                                        help_text="Mã mẫu ZNS đã được Zalo duyệt (kênh Zalo).")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "kind"], name="template_one_per_kind"),
            models.UniqueConstraint(fields=["kind"], condition=models.Q(province__isnull=True),
                                    name="template_one_default_per_kind"),
        ]


class ProvinceMessaging(models.Model):
    """How one province sends reminders. ``windows`` are the days before the end ("30,7"); each card or
    period gets at most one message per window."""

    province = models.OneToOneField("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=6, choices=Channel.choices, default=Channel.SMS)
    windows = models.CharField(max_length=40, default="30,7")
    lapse_days = models.PositiveSmallIntegerField(default=90)
    enabled = models.BooleanField(default=True)

    def window_days(self) -> list[int]:
        return sorted({int(w) for w in self.windows.split(",") if w.strip()}, reverse=True)


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Chờ gửi"
    SENT = "sent", "Đã gửi"
    DELIVERED = "delivered", "Đã đến máy"
    FAILED = "failed", "Thất bại"
    RETRIED = "retried", "Đang gửi lại"


class OutboxMessage(models.Model):
    """One reminder to one phone (or e-mail address). ``key`` = kind:card-or-period:window is unique (a card is
    ``<HI participation id>.<person id>``, a period ``<VSI participation id>``)."""

    key = models.CharField(max_length=60, unique=True)
    ref = models.CharField(max_length=32, unique=True, help_text="Random reference sent to the gateway.")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    window = models.CharField(max_length=10, help_text="Days before the end (\"30\", \"7\") or \"lapsed\".")
    source_id = models.BigIntegerField(help_text="The HI or VSI participation; with ``person`` it names the card.")
    ends_on = models.DateField()
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+",
                               help_text="Whose card or period it is.")
    recipient = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text="Whose phone it is (the person or the head).")
    channel = models.CharField(max_length=6, choices=Channel.choices)
    address = models.CharField(max_length=254, blank=True, default="", help_text="Phone or e-mail as recorded.")
    province = models.ForeignKey("areas.AdministrativeUnit", null=True, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("collection.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(default=dict)
    text = models.TextField(blank=True, default="", help_text="The text as sent.")
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    reason = models.CharField(max_length=300, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["commune", "status"], name="outbox_commune"),
            models.Index(fields=["provider_id"], name="outbox_provider_id"),
        ]
        permissions = [("queue_reminders", "Xếp hàng tin nhắn nhắc hạn cho địa bàn")]


class DeliveryAttempt(models.Model):
    """One try to hand a message to its gateway, or one delivery report from it."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="delivery_attempts")
    at = models.DateTimeField()
    outcome = models.CharField(max_length=20)  # sent, timeout, error, refused, report:delivered, report:failed
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.CharField(max_length=500, blank=True, default="")
