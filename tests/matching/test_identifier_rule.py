"""The registration-code rule (decide/identifiers.py), on results as the matcher gives them."""

from __future__ import annotations

from threadline.decide.identifiers import apply_identifier
from threadline.model import Band, MatchExplanation, MatchResult, ReferenceEntity

CODE = "91650100MA7ABCDE15"
OTHER = "91310000MA1FL7M19D"


def _result(entity_id: str, *identifiers: str) -> MatchResult:
    entity = ReferenceEntity(entity_id, "Company", f"Firm {entity_id}", identifiers=identifiers)
    explanation = MatchExplanation("algo", "Query Co", entity.name, (), "")
    return MatchResult(entity=entity, score=0.8, band=Band.REVIEW, explanation=explanation)


def test_same_code_matches_other_code_goes_no_code_stays_holders_come_first() -> None:
    results = [_result("same", CODE), _result("other", OTHER), _result("none")]
    holder = ReferenceEntity("holder", "Company", "Unrelated Name", identifiers=(CODE,))

    def holders(code: str) -> list[ReferenceEntity]:
        return [holder, results[0].entity] if code == CODE else []

    revised = apply_identifier("Query Co", CODE.lower(), results, holders, "algo")
    assert [(r.entity.id, r.band, r.score) for r in revised] == [
        ("holder", Band.MATCH, 1.0),
        ("same", Band.MATCH, 1.0),
        ("none", Band.REVIEW, 0.8),
    ]
    assert revised[0].explanation.features[0].name == "identifier"


def test_an_invalid_code_changes_nothing() -> None:
    results = [_result("other", OTHER)]
    assert apply_identifier("Query Co", "12345", results, lambda code: [], "algo") == results
