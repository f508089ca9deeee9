"""`threadline import`: user files → the store, counted, with bad rows set aside as rejects.

Wires the readers (threadline.inputs), name resolution (threadline.resolution) and the store.
Each import is one transaction: a file that cannot be read, or a store error, leaves the store
as it was; a bad row is rejected and the good rows land. Re-running an import changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from threadline.inputs.ftm import read_ftm
from threadline.inputs.reference import read_reference_table
from threadline.inputs.rejects import Rejected
from threadline.inputs.relations import RelationRow, open_relations
from threadline.inputs.shipments import ShipmentRow, open_shipments
from threadline.model import DatasetInfo, ListEffect, Relation, Reliability, Source
from threadline.resolution import Party, Resolution, Resolver, party_id
from threadline.store import ImportCounts, Store, StoredShipment, bill_source

_READ_TICK = 10_000  # rows read between progress updates


class Progress(Protocol):
    """What a progress display needs: a named phase with its total (None: unknown), then steps."""

    def phase(self, name: str, total: int | None) -> None: ...

    def advance(self, steps: int) -> None: ...


@dataclass(slots=True)
class ImportReport:
    file: str
    dataset: str
    counts: ImportCounts
    rejected: list[Rejected] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # of the input, for the rejects file
    notes: list[str] = field(default_factory=list)
    total: int = 0  # rows read, for progress


def _user_dataset(dataset_id: str, title: str) -> DatasetInfo:
    return DatasetInfo(id=dataset_id, title=title, publisher="user-supplied", as_of="", licence="")


def import_lists(
    store: Store,
    path: Path,
    *,
    list_id: str | None = None,
    list_name: str | None = None,
    effect: ListEffect | None = None,
    reliability: Reliability = Reliability.USER_SUPPLIED,
) -> ImportReport:
    """A list in the shape of the bundled ones (CSV, TSV, XLSX): one entity and listing a row."""
    rejected: list[Rejected] = []
    dataset = list_id or path.stem
    entities = read_reference_table(
        path,
        list_id=dataset,
        list_name=list_name,
        effect=effect,
        reliability=reliability,
        rejects=rejected,
    )
    counts = store.import_entities(_user_dataset(dataset, list_name or path.name), entities)
    return ImportReport(str(path), dataset, counts, rejected, _header_of(rejected))


def import_ftm(
    store: Store,
    path: Path,
    *,
    dataset: str | None = None,
    reliability: Reliability = Reliability.USER_SUPPLIED,
) -> ImportReport:
    """FollowTheMoney entities, their sanctions as listings and their links as relations.
    Persons come in only when a sanction lists them: threadline keeps no other individuals."""
    rejected: list[Rejected] = []
    dataset_id = dataset or path.stem
    read = read_ftm(path, list_id=dataset_id, reliability=reliability, rejects=rejected)
    kept = [e for e in read.entities if e.schema != "Person" or e.listings]
    kept_ids = {e.id for e in kept}
    relations = [r for r in read.relations if {r.source_id, r.target_id} <= kept_ids]
    counts = store.import_entities(_user_dataset(dataset_id, path.name), kept, relations)
    notes = [f"{n} {schema} not imported" for schema, n in sorted(read.ignored.items())]
    if len(kept) < len(read.entities):
        notes.append(f"{len(read.entities) - len(kept)} Person not on any sanctions list skipped")
    if len(relations) < len(read.relations):
        notes.append(f"{len(read.relations) - len(relations)} links to skipped persons left out")
    return ImportReport(str(path), dataset_id, counts, rejected, ["line", "json"], notes)


def import_shipments(
    store: Store,
    path: Path,
    *,
    columns: dict[str, str] | None = None,
    dataset: str = "shipments",
    progress: Progress | None = None,
) -> ImportReport:
    """Bills of lading. The file is read twice, streamed: first for the distinct shippers and
    consignees, which are resolved once each; then bill by bill into the store."""
    bills = open_shipments(path, columns)
    rejected: list[Rejected] = []
    parties: dict[str, tuple[Party, Source]] = {}
    total = 0
    if progress is not None:
        progress.phase("reading", None)
    for read in bills.rows():
        total += 1
        if progress is not None and total % _READ_TICK == 0:
            progress.advance(_READ_TICK)
        if isinstance(read, Rejected):
            rejected.append(read)
            continue
        for party in _parties(read):
            parties.setdefault(party_id(party.name, party.country), (party, _cited(read)))
    ids = list(parties)
    if progress is not None:
        progress.phase(f"resolving {len(ids)} names", None)
    resolved = dict(zip(ids, Resolver(store).resolve([parties[i][0] for i in ids]), strict=True))
    if progress is not None:
        progress.phase("storing", total)

    def stored() -> Iterator[StoredShipment]:
        for read in bills.rows():
            if isinstance(read, Rejected):
                continue
            shipper, consignee = (resolved[party_id(p.name, p.country)] for p in _parties(read))
            yield StoredShipment(
                id="",
                shipment=read.shipment,
                shipper_id=shipper.entity_id,
                consignee_id=consignee.entity_id,
            )

    report = _store_resolved(
        store,
        _user_dataset(dataset, "Imported bills of lading"),
        resolved,
        {i: source for i, (_, source) in parties.items()},
        shipments=stored(),
        progress=progress.advance if progress is not None else None,
    )
    report.file, report.rejected, report.total = str(path), rejected, total
    report.header = bills.table.header
    return report


def import_relations(store: Store, path: Path, *, dataset: str = "relations") -> ImportReport:
    """Relations between entities named by id or by name; names are resolved like shippers."""
    table = open_relations(path)
    rejected: list[Rejected] = []
    rows: list[RelationRow] = []
    for read in table.rows():
        if isinstance(read, Rejected):
            rejected.append(read)
        else:
            rows.append(read)
    refs = {ref for row in rows for ref in (row.source_ref, row.target_ref)}
    by_id = store.known_entity_ids(refs)
    parties: dict[str, tuple[Party, Source]] = {}
    for row in rows:
        for ref in (row.source_ref, row.target_ref):
            if ref not in by_id:
                parties.setdefault(party_id(ref, ""), (Party(ref), row.source))
    ids = list(parties)
    resolved = dict(zip(ids, Resolver(store).resolve([parties[i][0] for i in ids]), strict=True))

    def end(ref: str) -> str:
        return ref if ref in by_id else resolved[party_id(ref, "")].entity_id

    relations = [
        Relation(
            id="",
            kind=row.kind,
            source_id=end(row.source_ref),
            target_id=end(row.target_ref),
            start=row.start,
            end=row.end,
            share=row.share,
            sources=(row.source,),
        )
        for row in rows
    ]
    report = _store_resolved(
        store,
        _user_dataset(dataset, "Imported relations"),
        resolved,
        {i: source for i, (_, source) in parties.items()},
        relations=relations,
    )
    report.file, report.rejected, report.total = str(path), rejected, len(table.table.rows)
    report.header = table.table.header
    return report


def _store_resolved(
    store: Store,
    info: DatasetInfo,
    resolved: dict[str, Resolution],
    sources: dict[str, Source],
    *,
    relations: Sequence[Relation] = (),
    shipments: Iterator[StoredShipment] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    new = [(e, sources[key]) for key, r in resolved.items() if (e := r.new_entity) is not None]
    links = [link for r in resolved.values() for link in r.candidates]
    counts = store.import_resolved(
        info,
        new,
        links,
        relations,
        shipments if shipments is not None else (),
        progress,
    )
    matched = sum(1 for r in resolved.values() if r.new_entity is None)
    notes = [
        f"{len(resolved)} distinct names: {matched} resolved to stored entities, "
        f"{len(new)} new parties, {len(links)} candidate links to review"
    ]
    return ImportReport("", info.id, counts, notes=notes)


def _parties(read: ShipmentRow) -> tuple[Party, Party]:
    s = read.shipment
    return (
        Party(s.shipper_name, read.shipper_country, s.shipper_address),
        Party(s.consignee_name, read.consignee_country, s.consignee_address),
    )


def _cited(read: ShipmentRow) -> Source:
    s = read.shipment
    return bill_source(s.bill_number, s.date, s.file, s.product)


def _header_of(rejected: list[Rejected]) -> list[str]:
    return list(rejected[0].cells) if rejected else []
