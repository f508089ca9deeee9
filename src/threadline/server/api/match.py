"""`POST /match/{dataset}` in yente's protocol, and `GET /algorithms`."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from threadline import limits
from threadline.data.countries import normalise_country
from threadline.data.rules import DEFAULT_ALGORITHM, available_algorithms, load_algorithm
from threadline.errors import InputError, LimitExceeded, NotFound, one_line
from threadline.matching import Query as NameQuery
from threadline.model import MatchResult
from threadline.model.ftm import COUNTRY_PROPS, ID_PROPS, NAME_PROPS
from threadline.model.schemas import SCREENED_SCHEMAS
from threadline.pipeline import Screener
from threadline.score import DESCRIPTIONS, FEATURES, Algorithm
from threadline.server.api.ftm import entity_body
from threadline.server.api.schemas import (
    AlgorithmModel,
    AlgorithmResponse,
    EntityExample,
    EntityMatchQuery,
    EntityMatchResponse,
    FeatureDoc,
)
from threadline.server.auth import User, current_user
from threadline.server.batching import MatchBatcher
from threadline.server.errors import ERROR_RESPONSES, ErrorResponse
from threadline.server.services import Services, get_services

router = APIRouter(tags=["Matching"])

DEFAULT_DATASET = "default"
_WIDEN = 4  # candidates fetched per result wanted, when results are filtered by dataset


def _values(example: EntityExample, props: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for prop in props:
        value = example.properties.get(prop)
        items = value if isinstance(value, list) else [value] if value is not None else []
        out.extend(str(v).strip() for v in items if str(v).strip())
    return list(dict.fromkeys(out))


def _check_size(key: str, example: EntityExample, bounds: limits.Limits) -> None:
    """One query may not hold more names or values than the limits: the matcher's time grows
    with them, and one huge query would hold up everyone else's."""
    names = sum(_count(example.properties.get(prop)) for prop in NAME_PROPS)
    values = sum(_count(value) for value in example.properties.values())
    for what, count, most, setting in (
        ("names", names, bounds.match_names, "MATCH_NAMES"),
        ("property values", values, bounds.match_values, "MATCH_VALUES"),
    ):
        if count > most:
            raise LimitExceeded(
                f"query '{one_line(key, 60)}' has {count:,} {what}, over the limit of {most:,} "
                f"(THREADLINE_MAX_{setting})"
            )
    for value in example.properties.values():
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str | int | float | bool | None):
                raise InputError(f"query '{one_line(key, 60)}': values must be text")
            if isinstance(item, str) and len(item) > bounds.cell_chars:
                raise LimitExceeded(
                    f"query '{one_line(key, 60)}' has a value of {len(item):,} characters, over "
                    f"the limit of {bounds.cell_chars:,} (THREADLINE_MAX_CELL_CHARS)"
                )


def _count(value: object) -> int:
    return len(value) if isinstance(value, list) else int(value is not None)


@lru_cache(maxsize=1)
def _algorithm_names() -> tuple[str, ...]:
    """The packaged algorithms; listing the package folder on every request cost ~0.1 ms."""
    return tuple(available_algorithms())


def _algorithm(name: str, weights: dict[str, float], config: dict[str, Any]) -> Algorithm:
    if name not in _algorithm_names():
        raise HTTPException(
            400, f"unknown algorithm '{name}'; available: {', '.join(_algorithm_names())}"
        )
    if config:
        raise HTTPException(
            400, f"invalid configuration parameter: {next(iter(config))} for algorithm {name}"
        )
    algorithm = load_algorithm(name)
    unknown = [w for w in weights if w not in FEATURES]
    if unknown:
        raise HTTPException(400, f"unknown feature weight: {', '.join(unknown)}")
    if weights:
        algorithm = replace(
            algorithm,
            weights=tuple(
                weights.get(f, w) for f, w in zip(FEATURES, algorithm.weights, strict=True)
            ),
        )
    return algorithm


def _dataset_ids(screener: Screener) -> set[str]:
    return {d.id for d in screener.datasets}


def feature_docs(algorithm: Algorithm) -> dict[str, FeatureDoc]:
    return {
        name: FeatureDoc(description=DESCRIPTIONS[name], coefficient=weight)
        for name, weight in zip(FEATURES, algorithm.weights, strict=True)
    }


@lru_cache(maxsize=32)
def _feature_docs(algorithm: Algorithm) -> dict[str, dict[str, Any]]:
    """Per algorithm (weights included), built once: ~0.1 ms of pydantic per request else.
    Callers serialise it and never change it."""
    return {name: doc.model_dump() for name, doc in feature_docs(algorithm).items()}


def _scored(result: MatchResult, threshold: float) -> dict[str, Any]:
    explanation = result.explanation
    return {
        **entity_body(result.entity),
        "score": result.score,
        "features": {f.name: round(f.value, 4) for f in explanation.features},
        "explanations": {
            f.name: {
                "score": round(f.value, 4),
                "detail": f"weight {f.weight:+.2f}",
                "query": f.query or None,
                "candidate": f.candidate or None,
            }
            for f in explanation.features
        },
        "match": result.score >= threshold,
        "band": result.band.value,
        "token": None,
    }


