"""Campaigns and their targets (indicator, unit, period, goal)."""

from django.db import models

from ansinh.areas.models import AdministrativeUnit


class Campaign(models.Model):
    """A campaign such as the May 2024 model launch; ``launch_day`` is its ra-quân day."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    province = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    launch_day = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField()

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
