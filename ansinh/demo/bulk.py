"""Fast inserts for the demo's large tables (about 350,000 rows in a full run).

``bulk_create`` spends most of its time preparing each value and assembling one SQL statement per
batch; for the demo that alone takes longer than the whole time budget on a small machine. Here the
statement comes from the model's metadata, rows get explicit ids (so no RETURNING is needed and the
caller knows every id up front) and values are adapted as the ORM would (dates, datetimes, JSON),
then streamed with ``COPY`` on PostgreSQL or sent in multi-row ``INSERT … VALUES (…), (…)``
statements elsewhere (SQLite). On PostgreSQL the id sequence is moved past the new rows afterwards.

Like ``bulk_create`` this sends no signals and calls no ``save()``; unlike it, defaults are not
filled in: give every column that has no database default.
"""

from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import FieldDoesNotExist
from django.core.management.color import no_style
from django.db import connection, models

ROWS_PER_STATEMENT = 500  # multi-row VALUES; fewer if the backend allows fewer parameters


def _adapter(field: models.Field) -> Callable | None:
    ops = connection.ops
    if isinstance(field, models.JSONField):
        # Many rows share one (memoised) quote dict: encode each object once per insert.
        encoded: dict[int, tuple[object, object]] = {}

        def adapt_json(value):
            hit = encoded.get(id(value))
            if hit is None or hit[0] is not value:
                hit = encoded[id(value)] = (value, field.get_db_prep_value(value, connection))
            return hit[1]

        return adapt_json
    if isinstance(field, models.DateTimeField):
        return _memoised(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _memoised(ops.adapt_datefield_value)
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return None


def _memoised(adapt: Callable) -> Callable:
    """``adapt`` remembering each value's result for one insert: the demo's dates and times repeat a lot
    (a few hundred payment days and record times for hundreds of thousands of rows)."""
    seen: dict = {}

    def adapt_once(value):
        hit = seen.get(value)
        if hit is None:
            hit = seen[value] = adapt(value)
        return hit

    return adapt_once


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of ``model``'s table (max + 1)."""
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def bulk_insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> range:
    """Insert ``rows`` (tuples of values in the order of ``fields``, model field names; a foreign key
    is given by its ``<name>_id`` attribute or name, as an id) with consecutive new ids.

    Returns the range of the new ids, in row order. Database errors (a unique or foreign-key
    violation) propagate as the ORM's IntegrityError.
    """
    opts = model._meta
    columns = [opts.pk.column]
    adapters = []
    for name in fields:
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:
            field = opts.get_field(name.removesuffix("_id"))
        columns.append(field.column)
        adapters.append(_adapter(field))
    first = next_id(model)
    plain = all(a is None for a in adapters)

    def prepared():
        for n, row in enumerate(rows):
            if len(row) != len(adapters):
                raise ValueError(f"{opts.label}: a row has {len(row)} values for {len(adapters)} fields")
            if plain:
                yield (first + n, *row)
            else:
                yield (first + n, *[v if a is None or v is None else a(v) for a, v in zip(adapters, row, strict=True)])

    quote = connection.ops.quote_name
    table = f"{quote(opts.db_table)} ({', '.join(quote(c) for c in columns)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            count = _copy(cursor, table, prepared())
        else:
            count = _values(cursor, table, len(columns), prepared())
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
    return range(first, first + count)


def _copy(cursor, table: str, rows: Iterable[tuple]) -> int:
    """PostgreSQL: stream the rows with COPY (psycopg 3). Returns the number of rows."""
    count = 0
    with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _values(cursor, table: str, width: int, rows: Iterable[tuple]) -> int:
    """Other backends (SQLite): multi-row INSERT … VALUES statements. Returns the number of rows."""
    one = f"({', '.join(['%s'] * width)})"
    max_params = cursor.db.features.max_query_params or 65_535
    per_statement = max(1, min(ROWS_PER_STATEMENT, max_params // width))
    full = f"INSERT INTO {table} VALUES {', '.join([one] * per_statement)}"
    count = 0
    params: list = []
    for row in rows:
        params.extend(row)
        count += 1
        if count % per_statement == 0:
            cursor.execute(full, params)
            params = []
    if params:
        cursor.execute(f"INSERT INTO {table} VALUES {', '.join([one] * (len(params) // width))}", params)
    return count
