"""When place mentions put a text in XUAR (or TAR). A false flag harms a real company, so a
bare place name only counts when nothing else in the text contradicts it.

The rules, in order:
1. A declared country other than CN wins: no signal ('Aksu' is also a town in Kazakhstan).
2. The region itself named (新疆, Xinjiang, XUAR, 兵团/XPCC; 西藏, Tibet) is a signal.
3. A foreign country named in the text ('Aksu, Kazakhstan') leaves place names unconvincing.
4. A cautioned spelling (a word, a personal name, a place abroad, another Chinese place's pinyin,
   two spaced syllables) is neither signal nor evidence unless corroborated: by an
   administrative word ('Aksu Prefecture'); by its parent, child or sibling unit named without
   caution ('Shanshan, Turpan'); or, for spellings cautioned only as places abroad, by the
   region or China being named ('Aksu, Xinjiang'). The region's own name never vouches for a
   district ('Xinjiang Tianshan Wool' names a brand, not 天山区).
5. Another Chinese province or city named as well ('Hotan Trading, Shanghai') makes the text
   ambiguous: no signal, unless the region side is written as an administrative unit and the
   other only as a bare name (喀什地区深圳产业园: Shenzhen is the partner city of a Kashgar park).
Street names (和田路, 'Kashi Road') are not mentions at all (see Gazetteer.find).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from threadline.normalise.place_types import PlaceMention

_DEPTH = {"prefecture": 1, "xpcc_city": 1, "county": 2}


@dataclass(frozen=True, slots=True)
class RegionSignal:
    """The mentions that place a text in `region` ("XUAR" or "TIBET"), and why in a few words."""

    region: str
    mentions: tuple[PlaceMention, ...]
    why: str

    @property
    def place(self) -> PlaceMention:
        """The most specific mention (a county over its prefecture), the first on a tie."""
        return max(self.mentions, key=lambda m: _DEPTH.get(m.place.level, 0))


def decide_region(
    region: str,
    mentions: Sequence[PlaceMention],
    countries_named: frozenset[str],
    declared_country: str = "",
) -> RegionSignal | None:
    declared = declared_country.strip().upper()
    if declared and declared != "CN":
        return None
    inside = [m for m in (_in_region(m, region) for m in mentions) if m is not None]
    explicit = [m for m in inside if m.place.is_provincial and not m.ambiguous]
    if not explicit and countries_named - {"CN"}:
        return None
    china = declared == "CN" or "CN" in countries_named
    evidence = _reliable(inside, foreign_resolved=bool(explicit) or china)
    if not evidence:
        return None
    if not explicit:
        elsewhere = [
            m
            for m in mentions
            if all(p.region != region for p in m.candidates) and (m.qualified or not m.ambiguous)
        ]
        region_written_as_unit = any(m.qualified for m in evidence)
        if elsewhere and not (region_written_as_unit and not any(m.qualified for m in elsewhere)):
            return None
    return RegionSignal(region, tuple(evidence), _why(region, evidence))


def _reliable(inside: Sequence[PlaceMention], *, foreign_resolved: bool) -> list[PlaceMention]:
    """The mentions that can be trusted to mean their place. A cautioned spelling is trusted
    when written as an administrative unit, when it is cautioned only as a place abroad and the
    text is known to be about China or the region, or when its parent or child unit is named
    by a trusted mention ('Shanshan, Turpan'; but not 'Xinjiang Tianshan Wool': a region-level
    name does not vouch for a district)."""
    base = [
        m
        for m in inside
        if not m.ambiguous or m.qualified or (m.caution == "foreign" and foreign_resolved)
    ]
    units = [m.place for m in base if not m.place.is_provincial]
    named = {p.id for p in units} | {p.parent_id for p in units if p.parent_id != p.province_id}
    return [
        m
        for m in inside
        if m in base
        or m.place.id in named
        or (m.place.parent_id != m.place.province_id and m.place.parent_id in named)
    ]


def _in_region(mention: PlaceMention, region: str) -> PlaceMention | None:
    """The mention read as its place in `region`, when one of its candidates is there."""
    if mention.place.region == region:
        return mention
    for place in mention.alternatives:
        if place.region == region:
            others = tuple(p for p in mention.candidates if p is not place)
            return replace(mention, place=place, alternatives=others)
    return None


def _why(region: str, mentions: Sequence[PlaceMention]) -> str:
    named = "; ".join(f"'{m.text}' = {m.place.label}, {m.place.level}" for m in mentions[:3])
    return f"names a place in {region}: {named}"
