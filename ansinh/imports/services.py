"""Services of the import: run an import of a member list (from the command line or a web upload),
decide on probable duplicates (merge or keep apart).

Permission and scope are checked at the top of each service: ``imports.import_members`` to import
(an officer imports only into communes of their area), ``imports.merge_persons`` to merge.
"""

import datetime
import logging
import os
import tempfile
from collections.abc import Callable

from django.db import models, transaction
from django.db.models import ForeignKey, OneToOneField
from django.utils import timezone

from ansinh.accounts.services import communes_in_scope, require_permission, require_person_in_scope
from ansinh.areas.models import UnitMapping
from ansinh.core.db import statistics_refresh
from ansinh.core.errors import OutOfScope
from ansinh.registry.models import Household, HouseholdMember, MemberRole, Membership, Person, Relationship

from . import errors
from .engine import BatchWriteFailed, MemberImport, file_sha256, write_rejected_file
from .models import (
    BatchStatus, CandidateKind, DuplicateCandidate, DuplicateStatus, ImportBatch, ImportParsedGroup, ImportRowError,
    PersonMerge,
)

log = logging.getLogger("ansinh.imports")

IMPORT_PERMISSION = "imports.import_members"
IMPORTED_MODELS = (Person, Household, HouseholdMember, Membership)
"""Tables a member list writes; their planner statistics are refreshed after a real import."""
MERGE_PERMISSION = "imports.merge_persons"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def import_scope(user) -> set[int] | None:
    """Commune ids (both maps) the user may import into; None for a run without a user (the command
    line run by the system's operator)."""
    if user is None:
        return None
    ids = set(communes_in_scope(user).values_list("pk", flat=True))
    ids |= set(UnitMapping.objects.filter(old_unit_id__in=ids).values_list("new_unit_id", flat=True))
    ids |= set(UnitMapping.objects.filter(new_unit_id__in=ids).values_list("old_unit_id", flat=True))
    return ids


def members_import(*, path, file_name: str | None = None, user=None, dry_run: bool = False,
                   mapping: dict | None = None, default_commune_id: int | None = None,
                   progress: Callable[[int, int], None] | None = None, batch: ImportBatch | None = None,
                   record: bool = True) -> tuple[dict, bytes | None, ImportBatch | None]:
    """Import (or with ``dry_run`` only check) the member list at ``path``.

    Returns ``(summary, rejected_xlsx, batch)``; ``summary`` is
    ``{"rows", "imported", "updated", "rejected", "duplicates", "unchanged", "errors": [{row, column, code,
    message}], "file", "sha256", "dry_run", "unknown_columns"}``. A real run is recorded as an
    ``ImportBatch`` (unless ``record`` is false); a dry run writes nothing. Raises an
    ``errors.ImportFileError`` for a file that cannot be imported (nothing written), PermissionDenied.
    """
    if user is not None:
        require_permission(user, IMPORT_PERMISSION)
    file_name = file_name or os.path.basename(str(path))
    sha = file_sha256(path)
    scope = import_scope(user)
    if default_commune_id is not None and scope is not None and default_commune_id not in scope:
        raise OutOfScope("Xã mặc định nằm ngoài địa bàn bạn phụ trách.")
    importer = MemberImport(path=path, file_name=file_name, user=user, dry_run=dry_run, mapping=mapping,
                            default_commune_id=default_commune_id, scope=scope, progress=progress, batch=batch)
    created_here = False
    if not dry_run and batch is None and record:
        created_here = True
        batch = ImportBatch.objects.create(file_name=file_name, sha256=sha, size=os.path.getsize(path),
                                           created_by=user if user is not None else None,
                                           status=BatchStatus.IMPORTING, mapping=mapping or {},
                                           default_commune_id=default_commune_id)
        importer.batch = batch
    try:
        importer.run()
    except BatchWriteFailed as exc:
        if batch is not None:
            summary = importer.summary.as_dict(file=file_name, sha256=sha, dry_run=False)
            _batch_record(batch, importer, summary, write_rejected_file(importer), status=BatchStatus.FAILED)
            ImportBatch.objects.filter(pk=batch.pk).update(error_code=exc.code, error_message=exc.message)
        raise
    except errors.ImportFileError:
        if created_here:
            batch.delete()  # a file-level error leaves the database as it was
        raise
    except BaseException:
        if created_here:  # an unexpected failure: record it on the batch, then let it propagate
            ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, error_code="internal_error",
                                                           rows=importer.summary.rows)
        raise
    summary = importer.summary.as_dict(
        file=file_name, sha256=sha, dry_run=dry_run,
        unknown_columns=list(importer.mapping.unknown.values()) if importer.mapping else [])
    rejected = write_rejected_file(importer)
    if batch is not None and not dry_run:
        _batch_record(batch, importer, summary, rejected, status=BatchStatus.DONE)
    if not dry_run and summary["imported"] + summary["updated"]:
        statistics_refresh(IMPORTED_MODELS)
    return summary, rejected, batch


