"""Names in imported records (shippers, consignees, relation ends) → entity ids.

A name is first looked up as a party made by an earlier import (its id is derived from the
name's identity key (model/names.py) and country, so the same name always gives the same id). Otherwise the matcher
runs over the stored reference entities, with stored review decisions applied: a match-band hit
links to that entity; anything less makes a new user-supplied Company, and review-band hits are
kept beside it as candidate links for a person to confirm — never merged on their own.

Parties are never fuzzy-matched to other parties: two similar names on bills may be two firms,
and only an exact (normalised) name gives the same party.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from threadline.data.lists import load_same_as
from threadline.data.rules import DEFAULT_ALGORITHM, load_algorithm
from threadline.data.vocab import load_normaliser
from threadline.decide import apply_review, resolve_decisions
from threadline.matching import Matcher, Query
from threadline.model import Band, MatchResult, ReferenceEntity, consolidate
from threadline.model.ids import PARTY_PREFIX, party_id
from threadline.model.schemas import SCREENED_SCHEMAS, Schema
from threadline.store import CandidateLink, Store

_BATCH = 2000


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    country: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Resolution:
    entity_id: str
    new_entity: ReferenceEntity | None  # set when the name became a new party
    candidates: tuple[CandidateLink, ...] = ()


class Resolver:
    """Built once per import: loads the stored entities and builds the matcher over them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # Entries of one company on several lists resolve to the one id screening reports.
        identity = consolidate(
            [
                e
                for e in store.load_entities()
                if e.schema in SCREENED_SCHEMAS and not e.id.startswith(PARTY_PREFIX)
            ],
            load_same_as(),
        )
        self.algorithm = load_algorithm(DEFAULT_ALGORITHM)
        self.matcher = Matcher(identity.entities, load_normaliser(), self.algorithm)
        self.decisions = resolve_decisions(store.decisions(), identity.resolve)

    def resolve(self, parties: Sequence[Party]) -> list[Resolution]:
        """One resolution per party, in order; names are matched in batches."""
        derived = [party_id(p.name, p.country) for p in parties]
        known = self.store.known_entity_ids(derived)
        out: list[Resolution | None] = [
            Resolution(entity_id=d, new_entity=None) if d in known else None for d in derived
        ]
        pending = [i for i, found in enumerate(out) if found is None]
        for start in range(0, len(pending), _BATCH):
            batch = pending[start : start + _BATCH]
            results = self.matcher.match(
                [Query(parties[i].name, parties[i].country) for i in batch], top=3
            )
            for i, found in zip(batch, results, strict=True):
                reviewed = apply_review(parties[i].name, found, self.decisions)
                out[i] = self._decide(parties[i], derived[i], reviewed)
        return [r for r in out if r is not None]

    def _decide(self, party: Party, derived: str, found: list[MatchResult]) -> Resolution:
        kept = sorted((r for r in found if r.band is not Band.NO_MATCH), key=lambda r: -r.score)
        if kept and kept[0].band is Band.MATCH:
            return Resolution(entity_id=kept[0].entity.id, new_entity=None)
        entity = ReferenceEntity(
            id=derived,
            schema=Schema.COMPANY.value,
            name=party.name,
            country=party.country,
            address=party.address,
        )
        candidates = tuple(
            CandidateLink(
                entity_id=derived,
                candidate_id=r.entity.id,
                name=party.name,
                score=r.score,
                algorithm=self.algorithm.label,
            )
            for r in kept
        )
        return Resolution(entity_id=derived, new_entity=entity, candidates=candidates)
