"""The member-list import: read, check every row, find duplicates, then write the good rows.

Two passes over the file, both streaming:
1. a scan for file-level problems (header, formula errors, oversized cells, runs of blank rows, no
   data): any of them stops the import before anything is written;
2. rows in batches of ``BATCH_SIZE``: each row is checked field by field, then against the rows
   before it in the file and the registry; the good rows of a batch are written in one transaction.
A check of an uploaded batch keeps its parsed rows (``parsed``); the import that follows runs pass 2 over
them without reading the file or parsing a cell again.

The run is split along its concepts: ``rows`` (a row's data, errors, counts, what the file established),
``parsing`` (a row's cells), ``identity`` (the row against the file and the registry), ``writing`` (a
group's writes), ``rejected`` (the rejected rows file); this module reads the file and drives the groups.

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
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from . import errors, parsed
from .columns import Mapping, detect_header, is_numbering_row
from .identity import PERSON_FIELDS, RowIdentity, _alike  # noqa: F401 (the import's names, kept importable)
from .parsing import RowParsing
from .places import CommuneIndex, UnitIndex
from .readers import PendingFormula, column_letter, open_book
from .rejected import RejectedRowsFile, write_rejected_file  # noqa: F401
from .rows import FileState, RowData, RowError, Summary, _is_blank, file_sha256, row_message  # noqa: F401
from .writing import BatchWriting, fast_insert, insert_history  # noqa: F401

BATCH_SIZE = 1000
HEADER_SEARCH_ROWS = 30
MAX_BLANK_RUN = 10_000
PROBABLE_DUPLICATES = True  # look for alike people (registry.duplicates) for each new person; off only to benchmark
CACHE_ROWS = 60_000  # a file up to this many rows is read once and kept in memory; a longer one is read twice


class BatchWriteFailed(errors.ImportFileError):
    code = "write_failed"
    message = "Ghi dữ liệu thất bại giữa chừng."



class MemberImport(RowParsing, RowIdentity, BatchWriting):
    """One run of the import over one file. Use ``run()``; see the module docstring for the rules."""

    def __init__(self, *, path, file_name: str, user=None, dry_run: bool = False, mapping: dict | None = None,
                 default_commune_id: int | None = None, scope: set[int] | None = None,
                 progress: Callable[[int, int], None] | None = None, batch=None, today=None,
                 change_reason: str = "", checkpoint: Callable[[int, dict], None] | None = None,
                 resume_rows: int = 0, resume_counts: dict | None = None,
                 parsed_out: Callable[[int, bytes], None] | None = None, parsed_in: tuple | None = None):
        self.path = path
        # Parse once (``parsed``): a check hands each group of parsed rows to ``parsed_out(index, blob)``
        # (index -1: the header); an import given ``parsed_in`` = (header blob, iterable of group blobs)
        # takes its rows from there instead of reading the file.
        self.parsed_out = parsed_out
        self.parsed_in = parsed_in
        self._group_index = 0
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
        self.state = FileState()
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
        self.places_cache: dict[int, tuple] = {}  # place -> (duplicates.Places, same places, nearby places)
        self.conflicts: list[dict] = []  # identity conflicts of the current batch (review items of a real run)
        self.key_index_loaded: set = set()
        self.commune_cache: dict[tuple, tuple] = {}  # (commune cell, district cell) -> (id, FieldProblem)
        self.probable_duplicates = PROBABLE_DUPLICATES

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
        if self.parsed_in is not None:
            return self._run_parsed()
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
            if self.parsed_out is not None:
                self.parsed_out(-1, parsed.header_encode(mapping=mapping, header_values=self.header_values,
                                                          rows_total=self.rows_total))
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

    def _run_parsed(self) -> Summary:
        """The run over the groups of rows a check parsed (``parsed_in``): no file read, no cell parsed."""
        header, groups = self.parsed_in
        self.mapping, self.header_values, self.rows_total = parsed.header_decode(header)
        self.data_columns = sorted(self.mapping.fields)
        self.field_index = self.mapping.index_of()
        self.communes = CommuneIndex()
        self.units = UnitIndex(self.communes)
        self._progress(0)
        for blob in groups:
            self._batch_items(parsed.group_decode(blob))
        return self.summary

    def _blank(self, values: list) -> bool:
        """A row is blank when every column read into a field is empty (a row number alone in "STT" or
        a note in an unknown column does not make a member)."""
        return _is_blank([values[i] for i in self.data_columns if i < len(values)])

    def _progress(self, done: int) -> None:
        if self.progress:
            self.progress(done, self.rows_total)

    def _batch(self, pending: list[tuple[int, list]]) -> None:
        items = [(row_number, values, *self._parse(row_number, values)) for row_number, values in pending]
        if self.parsed_out is not None:
            self.parsed_out(self._group_index, parsed.group_encode(items))
            self._group_index += 1
        self._batch_items(items)

    def _batch_items(self, items: list[tuple[int, list, RowData, list[RowError]]]) -> None:
        """One group of parsed rows ``(row, cells, data, cell problems)``: identity, then written in one
        transaction with the high-water mark."""
        replay = self.summary.rows + len(items) <= self.resume_rows
        self.summary.rows += len(items)
        rows: list[RowData] = []
        self.conflicts = []
        for row_number, values, data, problems in items:
            if problems:
                self._reject(row_number, values, problems)
            else:
                rows.append(data)
        lookup = self._prefetch(rows)
        good: list[RowData] = []
        for data in rows:
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
                    f"Ghi dữ liệu thất bại ở nhóm dòng {items[0][0]}–{items[-1][0]}: các dòng trước đó đã được "
                    "ghi đầy đủ, nhóm này và các dòng sau chưa được ghi. Hãy nhập lại tệp (các dòng đã ghi sẽ "
                    "không bị thêm lần nữa).", first_row=items[0][0]) from exc
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
