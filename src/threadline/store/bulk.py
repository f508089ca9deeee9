"""Asking which ids exist and inserting many rows, by each driver's fastest path.

Imports write in one transaction on the connection they are given; these functions use that
connection's driver directly (psycopg, sqlite3), because building a SQLAlchemy statement with
thousands of bound values costs more than the database's own work. Values are passed as the
driver takes them: `db_value` converts what SQLite cannot store as is (dates and times).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Column, Connection, Table

BATCH = 5000  # rows per insert and ids per lookup; under SQLite's limit of bound variables


def chunks(values: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _driver(connection: Connection) -> Any:
    return connection.connection.dbapi_connection


def _quoted(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def existing(connection: Connection, column: Column[Any], values: Iterable[str]) -> set[str]:
    """Which of `values` the (indexed) column already holds: one query per BATCH values."""
    wanted = list(set(values))
    if not wanted:
        return set()
    table, name = _quoted(connection, column.table.name), _quoted(connection, column.name)
    cursor = _driver(connection).cursor()
    found: set[str] = set()
    try:
        for chunk in chunks(wanted):
            if connection.dialect.name == "postgresql":
                # One array parameter, however many ids: the plan is an index scan either way.
                cursor.execute(f"SELECT {name} FROM {table} WHERE {name} = ANY(%s)", (chunk,))
            else:
                marks = ", ".join("?" * len(chunk))
                cursor.execute(f"SELECT {name} FROM {table} WHERE {name} IN ({marks})", chunk)
            found.update(row[0] for row in cursor.fetchall())
    finally:
        cursor.close()
    return found


def db_value(connection: Connection, column: Column[Any], value: Any) -> Any:
    """`value` as SQLAlchemy would bind it for this column (SQLite stores dates as text)."""
    if connection.dialect.name == "postgresql":
        return value
    # The dialect's own type (sqlite.DATETIME) converts; the generic one leaves it to sqlite3.
    to_db = column.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return value if to_db is None else to_db(value)


def insert_tuples(connection: Connection, table: Table, rows: Sequence[Sequence[Any]]) -> None:
    """Rows as tuples in the table's column order, values already as the driver takes them:
    COPY on PostgreSQL, one prepared INSERT run over all rows on SQLite."""
    if not rows:
        return
    names = ", ".join(_quoted(connection, c.name) for c in table.columns)
    target = _quoted(connection, table.name)
    if connection.dialect.name == "postgresql":
        with (
            _driver(connection).cursor() as cursor,
            cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(table.columns))
    cursor = _driver(connection).cursor()
    try:
        cursor.executemany(f"INSERT INTO {target} ({names}) VALUES ({marks})", rows)
    finally:
        cursor.close()
