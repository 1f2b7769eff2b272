"""Inserting many rows of one model at once, as plain tuples.

Django's bulk_create builds a model instance per row and prepares every field of every row
through the query compiler; for the tens of thousands of rows a results refresh writes, that
preparation costs far more than the database's work. rows_insert() sends the same INSERT
statements (multi-row VALUES, as bulk_create does) with values prepared by each field's own
get_db_prep_save, only for the fields whose preparation is not the value itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from django.db import connections, models, router

# Fields whose Python value is what the database driver takes (no preparation needed).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _parameter_limit(connection) -> int:
    """How many parameters one statement may carry: SQLite's own limit where it tells it
    (32,766 since 3.32; Django assumes the old 999), PostgreSQL's 65,535."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535


def rows_per_statement(connection, columns: int) -> int:
    """How many rows of `columns` values rows_insert() sends in one INSERT (at most 1,000)."""
    return max(1, min(1000, _parameter_limit(connection) // columns))


def rows_insert(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (each a tuple of Python values in the order of the field `names`; a
    ForeignKey by its primary key) into `model`'s table, in as few statements as the database
    allows. No model instance is made: no save(), signals or primary keys returned, and fields
    not named take their database default (so name every non-null one). Call it inside a
    transaction. Returns the number of rows inserted. Raises FieldDoesNotExist for an unknown
    name and the database's IntegrityError for a row that breaks a constraint."""
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    prepared = [i for i, field in enumerate(fields) if not isinstance(field, _PLAIN)]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    per_statement = rows_per_statement(connection, len(fields))
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    count = 0
    batch: list = []

    def flush(cursor) -> None:
        values = ", ".join([placeholder] * (len(batch) // len(fields)))
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", batch)

    with connection.cursor() as cursor:
        for row in rows:
            row = list(row)
            for i in prepared:
                row[i] = fields[i].get_db_prep_save(row[i], connection)
            batch.extend(row)
            count += 1
            if count % per_statement == 0:
                flush(cursor)
                batch = []
        if batch:
            flush(cursor)
    return count
