"""Collection organisations, agents, payments and receipts. Payments and receipts are append-only:
a correction or cancellation is a new record pointing to the one it reverses."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ansinh.areas.models import AdministrativeUnit


class OrgKind(models.TextChoices):
    POST_OFFICE = "post_office", "Bưu điện (dịch vụ thu)"
    OTHER = "other", "Tổ chức dịch vụ thu khác"


class CollectionOrg(models.Model):
    """A collection service organisation (the provincial post office, or another one), for the province
    it serves from ``valid_from`` to ``closed_on``. When provinces merged on 1 July 2025 the old
    province's organisation was closed and ``successor`` names the one that took over its work, so a
    receipt or list of a date names the organisation as it was then."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=OrgKind.choices, default=OrgKind.POST_OFFICE)
    province = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="predecessors")
    cash_hold_days = models.PositiveSmallIntegerField(  # db_default: bulk writers need not name it
        default=2, db_default=2, help_text="Working days an agent may hold collected cash before handing it over")
    history = HistoricalRecords()

    def __str__(self):
        return self.name


class Agent(models.Model):
    """A collection agent of an organisation. ``area`` is where they work as a whole (an old-map district,
    or the new-map province); ``catchments`` (communes, optionally one hamlet) narrow it on the new map.
    An agent is closed (``closed_on``), never deleted."""

    org = models.ForeignKey(CollectionOrg, on_delete=models.PROTECT, related_name="agents")
    code = models.CharField(max_length=20, unique=True)
    full_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=10, blank=True)
    area = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="agents")
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return self.full_name


class AgentCatchment(models.Model):
    """Part of an agent's catchment: a commune, or one hamlet of it (``hamlet`` blank = the whole commune)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="catchments")
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    hamlet = models.CharField(max_length=100, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "commune", "hamlet"], name="catchment_unique")]


class HouseholdAssignment(models.Model):
    """Append-only: from ``starts_on`` the household is served by ``agent`` (None: no agent). The
    household's ``agent`` is the assignment in force today."""

    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="assignments")
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    starts_on = models.DateField()
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["household", "starts_on"])]
        constraints = [models.UniqueConstraint(fields=["household", "starts_on"],
                                               name="assignment_one_per_household_day")]


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Tiền mặt"
    BANK_TRANSFER = "bank_transfer", "Chuyển khoản"


class Payment(models.Model):
    """Money taken for one participation (VSI or household HI). ``idempotency_key`` makes a repeated
    submission record once. A reversal has a negative amount and ``reverses`` set."""

    idempotency_key = models.CharField(max_length=64, unique=True)
    request_hash = models.CharField(
        max_length=64, blank=True, default="", db_default="",
        help_text="SHA-256 of the normalised API request sent with the key ('' from the pages): a replay of the "
                  "key with another request is refused")
    vsi = models.ForeignKey(
        "enrollment.VsiParticipation", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    hi = models.ForeignKey(
        "enrollment.HiParticipation", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.BigIntegerField(help_text="VND; negative for a reversal")
    method = models.CharField(max_length=14, choices=PaymentMethod.choices)
    paid_on = models.DateField()
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(vsi__isnull=False, hi__isnull=True) | models.Q(vsi__isnull=True, hi__isnull=False)),
                name="payment_one_participation",
            ),
        ]
        indexes = [models.Index(fields=["paid_on"]), models.Index(fields=["agent", "paid_on"])]


class ReceiptCounter(models.Model):
    """Last receipt serial of one series (ký hiệu) of a collection organisation in one year (the row is
    locked from taking a serial to the commit of its payment). A collection agent's receipts form the
    series named by the agent's code, like the receipt book handed to them; receipts issued by an officer
    form the organisation's series ("")."""

    org = models.ForeignKey(CollectionOrg, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20, blank=True, default="")
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year", "series"], name="receipt_counter_unique")]


