"""A results.json row → the facts a comparison needs, and their compact stored form.

Everything is read from the results.json object, so a stored screening and a results.json file
from disk compare alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from threadline.model.changes import RowFacts
from threadline.model.ids import json_digest

_REVIEWED = "reviewed by "  # how threadline.decide marks a match a reviewer decided


def input_hash(values: Mapping[str, Any]) -> str:
    """The row as the user wrote it, hashed: key order does not count, any edit of a cell does."""
    return json_digest(values)


def facts_digest(data: Mapping[str, Any]) -> str:
    """The digest of a row's stored facts, its row number left out (a row moved is the same).
    Stored digests only shortcut a comparison: one made by an older recipe compares in full."""
    return json_digest({k: v for k, v in data.items() if k != "row"})


def row_facts(result: Mapping[str, Any], key: str, name: str | None = None) -> RowFacts:
    """The facts of one results.json row object; `name` is the supplier name as screened (read
    back from the row when not given)."""
    kept = [m for m in result.get("matches", []) if m.get("band") != "no match"]
    listings: dict[str, str] = {}
    reviews: dict[str, str] = {}
    for match in kept:
        for listing in match.get("lists", []):
            ident = "|".join(
                str(listing.get(part) or "")
                for part in ("list_id", "entry_id", "date_listed", "date_removed")
            )
            listings[f"{match['entity_id']}|{ident}"] = _listing_text(match, listing)
        note = str(match.get("explanation", {}).get("note", ""))
        if note.startswith(_REVIEWED):
            reviews[str(match["entity_id"])] = f"{match.get('name', '')}: {note}"
    reasons = result.get("risk", {}).get("reasons", [])
    relations: dict[str, str] = {}
    evidence: dict[str, str] = {}
    for reason in reasons:
        for path in reason.get("paths", []):
            names = {n["id"]: n.get("name") or n["id"] for n in path.get("nodes", [])}
            for edge in path.get("edges", []):
                relations[str(edge["relation_id"])] = _relation_text(edge, names)
        for item in reason.get("evidence", []):
            ident = f"{reason['code']}|{item.get('source_url', '')}|{item.get('date') or ''}"
            evidence[ident] = f"{item.get('title') or item.get('source_url')} ({item.get('date')})"
    facts = RowFacts(
        key=key,
        row=int(result.get("row", 0)),
        name=name if name is not None else _name(result),
        tier=str(result.get("risk", {}).get("tier", "")),
        reasons=frozenset(str(r["code"]) for r in reasons),
        entities=frozenset(str(m["entity_id"]) for m in kept),
        listings=listings,
        relations=relations,
        reviews=reviews,
        evidence=evidence,
        input_hash=input_hash(result.get("input", {})),
    )
    return replace(facts, digest=facts_digest(facts_to_json(facts)))


def facts_to_json(facts: RowFacts) -> dict[str, Any]:
    """Compact form for the store (one small JSON object per row); the key is stored beside it."""
    return {
        "row": facts.row,
        "name": facts.name,
        "tier": facts.tier,
        "reasons": sorted(facts.reasons),
        "entities": sorted(facts.entities),
        "listings": dict(facts.listings),
        "relations": dict(facts.relations),
        "reviews": dict(facts.reviews),
        "evidence": dict(facts.evidence),
        "input": facts.input_hash,
    }


def facts_from_json(key: str, data: Mapping[str, Any], digest: str = "") -> RowFacts:
    return RowFacts(
        key=key,
        row=int(data["row"]),
        name=str(data.get("name", "")),
        tier=str(data["tier"]),
        reasons=frozenset(data.get("reasons", ())),
        entities=frozenset(data.get("entities", ())),
        listings=data.get("listings", {}),
        relations=data.get("relations", {}),
        reviews=data.get("reviews", {}),
        evidence=data.get("evidence", {}),
        input_hash=str(data.get("input", "")),
        digest=digest or facts_digest(data),
    )


def _name(result: Mapping[str, Any]) -> str:
    matches = result.get("matches", [])
    for match in matches:
        query = match.get("explanation", {}).get("query")
        if query:
            return str(query)
    values = list(result.get("input", {}).values())
    return str(values[0]) if values else ""


def _listing_text(match: Mapping[str, Any], listing: Mapping[str, Any]) -> str:
    text = f"{listing.get('list_name') or listing.get('list_id')}: {match.get('name', '')}"
    if listing.get("entry_id"):
        text += f" [{listing['entry_id']}]"
    if listing.get("date_listed"):
        text += f", listed {listing['date_listed']}"
    if listing.get("date_removed"):
        text += f", removed {listing['date_removed']}"
    return text


def _relation_text(edge: Mapping[str, Any], names: Mapping[str, str]) -> str:
    source, target = edge.get("source_id", ""), edge.get("target_id", "")
    text = f"{names.get(source, source)} {edge.get('kind', '')} {names.get(target, target)}"
    cited = "; ".join(
        f"{s.get('title') or s.get('url')}" + (f", {s['date']}" if s.get("date") else "")
        for s in edge.get("sources", [])
    )
    if edge.get("end"):
        text += f" (ended {edge['end']})"
    return text + (f" [{cited}]" if cited else "")
