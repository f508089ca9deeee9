"""Each kind of signal words every rule of its kind in the packaged rules files: a template that
names a field its kind does not give fails here, not at screening time. Listings, orders, places,
links, facilities, sectors and document findings are each built from packaged data."""

from __future__ import annotations

import datetime as dt
import string
from itertools import pairwise

import pytest

from threadline.data.documents import load_document_rules
from threadline.data.exposure import load_facility_index, load_sector_map
from threadline.data.rules import load_tier_rules
from threadline.exposure import (
    DocumentSignal,
    FacilityHit,
    FacilitySignal,
    LinkSignal,
    ListingSignal,
    OrderSignal,
    PlaceHit,
    PlaceSignal,
    ReasonRule,
    SectorHit,
    SectorSignal,
    Signal,
    Site,
    Target,
)
from threadline.model import (
    Band,
    Evidence,
    ExposurePath,
    ListEffect,
    Listing,
    MatchExplanation,
    MatchResult,
    PathEdge,
    PathNode,
    ReferenceEntity,
    Relation,
    RelationKind,
    Source,
)
from threadline.model.documents import DocumentFinding, Span

AS_OF = dt.date(2026, 3, 1)
SOURCE = Source("https://example.org/s", "A source", publisher="Example", date=dt.date(2024, 5, 1))


def _listing(effect: ListEffect) -> tuple[MatchResult, Listing]:
    listing = Listing(
        list_id=effect.value,
        list_name=f"{effect.value} list",
        effect=effect,
        entry_id="e1",
        date_listed=dt.date(2023, 1, 2),
        date_removed=dt.date(2025, 1, 2),
        section="WRO" if effect is ListEffect.WRO else "",
        program="GLOMAG",
        product_scope="cotton",
        status="not confirmed",
        sources=(SOURCE,),
    )
    entity = ReferenceEntity("e1", "Company", "Example Co., Ltd.", listings=(listing,))
    explanation = MatchExplanation("test", "q", entity.name, ())
    return MatchResult(entity, 0.93, Band.MATCH, explanation), listing


def _path(hops: int) -> tuple[ExposurePath, ...]:
    nodes = [PathNode(f"n{i}", f"Node {i}") for i in range(hops + 1)]
    edges = tuple(
        PathEdge(Relation(f"r{i}", RelationKind.OWNS, a.id, b.id, sources=(SOURCE,)), a, b)
        for i, (a, b) in enumerate(pairwise(nodes))
    )
    return (ExposurePath(edges),)


def _kinds() -> list[tuple[str, Signal]]:
    rules = load_tier_rules()
    out: list[tuple[str, Signal]] = []
    for effect, rule in rules.listing.items():
        kind = OrderSignal if effect is ListEffect.WRO else ListingSignal
        out.append((f"listing {effect.value}", kind(rule, *_listing(effect))))
    for name in ListingSignal.RULES:
        out.append(
            (name, ListingSignal(ListingSignal.rule_in(rules, name), *_listing(ListEffect.UFLPA)))
        )
    unconfirmed = OrderSignal.rule_in(rules, "wro_unconfirmed")
    out.append(("wro unconfirmed", OrderSignal(unconfirmed, *_listing(ListEffect.WRO))))
    cited = (Evidence.from_source(SOURCE, fact="'Hotan' names Hotan"),)
    place = PlaceHit(region="XUAR", in_name=False, places=("Hotan",), why="named", evidence=cited)
    for name in PlaceSignal.RULES:
        out.append((name, PlaceSignal(PlaceSignal.rule_in(rules, name), place)))
    target = Target("t", "Target Co.", "on the UFLPA Entity List since 2023-01-02")
    for name in LinkSignal.RULES:
        hops = 2 if name == "link_indirect" else 1
        rule = LinkSignal.rule_in(rules, name)
        out.append((name, LinkSignal(rule, target, _path(hops), rules.links.phrases)))
    facility = load_facility_index().facilities[0]
    for name, site in [
        ("near_site", Site(41.0, 85.0)),
        ("near_county_seat", Site(41.0, 85.0, "Example County")),
    ]:
        rule = FacilitySignal.rule_in(rules, name)
        out.append((name, FacilitySignal(rule, FacilityHit(facility, 2.5, site))))
    sector = load_sector_map().sectors[0]
    out.append(("sector", SectorSignal(SectorSignal.rule_in(rules), SectorHit(sector, "HS 5205"))))
    for category, rule in load_document_rules().reasons.items():
        finding = DocumentFinding(
            "e1", "d1", category, "label", "surplus labour", "XUAR", SOURCE, Span(0, 9)
        )
        out.append((f"document {category}", DocumentSignal(rule, finding, "why it matters.")))
    return out


KINDS = _kinds()


@pytest.mark.parametrize("signal", [s for _, s in KINDS], ids=[n for n, _ in KINDS])
def test_every_rule_is_worded_from_its_kinds_fields(signal: Signal) -> None:
    named = {f for _, f, _, _ in string.Formatter().parse(signal.rule.text) if f}
    assert named <= {"as_of", *signal.fields()}
    reason = signal.reason(AS_OF)
    assert reason.text and "{" not in reason.text
    assert reason.evidence, "a reason without evidence"


def test_every_rule_of_the_files_is_covered_above() -> None:
    assert {rule.code for rule in _all_rules()} == {s.rule.code for _, s in KINDS}


def _all_rules() -> list[ReasonRule]:
    rules = load_tier_rules()
    return [
        *rules.listing.values(),
        *rules.reasons.values(),
        *load_document_rules().reasons.values(),
    ]
