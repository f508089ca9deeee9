"""`threadline import`: user files → the store, counted, with bad rows set aside as rejects.

Wires the readers (threadline.inputs), name resolution (threadline.resolution) and the store.
Each import is one transaction: a file that cannot be read, or a store error, leaves the store
as it was; a bad row is rejected and the good rows land. Re-running an import changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import wraps
from itertools import islice
from pathlib import Path
from typing import ParamSpec, Protocol, TypeVar

from threadline import limits
from threadline.data.geo import load_gazetteer
from threadline.data.vocab import load_normaliser
from threadline.inputs.dates import DateOrder
from threadline.inputs.ftm import read_ftm
from threadline.inputs.reference import read_reference_table
from threadline.inputs.rejects import Rejected
from threadline.inputs.relations import RelationRow, open_relations
from threadline.inputs.shipments import ShipmentRow, open_shipments
from threadline.model import (
    LOCATED_IN,
    DatasetInfo,
    ListEffect,
    ReferenceEntity,
    Relation,
    RelationKind,
    Reliability,
    Source,
)
from threadline.model.ids import party_id
from threadline.model.schemas import Schema
from threadline.resolution import Party, Resolver
from threadline.store import (
    CandidateLink,
    ImportCounts,
    ResolvedBatch,
    Store,
    StoredShipment,
    bill_source,
)
from threadline.store.repository import retrying

_BATCH = 5000  # bills read, resolved and stored together


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


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _retried(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """An import that lost to a concurrent writer (SQLite's lock, or another process storing the
    same file) runs again from the file: its transaction left nothing, and the rerun finds the
    other's rows and merges with them (counted unchanged) instead of failing."""

    @wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        return retrying(lambda: function(*args, **kwargs))

    return run


@_retried
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


@_retried
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
    kept = [e for e in read.entities if e.schema != Schema.PERSON or e.listings]
    kept_ids = {e.id for e in kept}
    relations = [r for r in read.relations if {r.source_id, r.target_id} <= kept_ids]
    persons_skipped = len(read.entities) - len(kept)
    links_skipped = len(read.relations) - len(relations)
    # A link `located_at` a party that is only a place ("Aksu, Xinjiang": no listing, no
    # identifier) is the company's location, as in `import relations`; the place is no party.
    places = {
        e.id: e.name
        for e in kept
        if not e.listings and not e.identifiers and _is_place(e.name, set())
    }
    placed = [r for r in relations if r.kind is RelationKind.LOCATED_AT and r.target_id in places]
    relations = [r for r in relations if r not in placed]
    linked = {end for r in relations for end in (r.source_id, r.target_id)}
    unplaced = {r.target_id for r in placed} - linked
    kept = [e for e in kept if e.id not in unplaced]
    # Links to an Address entity, from parties that are imported.
    located = [(p, text, sources) for p, text, sources in read.located if p in kept_ids - unplaced]
    info = _user_dataset(dataset_id, path.name)
    counts = store.import_entities(info, kept, relations)
    counts.statements += store.add_statements(
        info,
        [
            *(
                (r.source_id, LOCATED_IN, places[r.target_id], s)
                for r in placed
                for s in r.sources[:1]
            ),
            *((p, LOCATED_IN, text, s) for p, text, sources in located for s in sources[:1]),
        ],
    )
    notes = [f"{n} {schema} not imported" for schema, n in sorted(read.ignored.items())]
    if placed or located:
        notes.append(
            f"{len(placed) + len(located)} located_at a place: recorded as the company's "
            "location, not a party"
        )
    if persons_skipped:
        notes.append(f"{persons_skipped} Person not on any sanctions list skipped")
    if links_skipped:
        notes.append(f"{links_skipped} links to skipped persons left out")
    return ImportReport(str(path), dataset_id, counts, rejected, ["line", "json"], notes)


@_retried
def import_shipments(
    store: Store,
    path: Path,
    *,
    columns: dict[str, str] | None = None,
    dataset: str = "shipments",
    progress: Progress | None = None,
    date_order: DateOrder | None = None,
) -> ImportReport:
    """Bills of lading, streamed in batches: each batch's shippers and consignees not seen
    before are resolved (once per distinct name and country), then its bills are stored.
    Memory holds one batch and the names seen, whatever the size of the file. `date_order`
    reads day-and-month dates such as 03/02/2026 (else refused as ambiguous)."""
    bills = open_shipments(path, columns, date_order)
    names = Names(Resolver(store))
    rejected: list[Rejected] = []
    total = 0
    if progress is not None:
        progress.phase("importing bills", None)

    def batches() -> Iterator[ResolvedBatch]:
        nonlocal total
        rows = bills.rows()
        while chunk := list(islice(rows, _BATCH)):
            total += len(chunk)
            good = [read for read in chunk if not isinstance(read, Rejected)]
            rejected.extend(read for read in chunk if isinstance(read, Rejected))
            parties, links = names.resolve(_unseen_parties(good, names))
            ids = names.ids
            shipments = [
                StoredShipment(
                    "",
                    read.shipment,
                    ids[party_id(read.shipment.shipper_name, read.shipper_country)],
                    ids[party_id(read.shipment.consignee_name, read.consignee_country)],
                )
                for read in good
            ]
            yield ResolvedBatch(parties=parties, links=links, shipments=shipments)
            if progress is not None:
                progress.advance(len(chunk))

    info = _user_dataset(dataset, "Imported bills of lading")
    counts = store.import_resolved(info, batches())
    report = ImportReport(str(path), info.id, counts, rejected, bills.table.header, total=total)
    report.notes.append(names.summary())
    return report


