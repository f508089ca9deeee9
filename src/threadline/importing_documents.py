"""`threadline import documents`: files → documents, mentions, findings and stated links.

Reads each file (threadline.inputs.documents), finds mentions sentence by sentence
(threadline.normalise.mentions), resolves organisation names with the matcher as bill-of-lading
parties are (a confident match links to the entity; otherwise a new documented company, with
review-band hits kept as candidate links, never merged), places facilities in
data/geo/facilities.csv where the county and kind leave one candidate, and stores it all in one
transaction. A file that cannot be read is listed and skipped; the rest of the batch lands.
People are never entities: only names with an organisational ending are resolved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from threadline.data.documents import load_mention_finder
from threadline.data.exposure import load_facility_index
from threadline.data.geo import load_gazetteer
from threadline.errors import InputError
from threadline.exposure import Facility
from threadline.importing import Names, Progress
from threadline.inputs.documents import Given, collect, read_document
from threadline.model import DatasetInfo, ReferenceEntity, Relation, RelationKind, Source
from threadline.model.documents import (
    Document,
    DocumentFinding,
    DocumentKind,
    Findings,
    Mention,
    MentionKind,
    quote,
)
from threadline.model.ids import documented_facility_id
from threadline.model.names import name_key
from threadline.model.schemas import Schema
from threadline.normalise.places import REGIONS, Gazetteer
from threadline.normalise.text import has_han
from threadline.resolution import Party, Resolver
from threadline.store import CandidateLink, Store
from threadline.store.documents import DocumentBatch, ReadDocument

_BATCH = 500  # files read, resolved and stored together


@dataclass(slots=True)
class DocumentImportReport:
    dataset: str
    files: int = 0
    added: int = 0
    unchanged: int = 0
    entities: int = 0
    findings: int = 0
    relations: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # file, why
    skipped: list[str] = field(default_factory=list)  # in folders, not a document kind
    notes: list[str] = field(default_factory=list)


def import_documents(
    store: Store,
    paths: Sequence[Path],
    given: Given | None = None,
    *,
    dataset: str = "documents",
    progress: Progress | None = None,
) -> DocumentImportReport:
    collected = collect(paths)
    report = DocumentImportReport(dataset, files=len(collected.files))
    report.failed += [(p, "no such file or folder") for p in collected.missing]
    report.skipped = [str(p) for p in collected.skipped]
    reader = _Reader(store)
    if progress is not None:
        progress.phase("importing documents", len(collected.files))

    def batches() -> Iterator[DocumentBatch]:
        files = iter(collected.files)
        seen: set[str] = set()
        while chunk := list(islice(files, _BATCH)):
            read: list[Document] = []
            for path in chunk:
                try:
                    document = read_document(path, given or Given())
                except InputError as exc:
                    report.failed.append((str(path), exc.reason))
                    continue
                if document.id in seen:
                    report.unchanged += 1
                else:
                    seen.add(document.id)
                    read.append(document)
            stored = store.known_document_ids(d.id for d in read)
            report.unchanged += len(stored)
            fresh = [d for d in read if d.id not in stored]
            if fresh:
                yield reader.batch(fresh)
            if progress is not None:
                progress.advance(len(chunk))

    info = DatasetInfo(
        id=dataset, title="Imported documents", publisher="user-supplied", as_of="", licence=""
    )
    counts = store.import_documents(info, batches())
    report.added = counts.documents.added
    report.unchanged += counts.documents.unchanged
    report.entities = counts.entities
    report.findings = counts.findings
    report.relations = counts.relations
    if reader.names is not None:
        report.notes.append(reader.names.summary())
    if reader.facilities_placed or reader.facilities_new:
        report.notes.append(
            f"{reader.facilities_placed} facility mentions placed in facilities.csv, "
            f"{reader.facilities_new} documented as named"
        )
    return report


class _Reader:
    """Mentions of a batch of documents → resolved entities, findings and relations."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.finder = load_mention_finder()
        self.gazetteer = load_gazetteer()
        self.categories = {i.id: i.category for i in self.finder.indicators}
        self.facilities = FacilityLookup(load_facility_index().facilities, self.gazetteer)
        self.names: Names | None = None  # the matcher is built only when a document is new
        self.facilities_placed = self.facilities_new = 0

    def batch(self, documents: Sequence[Document]) -> DocumentBatch:
        if self.names is None:
            self.names = Names(Resolver(self.store))
        found = [
            self.finder.find(d.text, d.publisher if d.kind is DocumentKind.COMPANY else "")
            for d in documents
        ]
        parties = [
            (_party(m), d.source(quote(d.text, f.sentences[m.sentence], m.span)[0]))
            for d, f in zip(documents, found, strict=True)
            for m in f.mentions
            if m.kind is MentionKind.ORGANISATION
        ]
        new_parties, links = self.names.resolve(parties)
        entities: dict[str, tuple[ReferenceEntity, Source]] = {e.id: (e, s) for e, s in new_parties}
        read = [self._document(d, f, entities) for d, f in zip(documents, found, strict=True)]
        return DocumentBatch(read, list(entities.values()), _links(links))

    def _document(
        self,
        document: Document,
        found: Findings,
        entities: dict[str, tuple[ReferenceEntity, Source]],
    ) -> ReadDocument:
        ids = self._entity_ids(document, found, entities)
        findings = self._indicator_findings(document, found, ids)
        relations: list[Relation] = []
        for stated in found.relations:
            subject, obj = ids[stated.subject], ids[stated.object]
            if not subject or not obj or subject == obj:
                continue
            said, span = quote(document.text, found.sentences[stated.sentence])
            source = document.source(said)
            # A contract awarded is goods or services going from the winner to the buyer.
            awarded = stated.kind == "awarded_contract"
            kind = RelationKind.SUPPLIES if awarded else RelationKind(stated.kind)
            relations.append(
                Relation("", kind, subject, obj, description=stated.cue, sources=(source,))
            )
            ends = (found.mentions[stated.subject], found.mentions[stated.object])
            if ends[0].kind is MentionKind.ORGANISATION and ends[1].kind is MentionKind.FACILITY:
                region = self._regions(found).get(stated.sentence, "")
                terms = f"{stated.cue}: {ends[1].text}"
                findings.append(
                    DocumentFinding(
                        entity_id=subject,
                        document_id=document.id,
                        category="camp_contract",
                        label=stated.kind,
                        terms=terms,
                        region=region,
                        source=source,
                        quote_span=span,
                    )
                )
        return ReadDocument(
            document, list(zip(found.mentions, ids, strict=True)), findings, relations
        )

    def _entity_ids(
        self,
        document: Document,
        found: Findings,
        entities: dict[str, tuple[ReferenceEntity, Source]],
    ) -> list[str]:
        """Per mention, the entity it names ('' for places and terms); facilities met for the
        first time are added to `entities`, citing the sentence that names them."""
        assert self.names is not None  # set by `batch`
        ids: list[str] = []
        for mention in found.mentions:
            if mention.kind is MentionKind.ORGANISATION:
                ids.append(self.names.entity_id(_party(mention)))
            elif mention.kind is MentionKind.FACILITY:
                entity = self._facility(mention)
                cited = document.source(quote(document.text, found.sentences[mention.sentence])[0])
                entities.setdefault(entity.id, (entity, cited))
                ids.append(entity.id)
            else:
                ids.append("")
        return ids

    def _indicator_findings(
        self, document: Document, found: Findings, ids: Sequence[str]
    ) -> list[DocumentFinding]:
        """A finding for each organisation and each indicator term in one sentence."""
        regions = self._regions(found)
        by_sentence: dict[int, list[int]] = {}
        for i, mention in enumerate(found.mentions):
            by_sentence.setdefault(mention.sentence, []).append(i)
        out: list[DocumentFinding] = []
        for index, members in by_sentence.items():
            named = dict.fromkeys(
                ids[i] for i in members if found.mentions[i].kind is MentionKind.ORGANISATION
            )
            for i in members:
                term = found.mentions[i]
                if term.kind is not MentionKind.INDICATOR or not named:
                    continue
                said, span = quote(document.text, found.sentences[index], term.span)
                category = self.categories[term.label]
                region = regions.get(index, "")
                out += [
                    DocumentFinding(
                        entity_id=entity_id,
                        document_id=document.id,
                        category=category,
                        label=term.label,
                        terms=term.text,
                        region=region,
                        source=document.source(said),
                        quote_span=span,
                    )
                    for entity_id in named
                ]
        return out

    def _regions(self, found: Findings) -> dict[int, str]:
        """Per sentence, the region of concern named in it or in the sentence either side."""
        named: dict[int, str] = {}
        for mention in found.mentions:
            if mention.kind is MentionKind.PLACE:
                place = self.gazetteer.get(mention.label)
                if place is not None and place.region in REGIONS:
                    named.setdefault(mention.sentence, place.region)
        return {
            i: region
            for i in range(len(found.sentences))
            for region in [next((named[j] for j in (i, i - 1, i + 1) if j in named), "")]
            if region
        }

    def _facility(self, mention: Mention) -> ReferenceEntity:
        placed = self.facilities.find(mention.text, mention.label)
        if placed is not None:
            self.facilities_placed += 1
            names_zh = (placed.name_zh,) if placed.name_zh else ()
            return ReferenceEntity(
                id=placed.id,
                schema=Schema.FACILITY.value,
                name=placed.name,
                names_zh=names_zh,
                country="CN",
                address=placed.county,
                notes=f"{placed.kind_label}; {placed.source_dataset}",
                extra=(("latitude", f"{placed.lat:.6f}"), ("longitude", f"{placed.lon:.6f}")),
            )
        self.facilities_new += 1
        return ReferenceEntity(
            id=documented_facility_id(mention.text),
            schema=Schema.FACILITY.value,
            name=mention.text,
            country="CN",
            notes=f"documented {mention.label.replace('_', ' ')}, not in facilities.csv",
        )


