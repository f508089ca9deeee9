"""Shared vocabulary of every step. Plain frozen dataclasses: cheap in hot loops, no I/O."""

from threadline.model.entities import ListEffect, Listing, ReferenceEntity
from threadline.model.graph import LOCATED_IN, Relation, RelationKind, Shipment
from threadline.model.provenance import Evidence, Reliability, Source
from threadline.model.records import CertificationClaim, InputRecord
from threadline.model.results import (
    Attachment,
    Band,
    DatasetInfo,
    Disposition,
    DispositionDecision,
    ExposurePath,
    FeatureScore,
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
    "DatasetInfo",
    "Disposition",
    "DispositionDecision",
    "Evidence",
    "ExposurePath",
    "FeatureScore",
    "InputRecord",
    "ListEffect",
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
    "ScreenedRow",
    "Shipment",
    "Source",
    "Tier",
]
