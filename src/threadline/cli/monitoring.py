"""`screenings` (list, show), `monitor add|list|remove|run`, and the alert that imports and
data updates print when new data changes a monitored supplier's tier."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from threadline.cli.console import stderr
from threadline.cli.options import DB, FailOn, open_store
from threadline.errors import InputError, NotFound
from threadline.model import Tier

if TYPE_CHECKING:  # each command imports what it runs (see cli/commands.py)
    from threadline.monitoring.alerts import MonitorCheck
    from threadline.store import Store
    from threadline.store.history import MonitorInfo, ScreeningHistory, ScreeningInfo

screenings_app = typer.Typer(
    help="Screenings kept in the store: list them, or show one again.",
    invoke_without_command=True,
)
monitor_app = typer.Typer(
    help="Watch a screening's input: after new data, screen it again and say what changed.",
    no_args_is_help=True,
)
_JSON = typer.Option(False, "--json", help="Print JSON.")
FAIL_ON_CHANGE = typer.Option(
    None,
    "--fail-on-change",
    case_sensitive=False,
    help="After new data, screen monitored inputs again; exit 1 when a monitored supplier rises "
    "to this tier.",
)


def _history(store: Store) -> ScreeningHistory:
    from threadline.store.history import ScreeningHistory

    return ScreeningHistory(store)


def _info_json(info: ScreeningInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "origin": info.origin,
        "user": info.user,
        "inputs": info.filename,
        "input_sha256": info.input_hash,
        "status": info.status,
        "rows": info.total,
        "as_of": info.as_of.isoformat(),
        "data_version": info.data_version,
        "algorithm": info.algorithm,
        "settings": info.settings,
        "summary": info.summary,
        "created_at": info.created_at.isoformat(timespec="seconds"),
        "monitored": info.monitored,
    }


@screenings_app.callback()
def screenings_command(
    ctx: typer.Context,
    db: str | None = DB,
    as_json: bool = _JSON,
    limit: int = typer.Option(100, "--limit", min=1, help="Most screenings listed, newest first."),
) -> None:
    """List stored screenings, newest first; `screenings show ID` prints one again."""
    if ctx.invoked_subcommand is not None:
        return
    with open_store(db, reference_data=False) as store:
        found = _history(store).recent(limit)
    if as_json:
        json.dump([_info_json(i) for i in found], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from rich.table import Table

    table = Table(title=f"{len(found)} stored screenings, newest first")
    table.add_column("id", no_wrap=True, min_width=32)
    for column in ("when (UTC)", "inputs", "status", "rows", "as of", "by", "flagged"):
        table.add_column(column)
    for info in found:
        status = info.status if info.status != "running" else "running (incomplete)"
        table.add_row(
            info.id,
            info.created_at.strftime("%Y-%m-%d %H:%M"),
            info.filename + (" [monitored]" if info.monitored else ""),
            status,
            str(info.total),
            info.as_of.isoformat(),
            info.origin if info.origin != "server" else info.user,
            ", ".join(f"{n} {t}" for t, n in info.summary.items() if n and t != Tier.NO_SIGNAL),
        )
    Console().print(table)


@screenings_app.command("show")
def show_command(
    screening_id: str = typer.Argument(..., help="A screening id (see `threadline screenings`)."),
    db: str | None = DB,
    as_json: bool = _JSON,
) -> None:
    """Print a stored screening again: its run, tiers and flagged rows (--json: every row)."""
    from rich.table import Table

    from threadline.store.screenings import Screenings

    with open_store(db, reference_data=False) as store:
        info = _history(store).get(screening_id)
        if info is None:
            raise NotFound(f"no screening '{screening_id}' in the store")
        _, results = Screenings(store).rows(screening_id, limit=10**9)
    if as_json:
        doc = {**_info_json(info), "results": results}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return
    console = Console()
    if info.status != "done":
        console.print(f"Screening {info.id} is {info.status}: not complete.", markup=False)
    console.print(
        f"Screening {info.id} of {info.filename}, {info.created_at:%Y-%m-%d %H:%M} UTC, as of "
        f"{info.as_of}, data {info.data_version}, {info.algorithm}; settings {info.settings}",
        markup=False,
    )
    counts = Counter(str(r["risk"]["tier"]) for r in results)
    table = Table()
    for column in ("tier", "rows", "flagged rows (name: reasons)"):
        table.add_column(column)
    for tier in sorted(Tier, key=lambda t: -t.severity):
        flagged = [r for r in results if r["risk"]["tier"] == tier.value]
        examples = (
            "; ".join(
                f"{_row_name(r)}: {', '.join(x['code'] for x in r['risk']['reasons'])}"
                for r in flagged[:5]
            )
            if tier is not Tier.NO_SIGNAL
            else ""
        )
        table.add_row(tier.value, str(counts.get(tier.value, 0)), examples)
    console.print(table)


def _row_name(result: dict[str, Any]) -> str:
    for match in result.get("matches", []):
        return str(match["explanation"]["query"])
    values = list(result.get("input", {}).values())
    return str(values[0]) if values else f"row {result.get('row')}"


@monitor_app.command("add")
def monitor_add(
    screening_id: str = typer.Argument(..., help="The screening whose input to watch."),
    db: str | None = DB,
) -> None:
    """Watch a screening's input: imports and data updates screen it again and report changes."""
    with open_store(db, reference_data=False) as store:
        history = _history(store)
        info = history.get(screening_id)
        if info is None or info.status != "done":
            raise NotFound(f"no finished screening '{screening_id}' in the store")
        if not history.inputs(screening_id):
            raise InputError(f"screening '{screening_id}' has no stored input to screen again")
        added = history.add_monitor(screening_id)
    typer.echo(f"monitor {added.id}: {added.filename} (screening {added.screening_id})")


