"""People, households, association units (branches, savings-and-loan groups) and memberships."""

from django.db import models
from simple_history.models import HistoricalRecords

from ansinh.areas.models import AdministrativeUnit
from ansinh.core.text import fold


class Sex(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class PovertyStatus(models.TextChoices):
    POOR = "poor", "Hộ nghèo"
    NEAR_POOR = "near_poor", "Hộ cận nghèo"
    AGRI_AVERAGE = "agri_average", "Hộ nông nghiệp có mức sống trung bình"
    OTHER = "other", "Khác"


class Relationship(models.TextChoices):
    HEAD = "head", "Chủ hộ"
    SPOUSE = "spouse", "Vợ/Chồng"
    CHILD = "child", "Con"
    PARENT = "parent", "Cha/Mẹ"
    GRANDCHILD = "grandchild", "Cháu"
    SIBLING = "sibling", "Anh/Chị/Em"
    OTHER = "other", "Khác"


class OtherCoverage(models.TextChoices):
    """Groups whose HI comes from elsewhere: such people are not on a household HI list."""

    NONE = "", "Không"
    EMPLOYEE = "employee", "Người lao động (đơn vị đóng)"
    PENSIONER = "pensioner", "Người hưởng lương hưu, trợ cấp"
    STATE_PAID = "state_paid", "Ngân sách nhà nước đóng"
    STUDENT = "student", "Học sinh, sinh viên (đóng qua trường)"


class FoldedNameField(models.CharField):
    """A name without diacritics in lower case (``core.text.fold``: "Nguyễn Văn An" -> "nguyen van an"),
    kept from another field of the row on every ``save()`` and ``bulk_create``; searched when a user types
    a name without accents. Writers that bypass the ORM (the demo's bulk writer) fill it themselves."""

    def __init__(self, *args, source: str = "full_name", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = fold(getattr(model_instance, self.source) or "")[: self.max_length]
        setattr(model_instance, self.attname, value)
        return value


class PersonQuerySet(models.QuerySet):
    def live(self):
        """People not merged away (``merged_into`` empty): the ones every list, search and selector shows.
        A merged-away record stays for its receipts and history and points at the kept one."""
        return self.filter(merged_into__isnull=True)


class Person(models.Model):
    """A person in the registry. ``commune`` is the commune-level unit of residence (old map for
    records made before 1 July 2025)."""

    full_name = models.CharField(max_length=100)
    name_folded = FoldedNameField(source="full_name", db_index=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=6, choices=Sex.choices)
    citizen_id = models.CharField(max_length=12, unique=True, null=True, blank=True)
    si_number = models.CharField(max_length=10, unique=True, null=True, blank=True)
    phone = models.CharField(max_length=10, blank=True)
    ethnic_minority = models.BooleanField(default=False)
    other_coverage = models.CharField(
        max_length=12, choices=OtherCoverage.choices, default=OtherCoverage.NONE, blank=True,
        help_text="HI through another group; such a person is not on the household list.",
    )
    hamlet = models.CharField(max_length=100, blank=True)
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="residents")
    died_on = models.DateField(null=True, blank=True)
    moved_out_on = models.DateField(null=True, blank=True, help_text="Moved out of the province on this date.")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from",
        help_text="When this record was found to be a duplicate and merged: the record that was kept.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at", "name_folded"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["commune"]),
            # probable-duplicate search (registry.duplicates): the same date of birth anywhere nearby,
            # the same year of birth in one place
            models.Index(fields=["date_of_birth", "commune"], name="person_dob_commune"),
            models.Index(fields=["commune", "date_of_birth"], name="person_commune_dob"),
        ]
        permissions = [("view_registry_history", "Xem lịch sử sổ hộ (người, hộ, thành viên)")]

    def __str__(self):
        return self.full_name

    def kept_record(self) -> "Person":
        """The record this one was merged into, following earlier merges (itself when not merged away)."""
        person, seen = self, {self.pk}
        while person.merged_into_id is not None and person.merged_into_id not in seen:
            seen.add(person.merged_into_id)
            person = Person.objects.select_related("commune").get(pk=person.merged_into_id)
        return person


