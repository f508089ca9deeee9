"""API models (pydantic), kept apart from the core's dataclasses. The matching models follow
yente's JSON shapes field for field, so its clients parse our answers unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class _Aliased(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class EntityExample(_Aliased):
    id: str | None = Field(None, examples=["my-supplier-1"])
    schema_: str = Field(..., alias="schema", examples=["Company"])
    properties: dict[str, str | list[Any]] = Field(
        ..., examples=[{"name": ["Xinjiang Tianshan Textile Co., Ltd."], "country": ["cn"]}]
    )


class EntityMatchQuery(BaseModel):
    weights: dict[str, Annotated[float, Field(allow_inf_nan=False)]] = Field(
        default_factory=dict,
        description="Override feature weights by name (see GET /algorithms).",
        examples=[{"fuzzy": 2.0}],
    )
    config: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="Algorithm options; threadline's algorithms take none."
    )
    queries: dict[str, EntityExample]


class FeatureResult(BaseModel):
    score: float
    detail: str | None = None
    query: str | None = None
    candidate: str | None = None


class EntityResponse(_Aliased):
    id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str] = Field(default_factory=list)
    referents: list[str] = Field(default_factory=list)
    target: bool = False
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    last_change: dt.datetime | None = None


class ScoredEntityResponse(EntityResponse):
    score: float
    features: dict[str, float] = Field(
        description="Feature values; kept for older yente clients, use `explanations`."
    )
    explanations: dict[str, FeatureResult]
    match: bool = Field(description="Whether the score reaches the threshold.")
    band: str = Field(description="threadline's band: match or review (a possible match).")
    token: str | None = None


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    description: str | None
    coefficient: float
    url: str = ""


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


class AlgorithmModel(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]
    thresholds: dict[str, float] = Field(description="match and review score thresholds")
    methodology: list[dict[str, str]] = Field(
        description="The methodology text generated from the algorithm (heading, text)."
    )


class AlgorithmResponse(BaseModel):
    algorithms: list[AlgorithmModel]
    default: str
    best: str
