"""Results of each step: match explanations, bands, tiers, reasons and the screened row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from threadline.model.entities import ReferenceEntity
from threadline.model.graph import Relation
from threadline.model.provenance import Evidence
from threadline.model.records import InputRecord


class Band(StrEnum):
    MATCH = "match"
    REVIEW = "review"
    NO_MATCH = "no match"


class Tier(StrEnum):
    PROHIBITED = "prohibited"
    HIGH = "high"
    ELEVATED = "elevated"
    NO_SIGNAL = "no signal found"

    @property
    def severity(self) -> int:
        """Higher is worse; used to pick the worst tier and to test `--fail-on`."""
        return _SEVERITY[self]


_SEVERITY = {Tier.NO_SIGNAL: 0, Tier.ELEVATED: 1, Tier.HIGH: 2, Tier.PROHIBITED: 3}


@dataclass(frozen=True, slots=True)
class FeatureScore:
    """One named comparison: its value in [0, 1] (or -1..1 for conflicts), weight and the inputs."""

    name: str
    value: float
    weight: float
    query: str = ""
    candidate: str = ""


@dataclass(frozen=True, slots=True)
class MatchExplanation:
    algorithm: str
    query_name: str
    candidate_name: str
    features: tuple[FeatureScore, ...]
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm,
            "query": self.query_name,
            "candidate": self.candidate_name,
            "note": self.note,
            "features": {
                f.name: {
                    "value": round(f.value, 4),
                    "weight": round(f.weight, 4),
                    "query": f.query,
                    "candidate": f.candidate,
                }
                for f in self.features
            },
        }

    def summary(self) -> str:
        """One line for CSV cells and tables: the features that carried the score."""
        parts = [
            f"{f.name}={f.value:.2f}"
            for f in sorted(self.features, key=lambda f: -abs(f.value * f.weight))
            if f.value != 0
        ]
        head = f"'{self.query_name}' ~ '{self.candidate_name}'"
        return head + (": " + ", ".join(parts) if parts else "")


@dataclass(frozen=True, slots=True)
class MatchResult:
    entity: ReferenceEntity
    score: float
    band: Band
    explanation: MatchExplanation


@dataclass(frozen=True, slots=True)
class PathNode:
    """An entity on an exposure path; `name` is empty when the data holds no name for the id."""

    id: str
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class PathEdge:
    """One step of an exposure path and the relation behind it. The walk runs from the screened
    supplier towards the risky entity, so it may cross a relation against its stated direction
    (a supplier's parent `owns` it: the step goes from the subsidiary to its owner)."""

    relation: Relation
    from_node: PathNode
    to_node: PathNode

    @property
    def along(self) -> bool:
        """True when the step follows the relation as written (source → target)."""
        return self.relation.source_id == self.from_node.id


@dataclass(frozen=True, slots=True)
class ExposurePath:
    """How a screened supplier connects to an entity with a prohibited signal, edge by edge."""

    edges: tuple[PathEdge, ...]

    @property
    def hops(self) -> int:
        return len(self.edges)

    @property
    def start(self) -> PathNode:
        return self.edges[0].from_node

    @property
    def end(self) -> PathNode:
        return self.edges[-1].to_node

    @property
    def nodes(self) -> tuple[PathNode, ...]:
        return (self.start, *(edge.to_node for edge in self.edges))


class DispositionDecision(StrEnum):
    """A reviewer's word on a flag. `cleared`: rebutted (with traceability documents) — the flag
    stays shown but no longer sets the tier; `confirmed` and `unsure` leave it counting."""

    CLEARED = "cleared"
    CONFIRMED = "confirmed"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A document filed with a disposition (a traceability record), known by its hash."""

    filename: str
    sha256: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Disposition:
    """A decision on one kind of flag (reason code) for one supplier name. Append-only in the
    store; later screenings apply the latest one."""

    supplier: str
    code: str
    decision: DispositionDecision
    user: str
    decided_at: str
    comment: str = ""
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    tier: Tier
    text: str
    evidence: tuple[Evidence, ...] = ()
    paths: tuple[ExposurePath, ...] = ()
    disposition: Disposition | None = None  # set when a reviewer has decided on this flag


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    tier: Tier
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class ScreenedRow:
    record: InputRecord
    matches: tuple[MatchResult, ...]
    risk: RiskAssessment


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """A reference dataset used in a run, with the attribution its licence asks for."""

    id: str
    title: str
    publisher: str
    as_of: str
    licence: str
    url: str = ""
    rows: int = 0
    attribution: str = ""


@dataclass(frozen=True, slots=True)
class ListFreshness:
    """A list's as-of date and age on the day of a run, with the warnings a report must show."""

    id: str
    title: str
    as_of: date | None
    age_days: int | None  # days between the list's as-of date and the day of the run
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RunMetadata:
    """Everything an auditor needs to reproduce a screening."""

    tool_version: str
    data_version: str
    data_as_of: dict[str, str]
    as_of: date
    algorithm: str
    match_threshold: float
    review_threshold: float
    generated_at: str
    inputs: tuple[str, ...] = ()
    datasets: tuple[DatasetInfo, ...] = ()
    methodology: tuple[tuple[str, str], ...] = ()
    # Per input file, which sheet, header row and columns were read (one line each).
    inputs_read: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    freshness: tuple[ListFreshness, ...] = ()
    max_data_age_days: int = 45

    @property
    def data_warnings(self) -> tuple[str, ...]:
        return tuple(w for f in self.freshness for w in f.warnings)
