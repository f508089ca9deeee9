"""Checks of output paths made before any work, and reading a batch of input files so that one
bad file is named while the good ones still go through."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from threadline.errors import InputError, OutputError
from threadline.inputs.records import RecordsRead, read_records_with_report


def check_out_dir(path: Path, flag: str) -> None:
    """`path` is, or can become, a folder: not a file, and not under one."""
    if path.exists() and not path.is_dir():
        raise InputError(f"{flag}: '{path}' is a file, not a folder; name a folder for the reports")
    if path.is_dir():
        _check_writable(path, flag)
    _check_parent(path, flag)


def check_out_file(path: Path, flag: str) -> None:
    """`path` can be written as a file: not a folder, and its folder exists."""
    if path.is_dir():
        raise InputError(f"{flag}: '{path}' is a folder; name a file")
    _check_parent(path, flag)


def _check_parent(path: Path, flag: str) -> None:
    for parent in path.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"{flag}: '{path}' is under '{parent}', which is a file")
            _check_writable(parent, flag)
            return


def _check_writable(folder: Path, flag: str) -> None:
    # Said before the work rather than after it (root passes this and fails on writing).
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{flag}: cannot write in '{folder}': permission denied")


def read_good_records(
    paths: Sequence[Path],
    *,
    name_col: str | Sequence[str] | None = None,
    address_col: str | Sequence[str] | None = None,
    country_col: str | None = None,
    id_col: str | None = None,
    sheet: str | None = None,
) -> tuple[list[RecordsRead], list[InputError]]:
    """What was read of every readable file (records, and the sheet, header row and columns
    used), and the error of each file that is not. All files bad: the first error is raised, as
    for one file."""
    read: list[RecordsRead] = []
    refused: list[InputError] = []
    for path in paths:
        try:
            read.append(
                read_records_with_report(
                    path,
                    name_col=name_col,
                    address_col=address_col,
                    country_col=country_col,
                    id_col=id_col,
                    sheet=sheet,
                )
            )
        except InputError as exc:
            refused.append(exc)
    if refused and len(refused) == len(paths):
        raise refused[0]
    return read, refused
