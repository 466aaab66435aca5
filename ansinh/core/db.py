"""Database housekeeping shared by the bulk writers (demo province, member import), and the few helpers of
the hand-written queries on the payment path (each runs on every payment or every signed-in request).
The queries are built once per process, for its one database (``default``)."""

import datetime
import functools

from django.db import connection
from django.utils import timezone


def statistics_refresh(models) -> None:
    """Refresh the query planner's statistics of the tables of ``models`` (``ANALYZE``), after a bulk
    write has changed their size many times over. Without it PostgreSQL may plan for the empty tables it
    last measured until autovacuum catches up (a household's members read by a sequential scan of every
    person: 17 ms instead of 0.1 ms). Runs outside or inside a transaction; SQLite and PostgreSQL."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


SQL_MAX_ID = 2**63 - 1
"""The largest id a database integer column holds: a larger number (from a URL) cannot name a row, and
SQLite refuses to bind it (OverflowError) where the ORM answered "does not exist"."""


def sql_id(value) -> int | None:
    """``value`` as a row id for a hand-written query, or None when it cannot name a row (not an integer,
    below 1 or above SQL_MAX_ID): the caller answers "not found" without asking the database."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= SQL_MAX_ID else None


def sql_columns(model, alias: str, fields=None) -> tuple[list[str], str]:
    """The concrete fields of ``model`` (all, or those named in ``fields``) as ``(attnames, select list)``
    for a hand-written query: ``alias."column", …`` quoted for the current database. Select lists and
    table names (``sql_table``) follow the models; the few join and filter columns written out in the
    queries are Django's default names (``<field>_id``), and the tests run every query on SQLite and
    PostgreSQL."""
    quote = connection.ops.quote_name
    chosen = [f for f in model._meta.concrete_fields if fields is None or f.name in fields or f.attname in fields]
    return [f.attname for f in chosen], ", ".join(f"{alias}.{quote(f.column)}" for f in chosen)


def sql_table(model) -> str:
    """The quoted table name of ``model``."""
    return connection.ops.quote_name(model._meta.db_table)


def sql_lock_suffix(*aliases: str) -> str:
    """`` FOR UPDATE OF a, b`` on databases that lock rows (PostgreSQL); empty on SQLite, whose
    transactions here take the whole database (``transaction_mode`` IMMEDIATE), like the ORM's
    ``select_for_update`` which SQLite ignores."""
    if not connection.features.has_select_for_update:
        return ""
    if connection.features.has_select_for_update_of and aliases:
        return " FOR UPDATE OF " + ", ".join(aliases)
    return " FOR UPDATE"


@functools.cache
def _converters(model, attnames: tuple[str, ...]) -> list[tuple]:
    """``(position, column, converters)`` of the fields in ``attnames`` that have converters on this database."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    result = []
    for position, name in enumerate(attnames):
        column = fields[name].get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            result.append((position, column, converters))
    return result


def sql_instance(model, attnames: list[str], values):
    """A ``model`` instance from the ``values`` a hand-written query read for the fields ``attnames``
    (``sql_columns``): each value passed through the database's and the field's converters as the ORM does
    (JSON decoded, SQLite times made time-zone aware); fields not read load when accessed."""
    names = tuple(attnames)
    converting = _converters(model, names)
    if converting:
        values = list(values)
        for position, column, converters in converting:
            for converter in converters:
                values[position] = converter(values[position], column, connection)
    return model.from_db(connection.alias, names, values)


def sql_cache_related(instance, name: str, value) -> None:
    """Record ``value`` (an instance or None) as ``instance``'s related object ``name`` (a foreign key or a
    one-to-one, either side) without a query, as ``select_related`` does: reading it then costs nothing,
    and a None reads as missing (``RelatedObjectDoesNotExist`` for a reverse one-to-one)."""
    field = instance._meta.get_field(name)
    field.set_cached_value(instance, value)  # the related-object cache of either side
    if value is not None and field.one_to_one and field.auto_created:  # reverse one-to-one: the forward side too
        field.field.set_cached_value(value, instance)


def sql_date(value):
    """A date read by a hand-written query: SQLite gives computed dates (a subquery's) as ISO text."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


class SqlInsert:
    """One hand-written ``INSERT … RETURNING id`` of a new model ``instance``, prepared when made: each value
    converted by its model field (dates, JSON, time zones) as ``Model.objects.create`` would, and
    ``auto_now``/``auto_now_add`` fields set to now on the instance. ``set`` changes one value afterwards
    (e.g. a number known only at the last moment), ``run`` writes the row and returns the instance (pk
    set, no longer "adding"). Raises django.db.IntegrityError like ``create``. Unlike ``save()`` no
    signals are sent (none are connected to the models written this way) and no history is kept."""

    def __init__(self, instance):
        self.instance = instance
        model = type(instance)
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.params = []
        for field in self.fields:
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                setattr(instance, field.attname, timezone.now())
            self.params.append(field.get_db_prep_save(getattr(instance, field.attname), connection))
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.sql = (f"INSERT INTO {sql_table(model)} ({columns}) VALUES ({', '.join(['%s'] * len(self.fields))}) "
                    f"RETURNING {connection.ops.quote_name(model._meta.pk.column)}")

    def set(self, name: str, value) -> None:
        """Set field ``name`` to ``value`` on the instance and in the row to write."""
        index = next(i for i, f in enumerate(self.fields) if name in (f.name, f.attname))
        setattr(self.instance, self.fields[index].attname, value)
        self.params[index] = self.fields[index].get_db_prep_save(value, connection)

    def run(self):
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            self.instance.pk = cursor.fetchone()[0]
        self.instance._state.adding = False
        self.instance._state.db = connection.alias
        return self.instance


def sql_insert(instance):
    """Save a new model ``instance`` with one hand-written ``INSERT`` and return it: ``SqlInsert(instance).run()``
    (``Model.objects.create`` without signals or history)."""
    return SqlInsert(instance).run()


def sql_update(model, ids: list[int], values: dict) -> None:
    """``UPDATE`` the rows of ``model`` whose id is in ``ids``, setting ``values`` (field name → Python value,
    prepared by the model field), like ``Model.objects.filter(pk__in=ids).update(**values)``; no ids: nothing."""
    if not ids:
        return
    sets, params = [], []
    for name, value in values.items():
        field = model._meta.get_field(name)
        sets.append(f"{connection.ops.quote_name(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    sql = (f"UPDATE {sql_table(model)} SET {', '.join(sets)} "
           f"WHERE {connection.ops.quote_name(model._meta.pk.column)} IN ({', '.join(['%s'] * len(ids))})")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids])


def database_unmigrated() -> bool:
    """True when the database lacks some of the project's migrations (an empty database: no tables yet)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