@router.post(
    "/match/{dataset}",
    summary="Query-by-example matcher (yente protocol)",
    response_model=EntityMatchResponse,
    responses={400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}, **ERROR_RESPONSES},
)
async def match(
    request: Request,
    body: EntityMatchQuery,
    dataset: str = Path(
        description="`default` for every list, or one list id (e.g. `us_uflpa`) to match against"
    ),
    algorithm: str = Query(DEFAULT_ALGORITHM, description="See GET /algorithms."),
    limit: int = Query(5, ge=1, le=100, description="Results per query."),
    threshold: float | None = Query(
        None, ge=0, le=1, description="Score at which `match` is true (default: the algorithm's)."
    ),
    cutoff: float | None = Query(
        None, ge=0, le=1, description="Lowest score returned (default: the review threshold)."
    ),
    services: Services = Depends(get_services),
    _user: User = Depends(current_user),
) -> Response:
    """Match companies, organisations and facilities against the lists, each query given as an
    FtM-style example (`name`, `alias`, `country`/`jurisdiction`, `registrationNumber`). Results
    at or above the review threshold come back, best first; `match` marks those reaching the
    match threshold, `band` says threadline's verdict, `explanations` the features behind it."""
    settings = services.settings
    screener = await services.screener_async()
    if dataset != DEFAULT_DATASET and dataset not in _dataset_ids(screener):
        raise NotFound(f"unknown dataset '{dataset}'")
    chosen = _algorithm(algorithm, body.weights, body.config)
    if not body.queries:
        raise HTTPException(400, "no queries provided")
    most = limits.current().match_queries
    if len(body.queries) > most:
        raise HTTPException(
            # 400, as yente answers it, so its clients read it unchanged
            400, f"too many queries in one batch (limit: {most}, THREADLINE_MAX_MATCH_QUERIES)"
        )
    limit = min(limit, settings.max_match_limit)
    threshold = chosen.match_threshold if threshold is None else threshold
    floor = min(chosen.review_threshold if cutoff is None else cutoff, threshold)

    owners: list[str] = []
    name_queries: list[NameQuery] = []
    bounds = limits.current()
    for key, example in body.queries.items():
        if example.schema_ not in SCREENED_SCHEMAS:
            raise HTTPException(
                400,
                f"query '{one_line(key, 60)}': schema {one_line(example.schema_, 60)} is not "
                f"screened; threadline matches {', '.join(sorted(SCREENED_SCHEMAS))}, never persons",
            )
        _check_size(key, example, bounds)
        countries = [c for v in _values(example, COUNTRY_PROPS) if (c := normalise_country(v))]
        identifiers = _values(example, ID_PROPS)
        for name in _values(example, NAME_PROPS):
            owners.append(key)
            name_queries.append(
                NameQuery(
                    name, countries[0] if countries else "", identifiers[0] if identifiers else ""
                )
            )

    wanted = limit if dataset == DEFAULT_DATASET else min(limit * _WIDEN, 100)
    batcher: MatchBatcher = request.app.state.match_batcher
    found = await batcher.match(
        screener.matcher, name_queries, floor=floor, top=wanted, algorithm=chosen
    )
    best: dict[str, dict[str, MatchResult]] = {key: {} for key in body.queries}
    for key, results in zip(owners, found, strict=True):
        for result in results:
            if dataset != DEFAULT_DATASET and all(
                listing.list_id != dataset for listing in result.entity.listings
            ):
                continue
            kept = best[key].get(result.entity.id)
            if kept is None or result.score > kept.score:
                best[key][result.entity.id] = result

    responses = {}
    for key, example in body.queries.items():
        ranked = sorted(best[key].values(), key=lambda r: -r.score)
        responses[key] = {
            "status": 200,
            "results": [_scored(r, threshold) for r in ranked[:limit]],
            "total": {"value": len(ranked), "relation": "eq"},
            "query": example.model_dump(by_alias=True, mode="json"),
        }
    # Built as plain data and serialised once: validating the response model again would cost
    # more than the matching (the model documents the shape in the OpenAPI schema).
    content = {"responses": responses, "matcher": _feature_docs(chosen), "limit": limit}
    return JSONResponse(content, headers={"x-batch-size": str(len(responses))})


@router.get(
    "/algorithms",
    summary="Matching algorithms and their features",
    response_model=AlgorithmResponse,
)
def algorithms(_user: User = Depends(current_user)) -> AlgorithmResponse:
    """Generated from the algorithms themselves: features, fitted weights, thresholds and the
    methodology text that reports print."""
    models = []
    for name in available_algorithms():
        algorithm = load_algorithm(name)
        methodology = algorithm.describe()
        models.append(
            AlgorithmModel(
                name=name,
                description=methodology[0][1],
                features=feature_docs(algorithm),
                thresholds={
                    "match": algorithm.match_threshold,
                    "review": algorithm.review_threshold,
                },
                methodology=[{"heading": h, "text": t} for h, t in methodology],
            )
        )
    return AlgorithmResponse(algorithms=models, default=DEFAULT_ALGORITHM, best=DEFAULT_ALGORITHM)