class Receipt(models.Model):
    """A receipt (biên lai) for one payment; its number (organisation, series, year, serial) is unique per
    organisation and year."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    org = models.ForeignKey(CollectionOrg, on_delete=models.PROTECT, related_name="receipts")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20, blank=True, default="", help_text="Ký hiệu: the agent's code, or ''")
    serial = models.PositiveIntegerField()
    number = models.CharField(max_length=60)  # organisation code, series (agent code), year, serial
    payer_name = models.CharField(max_length=100)
    items = models.JSONField(help_text="Lines: [{label, amount}] in VND")
    amount = models.BigIntegerField()
    amount_in_words = models.CharField(max_length=300)
    issued_on = models.DateField()
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set in the transaction that writes the payment's reversal (``payment_reverse``): the receipt then says
    # "ĐÃ HỦY" with when, by whom and why on every page, PDF and reprint.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # db_default: the demo bulk-inserts receipts naming its columns
    cancel_reason = models.CharField(max_length=300, blank=True, default="", db_default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year", "series", "serial"], name="receipt_unique_number")]
        # the receipts page lists newest first, 25 at a time: walked along this index
        indexes = [models.Index(fields=["issued_on", "id"], name="receipt_issued_on_id")]


class VisitOutcome(models.TextChoices):
    NOT_HOME = "not_home", "Không có nhà"
    REFUSED = "refused", "Từ chối tham gia"
    WILL_PAY = "will_pay", "Hẹn ngày nộp"
    PAID = "paid", "Đã nộp tiền"


class Visit(models.Model):
    """The outcome of one door-to-door visit to a household (kết quả thăm hộ), as recorded on the visitor's
    phone. ``client_uuid`` is made by the phone, so a phone that syncs the same visit twice records it once.
    ``agent`` is the collection agent who visited (None when an officer did). Append-only."""

    client_uuid = models.UUIDField(unique=True)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="visits")
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    visited_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=VisitOutcome.choices)
    reason = models.CharField(max_length=300, blank=True, default="", help_text="Why the household refused")
    will_pay_on = models.DateField(null=True, blank=True, help_text="The day the household said it will pay")
    note = models.CharField(max_length=500, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["agent", "visited_at"]), models.Index(fields=["household", "visited_at"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(outcome="refused") | ~models.Q(reason=""),
                                   name="visit_refused_has_reason"),
            models.CheckConstraint(condition=~models.Q(outcome="will_pay") | models.Q(will_pay_on__isnull=False),
                                   name="visit_will_pay_has_date"),
        ]


class CollectionPolicy(models.Model):
    """A province's choices for cancelling payments (one row per province, either map; none = defaults).

    ``officer_cancel_needs_second_officer`` (four eyes, default on): a payment recorded by an officer, or a
    cancellation asked by an officer, is cancelled only when a second officer approves it; off, an officer's
    own request takes effect at once. ``change_of_mind_days``: how many days after the payment a person
    may change their mind and have it cancelled (office practice, not law)."""

    province = models.OneToOneField(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    officer_cancel_needs_second_officer = models.BooleanField(default=True)
    change_of_mind_days = models.PositiveSmallIntegerField(default=7)
    history = HistoricalRecords()


class CancellationReason(models.TextChoices):
    WRONG_HOUSEHOLD = "wrong_household", "Thu nhầm hộ / nhầm người"
    WRONG_AMOUNT = "wrong_amount", "Thu sai số tiền"
    DUPLICATE_CASH = "duplicate_cash", "Thu trùng tiền (thu hai lần)"
    CHANGED_MIND = "changed_mind", "Người nộp đổi ý trong thời hạn cho phép"


class CancellationStatus(models.TextChoices):
    REQUESTED = "requested", "Chờ duyệt"
    APPROVED = "approved", "Đã duyệt hủy"
    REFUSED = "refused", "Từ chối hủy"


class PaymentCancellation(models.Model):
    """A request to cancel a payment, and its decision. The request is never deleted: it is approved
    (``reversal`` is then the negative payment written) or refused; a refused request may be followed by a
    new one. At most one request of a payment waits or is approved at a time (constraint). A refund of the
    cash to the payer is recorded on the approved request (``refunded_by``: who paid it back)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="cancellations")
    reason = models.CharField(max_length=20, choices=CancellationReason.choices)
    note = models.CharField(max_length=300, blank=True, default="")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CancellationStatus.choices, default=CancellationStatus.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True, default="")
    reversal = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="cancellation")
    refunded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text="Who paid the cash back to the payer")
    refunded_on = models.DateField(null=True, blank=True)
    refund_amount = models.BigIntegerField(null=True, blank=True, help_text="VND paid back")
    refund_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["payment"], condition=models.Q(status__in=["requested", "approved"]),
                                    name="cancellation_one_open_per_payment"),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]


class CashHandover(models.Model):
    """An agent hands the cash of one or several days (``days``) to their organisation: ``amount``
    declared by the agent, given to ``handed_to`` on ``handed_on``. A cashier or officer then confirms
    the amount actually received (``amount_received``, ``confirmed_by``, ``confirmed_at``). Kept with its
    history; never deleted. A day's cash belongs to at most one handover (``CashHandoverDay``)."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="handovers")
    org = models.ForeignKey(CollectionOrg, on_delete=models.PROTECT, related_name="handovers")
    amount = models.BigIntegerField(help_text="VND declared handed over")
    handed_on = models.DateField()
    handed_to = models.CharField(max_length=100, help_text="Who received the cash (cashier, officer)")
    note = models.CharField(max_length=300, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    amount_received = models.BigIntegerField(null=True, blank=True, help_text="VND counted on receipt")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        permissions = [("confirm_cashhandover", "Xác nhận số tiền nhận bàn giao")]
        indexes = [models.Index(fields=["agent", "handed_on"])]


class CashHandoverDay(models.Model):
    """One day of cash covered by a handover; unique per agent, so a day is never handed over twice."""

    handover = models.ForeignKey(CashHandover, on_delete=models.PROTECT, related_name="days")
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    amount = models.BigIntegerField(help_text="VND of that day: cash collected − cancelled, when handed over")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "day"], name="handover_one_per_agent_day")]