def _batch_record(batch: ImportBatch, importer: MemberImport, summary: dict, rejected: bytes | None, *,
                  status: str) -> None:
    s = importer.summary
    batch.rows, batch.imported, batch.updated = s.rows, s.imported, s.updated
    batch.unchanged, batch.rejected, batch.duplicates = s.unchanged, s.rejected, s.duplicates
    batch.rows_total = importer.rows_total
    batch.rows_done = s.rows
    batch.summary = summary
    batch.rejected_file = rejected
    batch.status = status
    batch.finished_at = timezone.now()
    if batch.pk is not None:  # the high-water mark moves in the groups' transactions, not from this copy
        batch.refresh_from_db(fields=["rows_committed", "checkpoint"])
    batch.save()
    ImportRowError.objects.filter(batch=batch).delete()
    ImportRowError.objects.bulk_create(
        [ImportRowError(batch=batch, row=e.row, column=e.column, code=e.code, message=e.message) for e in s.errors],
        batch_size=1000)


# --- web: upload, check, import in the background ----------------------------------------------------

def import_batch_create(*, user, file_name: str, content: bytes, default_commune_id: int | None = None) -> ImportBatch:
    """Keep an uploaded file for checking and importing. Raises PermissionDenied, FileTooLarge, EmptyFile."""
    require_permission(user, IMPORT_PERMISSION)
    if len(content) > MAX_UPLOAD_BYTES:
        raise errors.FileTooLarge(f"Tệp quá lớn (tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB).")
    if not content:
        raise errors.EmptyFile()
    if default_commune_id is not None and default_commune_id not in import_scope(user):
        raise OutOfScope("Xã mặc định nằm ngoài địa bàn bạn phụ trách.")
    import hashlib

    return ImportBatch.objects.create(
        file_name=os.path.basename(file_name)[:255], sha256=hashlib.sha256(content).hexdigest(), size=len(content),
        content=content, created_by=user, status=BatchStatus.UPLOADED, dry_run=True,
        default_commune_id=default_commune_id)


def import_batch_get(*, user, pk: int) -> ImportBatch:
    """One of the user's own batches. Raises PermissionDenied, ImportBatch.DoesNotExist."""
    require_permission(user, IMPORT_PERMISSION)
    return ImportBatch.objects.get(pk=pk, created_by=user)


def import_batch_set_mapping(*, user, batch: ImportBatch, mapping: dict[str, str]) -> ImportBatch:
    """Store the officer's column mapping (header text -> field) for the next check."""
    from .columns import FIELDS

    require_permission(user, IMPORT_PERMISSION)
    for header, name in mapping.items():
        if name and name not in FIELDS:
            raise errors.UnknownField(f"Trường \"{name}\" không có.")
    batch.mapping = {h: f for h, f in mapping.items() if f}
    batch.status = BatchStatus.UPLOADED
    batch.save(update_fields=["mapping", "status"])
    return batch


class RunSuperseded(Exception):
    """Another run of the same batch took over (this one was taken for dead): stop without writing."""


