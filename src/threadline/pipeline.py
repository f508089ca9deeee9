"""Wires the steps: reference data → matcher → places → exposure → evidence → screened rows.

The only module that imports every step. It does no file I/O itself: the CLI and the API read
inputs and write reports; this module takes records and entities and returns results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TypedDict, Unpack

from threadline import __version__
from threadline.data.documents import load_document_rules, rationale
from threadline.data.exposure import load_facility_index, load_sector_map
from threadline.data.geo import load_gazetteer
from threadline.data.lists import (
    bundled_entities_by_list,
    bundled_lists,
    data_version,
    load_same_as,
)
from threadline.data.rules import DEFAULT_ALGORITHM, load_algorithm, load_tier_rules
from threadline.data.source_rules import Classified, load_source_rules
from threadline.data.vocab import load_normaliser
from threadline.decide import (
    FlagKey,
    ReviewDecision,
    apply_dispositions,
    apply_review,
    disposition_key,
    resolve_decisions,
)
from threadline.evidence import assess
from threadline.exposure import (
    DocumentRules,
    FacilityIndex,
    RelationGraph,
    SectorMap,
    Target,
    TierRules,
    describe_documents,
    describe_exposure,
    document_signals,
    facility_signals,
    link_signals,
    listed_targets,
    place_signals,
    placed_targets,
    sector_signals,
    signals,
    site,
)
from threadline.index_cache import cached_reference_matcher
from threadline.matching import Matcher, Query
from threadline.model import (
    Band,
    CertificationClaim,
    DatasetInfo,
    Disposition,
    Evidence,
    InputRecord,
    MatchResult,
    Reason,
    ReferenceEntity,
    Relation,
    RiskAssessment,
    RunMetadata,
    SameAs,
    ScreenedRow,
    SourceKind,
    Tier,
    consolidate,
)
from threadline.model.documents import DocumentFinding
from threadline.model.freshness import DEFAULT_MAX_AGE_DAYS, list_freshness
from threadline.model.names import name_key
from threadline.model.schemas import SCREENED_SCHEMAS
from threadline.normalise.names import NameNormaliser
from threadline.normalise.places import Gazetteer
from threadline.score import Algorithm
from threadline.store import Store, SyncReport
from threadline.store.certifications import Certifications
from threadline.store.dispositions import Dispositions

Progress = Callable[[int], None]
IndexCache = Callable[
    [Sequence[ReferenceEntity], Algorithm, Callable[[], Matcher]], tuple[Matcher, bool]
]
_BATCH = 2000


def ensure_reference_data(store: Store) -> list[SyncReport]:
    """Load the bundled lists into the store the first time, and again when they change — except
    a list refreshed from an official file at least as recent as the bundled snapshot, which the
    snapshot must not overwrite (`threadline data update`)."""
    version = data_version()
    reports = []
    loads = store.latest_loads()
    for meta in bundled_lists():
        load = loads.get(meta.id)
        if load is not None and load.file_date.isoformat() >= meta.as_of:
            continue
        if store.dataset_version(meta.id) != version:
            reports.append(
                store.sync(meta.info(), version, bundled_entities_by_list(meta), bundled=True)
            )
    return reports


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """What screening reads besides the entities: the name normaliser, the gazetteer, the tier
    and document rules, the sector map, the facility index and the reviewed same-company links."""

    normaliser: NameNormaliser
    gazetteer: Gazetteer
    rules: TierRules
    document_rules: DocumentRules
    sectors: SectorMap
    facilities: FacilityIndex
    same_as: tuple[SameAs, ...]


def packaged_reference() -> ReferenceData:
    """The packaged reference data (each file is read once per process)."""
    return ReferenceData(
        normaliser=load_normaliser(),
        gazetteer=load_gazetteer(),
        rules=load_tier_rules(),
        document_rules=load_document_rules(),
        sectors=load_sector_map(),
        facilities=load_facility_index(),
        same_as=load_same_as(),
    )


class RunInputs(TypedDict, total=False):
    """One screening's own inputs, given per call (`screen`, `Screener.run`); one left out, or
    None, is the reference's own — for `build_screener`, what the store held when it was built."""

    decisions: Mapping[tuple[str, str], ReviewDecision] | None  # (name key, entity) → verdict
    algorithm: Algorithm | str | None  # the matching algorithm, by name or loaded
    findings: Mapping[str, Sequence[DocumentFinding]] | None  # what documents say, by entity
    dispositions: Mapping[FlagKey, Disposition] | None  # analysts' word on earlier flags
    certifications: Mapping[str, tuple[CertificationClaim, ...]] | None  # by supplier key
    max_hops: int | None  # how far links are followed (else the rules' setting)


