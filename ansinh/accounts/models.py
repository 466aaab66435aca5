"""A user's role and the area or unit it is scoped to."""

from django.conf import settings
from django.db import models
from django.contrib.auth.models import User
from simple_history import register
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    SI_OFFICER = "si_officer", "Cán bộ BHXH"
    ASSOCIATION_OFFICER = "association_officer", "Cán bộ Hội Nông dân"
    GROUP_LEADER = "group_leader", "Chi hội trưởng / Tổ trưởng TK&VV"
    COLLECTION_AGENT = "collection_agent", "Nhân viên thu"
    PROVINCE_ADMIN = "province_admin", "Quản trị tỉnh"


class UserRole(models.Model):
    """Role and scope of one user (one role per account: see ``accounts.services.user_role_assign``).

    - ``si_officer`` / ``association_officer``: ``area`` is a province, a commune (new map) or an old-map
      district or commune (kept valid for past data), or ``si_office`` is a BHXH cơ sở office (its communes).
    - ``province_admin``: ``area`` is the (new-map) province they administer.
    - ``group_leader``: ``association_unit`` is their branch or group.
    - ``collection_agent``: ``agent`` is their agent record; scope is the households assigned to it.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ansinh_role")
    role = models.CharField(max_length=20, choices=Role.choices)
    area = models.ForeignKey("areas.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT)
    association_unit = models.ForeignKey(
        "registry.AssociationUnit", null=True, blank=True, on_delete=models.PROTECT
    )
    agent = models.OneToOneField("collection.Agent", null=True, blank=True, on_delete=models.PROTECT)
    si_office = models.ForeignKey("areas.SiOffice", null=True, blank=True, on_delete=models.PROTECT)
    phone = models.CharField("Số điện thoại", max_length=10, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=["si_officer", "association_officer"], area__isnull=False, si_office__isnull=True)
                    | models.Q(role__in=["si_officer", "association_officer"], area__isnull=True,
                               si_office__isnull=False)
                    | models.Q(role="province_admin", area__isnull=False)
                    | models.Q(role="group_leader", association_unit__isnull=False)
                    | models.Q(role="collection_agent", agent__isnull=False)
                ),
                name="role_has_scope",
            )
        ]

    def __str__(self):
        return f"{self.user.username} ({self.get_role_display()})"


# Who changed a user account and when (activation, names, staff flags); the password hash and the time of
# the last sign-in are not kept in the history.
register(User, app="ansinh.accounts", excluded_fields=["password", "last_login"])