def import_batch_run(*, batch_id: int, dry_run: bool, ctx=None) -> ImportBatch:
    """Check (``dry_run``) or import the file kept on a batch, recording progress, counts, row errors
    and the rejected rows file on the batch. File-level errors are recorded on the batch, not raised.

    Restartable: each group of rows is written in one transaction together with the batch's high-water
    mark (``rows_committed``, the counts so far). A batch found "importing" with a mark (its worker was
    killed) resumes: the rows up to the mark are read and checked again without being written, then the
    import goes on from there; no row is written twice. Each run takes a new ``run_token``; a group is
    written only while the batch still carries the run's token, so a run taken for dead that wakes up
    stops (``RunSuperseded``) instead of writing beside its successor.
    ``ctx`` (a job's context) receives the progress and may raise ``JobCancelled`` after a group."""
    import uuid

    from ansinh.jobs.services import JobCancelled

    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    user = batch.created_by
    resume = not dry_run and batch.status == BatchStatus.IMPORTING and batch.rows_committed > 0
    token = uuid.uuid4().hex
    batch.status = BatchStatus.CHECKING if dry_run else BatchStatus.IMPORTING
    batch.dry_run = dry_run
    batch.run_token = token
    batch.error_code = batch.error_message = ""
    fields = ["status", "dry_run", "run_token", "error_code", "error_message"]
    if not resume:
        batch.rows_done = batch.rows_committed = 0
        batch.checkpoint = {}
        fields += ["rows_done", "rows_committed", "checkpoint"]
    batch.save(update_fields=fields)
    suffix = os.path.splitext(batch.file_name)[1].lower() or ".bin"
    fd, tmp = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(bytes(batch.content or b""))

    def progress(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk, run_token=token).update(rows_done=done, rows_total=total)
        if ctx is not None:
            ctx.progress(done, total)

    def checkpoint(rows: int, counts: dict) -> None:  # inside the group's transaction
        if not ImportBatch.objects.filter(pk=batch.pk, run_token=token).update(rows_committed=rows,
                                                                               checkpoint=counts):
            raise RunSuperseded()

    importer = None
    try:
        require_permission(user, IMPORT_PERMISSION)
        scope = import_scope(user)
        parsed_out, parsed_in = _parsed_groups(batch, dry_run=dry_run, scope=scope)
        importer = MemberImport(path=tmp, file_name=batch.file_name, user=user, dry_run=dry_run,
                                mapping=batch.mapping, default_commune_id=batch.default_commune_id, scope=scope,
                                progress=progress, batch=batch, checkpoint=checkpoint,
                                resume_rows=batch.rows_committed if resume else 0,
                                resume_counts=batch.checkpoint if resume else None,
                                parsed_out=parsed_out, parsed_in=parsed_in)
        importer.run()
    except RunSuperseded:
        log.warning("import batch %s: superseded by another run", batch.pk)
        raise
    except JobCancelled:
        done = importer.summary.rows if importer is not None else 0
        batch.status = BatchStatus.CANCELLED
        batch.error_code = "cancelled"
        batch.error_message = (f"Đã dừng theo yêu cầu sau {done} dòng: các dòng đó đã được ghi đầy đủ, các dòng "
                               "sau chưa được ghi." if not dry_run else "Đã dừng kiểm tra theo yêu cầu.")
        if importer is not None and importer.summary.rows:
            summary = importer.summary.as_dict(file=batch.file_name, sha256=batch.sha256, dry_run=dry_run)
            _batch_record(batch, importer, summary, write_rejected_file(importer), status=BatchStatus.CANCELLED)
        batch.save(update_fields=["status", "error_code", "error_message"])
        raise
    except errors.MissingColumns as exc:
        batch.status = BatchStatus.NEEDS_MAPPING
        batch.error_code, batch.error_message = exc.code, exc.message
        batch.summary = {"unknown_columns": exc.details.get("unknown", []), "missing": exc.details.get("missing", [])}
        batch.save(update_fields=["status", "error_code", "error_message", "summary"])
        return batch
    except errors.ImportFileError as exc:
        batch.status = BatchStatus.FAILED
        batch.error_code, batch.error_message = exc.code, exc.message
        if importer is not None and importer.summary.rows:
            summary = importer.summary.as_dict(file=batch.file_name, sha256=batch.sha256, dry_run=dry_run)
            _batch_record(batch, importer, summary, write_rejected_file(importer), status=BatchStatus.FAILED)
        batch.save(update_fields=["status", "error_code", "error_message"])
        return batch
    except Exception as exc:  # the job must leave a readable state, then the error is logged
        log.exception("import batch %s failed", batch.pk)
        batch.status = BatchStatus.FAILED
        batch.error_code, batch.error_message = "internal_error", f"Lỗi hệ thống khi nhập: {exc.__class__.__name__}."
        batch.save(update_fields=["status", "error_code", "error_message"])
        return batch
    finally:
        os.unlink(tmp)
    summary = importer.summary.as_dict(
        file=batch.file_name, sha256=batch.sha256, dry_run=dry_run,
        unknown_columns=list(importer.mapping.unknown.values()))
    _batch_record(batch, importer, summary, write_rejected_file(importer),
                  status=BatchStatus.CHECKED if dry_run else BatchStatus.DONE)
    if not dry_run:
        batch.content = None  # the file is in the registry now; keep the fingerprint only
        batch.save(update_fields=["content"])
        ImportParsedGroup.objects.filter(batch=batch).delete()
        if summary["imported"] + summary["updated"]:
            statistics_refresh(IMPORTED_MODELS)
    return batch


