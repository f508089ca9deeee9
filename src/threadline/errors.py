"""The error hierarchy. Every user-facing failure is a ThreadlineError; the CLI turns it into
one line and its `exit_code`, the API into JSON with its `status`.

    ThreadlineError
    ├── InputError      bad user file or value (file, row, column)    exit 2 / HTTP 422
    ├── DataError       packaged or imported reference data broken   exit 2 / HTTP 500
    ├── StoreError      database cannot be opened or migrated        exit 2 / HTTP 503
    └── MissingSystemLibrary  e.g. Pango for PDFs; names the packages  exit 2 / HTTP 503
"""

from __future__ import annotations


class ThreadlineError(Exception):
    exit_code = 2
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(ThreadlineError):
    status = 422

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
            where.append(f"column '{column}'")
        super().__init__(": ".join([*where, message]) if where else message)


class DataError(ThreadlineError):
    status = 500


class StoreError(ThreadlineError):
    status = 503


class MissingSystemLibrary(ThreadlineError):
    status = 503