@dataclass
class Screener:
    """A reference set ready to screen against, reusable across batches, requests and runs:
    `screen(records, reference=screener, as_of=...)` screens with it and never changes it.

    `relations` link entities (ownership, supply, shipments, sites); `graph_entities` are those
    known only as ends of relations (shipment parties), looked up by id and name but not matched.
    `reference` is the reference data read besides the entities (the packaged files unless given).
    The per-run inputs given here — `decisions`, `algorithm_name`, `max_hops` (overriding the
    rules' setting for how far links are followed), `findings` (what imported documents say of
    entities, by entity id), `dispositions` and `certifications` — are only a run's defaults:
    `build_screener` fills them with what the store holds, and each call of `screen` may give
    its own.
    """

    entities: Sequence[ReferenceEntity]
    datasets: Sequence[DatasetInfo]
    decisions: Mapping[tuple[str, str], ReviewDecision]
    algorithm_name: str = DEFAULT_ALGORITHM
    relations: Sequence[Relation] = ()
    graph_entities: Sequence[ReferenceEntity] = ()
    max_hops: int | None = None
    # Reviewed same-company links (None: the reference data's; () for none).
    same_as: Sequence[SameAs] | None = None
    data_version: str = ""  # the store's (bundled lists and official files loaded); "" = packaged
    findings: Mapping[str, Sequence[DocumentFinding]] = field(default_factory=dict)
    dispositions: Mapping[FlagKey, Disposition] = field(default_factory=dict)
    # Certification claims recorded for suppliers, by supplier key: shown, never counted.
    certifications: Mapping[str, tuple[CertificationClaim, ...]] = field(default_factory=dict)
    # Where the name index comes from: None builds it here; build_screener keeps it in the
    # user's cache (index_cache.py), the one piece of a screener worth keeping between runs.
    index_cache: IndexCache | None = None
    reference: ReferenceData = field(default_factory=packaged_reference)

    @property
    def hops(self) -> int:
        """How far links are followed: the caller's setting, else the rules'."""
        return self.rules.links.max_hops if self.max_hops is None else self.max_hops

    def __post_init__(self) -> None:
        # One entity per company, carrying every list's listing; relations and review
        # decisions about a folded entry follow it to the entity it joined.
        reference = self.reference
        links = reference.same_as if self.same_as is None else self.same_as
        self.identity = consolidate(self.entities, links)
        self.entities = self.identity.entities
        self.relations = self.identity.relations(self.relations)
        self.decisions = resolve_decisions(self.decisions, self.identity.resolve)
        self.algorithm = load_algorithm(self.algorithm_name)
        screened = [e for e in self.entities if e.schema in SCREENED_SCHEMAS]

        def build() -> Matcher:
            return Matcher(screened, reference.normaliser, self.algorithm)

        cached = self.index_cache
        self.matcher = build() if cached is None else cached(screened, self.algorithm, build)[0]
        self.gazetteer = reference.gazetteer
        self.rules = reference.rules
        self.document_rules = reference.document_rules
        self.sectors = reference.sectors
        self.facilities = reference.facilities
        self.lookup = {e.id: e for e in [*self.graph_entities, *self.entities]}
        for folded, kept in self.identity.canonical.items():
            self.lookup[folded] = self.lookup[kept]
        self._graphs: dict[dt.date, tuple[RelationGraph, dict[str, Target]]] = {}
        self._nodes_by_key: dict[str, set[str]] = {}
        # Graph entities by exact name, registration number or id, to find a supplier that the
        # reference data does not hold (a shipment party) in the graph.
        nodes = {i for r in self.relations for i in (r.source_id, r.target_id)}
        for node_id in nodes:
            entity = self.lookup.get(node_id)
            keys = (node_id, *entity.all_names, *entity.identifiers) if entity else (node_id,)
            for key in keys:
                self._nodes_by_key.setdefault(name_key(key), set()).add(node_id)

    def run(self, *, as_of: dt.date, **inputs: Unpack[RunInputs]) -> ScreeningRun:
        """One screening's own inputs over this reference (see `screen`); the screener itself
        is left as it is, so runs with other dates, decisions or algorithms can share it."""
        decisions = inputs.get("decisions")
        algorithm = inputs.get("algorithm")
        findings = inputs.get("findings")
        dispositions = inputs.get("dispositions")
        certifications = inputs.get("certifications")
        max_hops = inputs.get("max_hops")
        return ScreeningRun(
            reference=self,
            as_of=as_of,
            decisions=(
                self.decisions
                if decisions is None
                else resolve_decisions(decisions, self.identity.resolve)
            ),
            algorithm=(
                self.algorithm
                if algorithm is None
                else load_algorithm(algorithm)
                if isinstance(algorithm, str)
                else algorithm
            ),
            findings=self.findings if findings is None else findings,
            dispositions=self.dispositions if dispositions is None else dispositions,
            certifications=self.certifications if certifications is None else certifications,
            hops=self.hops if max_hops is None else max_hops,
        )

    def graph(self, as_of: dt.date) -> tuple[RelationGraph, dict[str, Target]]:
        """The relations active at `as_of` and the targets among their entities, built once."""
        if as_of not in self._graphs:
            graph = RelationGraph(
                self.relations, as_of, {i: e.name for i, e in self.lookup.items()}
            )
            self._graphs[as_of] = (graph, self._targets(graph, as_of))
        return self._graphs[as_of]

    def _targets(self, graph: RelationGraph, as_of: dt.date) -> dict[str, Target]:
        """Graph entities with a prohibited signal: listed, at an XUAR address, or a facility."""
        in_graph = [self.lookup[i] for i in graph.ids if i in self.lookup]
        targets = listed_targets(in_graph, as_of, self.rules)
        targets.update(
            placed_targets(in_graph, graph.ids, self.gazetteer, self.facilities, targets)
        )
        return targets

    def start_nodes(self, record: InputRecord, matches: Sequence[MatchResult]) -> set[str]:
        """Where a supplier's links begin: its confident matches, and the graph entities that
        carry its exact name or registration number."""
        nodes = {m.entity.id for m in matches if m.band is Band.MATCH}
        for value in (record.name, *record.other_names, record.identifier):
            if value:
                nodes |= self._nodes_by_key.get(name_key(value), set())
        return nodes