def _parsed_groups(batch: ImportBatch, *, dry_run: bool, scope: set[int] | None) -> tuple:
    """Parse once (``parsed``): ``(parsed_out, parsed_in)`` for the engine. A check stores its parsed
    groups of rows (replacing an earlier check's); an import takes them when the stored key matches (same
    file, mapping, default commune, day, scope and map), else reads the file as usual."""
    from django.conf import settings
    from django.utils import timezone

    from . import parsed
    from .engine import BATCH_SIZE

    key = parsed.parse_key(sha256=batch.sha256, mapping=batch.mapping, default_commune_id=batch.default_commune_id,
                           today=timezone.localdate(), scope=scope,
                           chunk=getattr(settings, "ANSINH_IMPORT_CHUNK_ROWS", None) or BATCH_SIZE)
    groups = ImportParsedGroup.objects.filter(batch=batch)
    if dry_run:
        groups.delete()

        def parsed_out(index: int, blob: bytes) -> None:
            ImportParsedGroup.objects.create(batch=batch, index=index, key=key, data=blob)

        return parsed_out, None
    header = groups.filter(index=-1, key=key).values_list("data", flat=True).first()
    if header is None:
        return None, None
    count = groups.filter(index__gte=0, key=key).count()
    if count != groups.filter(index__gte=0).count():
        return None, None

    def blobs():  # one group in memory at a time
        for index in range(count):
            yield groups.filter(index=index).values_list("data", flat=True).get()

    return None, (bytes(header), blobs())


def import_job(*, job, ctx):
    """Handler of the import jobs (``jobs.kinds``): check or import the batch of ``job.params``."""
    from ansinh.jobs.services import JobCancelled, JobOutcome

    batch = import_batch_run(batch_id=job.params["batch_id"], dry_run=job.params["dry_run"], ctx=ctx)
    if batch.status == BatchStatus.FAILED:
        raise errors.ImportFileError(batch.error_message, code=batch.error_code or "file_error")
    if batch.status == BatchStatus.CANCELLED:
        raise JobCancelled()
    if batch.status == BatchStatus.NEEDS_MAPPING:
        return JobOutcome(message=batch.error_message)
    return JobOutcome(message=f"{batch.rows} dòng: thêm {batch.imported}, cập nhật {batch.updated}, "
                              f"không đổi {batch.unchanged}, loại {batch.rejected}.")


def import_batch_job(*, batch: ImportBatch):
    """The latest job of a batch, or None."""
    from ansinh.jobs.models import Job, JobKind

    return (Job.objects.defer("result").filter(kind__in=(JobKind.IMPORT_CHECK, JobKind.IMPORT_RUN),
                                               params__batch_id=batch.pk).order_by("-pk").first())


def import_batch_start(*, user, batch: ImportBatch, dry_run: bool):
    """Start checking or importing a batch as a background job (the page then polls the batch's
    progress). Returns the batch."""
    from ansinh.jobs.models import JobKind
    from ansinh.jobs.services import job_enqueue

    require_permission(user, IMPORT_PERMISSION)
    if batch.created_by_id != user.pk:
        raise ImportBatch.DoesNotExist()
    if not dry_run and batch.status != BatchStatus.CHECKED:
        raise errors.ImportFileError("Hãy kiểm tra tệp trước khi nhập.", code="not_checked")
    with transaction.atomic():
        batch.status = BatchStatus.CHECKING if dry_run else BatchStatus.IMPORTING
        batch.rows_done = batch.rows_committed = 0
        batch.save(update_fields=["status", "rows_done", "rows_committed"])
        job_enqueue(user=user, kind=JobKind.IMPORT_CHECK if dry_run else JobKind.IMPORT_RUN,
                    params={"batch_id": batch.pk, "dry_run": dry_run})
    batch.refresh_from_db()
    return batch


@transaction.atomic
def import_batch_cancel(*, user, batch: ImportBatch) -> None:
    """Stop a check or an import of the user's batch (``jobs.services.job_cancel``): an import stops after
    the group of rows it is writing; the rows written before stay, whole."""
    from ansinh.jobs.services import job_cancel

    require_permission(user, IMPORT_PERMISSION)
    if batch.created_by_id != user.pk:
        raise ImportBatch.DoesNotExist()
    job = import_batch_job(batch=batch)
    if job is None or not job.running:
        raise errors.ImportFileError("Không có việc nào đang chạy để dừng.", code="not_running")
    job = job_cancel(user=user, job=job)
    if job.status == "cancelled":  # it had not started
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.CANCELLED, error_code="cancelled", error_message="Đã hủy trước khi chạy.")


