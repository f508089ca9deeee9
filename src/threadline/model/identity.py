"""One entity per real company: reviewed same-company links fold the entries of several lists
(UFLPA, CBP orders, BIS, sanctions) into one reference entity carrying all their listings.

Links come from a reviewed data file (data/lists/same_as.csv), never from a fuzzy merge. The
first id of a link is the entity kept; the other id's names become aliases and its listings join
the kept entity's, each with its own dates and sources. The other id stays resolvable through
`Consolidated.canonical`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from threadline.model.entities import ReferenceEntity
from threadline.model.graph import Relation


@dataclass(frozen=True, slots=True)
class SameAs:
    """A reviewed link: `other_id` is the same company as `id`, for the reason and source given."""

    id: str
    other_id: str
    why: str
    source: str


@dataclass(frozen=True, slots=True)
class Consolidated:
    entities: tuple[ReferenceEntity, ...]
    canonical: Mapping[str, str]  # a folded entity's id → the id of the entity it joined

    def resolve(self, entity_id: str) -> str:
        return self.canonical.get(entity_id, entity_id)

    def relations(self, relations: Iterable[Relation]) -> list[Relation]:
        """Relations with their ends moved to the entities they were folded into."""
        return [
            replace(r, source_id=self.resolve(r.source_id), target_id=self.resolve(r.target_id))
            if r.source_id in self.canonical or r.target_id in self.canonical
            else r
            for r in relations
        ]


def consolidate(entities: Sequence[ReferenceEntity], links: Sequence[SameAs]) -> Consolidated:
    """Fold linked entities together. When the kept id is absent (its list not loaded), the
    first linked entity present stands in for it."""
    kept_of = {link.other_id: link.id for link in links}
    groups: dict[str, list[ReferenceEntity]] = {}
    for entity in entities:
        groups.setdefault(kept_of.get(entity.id, entity.id), []).append(entity)
    out: list[ReferenceEntity] = []
    canonical: dict[str, str] = {}
    for root, members in groups.items():
        if len(members) == 1:
            out.append(members[0])
            continue
        kept = next((m for m in members if m.id == root), members[0])
        others = [m for m in members if m is not kept]
        canonical.update((o.id, kept.id) for o in others)
        out.append(_merge(kept, others))
    if canonical:
        out = [
            replace(e, parent_id=canonical.get(e.parent_id, e.parent_id)) if e.parent_id else e
            for e in out
        ]
    return Consolidated(tuple(out), canonical)


def _merge(kept: ReferenceEntity, others: Sequence[ReferenceEntity]) -> ReferenceEntity:
    every = (kept, *others)

    def union(values: Iterable[str]) -> tuple[str, ...]:
        return tuple(v for v in dict.fromkeys(values) if v)

    def first(field: str) -> str:
        return next((str(getattr(e, field)) for e in every if getattr(e, field)), "")

    return replace(
        kept,
        aliases=tuple(
            a for a in union(n for e in every for n in (e.name, *e.aliases)) if a != kept.name
        ),
        names_zh=union(n for e in every for n in e.names_zh),
        identifiers=union(i for e in every for i in e.identifiers),
        listings=tuple(listing for e in every for listing in e.listings),
        country=first("country"),
        address=first("address"),
        parent_id=first("parent_id"),
        sector=first("sector"),
        notes=first("notes"),
        extra=(
            *kept.extra,
            *(pair for o in others for pair in o.extra),
            *(("same_as", o.id) for o in others),
        ),
    )
