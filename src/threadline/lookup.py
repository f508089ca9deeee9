"""Find entities by name, as a person types one: fuzzy and cross-script first (the matcher),
then names that contain the text. For `threadline entity NAME` and the dossier."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from threadline.data.rules import load_algorithm
from threadline.data.vocab import load_normaliser
from threadline.matching import Matcher, Query
from threadline.model import Band, ReferenceEntity

_FLOOR = 0.3  # a person picks among the hits: weak ones are listed too, below the strong


@dataclass(frozen=True, slots=True)
class EntityHit:
    entity: ReferenceEntity
    score: float | None  # None: the name contains the text, no fuzzy score
    band: Band | None = None


def find_entities(
    entities: Sequence[ReferenceEntity], text: str, limit: int = 10
) -> list[EntityHit]:
    """The best entities for a typed name, best first; substring hits follow the scored ones."""
    wanted = text.strip()
    if not wanted or not entities:
        return []
    matcher = Matcher(entities, load_normaliser(), load_algorithm())
    found = matcher.match([Query(wanted)], floor=_FLOOR, top=limit)[0]
    hits = {r.entity.id: EntityHit(r.entity, r.score, r.band) for r in found}
    needle = wanted.casefold()
    for entity in entities:
        if len(hits) >= limit:
            break
        if entity.id not in hits and any(needle in n.casefold() for n in entity.all_names):
            hits[entity.id] = EntityHit(entity, None)
    return list(hits.values())


def confident(hits: Sequence[EntityHit]) -> EntityHit | None:
    """The one hit that is a match (not a possible one), when exactly one is."""
    matches = [h for h in hits if h.band is Band.MATCH]
    return matches[0] if len(matches) == 1 else None