@monitor_app.command("list")
def monitor_list(db: str | None = DB, as_json: bool = _JSON) -> None:
    """Monitors, with the latest screening of each and what the last check found."""
    with open_store(db, reference_data=False) as store:
        found = _history(store).monitors()
    if as_json:
        json.dump([_monitor_json(m) for m in found], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    if not found:
        typer.echo("no monitors; add one with `threadline monitor add SCREENING_ID`")
        return
    for m in found:
        checked = f"{m.checked_at:%Y-%m-%d %H:%M}" if m.checked_at else "never"
        typer.echo(
            f"monitor {m.id}: {m.filename}, screening {m.screening_id}; checked {checked}: "
            f"{m.changed} changed, {m.raised} raised"
        )


def _monitor_json(m: MonitorInfo) -> dict[str, Any]:
    return {
        "id": m.id,
        "inputs": m.filename,
        "screening_id": m.screening_id,
        "previous_id": m.previous_id,
        "created_at": m.created_at.isoformat(timespec="seconds"),
        "checked_at": m.checked_at.isoformat(timespec="seconds") if m.checked_at else None,
        "changed": m.changed,
        "raised": m.raised,
    }


@monitor_app.command("remove")
def monitor_remove(
    ident: str = typer.Argument(..., help="The monitor's number or a screening id it watched."),
    db: str | None = DB,
) -> None:
    """Stop watching an input (its screenings stay in the store)."""
    with open_store(db, reference_data=False) as store:
        removed = _history(store).remove_monitor(ident)
    if removed is None:
        raise NotFound(f"no monitor '{ident}'; see `threadline monitor list`")
    typer.echo(f"monitor {removed.id} removed: {removed.filename}")


@monitor_app.command("run")
def monitor_run(
    db: str | None = DB,
    fail_on_change: FailOn | None = FAIL_ON_CHANGE,
) -> None:
    """Screen every monitored input again now, against the store as it is."""
    with open_store(db, reference_data=False) as store:
        check_monitors(store, fail_on_change, always=True)


def check_monitors(store: Store, fail_on_change: FailOn | None, *, always: bool = False) -> None:
    """Run the monitors after new data and print which suppliers changed tier, with why; exit 1
    under --fail-on-change when one rose to that tier. Imports call this after they write (and
    `data update` should too); without monitors it prints nothing unless `always`."""
    from threadline.monitoring.alerts import alert_monitors

    checks = alert_monitors(store)
    if not checks:
        if always:
            stderr().print("no monitors; add one with `threadline monitor add SCREENING_ID`")
        return
    for check in checks:
        _print_check(check)
    if fail_on_change is not None and any(c.risen_to(fail_on_change.tier) for c in checks):
        raise typer.Exit(1)


def _print_check(check: MonitorCheck) -> None:
    from threadline.cli.changes import change_line

    head = f"monitor {check.monitor.id} ({check.monitor.filename})"
    if check.error:
        stderr().print(f"{head}: not checked: {check.error}", markup=False)
        return
    moved = check.tier_changes()
    changed = check.changes.changed() if check.changes else []
    if not changed:
        stderr().print(f"{head}: no supplier changed", markup=False)
        return
    stderr().print(
        f"{head}: {len(moved)} supplier(s) changed tier, {len(changed)} changed in all; "
        f"screening {check.screening_id} vs {check.since_id}",
        markup=False,
    )
    for change in moved:
        stderr().print(change_line(change), markup=False)
