"""The output folder appears whole or not at all.

A run writes into a hidden staging folder beside `--out`, marks it complete with `_SUCCESS`
last, then renames it into place (a previous output is replaced only then). A run that fails
leaves no staging folder behind and the previous output untouched.
"""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from threadline.errors import InputError, cannot_write

SUCCESS = "_SUCCESS"


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A fresh staging folder; on leaving without error it becomes `out`."""
    if out.exists() and not out.is_dir():
        raise InputError("--out names a file, not a folder", file=str(out))
    token = uuid.uuid4().hex[:12]
    staging = out.parent / f".{out.name}.staging-{token}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
    except OSError as exc:
        raise cannot_write(out, exc) from exc
    try:
        yield staging
        (staging / SUCCESS).write_text("", encoding="utf-8")
        old = out.parent / f".{out.name}.old-{token}"
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