INTERRUPTED = ("Lần nhập bị ngắt giữa chừng (tiến trình dừng đột ngột). Hãy nhập lại tệp: các dòng đã ghi sẽ "
               "không bị thêm lần nữa.")


def import_batches_recover() -> list[int]:
    """Put on the queue the batches left checking or importing without a job that could finish them (the
    web server's thread that ran them before the queue existed, or a job lost otherwise): an import
    resumes from its high-water mark. Returns the batch ids."""
    from ansinh.jobs.models import FINISHED, JobKind
    from ansinh.jobs.services import job_enqueue

    found = []
    for batch in ImportBatch.objects.filter(status__in=(BatchStatus.CHECKING, BatchStatus.IMPORTING)).defer(
            "content", "rejected_file").select_related("created_by"):
        job = import_batch_job(batch=batch)
        if job is not None and job.status not in FINISHED:
            continue
        if not ImportBatch.objects.filter(pk=batch.pk, content__isnull=False).exists():
            # a command-line import (the file is not kept) whose process died: the file must be given again
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.FAILED, error_code="interrupted", error_message=INTERRUPTED)
            continue
        dry_run = batch.status == BatchStatus.CHECKING
        job_enqueue(user=batch.created_by, kind=JobKind.IMPORT_CHECK if dry_run else JobKind.IMPORT_RUN,
                    params={"batch_id": batch.pk, "dry_run": dry_run})
        found.append(batch.pk)
    if found:
        log.warning("import batches put back on the queue: %s", found)
    return found



# --- duplicates: keep apart or merge -----------------------------------------------------------------

def duplicate_keep_apart(*, user, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Record that two probable duplicates are different people."""
    require_permission(user, MERGE_PERMISSION)
    for person in (candidate.person_a, candidate.person_b):
        if person is not None:
            require_person_in_scope(user, person)
    candidate.status = DuplicateStatus.KEPT_APART
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    return candidate


@transaction.atomic
def identity_decide(*, user, candidate: DuplicateCandidate, apply: bool) -> DuplicateCandidate:
    """Decide an identity conflict found by an import: ``apply`` writes the row's name, date of birth and
    sex on the person (the history names the file, the row and the officer); otherwise the registry's
    version stays. Raises PermissionDenied, OutOfScope, MergeError."""
    require_permission(user, MERGE_PERMISSION)
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.kind != CandidateKind.IDENTITY_CONFLICT:
        raise errors.MergeError("Thao tác không hợp lệ.")
    if candidate.status != DuplicateStatus.OPEN:
        raise errors.MergeError("Cặp hồ sơ này đã được xử lý.")
    if candidate.person_a_id is None:
        raise errors.MergeError("Hồ sơ không còn.")
    person = Person.objects.select_for_update().get(pk=candidate.person_a_id)
    require_person_in_scope(user, person)
    if apply:
        import datetime

        proposed = candidate.proposed
        person.full_name = proposed["full_name"]
        person.date_of_birth = datetime.date.fromisoformat(proposed["date_of_birth"])
        person.sex = proposed["sex"]
        source = f"tệp {candidate.batch.file_name}, dòng {candidate.row}" if candidate.batch_id else "tệp nhập"
        person._change_reason = f"Sửa thông tin định danh theo {source}; cán bộ {user.get_username()} duyệt"
        person._history_user = user
        person.save(update_fields=["full_name", "name_folded", "date_of_birth", "sex"])
    candidate.status = DuplicateStatus.APPLIED if apply else DuplicateStatus.KEPT
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    return candidate


def _snapshot(person: Person) -> dict:
    return {f: (str(v) if v is not None else None) for f, v in (
        (f.attname, getattr(person, f.attname)) for f in Person._meta.concrete_fields)}


def _month_end(first: datetime.date, months: int) -> datetime.date:
    """The last day of the ``months``-th month counted from ``first``'s month."""
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1) - datetime.timedelta(days=1)


