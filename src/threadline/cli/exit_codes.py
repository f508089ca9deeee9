"""The one table from errors to exit codes (sysexits.h numbers past 2), used by the CLI's `main`.

0 done (hits are results, not errors) · 1 `--fail-on` / `--fail-on-change` met · 2 bad input or
usage, something asked for that is not stored, broken data, an unusable database or a missing
system library — the user can fix it · 73 an output cannot be created (EX_CANTCREAT) · 74 another
I/O failure (EX_IOERR) · 70 an internal error (EX_SOFTWARE) · 130 interrupted.
"""

from __future__ import annotations

from threadline.errors import InputError, NotFound, OutputError, ThreadlineError

USAGE = 2
CANT_CREATE = 73
IO_ERROR = 74
INTERNAL = 70
INTERRUPTED = 130

# Most specific first; the first class the error is an instance of gives its code.
EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (InputError, USAGE),
    (NotFound, USAGE),
    (OutputError, CANT_CREATE),
    (ThreadlineError, USAGE),  # DataError, StoreError, MissingSystemLibrary
    (OSError, IO_ERROR),  # the file system refused something no command wrapped
)


def exit_code(exc: BaseException) -> int:
    return next((code for kind, code in EXIT_CODES if isinstance(exc, kind)), INTERNAL)
