"""Wording and evidence of the exposure reasons: relation paths, nearby facilities, sectors.

A path reason cites the target's own evidence (its listing) and every relation on its paths,
so each link is backed by the document that shows it. Fields fill the templates of
data/rules/tiers.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping

from threadline.exposure import FacilityHit, LinkRules, SectorHit, Target
from threadline.model import Evidence, ExposurePath, PathEdge, Relation, RelationKind

_SHOWN_PATHS = 3  # paths spelt out in the reason text; all of them are in `Reason.paths`


def edge_words(edge: PathEdge, phrases: Mapping[RelationKind, tuple[str, str]]) -> str:
    along, against = phrases[edge.relation.kind]
    return along if edge.along else against


def path_words(path: ExposurePath, phrases: Mapping[RelationKind, tuple[str, str]]) -> str:
    """'Acme received goods shipped by B, which is owned by C'."""
    steps = [f"{edge_words(e, phrases)} {e.to_node.label}" for e in path.edges]
    return f"{path.start.label} {steps[0]}" + "".join(f", which {s}" for s in steps[1:])


def edge_evidence(
    edge: PathEdge, phrases: Mapping[RelationKind, tuple[str, str]]
) -> list[Evidence]:
    relation = edge.relation
    fact = f"{edge.from_node.label} {edge_words(edge, phrases)} {edge.to_node.label}"
    if when := _period(relation):
        fact += f" ({when})"
    if relation.description:
        fact += f"; {relation.description}"
    return [
        Evidence.from_source(s, fact=f"{fact} [relation {relation.id}]") for s in relation.sources
    ]


def _period(relation: Relation) -> str:
    start, end = relation.start, relation.end
    if start and end:
        return f"{start.isoformat()} to {end.isoformat()}"
    if start:
        return f"since {start.isoformat()}"
    return f"until {end.isoformat()}" if end else ""


def link_fields(
    target: Target, paths: tuple[ExposurePath, ...], links: LinkRules
) -> dict[str, str]:
    shown = paths[:_SHOWN_PATHS]
    more = len(paths) - len(shown)
    return {
        "entity": target.name or target.id,
        "why": target.why,
        "path": "; ".join(path_words(p, links.phrases) for p in shown),
        "hops": str(paths[0].hops),
        "others": f" {more} more path(s) to it are listed with the evidence." if more else "",
    }


def link_evidence(
    target: Target, paths: tuple[ExposurePath, ...], links: LinkRules
) -> tuple[Evidence, ...]:
    cited = [*target.evidence]
    for path in paths:
        for edge in path.edges:
            cited.extend(edge_evidence(edge, links.phrases))
    return tuple(dict.fromkeys(cited))


def facility_fields(hit: FacilityHit) -> dict[str, str]:
    facility = hit.facility
    return {
        "facility": facility.label,
        "kind": facility.kind_label,
        "aspi_tier": f", ASPI security tier {facility.aspi_tier}"
        if facility.aspi_tier is not None
        else "",
        "factories": f", {facility.factories_in_complex} factories inside the complex"
        if facility.factories_in_complex
        else "",
        "distance": f"{hit.distance_km:.1f}",
        "place": hit.site.county_seat,
    }


def sector_fields(hit: SectorHit) -> dict[str, str]:
    return {
        "sector": hit.sector.label,
        "basis": hit.basis,
        "designated": hit.sector.designated.isoformat(),
    }


def sector_evidence(hit: SectorHit) -> tuple[Evidence, ...]:
    sector = hit.sector
    fact = f"high-priority sector '{sector.label}', designated {sector.designated.isoformat()}"
    return (Evidence.from_source(sector.source, fact=fact),)
