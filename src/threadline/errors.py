"""The error hierarchy. Every user-facing failure is a ThreadlineError. The library raises
them, background jobs included, and never an HTTP exception; each edge maps them once: the CLI to
one line and an exit code (`cli/exit_codes.py`), the API to JSON and a status (`server/errors.py`).

    ThreadlineError                                                  exit / HTTP
    ├── InputError      bad user file or value (file, row, column)    2 / 422
    │   └── LimitExceeded  past a THREADLINE_MAX_* limit              2 / 413
    ├── NotFound        no such screening, entity, monitor, user…     2 / 404
    ├── OutputError     an output (--out, rejects, export) cannot be written   73 / 500
    ├── DataError       packaged or imported reference data broken   2 / 500
    ├── StoreError      database cannot be opened or migrated        2 / 503
    │   └── StoreBusy   another writer held the lock or wrote the same rows; retried first
    └── MissingSystemLibrary  e.g. Pango for PDFs; names the packages  2 / 503
        └── MissingExtra  an optional part not installed; names the pip command
"""

from __future__ import annotations

import re

# Line breaks of any kind (a raw header cell may hold them) and other control characters.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MAX_PART_CHARS = 200
# A value echoed in a message (a 5,000-digit "date") is cut; paths and names fit under this.
_LONG_WORD = re.compile(r"\S{401,}")


def _shortened(found: re.Match[str]) -> str:
    word = found.group(0)
    return f"{word[:120]}…({len(word):,} characters)…{word[-40:]}"


def one_line(text: str, max_chars: int = _MAX_PART_CHARS) -> str:
    """`text` as it can sit in a one-line message: breaks shown as a space, long text cut."""
    flat = _BREAKS.sub(" ", text)
    return flat if len(flat) <= max_chars else flat[: max_chars - 1] + "…"


def listed(names: list[str] | tuple[str, ...] | object, most: int = 30) -> str:
    """Names for a message, comma-separated: each on one line and short, at most `most` of them."""
    items = [one_line(str(n), 60) for n in names] if isinstance(names, list | tuple) else []
    more = f" and {len(items) - most} more" if len(items) > most else ""
    return ", ".join(items[:most]) + more


class ThreadlineError(Exception):
    def __init__(self, message: str) -> None:
        # The promise is one short line per error, whatever a file's names and values hold.
        message = _LONG_WORD.sub(_shortened, _BREAKS.sub(" ", message))
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(ThreadlineError):
    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.reason = message  # without the file/row/column prefix, for row-level reject lists
        where = [p for p in (file, f"row {row}" if row else None) if p]
        if column:
            where.append(f"column '{one_line(column)}'")
        super().__init__(": ".join([*where, message]) if where else message)


class LimitExceeded(InputError):
    """An input past one of the limits (`threadline.limits`); the message names the setting."""


class NotFound(ThreadlineError):
    """A stored thing asked for by id or name (a screening, entity, monitor, user, document,
    finding or candidate link) does not exist."""


class OutputError(ThreadlineError):
    """An output cannot be written (a folder not writable, a disk full): the request was sound."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class DataError(ThreadlineError):
    """Packaged or imported reference data is broken: the message names the file and field."""


class StoreError(ThreadlineError):
    """The database cannot be opened or migrated."""


class StoreBusy(StoreError):
    """A write lost to a concurrent one (a lock held past the busy timeout, the same rows written
    at once). Safe to retry: the transaction left nothing behind."""


class MissingSystemLibrary(ThreadlineError):
    """A system library (Pango for PDFs) is missing; the message names the packages."""


class MissingExtra(MissingSystemLibrary):
    """An optional part of threadline (the server, PDFs) is not installed; the message names
    the `pip install 'threadline[...]'` that adds it."""


def cannot_write(path: object, exc: OSError) -> OutputError:
    """The OutputError for an OSError met writing `path` (a file, or a folder of outputs)."""
    return OutputError(f"cannot write: {exc.strerror or exc}", path=str(path))
