"""`data status` and `data update`: how current the lists are, and refreshing them."""

from __future__ import annotations

import datetime as dt
import json
import sys

import typer
from rich.console import Console

from threadline.cli.app import app, err
from threadline.pipeline import ensure_reference_data
from threadline.refresh import list_status, store_data_version
from threadline.settings import Settings
from threadline.store import Store

data_app = typer.Typer(
    help="How current the reference lists are; refresh them from the official files.",
    no_args_is_help=True,
)
app.add_typer(data_app, name="data")

_DB = typer.Option(
    None, "--db", help="Database URL (default: THREADLINE_DB or the user's SQLite file)."
)
_MAX_AGE = typer.Option(
    None,
    "--max-age",
    min=0,
    help="Warn about lists older than this many days (default: THREADLINE_MAX_DATA_AGE_DAYS or 45).",
)


@data_app.command("status")
def status(
    db: str | None = _DB,
    max_age: int | None = _MAX_AGE,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Each list: publisher, as-of date, rows in the store, age, where the rows came from."""
    settings = Settings.from_env(db, max_age)
    store = Store.open(settings.db_url)
    ensure_reference_data(store)
    today = dt.date.today()
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
            err.print(f"warning: {warning}", markup=False)
