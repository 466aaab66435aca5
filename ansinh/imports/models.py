"""Import batches (one per file imported or checked), their row errors, probable duplicates found,
and merges of duplicate people."""

from django.conf import settings
from django.db import models

from ansinh.registry.models import Person


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", "Đã tải lên"
    NEEDS_MAPPING = "needs_mapping", "Cần ghép cột"
    CHECKING = "checking", "Đang kiểm tra"
    CHECKED = "checked", "Đã kiểm tra (chưa ghi)"
    IMPORTING = "importing", "Đang nhập"
    DONE = "done", "Đã nhập xong"
    FAILED = "failed", "Lỗi"
    CANCELLED = "cancelled", "Đã dừng"


class ImportBatch(models.Model):
    """One file brought in: who, when, the file's fingerprint, progress, counts and summary.

    ``summary`` is the JSON summary of the last run (see ``services.members_import``);
    ``rejected_file`` the .xlsx of rejected rows with their reasons.
    """

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True, help_text="The uploaded file, kept until it is imported.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=14, choices=BatchStatus.choices, default=BatchStatus.UPLOADED)
    mapping = models.JSONField(default=dict, blank=True, help_text="Header text -> field, from the mapping step")
    default_commune = models.ForeignKey("areas.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    rows_total = models.IntegerField(default=0)
    rows_done = models.IntegerField(default=0)
    rows = models.IntegerField(default=0)
    imported = models.IntegerField(default=0)
    updated = models.IntegerField(default=0)
    unchanged = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    duplicates = models.IntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    rejected_file = models.BinaryField(null=True, blank=True)
    # Restart of an import cut off by a crash: the durable high-water mark, written in the same transaction
    # as each group of rows (data rows done, the counts so far), and the token of the run allowed to write.
    rows_committed = models.IntegerField(default=0)
    checkpoint = models.JSONField(default=dict, blank=True)
    run_token = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("import_members", "Nhập danh sách hội viên, hộ gia đình từ tệp"),
            ("merge_persons", "Xem và gộp hồ sơ trùng"),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))


class ImportParsedGroup(models.Model):
    """A group of rows of a batch as its check read and parsed them (``imports.parsed``): the import that
    follows the check takes its rows from here instead of reading and parsing the file again. ``index`` -1
    holds the sheet's header; ``key`` fingerprints what parsing depended on (file, mapping, default commune,
    day, the user's scope, the map), so a stale check is never used. Deleted when the import is done."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="parsed_groups")
    index = models.IntegerField()
    key = models.CharField(max_length=64)
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "index"], name="import_parsed_group_unique")]


class ImportRowError(models.Model):
    """One problem of one row of an import batch (a row may have several)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="row_errors")
    row = models.IntegerField()
    column = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=40)
    message = models.TextField()

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["batch", "row"])]


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "Chờ xem xét"
    MERGED = "merged", "Đã gộp"
    KEPT_APART = "kept_apart", "Không trùng (để riêng)"
    APPLIED = "applied", "Đã sửa theo tệp"
    KEPT = "kept", "Giữ như trong sổ"


class CandidateKind(models.TextChoices):
    PROBABLE_DUPLICATE = "duplicate", "Nghi trùng"
    IDENTITY_CONFLICT = "identity", "Khác thông tin định danh"


class DuplicateCandidate(models.Model):
    """A review item an officer decides.

    ``duplicate``: two people who are probably the same (``registry.duplicates`` rules: alike names without
    diacritics, the same date or year of birth, the same or a neighbouring commune; ``score`` 0–100), to
    merge or keep apart; ``person_a`` has the smaller id.
    ``identity``: an import row matched ``person_a`` by citizen ID, SI number or name but wrote another
    name, date of birth or sex; the row's version is in ``proposed`` (``person_b`` is empty). The officer
    applies it (with the reason in the history) or keeps the registry's version."""

    person_a = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    person_b = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="duplicate_candidates")
    row = models.IntegerField(null=True, blank=True)
    reason = models.CharField(max_length=400)
    kind = models.CharField(max_length=10, choices=CandidateKind.choices, default=CandidateKind.PROBABLE_DUPLICATE)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    proposed = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_unique")]
        indexes = [models.Index(fields=["status"])]

    @property
    def is_identity_conflict(self) -> bool:
        return self.kind == CandidateKind.IDENTITY_CONFLICT

    @property
    def proposed_date_of_birth(self):
        import datetime

        value = self.proposed.get("date_of_birth")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def proposed_sex_display(self) -> str:
        from ansinh.registry.models import Sex

        return dict(Sex.choices).get(self.proposed.get("sex", ""), "")


class PersonMerge(models.Model):
    """A merge of two records of one person: ``merged_person_id`` was folded into ``kept``.

    Memberships, household place, participations and coverages of the merged record were moved to the
    kept one; the merged record was then deleted, and its full history stays in the person history
    (``Person.history.filter(id=merged_person_id)``), the deletion included."""

    kept = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="merges")
    merged_person_id = models.BigIntegerField(db_index=True)
    merged_snapshot = models.JSONField()
    moved = models.JSONField(default=dict)
    candidate = models.ForeignKey(DuplicateCandidate, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
