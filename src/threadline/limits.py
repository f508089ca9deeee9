"""Limits on what one input may make threadline do, so hostile or broken files fail fast with one
line instead of taking all memory or time.

Each limit is a setting (`THREADLINE_MAX_<NAME>`, e.g. `THREADLINE_MAX_ROWS=5000000`), read by
`Limits.from_env` at the edges (the CLI and the server); readers ask `current()`. The process-wide
value is set once by the edge that starts the work (`use`), never read from the environment here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace

from threadline.errors import LimitExceeded

_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    file_bytes: int = 200 * _MIB  # one input file
    rows: int = 2_000_000  # data rows of a table read whole (CSV, TSV, XLSX)
    columns: int = 1000  # header columns
    cell_chars: int = 100_000  # one cell, or one FtM property value
    line_bytes: int = 16 * _MIB  # one FtM JSON line
    json_depth: int = 32  # nesting of objects and arrays in one JSON value
    number_digits: int = 64  # digits of one JSON number
    values_per_property: int = 100_000  # values of one FtM property on one entity
    xlsx_rows: int = 1_048_576  # Excel's own maximum
    xlsx_uncompressed_bytes: int = 512 * _MIB  # all parts of a workbook, unpacked
    xlsx_compression_ratio: int = 100  # unpacked / packed size of one part over 1 MiB
    match_queries: int = 100  # queries in one POST /match request, as yente's batch limit
    match_names: int = 50  # names (and aliases) in one /match query
    match_values: int = 200  # values of all properties of one /match query
    match_body_bytes: int = 2 * _MIB  # one POST /match request body

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """Defaults, with any `THREADLINE_MAX_<NAME>` set to a positive integer instead."""
        from threadline.settings import Environment

        read = Environment() if env is None else Environment(env)
        defaults = cls()
        changes = {
            item.name: read.integer(
                f"THREADLINE_MAX_{item.name.upper()}", getattr(defaults, item.name), minimum=1
            )
            for item in fields(cls)
        }
        return replace(defaults, **changes)


_active: list[Limits] = [Limits()]


def current() -> Limits:
    """The limits in force: the defaults unless the edge that started this work set others."""
    return _active[-1]


def configure(limits: Limits) -> None:
    """Set the limits for the whole process (the server, once, at start-up)."""
    _active[0] = limits


@contextmanager
def use(limits: Limits) -> Iterator[Limits]:
    """Put `limits` in force for the block (the CLI for one command, a test for one case)."""
    _active.append(limits)
    try:
        yield limits
    finally:
        # By identity, from the end: an equal Limits set earlier stays in force.
        del _active[max(i for i, item in enumerate(_active) if item is limits)]


def breach(
    what: str,
    limit: int,
    setting: str,
    *,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> LimitExceeded:
    """The one-line error for a limit passed, naming the limit and the setting that raises it."""
    return LimitExceeded(
        f"{what}: over the limit of {limit:,} (THREADLINE_MAX_{setting.upper()})",
        file=file,
        row=row,
        column=column,
    )
