"""Peer matchers on a screening set; each returns scored candidates (0..1, higher = closer).

The peers run at their own documented defaults; nothing here is tuned on the dev set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from nomenklatura.matching import LogicV1, LogicV2, ScoringConfig
from nomenklatura.matching.types import ScoringAlgorithm
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from benchlib.devset import Candidate, Query, RefEntity
from benchlib.namesearch import Hit, NameIndex

TOP_CANDIDATES = 5
"""Rows kept per query in each tool's candidates file (threadline is run with --top 5)."""

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(slots=True)
class PeerResult:
    candidates: list[Candidate]
    notes: list[str] = field(default_factory=list)


def _top_candidates(
    queries: Sequence[Query], hits: list[list[Hit]], entities: Sequence[RefEntity]
) -> list[Candidate]:
    return [
        Candidate(q.query_id, entities[h.entity].ref_id, h.score)
        for q, row in zip(queries, hits, strict=True)
        for h in row[:TOP_CANDIDATES]
    ]


def with_pinyin(name: str) -> list[str]:
    """The name, plus its pypinyin transliteration (syllables joined) when it has Chinese."""
    if not _CJK.search(name):
        return [name]
    return [name, "".join(lazy_pinyin(name))]


def run_rapidfuzz(
    queries: Sequence[Query], entities: Sequence[RefEntity], pinyin: bool = False
) -> PeerResult:
    """token_sort_ratio of the query name against every reference name; best per entity."""
    index = NameIndex(entities, with_pinyin) if pinyin else NameIndex(entities)
    hits = index.search([q.name for q in queries], fuzz.token_sort_ratio, TOP_CANDIDATES)
    return PeerResult(_top_candidates(queries, hits, entities))


def country_code(value: str) -> str | None:
    """ISO code for 'CN', 'China', 'PRC', 'CHN' …, via followthemoney's country cleaner."""
    return registry.country.clean(value, fuzzy=True) if value else None


def _company(
    entity_id: str, names: Sequence[str], aliases: Sequence[str], country: str, address: str
) -> EntityProxy:
    proxy = model.make_entity("Company")
    # nomenklatura caches name analysis by entity id: every entity needs its own.
    proxy.id = entity_id
    for name in names:
        proxy.add("name", name)
    for alias in aliases:
        proxy.add("alias", alias)
    code = country_code(country)
    if code:
        proxy.add("country", code)
    if address:
        proxy.add("address", address)
    return proxy


def run_nomenklatura(
    algorithm: type[ScoringAlgorithm],
    queries: Sequence[Query],
    entities: Sequence[RefEntity],
    blocking: list[list[Hit]],
) -> PeerResult:
    """Score each query against its blocking candidates, as yente's /match does."""
    refs: dict[int, EntityProxy] = {}
    candidates: list[Candidate] = []
    for q, row in zip(queries, blocking, strict=True):
        query = _company(f"query-{q.query_id}", [q.name], [], q.country, q.address)
        scored = []
        for hit in row:
            if hit.entity not in refs:
                e = entities[hit.entity]
                names = [e.name, e.name_zh] if e.name_zh else [e.name]
                refs[hit.entity] = _company(e.ref_id, names, e.aliases, e.country, e.address)
            config = ScoringConfig(weights={}, config={})
            result = algorithm.compare(query=query, result=refs[hit.entity], config=config)
            scored.append(Candidate(q.query_id, entities[hit.entity].ref_id, result.score))
        scored.sort(key=lambda c: -c.score)
        candidates.extend(scored[:TOP_CANDIDATES])
    return PeerResult(candidates)


NOMENKLATURA_ALGORITHMS: dict[str, type[ScoringAlgorithm]] = {
    "logic-v2": LogicV2,
    "logic-v1": LogicV1,
}
