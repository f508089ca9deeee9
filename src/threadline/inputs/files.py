"""Opening a user's file: the checks every reader shares, each with its own one-line error."""

from __future__ import annotations

from pathlib import Path

from threadline import limits
from threadline.errors import InputError

# The packaged defaults, for callers that name them; `limits.current()` is what is in force.
DEFAULT_MAX_BYTES = limits.Limits().file_bytes
MAX_CELL_CHARS = limits.Limits().cell_chars


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes, after refusing what cannot be a table: missing, a folder, empty, huge."""
    file = str(path)
    if not path.exists():
        raise InputError("file not found", file=file)
    if path.is_dir():
        raise InputError("is a directory, not a file; name the file inside it", file=file)
    if not path.is_file():
        raise InputError("is not a regular file (a device, socket or pipe?)", file=file)
    size = path.stat().st_size
    max_bytes = limits.current().file_bytes if max_bytes is None else max_bytes
    if size > max_bytes:
        raise InputError(
            f"file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit; "
            "split it or raise the limit (THREADLINE_MAX_FILE_BYTES)",
            file=file,
        )
    try:
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError("cannot be read: permission denied", file=file) from exc
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", file=file) from exc
    if not data:
        raise InputError("file is empty (0 bytes)", file=file)
    return data


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
