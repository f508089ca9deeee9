"""Shared vocabulary of every step. Plain frozen dataclasses: cheap in hot loops, no I/O."""

from threadline.model.entities import ListEffect, Listing, ReferenceEntity
from threadline.model.graph import Relation, RelationKind, Shipment
from threadline.model.identity import Consolidated, SameAs, consolidate
from threadline.model.provenance import Evidence, Reliability, Source, SourceKind
from threadline.model.records import InputRecord
from threadline.model.results import (
    Band,
    DatasetInfo,
    ExposurePath,
    FeatureScore,
    ListFreshness,
    MatchExplanation,
    MatchResult,
    PathEdge,
    PathNode,
    Reason,
    RiskAssessment,
    RunMetadata,
    ScreenedRow,
    Tier,
)

__all__ = [
    "Band",
    "Consolidated",
    "DatasetInfo",
    "Evidence",
    "ExposurePath",
    "FeatureScore",
    "InputRecord",
    "ListEffect",
    "ListFreshness",
    "Listing",
    "MatchExplanation",
    "MatchResult",
    "PathEdge",
    "PathNode",
    "Reason",
    "ReferenceEntity",
    "Relation",
    "RelationKind",
    "Reliability",
    "RiskAssessment",
    "RunMetadata",
    "SameAs",
    "ScreenedRow",
    "Shipment",
    "Source",
    "SourceKind",
    "Tier",
    "consolidate",
]
