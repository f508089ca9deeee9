"""A shared registration code decides a match, whatever the names score.

A valid USCC on both the query and a candidate is the surest evidence there is: the same code is
the same legal person (a match), a different code a different one (the candidate goes). A
candidate without a code keeps its name score. Entities holding the query's code that the names
did not find join the results, first."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from threadline.model import Band, FeatureScore, MatchExplanation, MatchResult, ReferenceEntity
from threadline.normalise.identifiers import normalise_uscc


def apply_identifier(
    query_name: str,
    identifier: str,
    results: Sequence[MatchResult],
    holders: Callable[[str], Sequence[ReferenceEntity]],
    algorithm: str,
) -> list[MatchResult]:
    """`results` revised by the query's registration code; `holders` gives the entities that
    hold a code, in index order."""
    code = normalise_uscc(identifier) if identifier else None
    if not code:
        return list(results)
    revised: list[MatchResult] = []
    for result in results:
        theirs = {c for x in result.entity.identifiers if (c := normalise_uscc(x))}
        if not theirs:
            revised.append(result)
        elif code in theirs:
            revised.append(_identifier_match(query_name, result.entity, code, algorithm))
    known = {r.entity.id for r in revised}
    for entity in holders(code):
        if entity.id not in known:
            revised.insert(0, _identifier_match(query_name, entity, code, algorithm))
    return revised


def _identifier_match(
    query_name: str, entity: ReferenceEntity, code: str, algorithm: str
) -> MatchResult:
    feature = FeatureScore("identifier", 1.0, 1.0, code, code)
    explanation = MatchExplanation(
        algorithm, query_name, entity.name, (feature,), "registration code identical"
    )
    return MatchResult(entity=entity, score=1.0, band=Band.MATCH, explanation=explanation)