def _cover_periods(person_id: int) -> list[tuple[str, datetime.date, datetime.date, str]]:
    """A person's cover that is not cancelled: HI lines (card validity; a quote not yet paid: from its
    pricing date for its months) and VSI periods (from the first month for its months); each with the
    reference of its participation ("hi:<id>", "vsi:<id>")."""
    from ansinh.enrollment.models import HiMemberCoverage, Status, VsiParticipation

    periods = []
    for valid_from, valid_to, priced_on, months, pk in HiMemberCoverage.objects.filter(person_id=person_id).exclude(
            participation__status=Status.CANCELLED).values_list(
            "valid_from", "valid_to", "participation__priced_on", "participation__months", "participation_id"):
        start = valid_from or priced_on
        periods.append(("BHYT", start, valid_to or _month_end(start, months), f"hi:{pk}"))
    for from_month, months, pk in VsiParticipation.objects.filter(person_id=person_id).exclude(
            status=Status.CANCELLED).values_list("from_month", "months", "pk"):
        periods.append(("BHXH tự nguyện", from_month, _month_end(from_month, months), f"vsi:{pk}"))
    return periods


def _overlap_pairs(keep: Person, merged: Person) -> list[tuple[tuple, tuple]]:
    theirs = _cover_periods(merged.pk)
    return [(mine, other) for mine in _cover_periods(keep.pk) for other in theirs
            if mine[0] == other[0] and mine[1] <= other[2] and other[1] <= mine[2]]


def cover_overlaps(*, keep: Person, merged: Person) -> list[str]:
    """The overlapping cover of two records of one person, in words ("BHYT: 01/01/2025–31/12/2025 (hồ sơ
    #1) và 01/07/2025–30/06/2026 (hồ sơ #2)"); empty when a merge leaves one line per month."""
    return [f"{scheme}: {start:%d/%m/%Y}–{end:%d/%m/%Y} (hồ sơ #{keep.pk}) và "
            f"{other_start:%d/%m/%Y}–{other_end:%d/%m/%Y} (hồ sơ #{merged.pk})"
            for (scheme, start, end, _), (_, other_start, other_end, _) in _overlap_pairs(keep, merged)]


def cover_overlap_choices(*, candidate: DuplicateCandidate) -> list[dict]:
    """The periods of the pair of ``candidate`` that overlap the other record's cover, for the officer to
    pick the one to cancel at the merge: ``[{"ref" ("hi:<id>"/"vsi:<id>"), "person_id", "label"}]`` (a
    pure read; no scope check, the caller got ``candidate`` from ``duplicate_get``)."""
    if candidate.person_b_id is None:
        return []
    a, b = Person.objects.get(pk=candidate.person_a_id), Person.objects.get(pk=candidate.person_b_id)
    seen, out = set(), []
    for mine, other in _overlap_pairs(a, b):
        for (scheme, start, end, ref), person in ((mine, a), (other, b)):
            if ref not in seen:
                seen.add(ref)
                out.append({"ref": ref, "person_id": person.pk,
                            "label": f"{scheme} {start:%d/%m/%Y}–{end:%d/%m/%Y} (hồ sơ #{person.pk})"})
    return out


def _period_cancel(*, user, ref: str, pair: set[int], reason: str) -> dict:
    """Cancel one participation of the pair at a merge: each payment taken for it is reversed by
    ``collection.services.payment_reverse`` (a negative payment pointing to it, with the reason) and the
    refund is noted; a quote not yet paid is simply cancelled. An HI period on which other people are
    listed is not cancelled (the household's other members would lose their cards)."""
    from ansinh.collection.services import payment_reverse
    from ansinh.enrollment.models import HiParticipation, Status, VsiParticipation
    from ansinh.enrollment.services import participation_status_set

    kind, _, pk = ref.partition(":")
    model = {"hi": HiParticipation, "vsi": VsiParticipation}.get(kind)
    if model is None or not pk.isdigit():
        raise errors.MergeError("Kỳ cần hủy: lựa chọn không hợp lệ.", field="cancel")
    participation = model.objects.select_for_update().filter(pk=int(pk)).first()
    if participation is None:
        raise errors.MergeError("Kỳ cần hủy: lựa chọn không hợp lệ.", field="cancel")
    if kind == "hi":
        others = participation.members.exclude(person_id__in=pair).count()
        if others or participation.members.filter(person_id__in=pair).values("person_id").distinct().count() > 1:
            raise errors.MergeError(
                f"Kỳ cần hủy: thẻ BHYT của hộ {participation.household.code} còn ghi cho {others} người khác "
                "trong hộ; hãy chọn kỳ của hồ sơ kia, hoặc hủy cả kỳ thu của hộ rồi báo giá lại.", field="cancel")
    payments = list(participation.payments.filter(amount__gt=0, reverses__isnull=True, reversed_by__isnull=True))
    refunded = 0
    reversals = []
    for payment in payments:
        reversal = payment_reverse(user=user, payment=payment, reason=reason, on=timezone.localdate())
        refunded += payment.amount
        reversals.append(reversal.pk)
    if not payments and participation.status != Status.CANCELLED:
        participation_status_set(participation=participation, status=Status.CANCELLED)
    return {"ref": ref, "refund": refunded, "reversals": reversals}


