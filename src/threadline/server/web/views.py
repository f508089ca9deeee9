"""What the pages show, read from a screening's stored rows (each a results.json row object).

Plain functions over dicts, so the page routes stay thin and the review queue, exposure paths
and the map's points are tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from threadline.decide import FlagKey, ReviewDecision, decision_key, disposition_key
from threadline.model import Disposition, Tier
from threadline.normalise.places import Gazetteer, Place
from threadline.report.jsonout import disposition_document

ResultRow = Mapping[str, Any]
TIERS = tuple(tier.value for tier in sorted(Tier, key=lambda t: -t.severity))
BANDS = ("match", "review")
# The most specific division an address names is where the map puts the supplier.
_LEVEL_RANK = {"county": 0, "xpcc_city": 1, "prefecture": 2, "province": 3, "region": 3}


def supplier_name(row: ResultRow) -> str:
    """The name as screened (results.json `screened`), else the matcher's query name, else the
    screened address; never another input cell (a Vendor No. is not a supplier's name)."""
    screened = row.get("screened") or {}
    for value in (screened.get("name"), *_query_names(row), screened.get("address")):
        if value:
            return str(value)
    return f"row {row['row']}"


def _query_names(row: ResultRow) -> list[str]:
    return [str(m["explanation"].get("query", "")) for m in row["matches"]]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One possible match waiting for a reviewer: the row, the candidate and its decision so far."""

    row: ResultRow
    match: Mapping[str, Any]
    query_name: str
    decision: ReviewDecision | None


def review_queue(
    rows: Iterable[ResultRow],
    decisions: Mapping[tuple[str, str], ReviewDecision],
    *,
    include_decided: bool = False,
) -> list[ReviewItem]:
    """Possible matches (band 'review') in file order. A pair someone has already called same or
    not same leaves the queue; 'unsure' keeps it there for a second reviewer."""
    items: list[ReviewItem] = []
    for row in rows:
        name = supplier_name(row)
        for match in row["matches"]:
            decision = decisions.get(decision_key(name, match["entity_id"]))
            pending = match["band"] == "review" and (
                decision is None or decision.verdict.value == "unsure"
            )
            if pending or (include_decided and decision is not None):
                items.append(ReviewItem(row, match, name, decision))
    return items


@dataclass(frozen=True, slots=True)
class PathStep:
    """One edge of an exposure path as the page shows it: from, relation, to, and its sources."""

    source: str
    relation: str
    target: str
    sources: tuple[Mapping[str, Any], ...]


def exposure_paths(reason: Mapping[str, Any]) -> list[list[PathStep]]:
    """The supplier → … → flagged-entity paths a reason carries (results.json `paths`).

    Each path names its entities in `nodes` and its links in `edges`; a name falls back to the
    id, so an edge always shows both ends and the sources behind it."""
    out: list[list[PathStep]] = []
    for path in reason.get("paths") or ():
        nodes = path.get("nodes", ())
        names = {str(n.get("id")): str(n.get("name")) for n in nodes if n.get("name")}
        edges = [edge for edge in path.get("edges", ()) if isinstance(edge, Mapping)]
        out.append([_step(edge, names) for edge in edges])
    return [path for path in out if path]


def _step(edge: Mapping[str, Any], names: Mapping[str, str]) -> PathStep:
    def name(side: str) -> str:
        entity_id = str(edge.get(f"{side}_id") or "")
        return str(edge.get(f"{side}_name") or names.get(entity_id) or entity_id or "?")

    return PathStep(
        source=name("source"),
        # The label names a bill by its number; results stored before it had only the kind.
        relation=str(edge.get("label") or "")
        or str(edge.get("kind") or edge.get("relation") or "related to").replace("_", " "),
        target=name("target"),
        sources=tuple(s for s in edge.get("sources") or () if isinstance(s, Mapping)),
    )


def locate(address: str, gazetteer: Gazetteer) -> Place | None:
    """The most specific division with a coordinate that the address names unambiguously."""
    places = [
        m.place
        for m in gazetteer.find(address)
        if (m.qualified or not m.ambiguous) and m.place.lat is not None and m.place.lon is not None
    ]
    return min(places, key=lambda p: _LEVEL_RANK.get(p.level, 9), default=None)


def supplier_points(
    rows: Iterable[ResultRow], gazetteer: Gazetteer, address_column: str | None, href: str
) -> list[dict[str, Any]]:
    """Map points for suppliers whose address (or, failing that, name) names a place.

    `href` is a format string with `{row}` for the link to the row's page."""
    points: list[dict[str, Any]] = []
    for row in rows:
        screened = (row.get("screened") or {}).get("address", "")
        address = screened or (row["input"].get(address_column, "") if address_column else "")
        texts = [str(address)] if address else []
        place = next(
            (p for text in [*texts, supplier_name(row)] if (p := locate(text, gazetteer))), None
        )
        if place is None:
            continue
        points.append(
            {
                "name": supplier_name(row),
                "place": place.label,
                "tier": row["risk"]["tier"],
                "lat": place.lat,
                "lon": place.lon,
                "href": href.format(row=row["row"]),
            }
        )
    return points


def facility_points(rows: Sequence[Mapping[str, str]]) -> list[dict[str, Any]]:
    """Documented facilities with a coordinate, as the map draws them."""
    return [
        {
            "name": row["name"] + (f" ({row['name_zh']})" if row.get("name_zh") else ""),
            "kind": row["kind"].replace("_", " "),
            "source": row.get("source_dataset", ""),
            "url": row["source_url"] if row["source_url"].startswith("https://") else "",
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
        }
        for row in rows
        if row["lat"] and row["lon"]
    ]


def flag_supplier(row: Mapping[str, Any]) -> str:
    """The supplier a row's flags are dispositioned for: its screened name, else its address."""
    screened = row.get("screened") or {}
    return str(screened.get("name") or screened.get("address") or "")


def with_dispositions(
    row: Mapping[str, Any], latest: Mapping[FlagKey, Disposition]
) -> dict[str, Any]:
    """The stored row with each flag's latest disposition, also one recorded after the
    screening ran, so the page shows a decision as soon as the reviewer records it."""
    supplier = flag_supplier(row)
    reasons = []
    for reason in row["risk"]["reasons"]:
        found = latest.get(disposition_key(supplier, str(reason.get("code", ""))))
        reasons.append({**reason, "disposition": disposition_document(found)} if found else reason)
    return {**row, "risk": {**row["risk"], "reasons": reasons}}
