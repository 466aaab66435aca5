"""Administrative units on the old map (until 30/06/2025) and the new one (from 01/07/2025)."""

from django.db import models
from simple_history.models import HistoricalRecords


class MapVersion(models.TextChoices):
    OLD = "old", "Bản đồ trước 01/07/2025"
    NEW = "new", "Bản đồ từ 01/07/2025"


class Level(models.TextChoices):
    PROVINCE = "province", "Tỉnh/Thành phố"
    DISTRICT = "district", "Huyện/Thị xã/Thành phố thuộc tỉnh"
    COMMUNE = "commune", "Xã/Phường/Thị trấn"


class AdministrativeUnit(models.Model):
    """A province, district-level or commune-level unit, with its official code and validity dates.

    Codes are the General Statistics Office codes from the ``vietnam-provinces`` package; the same
    number can name an old and a new unit, so a unit is identified by (map, level, code).
    """

    map = models.CharField(max_length=3, choices=MapVersion.choices)
    level = models.CharField(max_length=8, choices=Level.choices)
    code = models.CharField(max_length=8)
    name = models.CharField(max_length=100)
    division_type = models.CharField(max_length=40, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The province of this unit (itself for a province); lets scope filters avoid tree walks.",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["map", "level", "code"], name="unit_unique_code")]
        ordering = ["map", "level", "code"]

    def __str__(self):
        return self.name


class UnitMapping(models.Model):
    """Old commune-level unit -> new commune-level unit(s) of 1 July 2025.

    ``is_primary`` marks the one new unit that receives an old unit's records when a report is
    regrouped on the new map, so totals are equal on both maps.
    """

    old_unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="new_mappings")
    new_unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="old_mappings")
    is_partial = models.BooleanField(default=False)
    is_primary = models.BooleanField(default=False)
    effective_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="mapping_unique_pair"),
            models.UniqueConstraint(
                fields=["old_unit"], condition=models.Q(is_primary=True), name="mapping_one_primary"
            ),
        ]


class SiOffice(models.Model):
    """A "BHXH cơ sở" office of the provincial social insurance agency: it covers a group of (new-map)
    communes of its province. Officers may be scoped to an office (they see the records of its communes)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=150)
    province = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="si_offices")
    communes = models.ManyToManyField(AdministrativeUnit, related_name="si_offices_covering", blank=True)
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[communes])

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name
