"""results.json: the machine-readable record of a run, one object per input row.

Keys are written in a fixed order and dates as ISO strings, so two runs over the same data diff
cleanly. Scores are rounded to four places, enough to reproduce a band decision.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from threadline.model import (
    DatasetInfo,
    Disposition,
    Evidence,
    ExposurePath,
    Listing,
    MatchResult,
    PathEdge,
    Reason,
    RunMetadata,
    ScreenedRow,
    Source,
)
from threadline.report.common import (
    iso_date,
    ranked,
    ranked_sources,
    relation_label,
    tier_counts,
)
from threadline.report.wording import CERTIFICATION_CAVEAT, DISCLAIMER


def results_document(meta: RunMetadata, rows: Sequence[ScreenedRow]) -> dict[str, Any]:
    return {
        "tool": "threadline",
        "tool_version": meta.tool_version,
        "data_version": meta.data_version,
        "data_as_of": dict(meta.data_as_of),
        "as_of": meta.as_of.isoformat(),
        "algorithm": meta.algorithm,
        "thresholds": {"match": meta.match_threshold, "review": meta.review_threshold},
        "generated_at": meta.generated_at,
        "inputs": list(meta.inputs),
        "inputs_read": list(meta.inputs_read),
        "datasets": [_dataset(info, meta) for info in meta.datasets],
        "data_freshness": {
            "max_age_days": meta.max_data_age_days,
            "warnings": list(meta.data_warnings),
        },
        "summary": {tier.value: count for tier, count in tier_counts(rows).items()},
        "disclaimer": DISCLAIMER,
        "certification_caveat": CERTIFICATION_CAVEAT,
        "results": [_row(row) for row in rows],
    }


def write_json(path: Path, doc: dict[str, Any]) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def _dataset(info: DatasetInfo, meta: RunMetadata) -> dict[str, Any]:
    fresh = next((f for f in meta.freshness if f.id == info.id), None)
    return {
        "id": info.id,
        "title": info.title,
        "publisher": info.publisher,
        "as_of": info.as_of,
        "age_days": fresh.age_days if fresh else None,
        "warnings": list(fresh.warnings) if fresh else [],
        "licence": info.licence,
        "url": info.url,
        "rows": info.rows,
        "attribution": info.attribution,
    }


def _row(row: ScreenedRow) -> dict[str, Any]:
    record = row.record
    # The raw row is what the user can find in their own file; the parsed fields stand in only
    # when a reader kept no raw columns.
    raw = dict(record.raw) or {
        key: value
        for key, value in (
            ("name", record.name),
            ("address", record.address),
            ("country", record.country),
            ("identifier", record.identifier),
        )
        if value
    }
    return {
        "row": record.row,
        "file": record.file,
        "input": raw,
        # What was screened, read from the input's name and address columns.
        "screened": {
            "name": record.name,
            "other_names": list(record.other_names),
            "address": record.address,
            "country": record.country,
            "key": record.key,
            "product": record.product,
            "hs_code": record.hs_code,
            "certifications": [
                {"scheme": c.scheme, "claim": c.text} for c in record.certifications
            ],
            "not_screened": record.unscreenable,
        },
        "matches": [_match(match) for match in row.matches],
        "risk": {
            "tier": row.risk.tier.value,
            "reasons": [_reason(reason) for reason in row.risk.reasons],
        },
    }


def _match(match: MatchResult) -> dict[str, Any]:
    return {
        "entity_id": match.entity.id,
        "name": match.entity.name,
        "score": round(match.score, 4),
        "band": match.band.value,
        "lists": [_listing(listing) for listing in match.entity.listings],
        "explanation": match.explanation.as_dict(),
    }


def _listing(listing: Listing) -> dict[str, Any]:
    return {
        "list_id": listing.list_id,
        "list_name": listing.list_name,
        "program": listing.program,
        "section": listing.section,
        "date_listed": iso_date(listing.date_listed),
        "date_removed": iso_date(listing.date_removed),
        "entry_id": listing.entry_id,
        "product_scope": listing.product_scope,
        "status": listing.status,
        "sources": [_listing_source(source) for source in ranked_sources(listing.sources)],
        "notes": listing.notes,
    }


def _listing_source(source: Source) -> dict[str, Any]:
    return {
        **_source(source),
        "publisher": source.publisher,
        "date": iso_date(source.date),
        "kind": source.kind.value,
    }


def _source(source: Source) -> dict[str, Any]:
    return {"url": source.url, "title": source.title}


def _reason(reason: Reason) -> dict[str, Any]:
    return {
        "code": reason.code,
        "tier": reason.tier.value,
        "text": reason.text,
        "evidence": [_evidence(item) for item in ranked(reason.evidence)],
        "paths": [_path(path) for path in reason.paths],
        "disposition": disposition_document(reason.disposition) if reason.disposition else None,
    }


def disposition_document(found: Disposition) -> dict[str, Any]:
    """A flag's disposition as results.json (and the web row page) carry it."""
    return {
        "decision": found.decision.value,
        "user": found.user,
        "decided_at": found.decided_at,
        "comment": found.comment,
        "attachments": [
            {"filename": a.filename, "sha256": a.sha256, "description": a.description}
            for a in found.attachments
        ],
    }


def _path(path: ExposurePath) -> dict[str, Any]:
    return {
        "hops": path.hops,
        "nodes": [{"id": node.id, "name": node.name} for node in path.nodes],
        "edges": [_edge(edge) for edge in path.edges],
    }


def _edge(edge: PathEdge) -> dict[str, Any]:
    relation = edge.relation
    return {
        "relation_id": relation.id,
        "kind": relation.kind.value,
        "label": relation_label(edge),  # what a reader can look up: the bill number
        "source_id": relation.source_id,
        "target_id": relation.target_id,
        "from": edge.from_node.id,
        "to": edge.to_node.id,
        "start": iso_date(relation.start),
        "end": iso_date(relation.end),
        "share": relation.share,
        "description": relation.description,
        "sources": [
            {**_source(s), "publisher": s.publisher, "date": iso_date(s.date)}
            for s in relation.sources
        ],
    }


def _evidence(item: Evidence) -> dict[str, Any]:
    return {
        "source_url": item.source_url,
        "title": item.title,
        "date": iso_date(item.date),
        "fact": item.fact,
        "publisher": item.publisher,
        "reliability": item.reliability.label,
        "kind": item.kind.value,
        "excerpt": item.excerpt,
    }
