"""The member-list import: read, check every row, find duplicates, then write the good rows.

Two passes over the file, both streaming:
1. a scan for file-level problems (header, formula errors, oversized cells, runs of blank rows, no
   data): any of them stops the import before anything is written;
2. rows in batches of ``BATCH_SIZE``: each row is checked field by field, then against the rows
   before it in the file and the registry; the good rows of a batch are written in one transaction.

What a row's check depends on is the registry as it was before the import plus the rows before it in
the file, never what this import has already written: a dry run therefore reports exactly what a
real run does.

Rules (see also the ``ansinh import`` help):
- Required: full name, date or year of birth, sex, commune (a column "Xã", an "Địa chỉ" that names the
  commune, or a default commune given for the file). Citizen ID, SI number, phone, hamlet, ethnicity,
  branch/group, role, household columns are optional; an empty optional cell never erases a value.
- A row with any problem is rejected whole; identity checks (duplicates, registry) run only on rows
  whose cells are all valid.
- A person is the same as one in the registry when the citizen ID matches, else the SI number; a row
  with neither is the person with the same name (tone and case ignored), date of birth and commune if
  there is exactly one.
- ``imported``: people added; ``updated``: rows of known people that changed something (a field, a
  filled ID, a new membership, leader role or household place); ``unchanged``: rows of known people
  with nothing new; ``rejected``: rows with problems; ``duplicates``: probable duplicate pairs recorded
  (a new person with the same name without diacritics, date of birth and commune as someone in the
  registry or earlier in the file, with other or missing IDs); they are not merged automatically.
- Identity is never overwritten: a row of a known person with another name (beyond diacritics and case),
  date of birth or sex is rejected ("identity_conflict", both versions in the message) and, on a real run,
  becomes a review item (``DuplicateCandidate`` of kind ``identity``) an officer applies or dismisses. A
  name without diacritics never replaces one with them; a registry name without diacritics takes the
  row's (``fields.name_reconcile``).
- A new person alike to someone in the registry or earlier in the file (``registry.duplicates`` rules:
  alike folded names, same birth date nearby or birth year in the same place) is created and flagged as a
  probable duplicate with its score and reasons.
- The same citizen ID or SI number twice in a file, or the same name, date of birth and commune
  twice when one of the rows has no ID, rejects the later row ("duplicate_in_file").
"""

import datetime
import hashlib
from array import array
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connections, models, router, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ansinh.core.text import bidi_control_find, fold, name_key, name_normalise
from ansinh.registry.models import (
    Household, HouseholdMember, MemberRole, Membership, Person, Relationship, Sex, UnitKind,
)

from . import errors
from .columns import FIELDS, Mapping, detect_header, is_numbering_row
from ansinh.registry import duplicates as dup

from .fields import (
    FieldProblem, check_citizen_id, clean_text, display, is_ethnic_minority, is_head_marker, name_reconcile,
    parse_citizen_id, parse_date, parse_name, parse_phone, parse_relationship, parse_role, parse_sex,
    parse_si_number,
)
from .places import CommuneIndex, UnitIndex
from .readers import PendingFormula, column_letter, open_book

BATCH_SIZE = 1000
HEADER_SEARCH_ROWS = 30
MAX_BLANK_RUN = 10_000
PROBABLE_DUPLICATES = True  # look for alike people (registry.duplicates) for each new person; off only to benchmark
CACHE_ROWS = 60_000  # a file up to this many rows is read once and kept in memory; a longer one is read twice
PERSON_FIELDS = ("full_name", "date_of_birth", "sex", "citizen_id", "si_number", "phone", "hamlet", "commune_id",
                 "ethnic_minority")


class _SafeDict(dict):
    def __missing__(self, key):
        return ""


def row_message(code: str, **details) -> str:
    return errors.ROW_MESSAGES[code].format_map(_SafeDict(details))


@dataclass
class RowError:
    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class RowData:
    row: int
    values: list
    full_name: str = ""
    date_of_birth: datetime.date | None = None
    year_only: bool = False
    sex: str = ""
    citizen_id: str | None = None
    si_number: str | None = None
    phone: str = ""
    hamlet: str = ""
    commune_id: int | None = None
    place: int | None = None
    ethnic_minority: bool | None = None
    branch: tuple[int, str] | None = None
    group: tuple[int, str] | None = None
    branch_text: str = ""
    group_text: str = ""
    role: str | None = None
    household_code: str = ""
    relationship: str | None = None
    is_head: bool = False
    key: tuple = ()
    # decided during the identity step
    person: Person | None = None
    action: str = ""  # create / update / unchanged
    changes: dict = field(default_factory=dict)
    new_memberships: list = field(default_factory=list)  # (unit_id, role)
    promote: list = field(default_factory=list)  # membership ids to make leader
    leader_units: list = field(default_factory=list)  # units this row makes the person lead
    household: str = ""  # household code to join
    household_new: bool = False
    duplicate_of_persons: list = field(default_factory=list)
    duplicate_of_rows: list = field(default_factory=list)
    probable_persons: list = field(default_factory=list)  # (person id, score, reasons): alike, not the same key
    probable_rows: list = field(default_factory=list)  # (row, score, reasons)


@dataclass
class Summary:
    rows: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self, **extra) -> dict:
        return {"rows": self.rows, "imported": self.imported, "updated": self.updated, "rejected": self.rejected,
                "duplicates": self.duplicates, "unchanged": self.unchanged,
                "errors": [e.as_dict() for e in sorted(self.errors, key=lambda e: e.row)], **extra}


@dataclass
class _FileState:
    """What the rows read so far have established (only rows that were accepted)."""

    # compact for a million rows: IDs as ints; a key by its hash -> row (negative: that row had no ID)
    cid_rows: dict[int, int] = field(default_factory=dict)
    si_rows: dict[int, int] = field(default_factory=dict)
    key_rows: dict[int, int] = field(default_factory=dict)
    key_more: dict[int, list[tuple[int, bool]]] = field(default_factory=dict)
    person_rows: dict[int, int] = field(default_factory=dict)  # registry person id -> row that matched it
    households: dict[str, int] = field(default_factory=dict)  # code -> row of its head in this file
    household_heads: dict[str, int] = field(default_factory=dict)  # existing code -> row that made its head
    unit_leaders: dict[int, int] = field(default_factory=dict)  # unit id -> row
    row_person: array = field(default_factory=lambda: array("q"))  # row -> person id (real runs)
    # new people of accepted rows by (place, year of birth): (row, folded name, date of birth, commune id)
    born_rows: dict[tuple, list] = field(default_factory=dict)

    def earlier(self, key: tuple) -> list[tuple[int, bool]]:
        h = hash(key)
        first = self.key_rows.get(h)
        if first is None:
            return []
        return [(abs(first), first > 0), *self.key_more.get(h, ())]

    def add_key(self, key: tuple, row: int, has_ids: bool) -> None:
        h = hash(key)
        if h in self.key_rows:
            self.key_more.setdefault(h, []).append((row, has_ids))
        else:
            self.key_rows[h] = row if has_ids else -row

    def set_person(self, row: int, pk: int) -> None:
        if row >= len(self.row_person):
            self.row_person.extend([0] * (row + 1 - len(self.row_person) + 1024))
        self.row_person[row] = pk

    def person_of(self, row: int) -> int | None:
        return self.row_person[row] or None if row < len(self.row_person) else None


