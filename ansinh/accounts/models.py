"""A user's role and the area or unit it is scoped to."""

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    SI_OFFICER = "si_officer", "Cán bộ BHXH"
    ASSOCIATION_OFFICER = "association_officer", "Cán bộ Hội Nông dân"
    GROUP_LEADER = "group_leader", "Chi hội trưởng / Tổ trưởng TK&VV"
    COLLECTION_AGENT = "collection_agent", "Nhân viên thu"


class UserRole(models.Model):
    """Role and scope of one user.

    - ``si_officer`` / ``association_officer``: ``area`` is the province or a district (old map).
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

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=["si_officer", "association_officer"], area__isnull=False)
                    | models.Q(role="group_leader", association_unit__isnull=False)
                    | models.Q(role="collection_agent", agent__isnull=False)
                ),
                name="role_has_scope",
            )
        ]

    def __str__(self):
        return f"{self.user.username} ({self.get_role_display()})"
