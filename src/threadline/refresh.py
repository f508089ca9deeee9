"""`threadline data`: how current each list in the store is, and refreshing lists from the
official files (see threadline.inputs.official for the formats).

Library functions; the CLI (threadline.cli.data) only prints what they return.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from threadline.data.lists import bundled_lists, data_version
from threadline.data.vocab import load_normaliser
from threadline.errors import InputError
from threadline.inputs.official import FileInput, ParsedFile, ParsedList, read_official
from threadline.inputs.official.base import file_source
from threadline.model import Listing, ReferenceEntity
from threadline.model.freshness import list_freshness
from threadline.model.ids import list_load_id
from threadline.store import ListLoad, ListUpdate, Store


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


# -- data update -------------------------------------------------------------------------------

MAX_REMOVED_SHARE = 0.10  # more than this of a list's active entries missing: truncated file?


@dataclass(frozen=True, slots=True)
class ListChange:
    """What one file changed in one list: entities added, changed, revoked or removed, or not."""

    list_id: str
    title: str
    file: str
    source: str
    file_date: dt.date
    added: int
    changed: int
    removed: int  # revoked by the file, or missing from it (removed as of the file's date)
    unchanged: int
    skipped: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return {
            "list": self.list_id,
            "title": self.title,
            "file": self.file,
            "source": self.source,
            "file_date": self.file_date.isoformat(),
            "added": self.added,
            "changed": self.changed,
            "revoked_or_removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": dict(self.skipped),
        }


@dataclass(frozen=True, slots=True)
class UpdateResult:
    changes: list[ListChange]
    data_version: str


def update_lists(
    store: Store,
    files: Sequence[FileInput],
    *,
    source: str | None = None,
    file_date: dt.date | None = None,
    accept_removals: bool = False,
) -> UpdateResult:
    """Read each official file, compare it with what the store holds for its lists, and write
    the differences as new dated statements (nothing is deleted). Every file is read and every
    change checked before anything is written: a bad file or a suspicious removal count stops
    the whole update with the store untouched."""
    parsed = read_official(files, source, file_date)
    digests = {item.name: hashlib.sha256(item.data).hexdigest() for item in files}
    fetched = {item.name: item.fetched for item in files}
    keyer = _NameKeys()
    planned: list[ListUpdate] = []
    changes: list[ListChange] = []
    for parsed_file in parsed:
        for parsed_list in parsed_file.lists:
            change, update = _plan(
                store,
                parsed_file,
                parsed_list,
                keyer,
                digests[parsed_file.file],
                fetched[parsed_file.file],
                accept_removals,
            )
            changes.append(change)
            if update is not None:
                planned.append(update)
    store.write_list_updates(planned)
    return UpdateResult(changes, store_data_version(store))


class _NameKeys:
    """Exact identity of names: the matcher's own normalised key (tokens, concepts, places and
    legal form), so spelling and punctuation differences do not split one company in two."""

    def __init__(self) -> None:
        self.normaliser = load_normaliser()

    def __call__(self, name: str) -> str:
        key = self.normaliser.key(name)
        parts = (
            " ".join(key.tokens),
            ",".join(sorted(key.concepts)),
            ",".join(sorted(key.places)),
            ",".join(sorted(key.legal_forms)),
        )
        return "|".join(parts) if any(parts[:3]) else ""


def _plan(
    store: Store,
    parsed_file: ParsedFile,
    parsed_list: ParsedList,
    keyer: _NameKeys,
    digest: str,
    fetched: dt.date,
    accept_removals: bool,
) -> tuple[ListChange, ListUpdate | None]:
    meta = parsed_list.list
    when = parsed_file.file_date
    existing = store.load_entities(listed_on=[meta.id, *meta.related])
    by_key: dict[str, str] = {}
    by_id = {e.id: e for e in existing}
    # Entities already on this list win a name over those of related lists.
    for entity in sorted(existing, key=lambda e: not _on(e, meta.id)):
        for name in (entity.name, *entity.aliases):
            if (key := keyer(name)) and key not in by_key:
                by_key[key] = entity.id
    targets: dict[str, list[ReferenceEntity]] = {}
    in_file: set[str] = set()  # name keys of every entry in the file
    for entity in parsed_list.entities:
        keys = [k for k in (keyer(n) for n in (entity.name, *entity.aliases)) if k]
        in_file.update(keys)
        target = next((by_key[k] for k in keys if k in by_key), entity.id)
        targets.setdefault(target, []).append(entity)
    source = file_source(meta, parsed_file.file, when)
    to_write: list[ReferenceEntity] = []
    added = changed = removed = unchanged = 0
    active_before = sum(1 for e in existing if _active(e, meta.id, when))
    for target, found in targets.items():
        current = by_id.get(target)
        old = tuple(lst for lst in current.listings if lst.list_id == meta.id) if current else ()
        entry = _entry_id(old, target)
        # One listing per distinct statement: two entries that are one company (a name and a
        # former name on two rows) may repeat the same section and date.
        new = tuple(
            {
                _signature(lst): lst
                for lst in (
                    _keep_removal_date(replace(lst, entry_id=entry), old)
                    for entity in found
                    for lst in entity.listings
                )
            }.values()
        )
        names = list(dict.fromkeys(n for e in found for n in (e.name, *e.aliases)))
        known = set(current.all_names) if current else set()
        if old and _same(old, new) and set(names) <= known:
            unchanged += 1
            continue
        if not old:
            added += 1
        elif any(lst.active_on(when) for lst in old) and not any(
            lst.active_on(when) for lst in new
        ):
            removed += 1
        else:
            changed += 1
        first = found[0]
        if current is None:
            to_write.append(replace(first, aliases=tuple(names[1:]), listings=new))
        else:
            aliases = tuple(n for n in names if n not in known)
            to_write.append(
                replace(
                    current,
                    aliases=aliases,
                    names_zh=(),
                    identifiers=tuple(i for e in found for i in e.identifiers),
                    listings=new,
                    notes=first.notes,
                    extra=(),
                )
            )
    missing = 0
    if parsed_list.full:
        for entity in existing:
            old = tuple(lst for lst in entity.listings if lst.list_id == meta.id)
            if entity.id in targets or not old:
                continue
            open_ = [lst for lst in old if lst.date_removed is None or lst.date_removed > when]
            if not open_:
                continue
            ended = tuple(
                replace(lst, date_removed=when)
                if lst.date_removed is None or lst.date_removed > when
                else lst
                for lst in old
            )
            if any(keyer(n) in in_file for n in entity.all_names):
                changed += 1  # a second entity of a company in the file: its entry now holds it
            elif any(lst.active_on(when) for lst in old):
                missing += 1
            to_write.append(
                replace(entity, aliases=(), names_zh=(), identifiers=(), listings=ended, extra=())
            )
    if missing > MAX_REMOVED_SHARE * active_before and not accept_removals:
        raise InputError(
            f"would remove {missing} of the {active_before} active entries of {meta.title} "
            f"(over {MAX_REMOVED_SHARE:.0%}): the file may be truncated or its layout changed; "
            "check it, or pass --accept-removals",
            file=parsed_file.file,
        )
    removed += missing
    change = ListChange(
        meta.id,
        meta.title,
        parsed_file.file,
        parsed_file.source,
        when,
        added,
        changed,
        removed,
        unchanged,
        dict(parsed_file.skipped),
    )
    load = ListLoad(
        id=list_load_id(meta.id, digest),
        dataset_id=meta.id,
        source=parsed_file.source,
        file_name=Path(parsed_file.file).name,
        file_date=when,
        fetched_at=dt.datetime.combine(fetched, dt.time(), dt.UTC),
        url=meta.url,
        added=added,
        changed=changed,
        removed=removed,
        unchanged=unchanged,
    )
    known_loads = store.load_ids()
    if load.id in known_loads:
        return change, None  # the same file again: nothing to write
    update = ListUpdate(
        info=meta.info(when.isoformat()),
        entities=to_write,
        sources=[source] * len(to_write),
        load=load,
        file_sha256=digest,
    )
    return change, update


def _on(entity: ReferenceEntity, list_id: str) -> bool:
    return any(lst.list_id == list_id for lst in entity.listings)


def _active(entity: ReferenceEntity, list_id: str, when: dt.date) -> bool:
    return any(lst.list_id == list_id and lst.active_on(when) for lst in entity.listings)


def _entry_id(old: Sequence[Listing], target: str) -> str:
    """The entry the new statements supersede: the one the entity's listings on this list
    share (a bundled row's id), else the entity's id."""
    entries = {lst.entry_id for lst in old}
    return entries.pop() if len(entries) == 1 else target


def _signature(listing: Listing) -> tuple[object, ...]:
    return (
        listing.effect,
        listing.section,
        listing.program,
        listing.date_listed,
        listing.date_removed,
        listing.product_scope,
        listing.status,
    )


def _same(old: Sequence[Listing], new: Sequence[Listing]) -> bool:
    return sorted(map(_signature, old), key=repr) == sorted(map(_signature, new), key=repr)


def _keep_removal_date(listing: Listing, old: Sequence[Listing]) -> Listing:
    """A revocation already on record keeps its date: a later file that still shows the order
    revoked (and gives no date of its own) must not move the revocation later."""
    if listing.date_removed is None:
        return listing
    earlier = [
        lst.date_removed
        for lst in old
        if lst.date_removed is not None
        and lst.date_removed < listing.date_removed
        and (lst.section, lst.date_listed) == (listing.section, listing.date_listed)
    ]
    return replace(listing, date_removed=min(earlier)) if earlier else listing