def file_sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _is_blank(values: list) -> bool:
    for v in values:
        if v is None:
            continue
        if isinstance(v, str):
            if v.strip():
                return False
            continue
        return False
    return True


class MemberImport:
    """One run of the import over one file. Use ``run()``; see the module docstring for the rules."""

    def __init__(self, *, path, file_name: str, user=None, dry_run: bool = False, mapping: dict | None = None,
                 default_commune_id: int | None = None, scope: set[int] | None = None,
                 progress: Callable[[int, int], None] | None = None, batch=None, today=None,
                 change_reason: str = "", checkpoint: Callable[[int, dict], None] | None = None,
                 resume_rows: int = 0, resume_counts: dict | None = None):
        self.path = path
        self.file_name = file_name
        self.user = user
        self.dry_run = dry_run
        self.overrides = mapping or {}
        self.default_commune_id = default_commune_id
        self.scope = scope
        self.progress = progress
        # Restart after a crash: ``checkpoint(rows, counts)`` runs inside each group's write transaction
        # and records the durable high-water mark (data rows done, counts so far). A run resumed with
        # ``resume_rows`` (that mark) reads and checks the rows up to it again, to rebuild what the rows
        # before establish, without writing them (they are in the registry), then writes from there on.
        self.checkpoint = checkpoint
        self.resume_rows = resume_rows
        self.resume_counts = resume_counts or {}
        self.batch = batch
        self.today = today or timezone.localdate()
        self.change_reason = change_reason or f"Nhập tệp {file_name}"
        self.summary = Summary()
        self.state = _FileState()
        self.rejected_file: RejectedRowsFile | None = None
        self._rejected_bytes: bytes | None = None
        self._batch_rejected: list[tuple[int, list, list[RowError]]] = []
        self.header_values: list = []
        self.mapping: Mapping | None = None
        self.rows_total = 0
        self.key_index: dict[tuple, list[int]] = {}
        # the registry's people of the loaded places by (place, year of birth): (pk, folded, born, commune id)
        self.year_index: dict[tuple, list[tuple]] = {}
        self.dob_index: dict[tuple, list[tuple]] = {}  # the same by (place, date of birth)
        self.places_cache: dict[int, tuple[dup.Places, set[int], set[int]]] = {}
        self.conflicts: list[dict] = []  # identity conflicts of the current batch (review items of a real run)
        self.key_index_loaded: set = set()
        self.commune_cache: dict[tuple, tuple[int | None, FieldProblem | None]] = {}

    # --- pass 1 ---------------------------------------------------------------------------------

    def _open(self):
        book = open_book(self.path, self.file_name)
        chosen = None
        any_rows = False
        for info, key in book.sheets:
            if not info.visible and chosen is None and len(book.sheets) > 1:
                continue
            first: list[tuple[int, list]] = []
            for row_number, values in book.rows(key):
                if not _is_blank(values):
                    first.append((row_number, values))
                    any_rows = True
                if len(first) >= HEADER_SEARCH_ROWS or row_number > HEADER_SEARCH_ROWS * 50:
                    break
            mapping, used = detect_header(first, self.overrides)
            if mapping is not None:
                chosen = (key, mapping, first[used - 1][0])
                width = max(mapping.labels, default=-1) + 1
                self.header_values = [mapping.labels.get(i, "") for i in range(width)]
                break
        if chosen is None:
            book.close()
            raise errors.NoHeader() if any_rows else errors.EmptyFile()
        return book, chosen

    def _scan(self, book, key, last_header_row) -> None:
        """Pass 1: count the data rows; raise on the file-level problems (the reader raises on formula
        errors and oversized cells)."""
        blank_run = 0
        blank_from = None
        count = 0
        numbering_checked = False
        previous = last_header_row
        cache: list | None = []
        max_rows = settings.ANSINH_IMPORT_MAX_ROWS
        for row_number, values in book.rows(key):
            if row_number <= last_header_row:
                continue
            if cache is not None:
                cache.append((row_number, values))
                if len(cache) > CACHE_ROWS:
                    cache = None
            gap = row_number - previous - 1  # rows absent from the file are blank too
            previous = row_number
            self._check_formulas(row_number, values)
            if self._blank(values):
                if blank_run == 0:
                    blank_from = row_number - gap
                blank_run += 1 + gap
            else:
                if gap:
                    if blank_run == 0:
                        blank_from = row_number - gap
                    blank_run += gap
                if blank_run > MAX_BLANK_RUN:
                    raise self._blank_error(blank_from, blank_run)
                blank_run = 0
                if not numbering_checked:
                    numbering_checked = True
                    if is_numbering_row(values):
                        continue
                count += 1
                if count > max_rows:
                    limit = f"{max_rows:,}".replace(",", ".")
                    raise errors.TooManyRows(errors.TOO_MANY_ROWS.format(limit=limit), limit=max_rows)
            if blank_run > MAX_BLANK_RUN:
                raise self._blank_error(blank_from, blank_run)
        if count == 0:
            raise errors.NoData()
        self.rows_total = count
        self.cached_rows = cache

    def _check_formulas(self, row_number: int, values: list) -> None:
        for i in self.data_columns:
            if i < len(values) and isinstance(values[i], PendingFormula):
                raise errors.FormulaErrorCell(
                    f"Ô {column_letter(i)}{row_number} chứa công thức chưa được tính (={values[i].formula}). Hãy mở "
                    "tệp bằng Excel rồi lưu lại, hoặc dán giá trị thay cho công thức, rồi nhập lại.",
                    cell=f"{column_letter(i)}{row_number}")

    @staticmethod
    def _blank_error(start: int, run: int) -> errors.TooManyBlankRows:
        limit = f"{MAX_BLANK_RUN:,}".replace(",", ".")
        return errors.TooManyBlankRows(
            f"Từ dòng {start} có hơn {limit} dòng trống liên tiếp. Hãy xóa các dòng trống (hoặc chỉ giữ vùng có "
            "dữ liệu) rồi nhập lại.", row=start)

    # --- pass 2 ---------------------------------------------------------------------------------

    def run(self) -> Summary:
        book, (key, mapping, last_header_row) = self._open()
        self.mapping = mapping
        self.data_columns = sorted(mapping.fields)
        self.field_index = mapping.index_of()
        try:
            missing = mapping.missing_required(default_commune=self.default_commune_id is not None)
            if missing:
                unknown = ", ".join(f"\"{h}\"" for h in mapping.unknown.values())
                raise errors.MissingColumns(
                    f"Thiếu cột bắt buộc: {', '.join(missing)}."
                    + (f" Các cột chưa nhận ra: {unknown} — hãy ghép cột." if unknown else ""),
                    missing=missing, unknown=list(mapping.unknown.values()))
            self._scan(book, key, last_header_row)
            self.communes = CommuneIndex()
            self.units = UnitIndex(self.communes)
            self._progress(0)
            pending: list[tuple[int, list]] = []
            chunk = getattr(settings, "ANSINH_IMPORT_CHUNK_ROWS", None) or BATCH_SIZE
            numbering_checked = False
            rows = self.cached_rows if self.cached_rows is not None else book.rows(key)
            self.cached_rows = None
            for row_number, values in rows:
                if row_number <= last_header_row or self._blank(values):
                    continue
                if not numbering_checked:
                    numbering_checked = True
                    if is_numbering_row(values):
                        continue
                pending.append((row_number, values))
                if len(pending) >= chunk:
                    self._batch(pending)
                    pending = []
            if pending:
                self._batch(pending)
        finally:
            book.close()
        return self.summary

    def _blank(self, values: list) -> bool:
        """A row is blank when every column read into a field is empty (a row number alone in "STT" or
        a note in an unknown column does not make a member)."""
        return _is_blank([values[i] for i in self.data_columns if i < len(values)])

    def _progress(self, done: int) -> None:
        if self.progress:
            self.progress(done, self.rows_total)

    def _batch(self, pending: list[tuple[int, list]]) -> None:
        replay = self.summary.rows + len(pending) <= self.resume_rows
        parsed: list[RowData] = []
        self.conflicts = []
        for row_number, values in pending:
            self.summary.rows += 1
            data, problems = self._parse(row_number, values)
            if problems:
                self._reject(row_number, values, problems)
            else:
                parsed.append(data)
        lookup = self._prefetch(parsed)
        good: list[RowData] = []
        for data in parsed:
            problems = self._identify(data, lookup)
            if problems:
                self._reject(data.row, data.values, problems)
            else:
                good.append(data)
                self._register(data)
        counts = {"imported": sum(d.action == "create" for d in good),
                  "updated": sum(d.action == "update" for d in good),
                  "unchanged": sum(d.action not in ("create", "update") for d in good),
                  "duplicates": sum(len(d.duplicate_of_persons) + len(d.duplicate_of_rows) + len(d.probable_persons)
                                    + len(d.probable_rows) for d in good)}
        if replay:
            for data in good:  # written by the run that was cut off: the people are in the registry
                if data.person is not None:
                    self.state.set_person(data.row, data.person.pk)
        elif not self.dry_run:
            try:
                with transaction.atomic():
                    self._write(good)
                    self._write_conflicts()
                    if self.checkpoint is not None:
                        total = {k: getattr(self.summary, k) + v for k, v in counts.items()}
                        total["rejected"] = self.summary.rejected
                        self.checkpoint(self.summary.rows, total)
            except DatabaseError as exc:
                raise BatchWriteFailed(
                    f"Ghi dữ liệu thất bại ở nhóm dòng {pending[0][0]}–{pending[-1][0]}: các dòng trước đó đã được "
                    "ghi đầy đủ, nhóm này và các dòng sau chưa được ghi. Hãy nhập lại tệp (các dòng đã ghi sẽ "
                    "không bị thêm lần nữa).", first_row=pending[0][0]) from exc
        if replay:
            if self.summary.rows == self.resume_rows:  # the counts of the rows written before the restart
                for name in ("imported", "updated", "unchanged", "duplicates"):
                    setattr(self.summary, name, self.resume_counts.get(name, 0))
        else:
            for name, value in counts.items():
                setattr(self.summary, name, getattr(self.summary, name) + value)
        if self._batch_rejected:
            if self.rejected_file is None:
                id_columns = {i for i, f in self.mapping.fields.items() if f in ("citizen_id", "si_number", "phone")}
                self.rejected_file = RejectedRowsFile(self.header_values, id_columns)
            for row, values, problems in sorted(self._batch_rejected, key=lambda r: r[0]):
                self.rejected_file.add(row, values, problems)
            self._batch_rejected = []
        self._progress(self.summary.rows)

    # --- one row: cells ---------------------------------------------------------------------------

    def _cell(self, values: list, name: str):
        index = self.field_index.get(name)
        if index is not None and index < len(values):
            return values[index]
        return None

    def _label(self, name: str) -> str:
        cols = self.mapping.columns_of(name)
        return self.mapping.labels.get(cols[0], FIELDS[name]) if cols else FIELDS[name]

    def _parse(self, row: int, values: list) -> tuple[RowData, list[RowError]]:
        data = RowData(row=row, values=values)
        problems: list[RowError] = []
        m = self.mapping

        def problem(name: str, exc: FieldProblem, label: str | None = None) -> None:
            label = label or self._label(name)
            problems.append(RowError(row, label, exc.code, row_message(
                exc.code, label=label, value=exc.value, **{k: v for k, v in exc.details.items()})))

        # text hygiene: a bidirectional control character refuses the row, naming the column
        for name, index in self.field_index.items():
            cell = values[index] if index < len(values) else None
            if isinstance(cell, str) and (code := bidi_control_find(cell)):
                label = self._label(name)
                problems.append(RowError(row, label, "bidi_control",
                                         row_message("bidi_control", label=label, other=code)))

        # name
        if m.has("full_name"):
            try:
                data.full_name = parse_name(self._cell(values, "full_name"))
            except FieldProblem as exc:
                problem("full_name", exc)
        else:
            joined = " ".join(t for t in (clean_text(self._cell(values, "family_name")),
                                          clean_text(self._cell(values, "given_name"))) if t)
            try:
                data.full_name = parse_name(joined)
            except FieldProblem as exc:
                problem("given_name", exc)
        # date of birth and sex
        sex_from_columns = None
        dob_problem = False
        dob_value = self._cell(values, "date_of_birth")
        year_value = self._cell(values, "birth_year")
        dob_label = "date_of_birth"
        if dob_value in (None, "") and year_value not in (None, ""):
            dob_value, dob_label = year_value, "birth_year"
        if dob_value in (None, "") and m.has("dob_male"):
            male, female = self._cell(values, "dob_male"), self._cell(values, "dob_female")
            if male not in (None, "") and female not in (None, ""):
                problems.append(RowError(row, self._label("dob_female"), "sex_invalid", row_message(
                    "sex_invalid", value=f"{display(male)} / {display(female)}")))
                dob_problem = True
            elif male not in (None, ""):
                dob_value, dob_label, sex_from_columns = male, "dob_male", Sex.MALE
            elif female not in (None, ""):
                dob_value, dob_label, sex_from_columns = female, "dob_female", Sex.FEMALE
        if not dob_problem:
            try:
                data.date_of_birth, data.year_only = parse_date(dob_value, today=self.today)
            except FieldProblem as exc:
                label = self._label(dob_label) if m.has(dob_label) else FIELDS["date_of_birth"]
                if exc.code == "required":
                    problems.append(RowError(row, label, "required", row_message("required", label="ngày sinh")))
                else:
                    problem(dob_label, exc, label)
                dob_problem = True
        if (not dob_problem and dob_label == "date_of_birth" and year_value not in (None, "")
                and m.has("birth_year")):
            try:
                year_date, _ = parse_date(year_value, today=self.today)
                if year_date.year != data.date_of_birth.year:
                    problems.append(RowError(row, self._label("birth_year"), "date_conflict", row_message(
                        "date_conflict", value=display(dob_value), other=display(year_value))))
            except FieldProblem as exc:
                problem("birth_year", exc)
        sex_value = self._cell(values, "sex")
        if sex_value not in (None, "") or sex_from_columns is None:
            try:
                data.sex = parse_sex(sex_value)
                if sex_from_columns and data.sex != sex_from_columns:
                    problems.append(RowError(row, self._label("sex"), "sex_invalid", row_message(
                        "sex_invalid", value=display(sex_value))))
            except FieldProblem as exc:
                if exc.code == "required":
                    problems.append(RowError(row, self._label("sex") if m.has("sex") else FIELDS["sex"], "required",
                                             row_message("required", label="giới tính")))
                else:
                    problem("sex", exc)
        else:
            data.sex = sex_from_columns
        # identifiers
        cid_value = self._cell(values, "citizen_id")
        if cid_value not in (None, ""):
            try:
                data.citizen_id = parse_citizen_id(cid_value)
                if data.sex and data.date_of_birth:
                    for exc in check_citizen_id(data.citizen_id, sex=data.sex, born=data.date_of_birth,
                                                year_only=data.year_only, raw=cid_value):
                        problem("citizen_id", exc)
            except FieldProblem as exc:
                problem("citizen_id", exc)
        si_value = self._cell(values, "si_number")
        if si_value not in (None, ""):
            try:
                data.si_number = parse_si_number(si_value)
            except FieldProblem as exc:
                problem("si_number", exc)
        phone_value = self._cell(values, "phone")
        if phone_value not in (None, ""):
            try:
                data.phone = parse_phone(phone_value)
            except FieldProblem as exc:
                problem("phone", exc)
        data.ethnic_minority = is_ethnic_minority(self._cell(values, "ethnicity"))
        # place
        hamlet = clean_text(self._cell(values, "hamlet"))
        district = self._cell(values, "district") if m.has("district") else None
        commune_value = self._cell(values, "commune")
        address_value = self._cell(values, "address")
        try:
            if commune_value not in (None, ""):
                data.commune_id = self._match_commune(commune_value, district)
            elif address_value not in (None, "") and m.has("address"):
                try:
                    data.commune_id, address_hamlet = self.communes.match_address(address_value, district=district)
                    hamlet = hamlet or address_hamlet
                except FieldProblem:
                    if self.default_commune_id is None:
                        raise
                    data.commune_id = self.default_commune_id
            elif self.default_commune_id is not None:
                data.commune_id = self.default_commune_id
            else:
                raise FieldProblem("required")
        except FieldProblem as exc:
            name = "commune" if m.has("commune") else "address" if m.has("address") else "commune"
            if exc.code == "required":
                problems.append(RowError(row, self._label(name), "required", row_message("required", label="xã")))
            else:
                problem(name, exc)
        if data.commune_id is not None:
            data.place = self.communes.canonical(data.commune_id)
            if self.scope is not None and data.commune_id not in self.scope:
                problems.append(RowError(row, self._label("commune" if m.has("commune") else "address"),
                                         "commune_out_of_scope", row_message(
                                             "commune_out_of_scope", value=self.communes.units[data.commune_id].name)))
        if hamlet:
            data.hamlet = name_normalise(hamlet)
            if len(data.hamlet) > 100:
                problems.append(RowError(row, self._label("hamlet"), "text_too_long", row_message(
                    "text_too_long", label="Tên ấp", other=100)))
        # membership
        data.branch_text = clean_text(self._cell(values, "branch"))
        data.group_text = clean_text(self._cell(values, "savings_group"))
        data.role = parse_role(self._cell(values, "role"))
        if data.role == "branch" and not data.branch_text or data.role == "group" and not data.group_text \
                or data.role == "any" and not (data.branch_text or data.group_text) \
                or data.role == "any" and data.branch_text and data.group_text:
            problems.append(RowError(row, self._label("role"), "role_invalid", row_message(
                "role_invalid", value=display(self._cell(values, "role")))))
        # household
        data.household_code = clean_text(self._cell(values, "household_code")).upper()
        if len(data.household_code) > 20:
            problems.append(RowError(row, self._label("household_code"), "text_too_long", row_message(
                "text_too_long", label="Mã hộ", other=20)))
        try:
            data.relationship = parse_relationship(self._cell(values, "relationship"))
        except FieldProblem as exc:
            problem("relationship", exc)
        if data.full_name:
            data.is_head = data.relationship == Relationship.HEAD or is_head_marker(
                self._cell(values, "head_name"), full_name=data.full_name)
            if data.is_head:
                data.relationship = Relationship.HEAD
        if not problems:
            data.key = (fold(data.full_name), data.date_of_birth, data.place)
        return data, problems

    def _match_commune(self, value, district) -> int:
        cache_key = (value if isinstance(value, str) else repr(value),
                     district if isinstance(district, str) or district is None else repr(district))
        hit = self.commune_cache.get(cache_key)
        if hit is None:
            try:
                hit = (self.communes.match(value, district=district), None)
            except FieldProblem as exc:
                hit = (None, exc)
            self.commune_cache[cache_key] = hit
        if hit[1] is not None:
            raise hit[1]
        return hit[0]

    # --- one row: identity ----------------------------------------------------------------------------

    def _load_places(self, places: set) -> None:
        """Index the people of these places (both maps) by name key, date of birth and place, as the
        registry was before this import touched the place."""
        missing = places - self.key_index_loaded
        if not missing:
            return
        commune_ids = set().union(*(self.communes.group(p) for p in missing))
        canonical = self.communes.canonical
        index = self.key_index
        years = self.year_index
        for pk, name, born, commune_id in Person.objects.filter(
                commune_id__in=commune_ids, merged_into__isnull=True).values_list(
                "pk", "full_name", "date_of_birth", "commune_id").iterator(chunk_size=5000):
            folded = fold(name)
            place = canonical(commune_id)
            index.setdefault((folded, born, place), []).append(pk)
            entry = (pk, folded, born, commune_id)
            years.setdefault((place, born.year), []).append(entry)
            self.dob_index.setdefault((place, born), []).append(entry)
        self.key_index_loaded |= missing

    def _prefetch(self, rows: list[RowData]) -> dict:
        cids = {r.citizen_id for r in rows if r.citizen_id}
        sis = {r.si_number for r in rows if r.si_number}
        by_cid: dict[str, Person] = {}
        by_si: dict[str, Person] = {}
        people: dict[int, Person] = {}
        only = ("id", *PERSON_FIELDS)
        if cids:
            for p in Person.objects.filter(citizen_id__in=cids).only(*only):
                by_cid[p.citizen_id] = people.setdefault(p.pk, p)
        if sis:
            for p in Person.objects.filter(si_number__in=sis).only(*only):
                by_si[p.si_number] = people.setdefault(p.pk, p)
        places = {r.place for r in rows}
        self._load_places(places)
        key_ids = {pk for r in rows for pk in self.key_index.get(r.key, ())}
        if key_ids - set(people):
            for p in Person.objects.filter(pk__in=key_ids - set(people)).only(*only):
                people[p.pk] = p
        by_key: dict[tuple, list[Person]] = {}
        for r in rows:
            if r.key in self.key_index and r.key not in by_key:
                by_key[r.key] = [people[pk] for pk in self.key_index[r.key] if pk in people]
        memberships: dict[int, dict[int, tuple[int, str]]] = {}
        households: dict[int, tuple[str, str]] = {}
        if people:
            for pk, person_id, unit_id, role in Membership.objects.filter(person_id__in=people).values_list(
                    "pk", "person_id", "unit_id", "role"):
                memberships.setdefault(person_id, {})[unit_id] = (pk, role)
            for person_id, code, relationship in HouseholdMember.objects.filter(person_id__in=people).values_list(
                    "person_id", "household__code", "relationship"):
                households[person_id] = (code, relationship)
        codes = {r.household_code for r in rows if r.household_code}
        household_info: dict[str, dict] = {}
        if codes:
            for pk, code, commune_id in Household.objects.filter(code__in=codes).values_list("pk", "code", "commune_id"):
                household_info[code] = {"pk": pk, "place": self.communes.canonical(commune_id), "head": None}
            for code in [c for c in household_info if c in self.state.households]:
                del household_info[code]  # made by this run: known from the file, as in a dry run
            for code, person_id, name in HouseholdMember.objects.filter(
                    household__code__in=codes, relationship=Relationship.HEAD).values_list(
                    "household__code", "person_id", "person__full_name"):
                if code in household_info:
                    household_info[code]["head"] = (person_id, name)
        self.units.load(places)
        if PROBABLE_DUPLICATES:  # the neighbouring places too, read once as they were before this import
            self._load_places(set().union(*(self._places(p)[2] for p in places)))
        scope_people = set()
        if self.scope is not None and people:
            scope_people = {pk for pk, p in people.items() if p.commune_id in self.scope}
        return {"by_cid": by_cid, "by_si": by_si, "by_key": by_key, "memberships": memberships,
                "households": households, "household_info": household_info, "scope_people": scope_people,
                }

    def _places(self, place: int) -> tuple[dup.Places, set[int], set[int]]:
        """The place's ``registry.duplicates`` neighbourhood, and the canonical places of its same place
        and of its neighbourhood (keys of ``year_index`` and ``dob_index``)."""
        found = self.places_cache.get(place)
        if found is None:
            places = dup.places_of(place)
            canonical = self.communes.canonical
            found = self.places_cache[place] = (places, {canonical(c) for c in places.same},
                                                {canonical(c) for c in places.nearby})
        return found

    def _probable(self, d: RowData, lookup: dict) -> None:
        """Alike people (``registry.duplicates`` rules) in the registry and earlier in the file."""
        places, same, nearby = self._places(d.place)
        folded = d.key[0]
        seen = set(d.duplicate_of_persons)
        candidates = [c for p in same for c in self.year_index.get((p, d.date_of_birth.year), ())]
        if not d.year_only:
            candidates += [c for p in nearby - same for c in self.dob_index.get((p, d.date_of_birth), ())]
        candidates = _alike(folded, candidates)
        registry = []
        for pk, other, born, commune_id in candidates:
            if pk in seen:
                continue
            seen.add(pk)
            hit = dup.match(folded, d.date_of_birth, places, other_folded=other, other_dob=born,
                            other_commune_id=commune_id)
            if hit is not None:
                registry.append((pk, *hit))
        d.probable_persons = sorted(registry, key=lambda t: -t[1])[:5]
        exact_rows = set(d.duplicate_of_rows)
        in_file = []
        for row, other, born, commune_id in _alike(folded, self.state.born_rows.get(
                (d.place, d.date_of_birth.year), ())):
            if row in exact_rows:
                continue
            hit = dup.match(folded, d.date_of_birth, places, other_folded=other, other_dob=born,
                            other_commune_id=commune_id)
            if hit is not None:
                in_file.append((row, *hit))
        d.probable_rows = sorted(in_file, key=lambda t: -t[1])[:5]

    def _identity_conflict(self, person: Person, d: RowData, matched_by: str) -> RowError | None:
        """A row of a known person that changes who they are (name beyond diacritics and case, date of
        birth, sex) is not applied: a row error, and a review item of a real run."""
        fields = []
        _, name_conflict = name_reconcile(person.full_name, d.full_name)
        if name_conflict:
            fields.append("full_name")
        if (person.date_of_birth.year != d.date_of_birth.year if d.year_only
                else person.date_of_birth != d.date_of_birth):
            fields.append("date_of_birth")
        if person.sex != d.sex:
            fields.append("sex")
        if not fields:
            return None
        sexes = dict(Sex.choices)

        def side(name, born, sex, year_only=False):
            parts = []
            if "full_name" in fields:
                parts.append(f"họ tên «{name}»")
            if "date_of_birth" in fields:
                parts.append(f"năm sinh {born.year}" if year_only else f"ngày sinh {born:%d/%m/%Y}")
            if "sex" in fields:
                parts.append(f"giới tính {sexes.get(sex, sex)}")
            return ", ".join(parts)

        value = {"citizen_id": f"Số CCCD {d.citizen_id}", "si_number": f"Mã số BHXH {d.si_number}"}.get(
            matched_by, "Người cùng họ tên, ngày sinh và xã")
        message = row_message("identity_conflict", value=value,
                              registry=side(person.full_name, person.date_of_birth, person.sex),
                              other=side(d.full_name, d.date_of_birth, d.sex, d.year_only))
        self.conflicts.append({"person_id": person.pk, "row": d.row, "fields": fields, "message": message,
                               "proposed": {"full_name": d.full_name, "date_of_birth": d.date_of_birth.isoformat(),
                                            "year_only": d.year_only, "sex": str(d.sex)}})
        name_label = self._label("full_name" if self.mapping.has("full_name") else "given_name")
        column = {"full_name": name_label, "date_of_birth": self._label("date_of_birth"),
                  "sex": self._label("sex")}[fields[0]]
        return RowError(d.row, column, "identity_conflict", message)

    def _identify(self, d: RowData, lookup: dict) -> list[RowError]:
        problems: list[RowError] = []
        st = self.state
        name_label = self._label("full_name" if self.mapping.has("full_name") else "given_name")

        def err(column: str, code: str, **details) -> list[RowError]:
            problems.append(RowError(d.row, column, code, row_message(code, **details)))
            return problems

        # the same person earlier in this file
        if d.citizen_id and int(d.citizen_id) in st.cid_rows:
            return err(self._label("citizen_id"), "duplicate_in_file", other=st.cid_rows[int(d.citizen_id)],
                       value=f"số CCCD {d.citizen_id}")
        if d.si_number and int(d.si_number) in st.si_rows:
            return err(self._label("si_number"), "duplicate_in_file", other=st.si_rows[int(d.si_number)],
                       value=f"mã số BHXH {d.si_number}")
        has_ids = bool(d.citizen_id or d.si_number)
        earlier = st.earlier(d.key)
        if earlier and (not has_ids or any(not ids for _, ids in earlier)):
            return err(name_label, "duplicate_in_file", other=earlier[0][0],
                       value="cùng họ tên, ngày sinh và xã")
        # the registry
        by_cid = lookup["by_cid"].get(d.citizen_id) if d.citizen_id else None
        by_si = lookup["by_si"].get(d.si_number) if d.si_number else None
        if by_cid and by_si and by_cid.pk != by_si.pk:
            return err(self._label("si_number"), "id_conflict", value=f"Mã số BHXH {d.si_number}",
                       other=by_si.full_name)
        person = by_cid or by_si
        if person and d.citizen_id and person.citizen_id and person.citizen_id != d.citizen_id:
            return err(self._label("citizen_id"), "id_conflict", value=f"Mã số BHXH {d.si_number}",
                       other=f"{person.full_name}, CCCD {person.citizen_id}")
        if person and d.si_number and person.si_number and person.si_number != d.si_number:
            return err(self._label("si_number"), "id_conflict", value=f"Số CCCD {d.citizen_id}",
                       other=f"{person.full_name}, mã số BHXH {person.si_number}")
        same_key = [p for p in lookup["by_key"].get(d.key, [])
                    if p.pk not in st.person_rows]
        if person is None and not has_ids:
            if len(same_key) > 1:
                return err(name_label, "ambiguous_person", other=len(same_key))
            if same_key:
                person = same_key[0]
        if person is not None and person.pk in st.person_rows:
            return err(name_label, "duplicate_in_file", other=st.person_rows[person.pk],
                       value=f"cùng người {person.full_name}")
        if person is not None and self.scope is not None and person.pk not in lookup["scope_people"]:
            return err(name_label, "out_of_scope")
        if person is not None:
            conflict = self._identity_conflict(
                person, d, "citizen_id" if by_cid else "si_number" if by_si else "key")
            if conflict is not None:
                problems.append(conflict)
                return problems
        d.person = person
        # household
        if d.household_code:
            self._check_household(d, lookup, err)
            if problems:
                return problems
        # membership
        self._check_units(d, lookup, err)
        if problems:
            return problems
        # what the row does
        if person is None:
            d.action = "create"
            d.duplicate_of_persons = [p.pk for p in same_key
                                      if (p.citizen_id or None) != d.citizen_id or (p.si_number or None) != d.si_number]
            d.duplicate_of_rows = [r for r, ids in earlier if ids]
            if PROBABLE_DUPLICATES:
                self._probable(d, lookup)
        else:
            d.changes = self._changes(person, d)
            d.action = "update" if (d.changes or d.new_memberships or d.promote or d.household) else "unchanged"
        return problems

    def _check_household(self, d: RowData, lookup: dict, err) -> None:
        st = self.state
        code = d.household_code
        label = self._label("household_code")
        info = lookup["household_info"].get(code)
        current = lookup["households"].get(d.person.pk) if d.person else None
        if current and current[0] != code:
            err(label, "household_moved", other=current[0])
            return
        if info is not None:
            if info["place"] != d.place:
                err(label, "household_other_commune", value=code, other=self.communes.units.get(
                    info["place"]).name if info["place"] in self.communes.units else "")
                return
            if current:  # already in this household
                if d.is_head and current[1] != Relationship.HEAD:
                    head = info["head"]
                    err(label, "household_has_head", value=code, other=head[1] if head else "")
                return
            if d.is_head:
                head = info["head"]
                if head or code in st.household_heads:
                    err(label, "household_has_head", value=code,
                        other=head[1] if head else f"dòng {st.household_heads[code]}")
                    return
            d.household = code
            return
        if code in st.households:
            if d.is_head:
                err(label, "household_has_head", value=code, other=f"dòng {st.households[code]}")
                return
            d.household = code
            return
        if not d.is_head:
            err(label, "household_unknown", value=code)
            return
        d.household = code
        d.household_new = True

    def _check_units(self, d: RowData, lookup: dict, err) -> None:
        st = self.state
        current = lookup["memberships"].get(d.person.pk, {}) if d.person else {}
        commune_name = self.communes.units[d.commune_id].name
        for kind, text, name, label_text in ((UnitKind.BRANCH, d.branch_text, "branch", "chi hội"),
                                             (UnitKind.SAVINGS_GROUP, d.group_text, "savings_group", "tổ")):
            if not text:
                continue
            unit = self.units.match(kind, d.commune_id, text)
            if unit is None:
                err(self._label(name), "unit_unknown", label=label_text, value=text, other=commune_name)
                return
            unit_id, unit_name = unit
            leader = d.role == ("branch" if kind == UnitKind.BRANCH else "group") or d.role == "any"
            if leader:
                holder = self.units.leaders.get(unit_id)
                if (holder is not None and (d.person is None or holder != d.person.pk)) or unit_id in st.unit_leaders:
                    who = f"dòng {st.unit_leaders[unit_id]}" if unit_id in st.unit_leaders else "người khác"
                    if holder is not None:
                        who = Person.objects.filter(pk=holder).values_list("full_name", flat=True).first() or who
                    err(self._label("role"), "unit_has_leader", label=label_text.capitalize(), value=unit_name,
                        other=who)
                    return
            role = MemberRole.LEADER if leader else MemberRole.MEMBER
            if leader:
                d.leader_units.append(unit_id)
            if unit_id in current:
                membership_id, current_role = current[unit_id]
                if leader and current_role != MemberRole.LEADER:
                    d.promote.append(membership_id)
            else:
                d.new_memberships.append((unit_id, role))

    def _changes(self, person: Person, d: RowData) -> dict:
        changes = {}
        # identity: a conflict never gets here (``_identity_conflict``); diacritics only improve a name
        name, _ = name_reconcile(person.full_name, d.full_name)
        if name != person.full_name:
            changes["full_name"] = name
        if d.citizen_id and not person.citizen_id:
            changes["citizen_id"] = d.citizen_id
        if d.si_number and not person.si_number:
            changes["si_number"] = d.si_number
        if d.phone and person.phone != d.phone:
            changes["phone"] = d.phone
        if d.hamlet and name_key(person.hamlet) != name_key(d.hamlet):
            changes["hamlet"] = d.hamlet
        if self.communes.canonical(person.commune_id) != d.place:
            changes["commune_id"] = d.commune_id
        if d.ethnic_minority is not None and person.ethnic_minority != d.ethnic_minority:
            changes["ethnic_minority"] = d.ethnic_minority
        return changes

    def _register(self, d: RowData) -> None:
        st = self.state
        if d.citizen_id:
            st.cid_rows[int(d.citizen_id)] = d.row
        if d.si_number:
            st.si_rows[int(d.si_number)] = d.row
        st.add_key(d.key, d.row, bool(d.citizen_id or d.si_number))
        if d.person is not None:
            st.person_rows[d.person.pk] = d.row
        elif d.action == "create":
            st.born_rows.setdefault((d.place, d.date_of_birth.year), []).append(
                (d.row, d.key[0], d.date_of_birth, d.commune_id))
        if d.household_new:
            st.households[d.household_code] = d.row
        elif d.household and d.is_head:
            st.household_heads[d.household_code] = d.row
        for unit_id in d.leader_units:
            st.unit_leaders[unit_id] = d.row

    def _reject(self, row: int, values: list, problems: list[RowError]) -> None:
        self.summary.rejected += 1
        self.summary.errors.extend(problems)
        self._batch_rejected.append((row, values, problems))

    # --- writing ----------------------------------------------------------------------------------------

    def _write(self, good: list[RowData]) -> None:
        st = self.state
        user = self.user if self.user is not None and self.user.is_authenticated else None
        creates = [d for d in good if d.action == "create"]
        new_people = [Person(full_name=d.full_name, date_of_birth=d.date_of_birth, sex=d.sex,
                             citizen_id=d.citizen_id, si_number=d.si_number, phone=d.phone, hamlet=d.hamlet,
                             commune_id=d.commune_id, ethnic_minority=bool(d.ethnic_minority))
                      for d in creates]
        if new_people:
            created = Person.objects.bulk_create(new_people, batch_size=500)
            insert_history(created, user_id=user.pk if user else None, reason=self.change_reason)
            for d, person in zip(creates, created, strict=True):
                d.person = person
                st.set_person(d.row, person.pk)
        updates = [d for d in good if d.action == "update" and d.changes]
        if updates:
            changed_fields = sorted({f for d in updates for f in d.changes})
            if "full_name" in changed_fields:
                changed_fields.append("name_folded")  # bulk_update does not run the field's pre_save
            people = []
            for d in updates:
                for name, value in d.changes.items():
                    setattr(d.person, name, value)
                d.person.name_folded = fold(d.person.full_name)
                people.append(d.person)
            bulk_update_with_history(people, Person, changed_fields, batch_size=500, default_user=user,
                                     default_change_reason=self.change_reason)
        for d in good:
            if d.person is not None:
                st.set_person(d.row, d.person.pk)
        # households: new ones first (their head is on this row), then members
        new_households = [d for d in good if d.household_new]
        if new_households:
            objs = [Household(code=d.household_code, commune_id=d.commune_id, hamlet=d.hamlet) for d in new_households]
            bulk_create_with_history(objs, Household, batch_size=500, default_user=user,
                                     default_change_reason=self.change_reason)
        joins = [d for d in good if d.household]
        if joins:
            ids = dict(Household.objects.filter(code__in={d.household_code for d in joins}).values_list("code", "pk"))
            fast_insert(HouseholdMember, [
                HouseholdMember(household_id=ids[d.household_code], person_id=d.person.pk,
                                relationship=d.relationship or Relationship.OTHER) for d in joins])
        # memberships are written as members; a leader is made by the leadership-change service, so the
        # unit's Leadership periods stay right (the previous period closed, a new one opened from today)
        memberships = [Membership(person_id=d.person.pk, unit_id=unit_id, role=MemberRole.MEMBER)
                       for d in good for unit_id, _role in d.new_memberships]
        if memberships:
            fast_insert(Membership, memberships)
        leaders = [(unit_id, d.person) for d in good for unit_id in d.leader_units]
        if leaders:
            from django.utils import timezone

            from ansinh.registry.models import AssociationUnit
            from ansinh.registry.services import leader_period_open

            units = AssociationUnit.objects.in_bulk([unit_id for unit_id, _ in leaders])
            leading = set(Membership.objects.filter(unit_id__in=units, role=MemberRole.LEADER)
                          .values_list("unit_id", "person_id"))
            for unit_id, person in leaders:
                if (unit_id, person.pk) not in leading:
                    leader_period_open(user=user, unit=units[unit_id], person=person,
                                       starts_on=timezone.localdate())
        # probable duplicates
        from .models import DuplicateCandidate

        candidates = []
        for d in creates:
            for other in d.duplicate_of_persons:
                candidates.append((other, d.person.pk, d.row, "Trùng họ tên, ngày sinh và xã với người đã có", 100))
            for other_row in d.duplicate_of_rows:
                other = st.person_of(other_row)
                if other is not None:
                    candidates.append((other, d.person.pk, d.row,
                                       f"Trùng họ tên, ngày sinh và xã với dòng {other_row}", 100))
            for other, score, reasons in d.probable_persons:
                candidates.append((other, d.person.pk, d.row, "; ".join(reasons), score))
            for other_row, score, reasons in d.probable_rows:
                other = st.person_of(other_row)
                if other is not None:
                    candidates.append((other, d.person.pk, d.row, "; ".join([*reasons, f"dòng {other_row}"]),
                                       score))
        if candidates:
            DuplicateCandidate.objects.bulk_create([
                DuplicateCandidate(person_a_id=min(a, b), person_b_id=max(a, b), batch=self.batch, row=row,
                                   reason=reason[:400], score=score) for a, b, row, reason, score in candidates],
                ignore_conflicts=True)

    def _write_conflicts(self) -> None:
        """One open review item per identity conflict (not again for the same person and version)."""
        from .models import CandidateKind, DuplicateCandidate, DuplicateStatus

        if not self.conflicts:
            return
        open_items = {(c.person_a_id, repr(sorted(c.proposed.items()))) for c in DuplicateCandidate.objects.filter(
            kind=CandidateKind.IDENTITY_CONFLICT, status=DuplicateStatus.OPEN,
            person_a_id__in={c["person_id"] for c in self.conflicts})}
        new = []
        for c in self.conflicts:
            key = (c["person_id"], repr(sorted(c["proposed"].items())))
            if key in open_items:
                continue
            open_items.add(key)
            new.append(DuplicateCandidate(kind=CandidateKind.IDENTITY_CONFLICT, person_a_id=c["person_id"],
                                          batch=self.batch, row=c["row"], reason=c["message"][:400],
                                          proposed=c["proposed"]))
        DuplicateCandidate.objects.bulk_create(new)


