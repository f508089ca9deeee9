"""`threadline data`: how current each list in the store is, and refreshing lists from the
official files (see threadline.inputs.official for the formats).

Library functions; the CLI (threadline.cli.data) only prints what they return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from threadline.data.lists import bundled_lists, data_version
from threadline.model.freshness import list_freshness
from threadline.store import Store


@dataclass(frozen=True, slots=True)
class ListStatus:
    """One list in the store: who publishes it, how current it is, where its rows came from."""

    id: str
    title: str
    publisher: str
    as_of: str
    rows: int  # entities with a current listing on the list
    active: int  # of those, listed and not removed today
    age_days: int | None
    origin: str  # "bundled snapshot" or "update"
    file: str  # the official file of the latest update ("" for a bundled snapshot)
    file_date: str
    fetched: str  # when that file was fetched or saved (ISO date)
    source: str  # the update's format (dhs_uflpa_html, cbp_wro_csv …)
    notes: str
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "as_of": self.as_of,
            "rows": self.rows,
            "active": self.active,
            "age_days": self.age_days,
            "origin": self.origin,
            "file": self.file,
            "file_date": self.file_date,
            "fetched": self.fetched,
            "source": self.source,
            "notes": self.notes,
            "warnings": list(self.warnings),
        }


def list_status(store: Store, *, today: dt.date, max_age_days: int) -> list[ListStatus]:
    """Every list in the store (bundled, refreshed from an official file, or imported with
    listings), with its real row count from the store and its staleness warnings."""
    bundled = {meta.id: meta for meta in bundled_lists()}
    loads = store.latest_loads()
    counts = store.list_counts(today)
    infos = [i for i in store.dataset_infos() if i.id in bundled or i.id in loads or i.rows]
    fresh = {
        f.id: f
        for f in list_freshness(
            infos, today=today, screening_as_of=today, max_age_days=max_age_days
        )
    }
    out = []
    for info in infos:
        load = loads.get(info.id)
        meta = bundled.get(info.id)
        updated = load is not None and (meta is None or load.file_date.isoformat() >= meta.as_of)
        freshness = fresh.get(info.id)
        if updated and load is not None:
            notes = f"complete official file ({load.source}); entries missing from it are removed as of {load.file_date}"
        elif meta is not None:
            notes = meta.attribution
        else:
            notes = info.attribution or "imported by the user"
        out.append(
            ListStatus(
                id=info.id,
                title=info.title,
                publisher=info.publisher,
                as_of=info.as_of,
                rows=info.rows,
                active=counts.get(info.id, (0, 0))[1],
                age_days=freshness.age_days if freshness else None,
                origin="update" if updated else ("bundled snapshot" if meta else "import"),
                file=load.file_name if updated and load else "",
                file_date=load.file_date.isoformat() if updated and load else "",
                fetched=load.fetched_at.date().isoformat() if updated and load else "",
                source=load.source if updated and load else "",
                notes=notes,
                warnings=freshness.warnings if freshness else (),
            )
        )
    return out


def store_data_version(store: Store) -> str:
    return store.data_version(data_version())