class Household(models.Model):
    """A household for household health insurance; exactly one member is its head."""

    code = models.CharField(max_length=20, unique=True)
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="households")
    hamlet = models.CharField(max_length=100, blank=True)
    address = models.CharField(max_length=200, blank=True)
    poverty_status = models.CharField(max_length=12, choices=PovertyStatus.choices, default=PovertyStatus.OTHER)
    poverty_from = models.DateField(null=True, blank=True, help_text="The poverty status applies from this date.")
    poverty_decision_number = models.CharField(max_length=50, blank=True, default="", db_default="")
    poverty_decision_date = models.DateField(null=True, blank=True)
    agent = models.ForeignKey(
        "collection.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="households"
    )
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["commune"]), models.Index(fields=["agent"])]
        permissions = [("change_poverty_status", "Đổi diện hộ nghèo, cận nghèo theo quyết định")]

    def __str__(self):
        return self.code


class HouseholdMember(models.Model):
    """A person's place in a household; a person belongs to at most one household."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="household_membership")
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    since = models.DateField(null=True, blank=True, help_text="In this household from this date (None: unknown).")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(relationship="head"), name="household_one_head"
            )
        ]


class UnitKind(models.TextChoices):
    BRANCH = "branch", "Chi hội nông dân"
    SAVINGS_GROUP = "savings_group", "Tổ tiết kiệm và vay vốn"


class AssociationUnit(models.Model):
    """A Farmers' Association branch (one per commune area or hamlet) or a savings-and-loan group."""

    kind = models.CharField(max_length=14, choices=UnitKind.choices)
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=150)
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="association_units")
    branch = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="savings_groups",
        help_text="For a savings-and-loan group: the branch it works with.",
    )
    closed_on = models.DateField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from",
        help_text="When closed by a merger: the unit that took over its members.",
    )
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["kind", "commune"])]

    def __str__(self):
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "leader", "Chi hội trưởng / Tổ trưởng"
    MEMBER = "member", "Hội viên / Thành viên"


class Membership(models.Model):
    """A person's membership of an association unit; the ``leader`` role marks its head."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(AssociationUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=6, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "unit"], name="membership_unique"),
            models.UniqueConstraint(fields=["unit"], condition=models.Q(role="leader"), name="unit_one_leader"),
        ]


class Leadership(models.Model):
    """Who led an association unit (chi hội trưởng / tổ trưởng) from ``starts_on`` to ``ends_on``
    (inclusive; None: still leading). Periods of one unit never overlap; figures of a date follow who led
    on that date. The ``leader`` membership role marks today's leader."""

    unit = models.ForeignKey(AssociationUnit, on_delete=models.CASCADE, related_name="leaderships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="leaderships")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                                   name="leadership_period_order"),
            models.UniqueConstraint(fields=["unit"], condition=models.Q(ends_on__isnull=True),
                                    name="leadership_one_current"),
        ]
        indexes = [models.Index(fields=["unit", "starts_on"])]


class SuggestionKind(models.TextChoices):
    UPDATE = "update", "Sửa thông tin"
    DEATH = "death", "Đã mất"
    MOVE_OUT = "move_out", "Chuyển đi ngoại tỉnh"


class SuggestionState(models.TextChoices):
    PENDING = "pending", "Chờ xác nhận"
    CONFIRMED = "confirmed", "Đã xác nhận"
    REJECTED = "rejected", "Không xác nhận"


class RegistrySuggestion(models.Model):
    """A leader's proposal about one of their unit's members (a correction, a death, a move out of the
    province) that an officer confirms (the change is then made by the registry service, with the leader's
    reason) or rejects. ``data``: the proposed values (dates as ISO strings)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="suggestions")
    kind = models.CharField(max_length=10, choices=SuggestionKind.choices)
    data = models.JSONField(default=dict)
    reason = models.CharField(max_length=200, blank=True)
    proposed_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=SuggestionState.choices, default=SuggestionState.PENDING)
    decided_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "created_at"])]
