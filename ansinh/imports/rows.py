"""What one run of the member-list import works with: a row's parsed data and its errors, the run's
counts, what the accepted rows so far establish (``FileState``)."""

import datetime
import hashlib
from array import array
from dataclasses import dataclass, field

from ansinh.registry.models import Person

from . import errors


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
class FileState:
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