class FacilityLookup:
    """A facility mention → the one facilities.csv row it names: by its exact name, else by
    the county it names and its kind when that leaves one site (an OSM row duplicating an
    ASPI one counts once)."""

    def __init__(self, facilities: Iterable[Facility], gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.by_name: dict[str, Facility] = {}
        self.by_county: dict[tuple[str, str], list[Facility]] = {}
        for facility in facilities:
            for name in (facility.name, facility.name_zh):
                if name:
                    self.by_name.setdefault(name_key(name), facility)
            place = gazetteer.resolve(facility.county) if facility.county else None
            if place is not None and not facility.same_site_as:
                self.by_county.setdefault((place.id, facility.kind), []).append(facility)

    def find(self, text: str, kind: str) -> Facility | None:
        exact = self.by_name.get(name_key(text))
        if exact is not None:
            return exact
        counties = [
            m.place.id
            for m in self.gazetteer.find(text)
            if m.place.level == "county" and (m.qualified or not m.ambiguous)
        ]
        if len(set(counties)) != 1:
            return None
        sites = self.by_county.get((counties[0], kind), [])
        return sites[0] if len(sites) == 1 else None


def _party(mention: Mention) -> Party:
    return Party(mention.text, "CN" if has_han(mention.text) else "")


def _links(links: Sequence[CandidateLink]) -> list[CandidateLink]:
    return list({(link.entity_id, link.candidate_id): link for link in links}.values())
