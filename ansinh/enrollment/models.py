"""Participation in voluntary SI (per person) and household HI (per household, per member).

Each participation is priced by the rules module on its pricing date and the quote is frozen on
the record (``quote`` holds the full breakdown); a later parameter change never re-prices it.
``commune`` keeps the administrative unit the record was made under.
"""

from django.conf import settings
from django.db import models

from ansinh.areas.models import AdministrativeUnit
from ansinh.registry.models import Household, Person


class Status(models.TextChoices):
    QUOTED = "quoted", "Đã báo giá"
    PAID = "paid", "Đã nộp tiền"
    SENT = "sent", "Đã gửi cơ quan BHXH"
    CARD_ISSUED = "card_issued", "Đã cấp thẻ/sổ"
    LAPSED = "lapsed", "Gián đoạn"
    CANCELLED = "cancelled", "Đã hủy"


class PaymentMode(models.TextChoices):
    MONTHLY = "monthly", "Hằng tháng"
    THREE_MONTHS = "3_months", "3 tháng"
    SIX_MONTHS = "6_months", "6 tháng"
    TWELVE_MONTHS = "12_months", "12 tháng"
    ADVANCE = "advance", "Đóng trước nhiều năm"
    BACKPAY = "backpay", "Đóng bù cho những năm còn thiếu"


class SupportGroup(models.TextChoices):
    POOR = "poor", "Hộ nghèo"
    NEAR_POOR = "near_poor", "Hộ cận nghèo"
    ETHNIC_MINORITY = "ethnic_minority", "Người dân tộc thiểu số"
    OTHER = "other", "Đối tượng khác"
    NONE = "none", "Không hỗ trợ"


class VsiParticipation(models.Model):
    """One VSI contribution period of a person: chosen income, mode, months from ``from_month``."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="vsi_participations")
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    income = models.BigIntegerField(help_text="Chosen monthly income, VND")
    payment_mode = models.CharField(max_length=10, choices=PaymentMode.choices)
    support_group = models.CharField(max_length=16, choices=SupportGroup.choices)
    from_month = models.DateField(help_text="First day of the first month covered")
    months = models.PositiveSmallIntegerField()
    priced_on = models.DateField()
    gross = models.BigIntegerField()
    amount_due = models.BigIntegerField()
    state_support = models.BigIntegerField()
    local_support = models.BigIntegerField(default=0)
    payable = models.BigIntegerField()
    quote = models.JSONField(help_text="Frozen rules result with its breakdown")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUOTED)
    referred_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="vsi_referrals"
    )
    agent = models.ForeignKey("collection.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["commune", "priced_on"]), models.Index(fields=["agent", "priced_on"])]


class HiParticipation(models.Model):
    """One household HI payment period: the members in rank order, ``months`` of 3, 6 or 12."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="hi_participations")
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    months = models.PositiveSmallIntegerField()
    priced_on = models.DateField()
    total = models.BigIntegerField()
    state_support = models.BigIntegerField()
    payable = models.BigIntegerField()
    quote = models.JSONField(help_text="Frozen rules result with its breakdown")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUOTED)
    referred_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="hi_referrals"
    )
    agent = models.ForeignKey("collection.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["commune", "priced_on"]), models.Index(fields=["agent", "priced_on"])]


class HiMemberCoverage(models.Model):
    """One member's line of a household HI participation and the card validity it gives."""

    participation = models.ForeignKey(HiParticipation, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="hi_coverages")
    rank = models.PositiveSmallIntegerField()
    share_pct = models.PositiveSmallIntegerField()
    amount = models.BigIntegerField()
    support_pct = models.PositiveSmallIntegerField(default=0)
    state_support = models.BigIntegerField(default=0)
    payable = models.BigIntegerField()
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    validity_rule = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participation", "rank"], name="hi_member_unique_rank")]
        # valid_to alone: the renewal lists (cards ending in a window) start from it
        indexes = [models.Index(fields=["person", "valid_to"]), models.Index(fields=["valid_to"], name="hi_member_valid_to")]
