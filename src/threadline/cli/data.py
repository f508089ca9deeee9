"""`data status` and `data update`: how current the lists are, and refreshing them; `data check`:
the packaged data files against their models."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from threadline.cli.console import stderr
from threadline.cli.monitoring import FAIL_ON_CHANGE, check_monitors
from threadline.cli.options import DB, MAX_AGE, FailOn, date_option, open_store
from threadline.errors import DataError, InputError

if TYPE_CHECKING:  # each command imports what it runs (see cli/commands.py)
    from threadline.inputs.official import FileInput
    from threadline.refresh import ListChange

data_app = typer.Typer(
    help="How current the reference lists are; refresh them from the official files.",
    no_args_is_help=True,
)


@data_app.command("status")
def status(
    db: str | None = DB,
    max_age: int | None = MAX_AGE,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Each list: publisher, as-of date, rows in the store, age, where the rows came from."""
    from threadline.refresh import list_status, store_data_version
    from threadline.settings import Settings

    settings = Settings.from_env(db, max_age)
    today = dt.date.today()
    with open_store(settings.db_url) as store:
        lists = list_status(store, today=today, max_age_days=settings.max_data_age_days)
        version = store_data_version(store)
    if as_json:
        doc = {
            "data_version": version,
            "today": today.isoformat(),
            "max_age_days": settings.max_data_age_days,
            "lists": [item.as_dict() for item in lists],
        }
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"threadline reference lists — data version {version}, {today}", markup=False)
    for item in lists:
        age = "" if item.age_days is None else f" ({item.age_days} days old)"
        origin = (
            f"update: {item.file} ({item.source}), file of {item.file_date}, fetched {item.fetched}"
            if item.origin == "update"
            else item.origin
        )
        out.print(f"\n{item.id} — {item.title}", markup=False)
        for label, value in (
            ("publisher", item.publisher or "—"),
            ("as of", f"{item.as_of or '—'}{age}"),
            ("rows", f"{item.rows} ({item.active} active today)"),
            ("rows from", origin),
            ("notes", item.notes),
        ):
            if value:
                out.print(f"  {label:<10} {value}", markup=False)
    for item in lists:
        for warning in item.warnings:
            stderr().print(f"warning: {warning}", markup=False)


@data_app.command("update")
def update(
    files: list[Path] = typer.Option(
        [],
        "--from",
        help="An official file you downloaded or saved (repeatable).",
        show_default=False,
    ),
    source: str | None = typer.Option(
        None,
        "--source",
        help="The file's format, when it should not be detected (a name it does not know lists those it does).",
    ),
    download: bool = typer.Option(
        False, "--download", help="Fetch the official files (with --source: that one only)."
    ),
    accept_removals: bool = typer.Option(
        False,
        "--accept-removals",
        help="Apply a file even when it would remove more than 10% of a list's active entries.",
    ),
    file_date: str | None = typer.Option(
        None,
        "--file-date",
        help="The date the files are as of (YYYY-MM-DD); default: the date a file states, else the day it was saved.",
    ),
    db: str | None = DB,
    as_json: bool = typer.Option(False, "--json", help="Print the changes as one JSON object."),
    fail_on_change: FailOn | None = FAIL_ON_CHANGE,
) -> None:
    """Refresh lists from the official files: prints added, changed, revoked or removed and
    unchanged entries per list, and the new data version."""
    from threadline.refresh import update_lists

    dated = date_option(file_date, "--file-date")
    inputs = [_file_input(path) for path in files]
    if download:
        inputs += _download(source)
    if not inputs:
        raise InputError("name a file with --from, or pass --download")
    with open_store(db) as store:
        result = update_lists(
            store, inputs, source=source, file_date=dated, accept_removals=accept_removals
        )
        if as_json:
            doc = {
                "data_version": result.data_version,
                "lists": [change.as_dict() for change in result.changes],
            }
            json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            _print_changes(result.changes, result.data_version)
        # New listings may change monitored suppliers: screen their inputs again and say so.
        if any(c.added or c.changed or c.removed for c in result.changes):
            check_monitors(store, fail_on_change)


def _print_changes(changes: list[ListChange], data_version: str) -> None:
    out = Console(highlight=False, soft_wrap=True)
    for change in changes:
        skipped = ", ".join(f"{n} {why}" for why, n in change.skipped.items())
        out.print(
            f"{change.list_id}: {change.added} added, {change.changed} changed, "
            f"{change.removed} revoked or removed, {change.unchanged} unchanged "
            f"({change.file}, {change.source}, as of {change.file_date})"
            + (f"; left out: {skipped}" if skipped else ""),
            markup=False,
        )
    out.print(f"data version {data_version}", markup=False)


def _file_input(path: Path) -> FileInput:
    from threadline.inputs.files import read_bytes
    from threadline.inputs.official import FileInput

    data = read_bytes(path)
    saved = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
    return FileInput(data, str(path), saved)


def _download(source: str | None) -> list[FileInput]:
    from threadline.data.official import official_lists
    from threadline.inputs.official import SOURCES
    from threadline.inputs.official.download import download as download_file
    from threadline.inputs.official.download import download_sources, make_client

    catalogue = official_lists()
    wanted = [source] if source else [s for s in download_sources() if s in SOURCES]
    today = dt.date.today()
    with make_client() as client:
        out = []
        for name in wanted:
            if name in catalogue.licence_notices:
                stderr().print(f"note: {catalogue.licence_notices[name]}", markup=False)
            stderr().print(f"downloading {name} …", markup=False)
            out.append(download_file(name, client, today))
    return out


@data_app.command("check")
def check() -> None:
    """Validate every packaged YAML and CSV data file against its model (data/schemas.py)."""
    from threadline.data.check import check_all
    from threadline.data.lists import manifest_files

    problems = check_all(manifest_files())
    for problem in problems[:-1]:
        stderr().print(f"error: {problem}", markup=False)
    if problems:
        raise DataError(problems[-1])
    checked = sum(1 for name in manifest_files() if name.endswith((".yaml", ".csv")))
    stderr().print(f"{checked} packaged data files are sound.", markup=False)
