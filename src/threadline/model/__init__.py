"""Shared vocabulary of every step. Plain frozen dataclasses: cheap in hot loops, no I/O."""

from threadline.model.entities import ListEffect, Listing, ReferenceEntity
from threadline.model.graph import LOCATED_IN, Relation, RelationKind, Shipment
from threadline.model.identity import Consolidated, SameAs, consolidate
from threadline.model.provenance import Evidence, Reliability, Source, SourceKind
from threadline.model.records import CertificationClaim, InputRecord
from threadline.model.results import (
    Attachment,
    Band,
    DatasetInfo,
    Disposition,
    DispositionDecision,
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
    "LOCATED_IN",
    "Attachment",
    "Band",
    "CertificationClaim",
    "Consolidated",
    "DatasetInfo",
    "Disposition",
    "DispositionDecision",
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