@transaction.atomic
def person_merge(*, user, candidate: DuplicateCandidate, keep: Person, cancel: list[str] | tuple = (),
                 refund_note: str = "") -> PersonMerge:
    """Merge the two people of ``candidate`` into ``keep``: the other record's memberships, household
    place, participations, coverages and referrals move to ``keep``; ``keep``'s empty fields (IDs,
    phone, hamlet) are filled from it; the other record stays, without IDs, pointing at ``keep``
    (``Person.merged_into``), so receipts and history that name it stay readable (``Person.history`` holds
    every version of both; ``PersonMerge`` links them).

    Safe for money: refused (``MergeCoverOverlap``, the overlapping periods named) when both records have
    cover (HI lines or VSI periods, not cancelled) for the same months, since the merged person would be
    two lines of D03-TS/D05-TS; cancel one period first (with its refund noted). Two officers merging the
    same pair at once: the candidate and both people are locked (people in id order), the second gets
    ``MergeAlreadyDecided``.

    Explicit resolution: ``cancel`` names the overlapping periods the officer chose to cancel ("hi:<id>",
    "vsi:<id>", from ``cover_overlap_choices``); each is cancelled with a reversal of its payments and the
    refund noted (``refund_note``, the reversal's reason; ``PersonMerge.moved["cancelled"]``), then the
    merge goes on only if no overlap is left — never two lines for one person. Reversing a payment needs
    ``collection.add_payment``. Raises PermissionDenied, OutOfScope, MergeError."""
    require_permission(user, MERGE_PERMISSION)
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != DuplicateStatus.OPEN:
        raise errors.MergeAlreadyDecided()
    if candidate.kind != CandidateKind.PROBABLE_DUPLICATE:
        raise errors.MergeError("Thao tác không hợp lệ.")
    pair = sorted(pk for pk in (candidate.person_a_id, candidate.person_b_id) if pk is not None)
    if keep.pk not in pair or len(pair) != 2:
        raise errors.MergeError()
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=pair).order_by("pk")}
    if len(locked) != 2:
        raise errors.MergeError("Hồ sơ không còn.")
    keep = locked[keep.pk]
    merged = next(p for pk, p in locked.items() if pk != keep.pk)
    for person in (keep, merged):
        require_person_in_scope(user, person)
        if person.merged_into_id is not None:
            raise errors.MergeAlreadyDecided(f"Hồ sơ #{person.pk} đã được gộp vào hồ sơ #{person.merged_into_id}.")
    cancelled = []
    if cancel:
        offered = {}
        for pair_ in _overlap_pairs(keep, merged):
            for (scheme, start, end, ref), owner in zip(pair_, (keep, merged), strict=True):
                offered[ref] = f"{scheme} {start:%d/%m/%Y}–{end:%d/%m/%Y} (hồ sơ #{owner.pk})"
        unknown = [ref for ref in cancel if ref not in offered]
        if unknown:
            raise errors.MergeError("Kỳ cần hủy: chỉ chọn được một kỳ đang trùng tháng của hai hồ sơ.",
                                    field="cancel")
        note = " ".join((refund_note or "").split())
        reason = (f"Gộp hồ sơ trùng #{merged.pk} vào #{keep.pk}: hủy kỳ trùng tháng, hoàn tiền"
                  + (f" — {note}" if note else ""))[:300]
        cancelled = [{"label": offered[ref], **_period_cancel(user=user, ref=ref, pair={keep.pk, merged.pk},
                                                             reason=reason)}
                     for ref in dict.fromkeys(cancel)]
    overlaps = cover_overlaps(keep=keep, merged=merged)
    if overlaps:
        raise errors.MergeCoverOverlap(
            "Không gộp được: cả hai hồ sơ đều có kỳ đóng cho cùng những tháng — " + "; ".join(overlaps)
            + ". Gộp lại sẽ thành hai dòng cho một người trên danh sách D03-TS/D05-TS. Hãy hủy một kỳ (ghi "
            "nhận hoàn tiền) rồi gộp.", field="keep", overlaps=overlaps)
    moved: dict = {"cancelled": cancelled} if cancelled else {}
    # household place
    merged_place = HouseholdMember.objects.filter(person=merged).select_related("household").first()
    kept_place = HouseholdMember.objects.filter(person=keep).first()
    if merged_place is not None:
        if kept_place is None:
            merged_place.person = keep
            merged_place.save(update_fields=["person"])
            moved["household"] = 1
        elif kept_place.household_id != merged_place.household_id:
            raise errors.MergeError(
                f"Hai hồ sơ thuộc hai hộ khác nhau ({merged_place.household.code} và {kept_place.household.code}): "
                "hãy chuyển hộ trước khi gộp.")
        else:
            merged_place.delete()
            if merged_place.relationship == Relationship.HEAD:
                kept_place.relationship = Relationship.HEAD
                kept_place.save(update_fields=["relationship"])
            moved["household"] = 1
    # memberships
    kept_units = dict(Membership.objects.filter(person=keep).values_list("unit_id", "pk"))
    for membership in Membership.objects.filter(person=merged):
        if membership.unit_id in kept_units:
            if membership.role == MemberRole.LEADER:
                membership.delete()
                Membership.objects.filter(pk=kept_units[membership.unit_id]).update(role=MemberRole.LEADER)
            else:
                membership.delete()
        else:
            membership.person = keep
            membership.save(update_fields=["person"])
        moved["memberships"] = moved.get("memberships", 0) + 1
    # every other record pointing at the merged person (participations, coverages, referrals, ...)
    for relation in Person._meta.related_objects:
        if relation.related_model in (Membership, HouseholdMember) or relation.related_model is Person:
            continue
        if not isinstance(relation.field, (ForeignKey, OneToOneField)) or relation.related_model.__module__.startswith(
                ("simple_history", "ansinh.imports")):
            continue
        if relation.related_model._meta.label.startswith("registry.HistoricalPerson"):
            continue
        count = relation.related_model.objects.filter(**{relation.field.name: merged}).update(
            **{relation.field.name: keep})
        if count:
            moved[relation.related_model._meta.label] = count
    # records merged into the merged one earlier now point at the kept one
    Person.objects.filter(merged_into=merged).update(merged_into=keep)
    # fill the kept record's empty fields
    snapshot = _snapshot(merged)
    fill = {}
    for name in ("citizen_id", "si_number", "phone", "hamlet"):
        if not getattr(keep, name) and getattr(merged, name):
            fill[name] = getattr(merged, name)
    merged_id = merged.pk
    # other open candidates of the merged record now concern the kept one
    for other in DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN).exclude(pk=candidate.pk).filter(
            models.Q(person_a=merged) | models.Q(person_b=merged)):
        if other.kind == CandidateKind.IDENTITY_CONFLICT:
            DuplicateCandidate.objects.filter(pk=other.pk).update(person_a_id=keep.pk)
            continue
        partner = other.person_b_id if other.person_a_id == merged.pk else other.person_a_id
        pair = (min(partner, keep.pk), max(partner, keep.pk))
        if partner == keep.pk or DuplicateCandidate.objects.filter(person_a_id=pair[0], person_b_id=pair[1]).exists():
            other.delete()
        else:
            DuplicateCandidate.objects.filter(pk=other.pk).update(person_a_id=pair[0], person_b_id=pair[1])
    # the merged record stays, without its IDs (kept in the snapshot and the history), pointing at the kept one
    merged.citizen_id = merged.si_number = None
    merged.merged_into = keep
    merged._change_reason = f"Gộp vào hồ sơ #{keep.pk}"
    merged._history_user = user
    merged.save(update_fields=["citizen_id", "si_number", "merged_into"])
    if fill:
        for name, value in fill.items():
            setattr(keep, name, value)
        keep._change_reason = f"Gộp hồ sơ #{merged_id}"
        keep._history_user = user
        keep.save(update_fields=list(fill))
    DuplicateCandidate.objects.filter(pk=candidate.pk).update(
        status=DuplicateStatus.MERGED, decided_by=user, decided_at=timezone.now())
    return PersonMerge.objects.create(kept=keep, merged_person_id=merged_id, merged_snapshot=snapshot, moved=moved,
                                      candidate=candidate, merged_by=user)
