"""Template fields and evidence of a document finding: the document cited, the quote kept."""

from __future__ import annotations

from threadline.model import Evidence
from threadline.model.documents import DocumentFinding

_REGIONS = {"XUAR": "the XUAR", "TIBET": "Tibet"}


def document_fields(finding: DocumentFinding, rationale: str) -> dict[str, str]:
    source = finding.source
    return {
        "entity": finding.entity_name or finding.entity_id,
        "document": f"“{source.title}”",
        "publisher": source.publisher or "publisher not stated",
        "date": source.date.isoformat() if source.date else "undated",
        "terms": finding.terms,
        "region": _REGIONS.get(finding.region, finding.region),
        "rationale": rationale,
    }


def document_evidence(finding: DocumentFinding) -> tuple[Evidence, ...]:
    fact = f"{finding.terms} (characters {finding.quote_span.start}–{finding.quote_span.end})"
    return (Evidence.from_source(finding.source, fact=fact),)