@_retried
def import_relations(store: Store, path: Path, *, dataset: str = "relations") -> ImportReport:
    """Relations between entities named by id or by name; names are resolved like shippers."""
    table = open_relations(path)
    rejected: list[Rejected] = []
    rows: list[RelationRow] = []
    most = limits.current().rows
    total = 0
    for read in table.rows():
        total += 1
        if total > most:  # every relation is kept until all are resolved and stored together
            raise limits.breach("too many data rows", most, "rows", file=str(path), row=read.row)
        if isinstance(read, Rejected):
            rejected.append(read)
        else:
            rows.append(read)
    by_id = store.known_entity_ids(ref for row in rows for ref in (row.source_ref, row.target_ref))
    # A company `located_at` a place ("Aksu, Xinjiang") is a fact about the company, not a link
    # to a party named after the place.
    placed = [
        r for r in rows if r.kind is RelationKind.LOCATED_AT and _is_place(r.target_ref, by_id)
    ]
    rows = [r for r in rows if r not in placed]
    names = Names(Resolver(store))
    parties, links = names.resolve(
        (Party(ref), source)
        for ref, source in [
            *((ref, row.source) for row in rows for ref in (row.source_ref, row.target_ref)),
            *((row.source_ref, row.source) for row in placed),
        ]
        if ref not in by_id
    )

    def end(ref: str) -> str:
        return ref if ref in by_id else names.entity_id(Party(ref))

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
    info = _user_dataset(dataset, "Imported relations")
    counts = store.import_resolved(info, [ResolvedBatch(parties, links, relations)])
    located = store.add_statements(
        info, [(end(r.source_ref), LOCATED_IN, r.target_ref, r.source) for r in placed]
    )
    counts.statements += located
    report = ImportReport(str(path), info.id, counts, rejected, table.table.header)
    report.notes.append(names.summary())
    if placed:
        report.notes.append(
            f"{len(placed)} located_at a place: recorded as the company's location, not a party"
        )
    report.total = total
    return report


def _is_place(ref: str, by_id: set[str]) -> bool:
    """A reference that is a place and nothing more: the gazetteer knows it, and it has no
    word of a company's name left (no distinctive word, trade or legal form)."""
    if ref in by_id:
        return False
    key = load_normaliser().key(ref)
    if key.tokens or key.concepts or key.legal_forms:
        return False
    return bool(load_gazetteer().find(ref))


class Names:
    """Names resolved so far in one import (party id → entity id), and what came of them."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.ids: dict[str, str] = {}
        self.matched = self.new = self.links = 0

    def resolve(
        self, named: Iterable[tuple[Party, Source]]
    ) -> tuple[list[tuple[ReferenceEntity, Source]], list[CandidateLink]]:
        """Resolve the names not seen before; return the new parties and candidate links."""
        fresh: dict[str, tuple[Party, Source]] = {}
        for party, source in named:
            key = party_id(party.name, party.country)
            if key not in self.ids and key not in fresh:
                fresh[key] = (party, source)
        found = self.resolver.resolve([party for party, _ in fresh.values()])
        parties: list[tuple[ReferenceEntity, Source]] = []
        links: list[CandidateLink] = []
        for (key, (_, source)), resolution in zip(fresh.items(), found, strict=True):
            self.ids[key] = resolution.entity_id
            if resolution.new_entity is None:
                self.matched += 1
            else:
                parties.append((resolution.new_entity, source))
                links.extend(resolution.candidates)
        self.new += len(parties)
        self.links += len(links)
        return parties, links

    def entity_id(self, party: Party) -> str:
        return self.ids[party_id(party.name, party.country)]

    def summary(self) -> str:
        return (
            f"{len(self.ids)} distinct names: {self.matched} resolved to stored entities, "
            f"{self.new} new parties, {self.links} candidate links to review"
        )


def _unseen_parties(rows: Iterable[ShipmentRow], names: Names) -> Iterator[tuple[Party, Source]]:
    """Shippers and consignees not resolved yet, each with the bill that names it; a bill's
    source is made only for these, not for every row."""
    for read in rows:
        s = read.shipment
        for party in (
            (s.shipper_name, read.shipper_country, s.shipper_address),
            (s.consignee_name, read.consignee_country, s.consignee_address),
        ):
            if party_id(party[0], party[1]) not in names.ids:
                yield Party(*party), _cited(read)


def _cited(read: ShipmentRow) -> Source:
    s = read.shipment
    return bill_source(s.bill_number, s.date, s.file, s.product)


def _header_of(rejected: list[Rejected]) -> list[str]:
    return list(rejected[0].cells) if rejected else []
