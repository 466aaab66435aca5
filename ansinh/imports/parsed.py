"""The rows of a check kept for the import that follows it (``models.ImportParsedGroup``): parse once.

A check reads the file, checks each row's cells and hands each group of rows to ``group_encode``; the
import then takes the groups back (``group_decode``) instead of reading and parsing the file again, and
runs only the identity checks (which depend on the registry at import time) and the writes. A group is
compact JSON compressed with zlib: per row its number, its cells as read (for the rejected rows file) and
either its parsed fields or its cell problems. Nothing here is code: JSON only.

``parse_key`` fingerprints everything parsing depends on besides the cells: the file, the column mapping,
the default commune, the day (dates after today are refused), the user's scope (communes outside it are
refused) and the map (communes are matched by name). A stored check whose key differs is not used.
"""

import datetime
import hashlib
import json
import zlib

from .columns import Mapping
from .rows import RowData, RowError

FORMAT = 1

# RowData fields written for a parsed row, in order (dates as ISO text)
_FIELDS = ("full_name", "date_of_birth", "year_only", "sex", "citizen_id", "si_number", "phone", "hamlet",
           "commune_id", "place", "ethnic_minority", "branch_text", "group_text", "role", "household_code",
           "relationship", "is_head")


def parse_key(*, sha256: str, mapping: dict, default_commune_id: int | None, today: datetime.date,
              scope: set[int] | None, chunk: int) -> str:
    """The fingerprint of what a row's parse depends on besides its cells."""
    from ansinh.areas.models import AdministrativeUnit, Level, UnitMapping

    communes = AdministrativeUnit.objects.filter(level=Level.COMMUNE)
    areas = (communes.count(), sorted(communes.order_by("-pk").values_list("pk", flat=True)[:1]),
             UnitMapping.objects.count())
    text = json.dumps([FORMAT, sha256, sorted(mapping.items()), default_commune_id, today.isoformat(),
                       sorted(scope) if scope is not None else None, chunk, areas])
    return hashlib.sha256(text.encode()).hexdigest()


def _cell_out(value):
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    return value


def _cell_in(value):
    if type(value) is dict:
        if "t" in value:
            return datetime.datetime.fromisoformat(value["t"])
        return datetime.date.fromisoformat(value["d"])
    return value


def group_encode(items: list[tuple[int, list, RowData | None, list[RowError]]]) -> bytes:
    """A group of ``(row, cells, parsed data or None, problems)`` as stored."""
    out = []
    for row, values, data, problems in items:
        cells = [_cell_out(v) for v in values]
        if problems:
            out.append([row, cells, None, [[p.column, p.code, p.message] for p in problems]])
        else:
            fields = [getattr(data, name) for name in _FIELDS]
            fields[1] = fields[1].isoformat()
            out.append([row, cells, fields, None])
    return zlib.compress(json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def group_decode(blob: bytes) -> list[tuple[int, list, RowData | None, list[RowError]]]:
    """The group as ``group_encode`` was given it (each parsed row a fresh ``RowData`` with its key)."""
    from ansinh.core.text import fold

    items = []
    folded: dict[str, str] = {}
    for row, cells, fields, problems in json.loads(zlib.decompress(bytes(blob))):
        values = [_cell_in(v) for v in cells]
        if fields is None:
            items.append((row, values, None, [RowError(row, column, code, message)
                                              for column, code, message in problems]))
            continue
        data = RowData(row=row, values=values, **dict(zip(_FIELDS, fields, strict=True)))
        data.date_of_birth = datetime.date.fromisoformat(data.date_of_birth)
        name = data.full_name
        key = folded.get(name)
        if key is None:
            key = folded[name] = fold(name)
        data.key = (key, data.date_of_birth, data.place)
        items.append((row, values, data, []))
    return items


def header_encode(*, mapping: Mapping, header_values: list, rows_total: int) -> bytes:
    return zlib.compress(json.dumps({
        "header_row": mapping.header_row, "fields": list(mapping.fields.items()),
        "labels": list(mapping.labels.items()), "unknown": list(mapping.unknown.items()),
        "sub_header_row": mapping.sub_header_row, "header_values": [_cell_out(v) for v in header_values],
        "rows_total": rows_total}, ensure_ascii=False).encode())


def header_decode(blob: bytes) -> tuple[Mapping, list, int]:
    """(mapping, header values, data rows) of the stored check."""
    h = json.loads(zlib.decompress(bytes(blob)))
    mapping = Mapping(header_row=h["header_row"], fields=dict(h["fields"]), labels=dict(h["labels"]),
                      unknown=dict(h["unknown"]), sub_header_row=h["sub_header_row"])
    return mapping, [_cell_in(v) for v in h["header_values"]], h["rows_total"]
