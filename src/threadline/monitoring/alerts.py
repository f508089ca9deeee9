"""Monitors: after new data arrives (an import, a data update), screen the inputs of monitored
screenings again and say which suppliers changed, and why.

What is kept to screen again: the input files themselves (screening_inputs, or the server's
upload), with the column choices and hops the user made; the re-screen runs as of today,
against everything the store holds now. Extra `--reference` files are not kept, so a monitor
screens without them (the change then names the setting that differs).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threadline.errors import ThreadlineError
from threadline.inputs import read_records_many
from threadline.model import InputRecord, Tier
from threadline.model.changes import ChangeSet, RowChange, Status
from threadline.monitoring.keys import row_keys
from threadline.monitoring.session import (
    ScreenSettings,
    assemble,
    keep,
    new_screening_id,
    stored_baseline,
)
from threadline.pipeline import Screener, build_screener, ensure_reference_data
from threadline.store import Store
from threadline.store.history import InputFile, MonitorInfo, ScreeningHistory


@dataclass(frozen=True, slots=True)
class MonitorCheck:
    """One monitor after new data: the screening compared with and the new one (None when
    nothing changed, so nothing new was kept), or why it could not be checked."""

    monitor: MonitorInfo
    since_id: str
    screening_id: str | None
    changes: ChangeSet | None
    error: str = ""

    def tier_changes(self) -> list[RowChange]:
        """Suppliers whose tier changed, worst rise first."""
        if self.changes is None:
            return []
        moved = [
            c for c in self.changes.rows.values() if c.status in (Status.RAISED, Status.LOWERED)
        ]
        return sorted(moved, key=lambda c: -_severity(c.tier))

    def risen_to(self, tier: Tier) -> list[RowChange]:
        """Suppliers that rose to `tier` or above from below it."""
        return [
            c
            for c in self.tier_changes()
            if _severity(c.tier) >= tier.severity > _severity(c.previous_tier)
        ]


def alert_monitors(
    store: Store, *, as_of: dt.date | None = None, screener: Screener | None = None
) -> list[MonitorCheck]:
    """Screen the input of every monitor again against the store as it is now, compare with its
    latest screening, and keep the new screening when anything changed. The data-update and
    import commands call this after they write; `monitor run` calls it on demand."""
    history = ScreeningHistory(store)
    watched = history.monitors()
    if not watched:
        return []
    ensure_reference_data(store)
    screener = screener or build_screener(store)
    day = as_of or dt.date.today()
    return [_check(history, screener, monitor, day) for monitor in watched]


def _check(
    history: ScreeningHistory, screener: Screener, monitor: MonitorInfo, day: dt.date
) -> MonitorCheck:
    since = monitor.screening_id
    info = history.get(since)
    files = history.inputs(since)
    if info is None or not files:
        return MonitorCheck(monitor, since, None, None, "its screening or input is not stored")
    stored = dict(info.settings)
    given = stored.get("columns")
    columns: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
    try:
        records = _read(files, columns)
    except ThreadlineError as exc:
        return MonitorCheck(monitor, since, None, None, str(exc))
    keys = row_keys(records, key_col=columns.get("key"), id_col=columns.get("identifier"))
    hops = int(str(stored.get("hops", screener.hops)))
    run = screener.run(as_of=day, max_hops=hops)
    rows = run.screen(records)
    meta = run.metadata([f.name for f in files])
    settings = ScreenSettings(hops=hops, key=keys.label, columns=columns)
    new_id = new_screening_id()
    compared = assemble(
        screening_id=new_id,
        meta=meta,
        rows=rows,
        keys=keys,
        settings=settings,
        previous=stored_baseline(history, since),
        stored=True,
    )
    changes = compared.changes
    assert changes is not None  # compared with `previous`
    changed = changes.changed()
    if not changed:
        history.checked_monitor(monitor.id)
        return MonitorCheck(monitor, since, None, changes)
    keep(history, compared, rows, files, origin="monitor")
    raised = sum(1 for c in changed if c.status is Status.RAISED)
    history.advance_monitor(monitor.id, new_id, len(changed), raised)
    return MonitorCheck(monitor, since, new_id, changes)


def _read(files: Sequence[InputFile], columns: Mapping[str, Any]) -> list[InputRecord]:
    """The stored inputs, written out under their own names (readers pick the format by suffix
    and name the file in errors), read with the column choices the user made."""
    with tempfile.TemporaryDirectory(prefix="threadline-monitor-") as tmp:
        paths = []
        for position, item in enumerate(files):
            folder = Path(tmp) / str(position)
            folder.mkdir()
            path = folder / Path(item.name).name
            path.write_bytes(item.content)
            paths.append(path)
        return read_records_many(
            paths,
            name_col=columns.get("name"),
            address_col=columns.get("address"),
            country_col=columns.get("country"),
            id_col=columns.get("identifier"),
            sheet=columns.get("sheet"),
        )


def _severity(tier: str | None) -> int:
    try:
        return Tier(tier).severity if tier else -1
    except ValueError:
        return -1
