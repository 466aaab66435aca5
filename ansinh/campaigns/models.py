"""Campaigns and their targets (indicator, unit, period, goal)."""

from django.db import models
from simple_history.models import HistoricalRecords

from ansinh.areas.models import AdministrativeUnit


class Campaign(models.Model):
    """A campaign such as the May 2024 model launch; ``launch_day`` is its ra-quân day."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    province = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    launch_day = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    history = HistoricalRecords()

    def __str__(self):
        return self.name


class Indicator(models.TextChoices):
    VSI_NEW = "vsi_new", "Người tham gia BHXH tự nguyện mới"
    HI_NEW = "hi_new", "Người tham gia BHYT hộ gia đình mới"
    LEADERS_VSI = "leaders_vsi", "Tỷ lệ chi hội trưởng, tổ trưởng tham gia BHXH tự nguyện"
    LEADERS_HI = "leaders_hi", "Tỷ lệ chi hội trưởng, tổ trưởng tham gia BHYT"
    MEMBERS_COVERED = "members_covered", "Tỷ lệ hội viên có bảo hiểm"
    COLLECTED = "collected", "Số tiền thu (đồng)"


class GoalKind(models.TextChoices):
    COUNT = "count", "Số lượng"
    PERCENT = "percent", "Tỷ lệ %"
    AMOUNT = "amount", "Số tiền"


class Target(models.Model):
    """A goal for one indicator, one unit (area, association unit or agent) and one period."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(max_length=16, choices=Indicator.choices)
    area = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    association_unit = models.ForeignKey(
        "registry.AssociationUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey("collection.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    goal = models.DecimalField(max_digits=16, decimal_places=2)
    goal_kind = models.CharField(max_length=8, choices=GoalKind.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(goal__gte=0), name="target_goal_not_negative"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="target_period_order"
            ),
            models.CheckConstraint(
                condition=~models.Q(goal_kind="percent") | models.Q(goal__lte=100), name="target_percent_max_100"
            ),
        ]


class Program(models.TextChoices):
    VSI = "vsi", "BHXH tự nguyện"
    HI = "hi", "BHYT hộ gia đình"


class SignupFact(models.Model):
    """Derived (``ansinh.campaigns.facts``): a person's first valid payment in a program — the day they
    signed up — with the commune and agent of that participation. Rebuilt from payments, never edited."""

    program = models.CharField(max_length=3, choices=Program.choices)
    person = models.ForeignKey("registry.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    first_paid_on = models.DateField()
    payment = models.ForeignKey("collection.Payment", on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+")
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+")
    agent = models.ForeignKey("collection.Agent", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "person"], name="signup_fact_one_per_person")]
        indexes = [models.Index(fields=["program", "first_paid_on"], name="signup_fact_day")]


class DailyTotal(models.Model):
    """Derived (``ansinh.campaigns.facts``): per day, commune and agent, the new participants
    (``vsi_new``/``hi_new``, from SignupFact) and the amount collected (``collected``, VND)."""

    day = models.DateField()
    indicator = models.CharField(max_length=16, choices=Indicator.choices)
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+")
    agent = models.ForeignKey("collection.Agent", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="+")
    value = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["indicator", "day", "commune", "agent", "value"], name="daily_total_day")]


class MemberFact(models.Model):
    """Derived (``ansinh.campaigns.facts``): each valid payment of an association member (leaders
    included) — its day, and what it covers: an HI card (``valid_from``–``valid_to``) or a VSI period
    (``valid_from`` = first month, ``to_month`` = its last month as year * 12 + month)."""

    program = models.CharField(max_length=3, choices=Program.choices)
    person = models.ForeignKey("registry.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    paid_on = models.DateField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    to_month = models.IntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["person", "program", "paid_on", "valid_from", "valid_to", "to_month"],
                                name="member_fact_person")]


class MemberHome(models.Model):
    """Derived (``ansinh.campaigns.facts``): the one association unit a member's records are attributed
    to — their branch (lowest code) if any, else their savings group with the lowest code — and, for a
    leader, the unit they lead (a branch before a group, then the lowest code)."""

    person = models.OneToOneField("registry.Person", on_delete=models.DO_NOTHING, db_constraint=False,
                                  related_name="+")
    unit = models.ForeignKey("registry.AssociationUnit", on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    leads = models.ForeignKey("registry.AssociationUnit", null=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")


class ProgressState(models.Model):
    """Derived facts bookkeeping (one row): payments up to ``payment_id`` are in the facts; ``tail`` is how
    many payments had ids in (payment_id - OVERLAP, payment_id] then; ``members`` the memberships'
    signature (count, highest id) MemberFact was built for."""

    payment_id = models.BigIntegerField(default=0)
    tail = models.IntegerField(default=0)
    members = models.CharField(max_length=120, blank=True,
                               help_text="Memberships signature when MemberFact and MemberHome were built")
    refreshed_at = models.DateTimeField(auto_now=True)
