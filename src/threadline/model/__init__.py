"""Shared vocabulary of every step. Plain frozen dataclasses: cheap in hot loops, no I/O."""

from threadline.model.entities import ListEffect, Listing, ReferenceEntity
from threadline.model.graph import Relation, RelationKind, Shipment
from threadline.model.provenance import Evidence, Reliability, Source
from threadline.model.records import InputRecord
from threadline.model.results import (
    Band,
    DatasetInfo,
    FeatureScore,
    MatchExplanation,
    MatchResult,
    Reason,
    RiskAssessment,
    RunMetadata,
    ScreenedRow,
    Tier,
)

__all__ = [
    "Band",
    "DatasetInfo",
    "Evidence",
    "FeatureScore",
    "InputRecord",
    "ListEffect",
    "Listing",
    "MatchExplanation",
    "MatchResult",
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