def screen(
    records: Sequence[InputRecord],
    *,
    reference: Screener,
    as_of: dt.date,
    progress: Progress | None = None,
    **inputs: Unpack[RunInputs],
) -> list[ScreenedRow]:
    """Screen `records` against `reference` as of `as_of`: one row each, in order.

    The `inputs` (`RunInputs`: decisions, algorithm, findings, dispositions, certifications,
    max_hops) belong to this call alone; one left out is the reference's own. Nothing is changed
    on `reference`, so one reference serves any number of runs with other dates, decisions or
    algorithms, in turn or at once. A caller screening several batches with the same inputs, or
    describing its run in a report, keeps `reference.run(as_of=..., **inputs)` instead."""
    return reference.run(as_of=as_of, **inputs).screen(records, progress)


@dataclass(frozen=True, slots=True)
class ScreeningRun:
    """A reference and one screening's own inputs (`Screener.run`): screens any number of
    batches alike and describes itself in the report's metadata. Decisions are keyed by the
    entities their entries joined, as the reference consolidated them."""

    reference: Screener
    as_of: dt.date
    decisions: Mapping[tuple[str, str], ReviewDecision]
    algorithm: Algorithm
    findings: Mapping[str, Sequence[DocumentFinding]]
    dispositions: Mapping[FlagKey, Disposition]
    certifications: Mapping[str, tuple[CertificationClaim, ...]]
    hops: int

    def screen(
        self, records: Sequence[InputRecord], progress: Progress | None = None
    ) -> list[ScreenedRow]:
        ref, as_of = self.reference, self.as_of
        rules = ref.rules
        out: list[ScreenedRow] = []
        for start in range(0, len(records), _BATCH):
            batch = records[start : start + _BATCH]
            matched = [
                apply_review(record.name, matches if record.name else [], self.decisions)
                for record, matches in zip(batch, self._match_names(batch), strict=True)
            ]
            graph, targets = ref.graph(as_of)
            starts = [ref.start_nodes(r, m) for r, m in zip(batch, matched, strict=True)]
            walked = graph.walk(
                starts,
                targets,
                self.hops,
                rules.links.max_paths,
            )
            near = ref.facilities.near(
                [site(ref.gazetteer, record) for record in batch],
                rules.facilities.distance_km,
                rules.facilities.max_reported,
            )
            rows = zip(batch, matched, walked, near, starts, strict=True)
            for given, matches, hits, facilities, origin in rows:
                record = self._with_claims(given)
                if record.unscreenable:
                    out.append(_unscreened(record))
                    continue
                found = [
                    *signals(matches, place_signals(ref.gazetteer, record), as_of, rules),
                    *link_signals(hits, targets, rules),
                    *facility_signals(facilities, rules),
                    *sector_signals(
                        ref.sectors.find(record.hs_code, record.product, as_of),
                        record.country,
                        rules,
                    ),
                    *document_signals(
                        (
                            f
                            for entity_id in sorted(origin)
                            for f in self.findings.get(entity_id, ())
                        ),
                        ref.document_rules,
                        rationale,
                    ),
                ]
                risk = apply_dispositions(
                    record.name or record.address,
                    _classify_evidence(assess(found, as_of)),
                    self.dispositions,
                )
                out.append(ScreenedRow(record=record, matches=tuple(matches), risk=risk))
            if progress is not None:
                progress(len(batch))
        return out

    def _with_claims(self, record: InputRecord) -> InputRecord:
        """The record with the certification claims recorded for its supplier added."""
        if not self.certifications:
            return record
        stored = self.certifications.get(disposition_key(record.name or record.address, "")[0], ())
        return (
            replace(record, certifications=(*record.certifications, *stored)) if stored else record
        )

    def _match_names(self, batch: Sequence[InputRecord]) -> list[list[MatchResult]]:
        """Each row's matches over all its names (English and Chinese columns): an entity found
        under several names keeps its best score, best first."""
        owners: list[int] = []
        queries: list[Query] = []
        for index, record in enumerate(batch):
            for name in (record.name, *record.other_names):
                owners.append(index)
                queries.append(Query(name, record.country, record.identifier))
        best: list[dict[str, MatchResult]] = [{} for _ in batch]
        answers = self.reference.matcher.match(queries, algorithm=self.algorithm)
        for owner, results in zip(owners, answers, strict=True):
            for result in results:
                kept = best[owner].get(result.entity.id)
                if kept is None or result.score > kept.score:
                    best[owner][result.entity.id] = result
        return [sorted(found.values(), key=lambda m: -m.score) for found in best]

    def metadata(
        self,
        inputs: Sequence[str],
        max_age_days: int = DEFAULT_MAX_AGE_DAYS,
        inputs_read: Sequence[str] = (),
    ) -> RunMetadata:
        ref, as_of = self.reference, self.as_of
        today = dt.date.today()
        return RunMetadata(
            tool_version=__version__,
            data_version=ref.data_version or data_version(),
            data_as_of={d.id: d.as_of for d in ref.datasets},
            as_of=as_of,
            algorithm=self.algorithm.label,
            match_threshold=self.algorithm.match_threshold,
            review_threshold=self.algorithm.review_threshold,
            generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            inputs=tuple(inputs),
            inputs_read=tuple(inputs_read),
            datasets=tuple(ref.datasets),
            methodology=(
                *self.algorithm.describe(),
                *describe_exposure(
                    ref.rules,
                    self.hops,
                    len(ref.relations),
                    ref.facilities,
                    ref.sectors,
                    as_of,
                ),
                describe_documents(
                    ref.document_rules,
                    sum(len(found) for found in self.findings.values()),
                    len(self.findings),
                ),
            ),
            freshness=list_freshness(
                ref.datasets, today=today, screening_as_of=as_of, max_age_days=max_age_days
            ),
            max_data_age_days=max_age_days,
        )


