"""Document findings → signals: what documents say of the entities a supplier resolves to,
under the rules of data/rules/documents.yaml."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from threadline.exposure.rules import ReasonRule
from threadline.exposure.signals import Signal
from threadline.model import Evidence
from threadline.model.documents import DocumentFinding
from threadline.normalise.places import TIBET, XUAR

_TRANSFER = "organised_transfer"
_UNPLACED = "transfer_unplaced"
_REQUIRED = ("camp_labour", "camp_contract", _TRANSFER, _UNPLACED, "programme")
_REGIONS = {XUAR: "the XUAR", TIBET: "Tibet"}


@dataclass(frozen=True, slots=True)
class DocumentSignal(Signal):
    """What a document says of an entity the supplier resolves to; cites the document with the
    quote kept. Fields: entity, document, publisher, date, terms, region, rationale."""

    finding: DocumentFinding
    rationale: str  # why the indicator matters, for the reason's text

    def fields(self) -> Mapping[str, str]:
        finding, source = self.finding, self.finding.source
        return {
            "entity": finding.entity_name or finding.entity_id,
            "document": f"“{source.title}”",
            "publisher": source.publisher or "publisher not stated",
            "date": source.date.isoformat() if source.date else "undated",
            "terms": finding.terms,
            "region": _REGIONS.get(finding.region, finding.region),
            "rationale": self.rationale,
        }

    def evidence(self) -> tuple[Evidence, ...]:
        finding = self.finding
        fact = f"{finding.terms} (characters {finding.quote_span.start}–{finding.quote_span.end})"
        return (Evidence.from_source(finding.source, fact=fact),)


@dataclass(frozen=True, slots=True)
class DocumentRules:
    reasons: Mapping[str, ReasonRule]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DocumentRules:
        reasons = {
            str(key): ReasonRule.from_mapping(entry) for key, entry in data["categories"].items()
        }
        missing = set(_REQUIRED) - set(reasons)
        if missing:
            raise ValueError(f"no document reason for {', '.join(sorted(missing))}")
        return cls(reasons)

    def rule(self, finding: DocumentFinding) -> ReasonRule | None:
        category = finding.category
        if category == _TRANSFER and not finding.region:
            category = _UNPLACED
        return self.reasons.get(category)


def describe_documents(rules: DocumentRules, findings: int, entities: int) -> tuple[str, str]:
    """The methodology line for document findings, from the rules and what the store holds."""
    tiers = "; ".join(
        f"{category.replace('_', ' ')} {rule.tier.value}"
        for category, rule in rules.reasons.items()
    )
    return (
        "Documents",
        f"{findings} findings about {entities} entities, read from imported documents (the "
        "sentence quoted with its source), give a reason each to a supplier resolved to that "
        f"entity: {tiers}. Findings a reviewer rejected do not count.",
    )


def document_signals(
    findings: Iterable[DocumentFinding],
    rules: DocumentRules,
    rationale: Callable[[str], str],
) -> list[Signal]:
    """One signal per finding that a rule covers; `rationale` gives an indicator's why."""
    out: list[Signal] = []
    for finding in findings:
        rule = rules.rule(finding)
        if rule is not None:
            out.append(DocumentSignal(rule, finding, rationale(finding.label)))
    return out
