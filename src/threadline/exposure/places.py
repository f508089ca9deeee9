"""Where a supplier and the entities around it are: the rules that turn place mentions into
signals, sites and targets. Pure: the gazetteer and the facility index arrive built.

- A row's address and names are read for XUAR, else TAR, mentions; an address in the XUAR
  outweighs a name (the address says where goods are made; a name only hints).
- A row without coordinates is taken to be at the seat of the XUAR county its address names —
  never a prefecture's, which is too coarse to stand for a site.
- A graph entity is a target when its address or a recorded location is in the XUAR, or when it
  is a documented facility.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

from threadline.exposure.facilities import FacilityIndex, Site
from threadline.exposure.signals import PlaceHit
from threadline.exposure.targets import Target
from threadline.model import LOCATED_IN, Evidence, InputRecord, ReferenceEntity, Reliability
from threadline.normalise.place_signals import RegionSignal
from threadline.normalise.place_types import GazetteerCitation
from threadline.normalise.places import XUAR, Gazetteer

# County-level units whose seat can stand in for a site's position.
_SEAT_LEVELS = frozenset({"county", "xpcc_city"})


def place_signals(gazetteer: Gazetteer, record: InputRecord) -> list[PlaceHit]:
    """The row's address and names placed in the XUAR or TAR; a name yields to an address."""
    out: list[PlaceHit] = []
    texts = [(record.address, False), *((n, True) for n in (record.name, *record.other_names))]
    for text, in_name in texts:
        if not text:
            continue
        xuar = gazetteer.xuar_signal(text, record.country)
        if xuar is not None:
            out.append(place_signal(xuar, in_name, gazetteer.citation))
        elif (tibet := gazetteer.tibet_signal(text, record.country)) is not None:
            out.append(place_signal(tibet, in_name, gazetteer.citation))
    if any(not s.in_name and s.region == XUAR for s in out):
        out = [s for s in out if not s.in_name]
    return out


def site(gazetteer: Gazetteer, record: InputRecord) -> Site | None:
    """The row's coordinates, else the seat of the XUAR county its address names."""
    if record.lat is not None and record.lon is not None:
        return Site(record.lat, record.lon)
    xuar = gazetteer.xuar_signal(record.address, record.country) if record.address else None
    if xuar is None:
        return None
    place = xuar.place.place
    if place.level not in _SEAT_LEVELS or place.lat is None or place.lon is None:
        return None
    return Site(place.lat, place.lon, county_seat=place.label)


def placed_targets(
    entities: Iterable[ReferenceEntity],
    node_ids: Iterable[str],
    gazetteer: Gazetteer,
    facilities: FacilityIndex,
    known: Container[str],
) -> dict[str, Target]:
    """Targets besides the `known` ones: entities at an XUAR address or recorded location (a
    `located_at` relation's place), then graph nodes that are documented facilities."""
    targets: dict[str, Target] = {}
    for entity in entities:
        if entity.id in known:
            continue
        located = [v for prop, v in entity.extra if prop == LOCATED_IN]
        for text in (entity.address, *located):
            xuar = gazetteer.xuar_signal(text, entity.country) if text else None
            if xuar is not None:
                place = place_signal(xuar, False, gazetteer.citation)
                where = "an address" if text == entity.address else "a recorded location"
                why = f"with {where} in the XUAR ({', '.join(place.places)})"
                targets[entity.id] = Target(entity.id, entity.name, why, place.evidence)
                break
    by_id = {f.id: f for f in facilities.facilities}
    for node_id in node_ids:
        facility = by_id.get(node_id)
        if facility is not None and node_id not in known and node_id not in targets:
            why = f"a suspected {facility.kind_label} in the XUAR"
            targets[node_id] = Target(node_id, facility.label, why, (facility.evidence(),))
    return targets


def place_signal(signal: RegionSignal, in_name: bool, cited: GazetteerCitation) -> PlaceHit:
    """A region signal as exposure reads it, each mention citing its gazetteer row."""
    names = tuple(dict.fromkeys(m.place.label for m in signal.mentions)) or (signal.region,)
    evidence = tuple(
        Evidence(
            source_url=f"threadline-data:geo/{cited.file_of(m.place.id)}#{m.place.id}",
            title=f"threadline gazetteer: {m.place.label}, {m.place.level}, division code {m.place.adcode}",
            date=cited.as_of,
            fact=f"'{m.text}' names {m.place.label}; {signal.why}",
            publisher=cited.publisher,
            reliability=Reliability.GOVERNMENT_DOCUMENT,
        )
        for m in dict.fromkeys(signal.mentions)
    )
    return PlaceHit(
        region=signal.region, places=names, why=signal.why, in_name=in_name, evidence=evidence
    )