def _classify_evidence(risk: RiskAssessment) -> RiskAssessment:
    """Evidence the rules and exposure data cite (the law, a sector designation, a facility's
    source, an imported relation's) is classified by its address like list sources are."""
    reasons = []
    for reason in risk.reasons:
        evidence = tuple(_classified(item) for item in reason.evidence)
        reasons.append(
            reason if evidence == reason.evidence else replace(reason, evidence=evidence)
        )
    return replace(risk, reasons=tuple(reasons))


def _classified(item: Evidence) -> Evidence:
    if item.kind is not SourceKind.UNCLASSIFIED or not item.source_url.startswith("http"):
        return item
    found = _classify(item.source_url, item.title)
    if found is None:
        return item
    return replace(
        item,
        kind=found.kind,
        reliability=found.reliability,
        publisher=item.publisher or found.publisher,
        date=item.date or found.date,
    )


@lru_cache(maxsize=4096)
def _classify(url: str, title: str) -> Classified | None:
    return load_source_rules().classify(url, title)


def _unscreened(record: InputRecord) -> ScreenedRow:
    """A row that could not be screened keeps its place in the results, saying why."""
    reason = Reason(
        code="NOT_SCREENED", tier=Tier.NO_SIGNAL, text=f"Not screened: {record.unscreenable}."
    )
    return ScreenedRow(record=record, matches=(), risk=RiskAssessment(Tier.NO_SIGNAL, (reason,)))


def build_screener(
    store: Store,
    extra_entities: Sequence[ReferenceEntity] = (),
    extra_datasets: Sequence[DatasetInfo] = (),
    relations: Sequence[Relation] = (),
) -> Screener:
    """A screener over everything the store holds — lists, imported entities and the relations
    between them (ownership, supply, shipments) — plus the caller's extra reference data. The
    store's review decisions, findings, dispositions and certifications as they stand now are
    its runs' defaults."""
    return Screener(
        entities=[*store.load_entities(), *extra_entities],
        datasets=[*store.dataset_infos(), *extra_datasets],
        decisions=store.decisions(),
        relations=[*store.load_relations(), *relations],
        data_version=store.data_version(data_version()),
        findings=store.document_findings(),
        dispositions=Dispositions(store).latest(),
        certifications=Certifications(store).by_supplier(),
        index_cache=cached_reference_matcher,
    )