def _alike(folded: str, candidates) -> list:
    """The candidates (tuples whose second item is a folded name) whose names may pass
    ``registry.duplicates.name_similarity``: one C loop of ``rapidfuzz`` per measure, so the few left are
    compared in full."""
    if len(candidates) < 8:
        return list(candidates)
    from rapidfuzz import fuzz, process

    names = [c[1] for c in candidates]
    keep = {i for _, _, i in process.extract(folded, names, scorer=fuzz.ratio, score_cutoff=dup.NAME_THRESHOLD,
                                             limit=None)}
    keep |= {i for _, _, i in process.extract(folded, names, scorer=fuzz.token_sort_ratio,
                                              score_cutoff=dup.NAME_THRESHOLD, limit=None)}
    return [candidates[i] for i in sorted(keep)]


def _adapter(field, connection):
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _executemany(model, columns: list[str], rows: list[list]) -> None:
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            cursor.executemany(sql, rows[start:start + 1000])


def fast_insert(model, objects: list) -> None:
    """INSERT model instances (whose ids are not needed back) with one prepared statement: the rows
    ``bulk_create`` would write, without compiling one placeholder per value."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapters = [(f.attname, _adapter(f, connection)) for f in fields]
    rows = [[adapt(getattr(o, name)) if adapt else getattr(o, name) for name, adapt in adapters] for o in objects]
    _executemany(model, [f.column for f in fields], rows)


def insert_history(people: list[Person], *, user_id: int | None, reason: str) -> None:
    """The "created" history records of new people, as simple-history would write them."""
    history = Person.history.model
    connection = connections[router.db_for_write(history)]
    when = timezone.now()
    fixed = {"history_date": when, "history_change_reason": reason, "history_type": "+", "history_user_id": user_id}
    fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    adapters = [(f.attname, _adapter(f, connection)) for f in fields]
    rows = []
    for person in people:
        row = []
        for name, adapt in adapters:
            value = fixed[name] if name in fixed else getattr(person, name)
            row.append(adapt(value) if adapt else value)
        rows.append(row)
    _executemany(history, [f.column for f in fields], rows)


class BatchWriteFailed(errors.ImportFileError):
    code = "write_failed"
    message = "Ghi dữ liệu thất bại giữa chừng."


class RejectedRowsFile:
    """The rejected rows as an .xlsx, written as the import goes (memory stays flat): the original
    header and cells, the row number in the original file and the reasons, ready to fix and import
    again (the "Dòng gốc" and "Lỗi" columns are ignored when it is imported)."""

    def __init__(self, header_values: list, id_columns: set[int]):
        self.header_values = header_values
        self.id_columns = id_columns
        self.wb = None
        self.ws = None
        self.count = 0

    def _open(self, width: int) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from ansinh.core.xlsx import text_cell

        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet("Dòng bị từ chối")
        self.width = max(width, len(self.header_values))
        bold = Font(bold=True)
        header = []
        for i in range(self.width):
            text = clean_text(self.header_values[i]) if i < len(self.header_values) else ""
            header.append(text)
        header += ["Dòng gốc", "Lỗi"]
        cells = []
        for text in header:
            cell = text_cell(self.ws, text)
            cell.font = bold
            cells.append(cell)
        self.ws.append(cells)

    def add(self, row: int, values: list, problems: list[RowError]) -> None:
        from openpyxl.cell import WriteOnlyCell

        from ansinh.core.xlsx import safe_value, text_cell

        if self.ws is None:
            self._open(len(values))
        self.count += 1
        out = []
        for i in range(self.width):
            v = values[i] if i < len(values) else None
            if isinstance(v, str):
                v = clean_text(v)
            elif i in self.id_columns and isinstance(v, (int, float)) and not isinstance(v, bool):
                v = str(int(v))
            if isinstance(v, (datetime.date, datetime.datetime)):
                cell = WriteOnlyCell(self.ws, value=v)
                cell.number_format = "DD/MM/YYYY"
                out.append(cell)
            else:
                out.append(safe_value(self.ws, v))  # a cell "=HYPERLINK(…)" comes back as text, not a formula
        out.append(row)
        out.append(text_cell(self.ws, "; ".join(f"{p.column}: {p.message}" if p.column else p.message
                                                for p in problems)))
        self.ws.append(out)

    def finish(self) -> bytes | None:
        if self.wb is None:
            return None
        fd, tmp = tempfile.mkstemp(suffix=".xlsx")
        os.close(fd)
        try:
            self.wb.save(tmp)
            with open(tmp, "rb") as f:
                return f.read()
        finally:
            os.unlink(tmp)
            self.wb = None


def write_rejected_file(importer: MemberImport) -> bytes | None:
    """The rejected rows file of a finished run (None when no row was rejected)."""
    if importer.rejected_file is None:
        return None
    if importer._rejected_bytes is None:
        importer._rejected_bytes = importer.rejected_file.finish()
    return importer._rejected_bytes
