"""Exposure paths → signals: which entities are targets, and which rule each path falls under.

One signal per (supplier, target): a single link to a prohibited entity is `high` (control,
goods or site, by the relation), two or more links `elevated`. The signal carries every path
kept for that target, so the report can show each edge with the relation's sources, and cites
the target's own evidence (its listing) and every relation on its paths, so each link is backed
by the document that shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from threadline.exposure.graph import Hit
from threadline.exposure.rules import TierRules
from threadline.exposure.signals import Signal
from threadline.exposure.targets import Target
from threadline.exposure.tiers import listing_rule
from threadline.model import (
    Evidence,
    ExposurePath,
    PathEdge,
    ReferenceEntity,
    Relation,
    RelationKind,
    Tier,
)

_SHOWN_PATHS = 3  # paths spelt out in the reason text; all of them are in `Reason.paths`
Phrases = Mapping[RelationKind, tuple[str, str]]


def edge_words(edge: PathEdge, phrases: Phrases) -> str:
    along, against = phrases[edge.relation.kind]
    return along if edge.along else against


def path_words(path: ExposurePath, phrases: Phrases) -> str:
    """'Acme received goods shipped by B, which is owned by C'."""
    steps = [f"{edge_words(e, phrases)} {e.to_node.label}" for e in path.edges]
    return f"{path.start.label} {steps[0]}" + "".join(f", which {s}" for s in steps[1:])


def edge_evidence(edge: PathEdge, phrases: Phrases) -> list[Evidence]:
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


@dataclass(frozen=True, slots=True)
class LinkSignal(Signal):
    """Paths through the relation graph to one prohibited entity. Fields: entity, why, path,
    hops, others (a note on paths not spelt out)."""

    RULES = ("link_control", "link_goods", "link_site", "link_indirect")

    target: Target
    paths: tuple[ExposurePath, ...]
    phrases: Phrases  # how each kind of relation reads, from the tier rules

    def fields(self) -> Mapping[str, str]:
        shown = self.paths[:_SHOWN_PATHS]
        more = len(self.paths) - len(shown)
        return {
            "entity": self.target.name or self.target.id,
            "why": self.target.why,
            "path": "; ".join(path_words(p, self.phrases) for p in shown),
            "hops": str(self.paths[0].hops),
            "others": f" {more} more path(s) to it are listed with the evidence." if more else "",
        }

    def exposure_paths(self) -> tuple[ExposurePath, ...]:
        return self.paths

    def evidence(self) -> tuple[Evidence, ...]:
        cited = [*self.target.evidence]
        for path in self.paths:
            for edge in path.edges:
                cited.extend(edge_evidence(edge, self.phrases))
        return tuple(dict.fromkeys(cited))


def listed_targets(
    entities: Iterable[ReferenceEntity], as_of: dt.date, rules: TierRules
) -> dict[str, Target]:
    """Entities whose listings active at `as_of` lead to the prohibited tier, by id."""
    out: dict[str, Target] = {}
    for entity in entities:
        for listing in entity.active_listings(as_of):
            if listing_rule(listing, rules).tier is not Tier.PROHIBITED:
                continue
            since = listing.date_listed.isoformat() if listing.date_listed else "an unknown date"
            fact = f"{listing.list_name}: entry {listing.entry_id}, listed {since}"
            out[entity.id] = Target(
                id=entity.id,
                name=entity.name,
                why=f"on the {listing.list_name} since {since}",
                evidence=tuple(
                    Evidence.from_source(s, fact=fact, when=listing.date_listed)
                    for s in listing.sources
                ),
            )
            break
    return out


def direct_rule(kind: RelationKind) -> str:
    """The rule a single link of `kind` to a prohibited entity falls under."""
    if kind.is_control:
        return "link_control"
    return "link_goods" if kind.carries_goods else "link_site"


def link_signals(
    hits: Sequence[Hit], targets: Mapping[str, Target], rules: TierRules
) -> list[Signal]:
    out: list[Signal] = []
    for hit in hits:
        if not hit.paths:
            continue
        if hit.hops == 1:
            # Several direct relations to one target: control says most, then goods, then site.
            kinds = sorted(
                (p.edges[0].relation.kind for p in hit.paths),
                key=lambda k: (not k.is_control, not k.carries_goods),
            )
            rule = LinkSignal.rule_in(rules, direct_rule(kinds[0]))
        else:
            rule = LinkSignal.rule_in(rules, "link_indirect")
        out.append(LinkSignal(rule, targets[hit.target_id], hit.paths, rules.links.phrases))
    return out
