"""Golden exposure scenarios through the Screener, with in-memory entities and relations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from threadline.model import (
    InputRecord,
    ListEffect,
    Listing,
    ReferenceEntity,
    Relation,
    RelationKind,
    Reliability,
    ScreenedRow,
    Source,
    Tier,
)
from threadline.pipeline import Screener, screen

AS_OF = dt.date(2025, 6, 30)
UFLPA_URL = "https://www.federalregister.gov/d/uflpa-test"
BOL_URL = "https://example.org/bills/"
REGISTRY_URL = "https://example.org/registry/"


def _listed(entity_id: str, name: str, removed: dt.date | None = None) -> ReferenceEntity:
    listing = Listing(
        list_id="uflpa",
        list_name="UFLPA Entity List",
        effect=ListEffect.UFLPA,
        entry_id=entity_id,
        date_listed=dt.date(2023, 3, 1),
        date_removed=removed,
        sources=(Source(UFLPA_URL, "Federal Register: UFLPA Entity List additions"),),
    )
    return ReferenceEntity(entity_id, "Company", name, country="CN", listings=(listing,))


def _company(entity_id: str, name: str, address: str = "") -> ReferenceEntity:
    return ReferenceEntity(entity_id, "Company", name, country="CN", address=address)


def _rel(
    rel_id: str,
    kind: RelationKind,
    source: str,
    target: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Relation:
    url = (BOL_URL if kind.carries_goods else REGISTRY_URL) + rel_id
    evidence = Source(url, f"record {rel_id}", reliability=Reliability.INVESTIGATIVE_RESEARCH)
    return Relation(rel_id, kind, source, target, start=start, end=end, sources=(evidence,))


ENTITIES = [
    _listed("listed-shipper", "Redstone Cotton Ginning Company"),
    _company("consignee", "Ningbo Bluewater Garment Factory"),
    _company("second-tier", "Lisbon Atlantic Apparel Importers"),
    _company("same-customer", "Qingdao Harborline Knitwear Works"),
    _listed("listed-parent", "Tianshan Polar Silicon Holdings"),
    _company("subsidiary", "Suzhou Brightwafer Solar Materials"),
    _listed("listed-sub", "Hami Goldsand Quartz Mining Corporation"),
    _company("parent", "Shenzhen Everpeak Industrial Group"),
    _listed("delisted", "Changji Evergreen Tomato Processing Plant", removed=dt.date(2024, 1, 1)),
    _company("delisted-sub", "Tianjin Redharvest Food Ingredients"),
    _company("former-consignee", "Xiamen Seabright Textile Trading"),
    _company("xuar-mill", "Kashgar Silkroad Spinning Mill", address="新疆喀什地区疏附县工业园区"),
    _company("buys-from-xuar", "Hangzhou Westlake Yarn Merchants"),
]
RELATIONS = [
    _rel("r1", RelationKind.SHIPPED_TO, "listed-shipper", "consignee"),
    _rel("r2", RelationKind.SHIPPED_TO, "consignee", "second-tier"),
    _rel("r3", RelationKind.SHIPPED_TO, "same-customer", "consignee"),
    _rel("r4", RelationKind.OWNS, "listed-parent", "subsidiary"),
    _rel("r5", RelationKind.SUBSIDIARY_OF, "listed-sub", "parent"),
    _rel("r6", RelationKind.SUBSIDIARY_OF, "delisted-sub", "delisted"),
    _rel(
        "r7", RelationKind.SHIPPED_TO, "listed-shipper", "former-consignee", end=dt.date(2024, 1, 1)
    ),
    _rel("r8", RelationKind.SUPPLIES, "xuar-mill", "buys-from-xuar"),
    _rel("r9", RelationKind.LOCATED_AT, "shipping-agent", "aspi-xjdp-v1-001"),
]
AGENT = ReferenceEntity(
    "shipping-agent",
    "Company",
    "Ironpass Longhaul Freight Agency",
    identifiers=("91650100MA7EXAMPLE",),
)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(
        entities=ENTITIES, datasets=(), decisions={}, relations=RELATIONS, graph_entities=[AGENT]
    )


def _screen(screener: Screener, as_of: dt.date = AS_OF, **fields: str) -> ScreenedRow:
    record = InputRecord(file="suppliers.csv", row=2, **fields)  # type: ignore[arg-type]
    return screen([record], reference=screener, as_of=as_of)[0]


def _codes(row: ScreenedRow) -> list[str]:
    return [reason.code for reason in row.risk.reasons]


def _entity_name(entity_id: str, entities: Sequence[ReferenceEntity] = ENTITIES) -> str:
    return next(e.name for e in entities if e.id == entity_id)


def test_consignee_of_a_listed_shipper_is_high(screener: Screener) -> None:
    row = _screen(screener, name=_entity_name("consignee"))
    assert row.risk.tier is Tier.HIGH
    (reason,) = row.risk.reasons
    assert reason.code == "SUPPLY_LINK"
    (path,) = reason.paths
    assert [n.id for n in path.nodes] == ["consignee", "listed-shipper"]
    assert path.edges[0].relation.id == "r1" and not path.edges[0].along
    assert "received goods shipped by Redstone Cotton" in reason.text
    urls = {e.source_url for e in reason.evidence}
    assert {UFLPA_URL, BOL_URL + "r1"} <= urls


def test_tier_two_link_through_a_shipment_is_elevated_for_two_hops(screener: Screener) -> None:
    row = _screen(screener, name=_entity_name("second-tier"))
    assert row.risk.tier is Tier.ELEVATED
    (reason,) = row.risk.reasons
    assert reason.code == "INDIRECT_LINK"
    (path,) = reason.paths
    assert path.hops == 2
    assert [e.relation.id for e in path.edges] == ["r2", "r1"]
    assert {BOL_URL + "r1", BOL_URL + "r2"} <= {e.source_url for e in reason.evidence}


def test_shipping_to_the_same_customer_as_a_listed_shipper_is_not_exposure(
    screener: Screener,
) -> None:
    row = _screen(screener, name=_entity_name("same-customer"))
    assert row.risk.tier is Tier.NO_SIGNAL
    assert row.risk.reasons == ()


def test_max_hops_one_stops_before_the_second_tier() -> None:
    one_hop = Screener(
        entities=ENTITIES, datasets=(), decisions={}, relations=RELATIONS, max_hops=1
    )
    assert _screen(one_hop, name=_entity_name("second-tier")).risk.tier is Tier.NO_SIGNAL
    assert _screen(one_hop, name=_entity_name("consignee")).risk.tier is Tier.HIGH


@pytest.mark.parametrize(
    ("supplier", "relation", "phrase"),
    [
        ("subsidiary", "r4", "is owned by Tianshan Polar Silicon"),
        ("parent", "r5", "is the parent of Hami Goldsand Quartz"),
    ],
)
def test_ownership_both_ways_is_high(
    screener: Screener, supplier: str, relation: str, phrase: str
) -> None:
    row = _screen(screener, name=_entity_name(supplier))
    assert row.risk.tier is Tier.HIGH
    (reason,) = row.risk.reasons
    assert reason.code == "OWNERSHIP_LINK"
    assert reason.paths[0].edges[0].relation.id == relation
    assert phrase in reason.text
    assert REGISTRY_URL + relation in {e.source_url for e in reason.evidence}


def test_delisting_is_respected_through_the_graph(screener: Screener) -> None:
    name = _entity_name("delisted-sub")
    before = _screen(screener, as_of=dt.date(2023, 12, 31), name=name)
    after = _screen(screener, as_of=dt.date(2024, 1, 1), name=name)
    assert (before.risk.tier, _codes(before)) == (Tier.HIGH, ["OWNERSHIP_LINK"])
    assert after.risk.tier is Tier.NO_SIGNAL


def test_relation_ended_before_the_as_of_date_is_ignored(screener: Screener) -> None:
    name = _entity_name("former-consignee")
    assert _screen(screener, name=name).risk.tier is Tier.NO_SIGNAL
    while_active = _screen(screener, as_of=dt.date(2023, 6, 1), name=name)
    assert _codes(while_active) == ["SUPPLY_LINK"]


def test_buyer_from_an_xuar_address_is_exposed_to_production_in_xuar(screener: Screener) -> None:
    row = _screen(screener, name=_entity_name("buys-from-xuar"))
    (reason,) = row.risk.reasons
    assert (reason.code, reason.tier) == ("SUPPLY_LINK", Tier.HIGH)
    assert "address in the XUAR" in reason.text
    assert any("gazetteer" in e.title for e in reason.evidence)


def test_graph_entity_found_by_exact_name_and_located_at_a_facility(screener: Screener) -> None:
    # The agency is not in the screened reference set: only its name ties the row to the graph.
    row = _screen(screener, name="IRONPASS  longhaul freight agency")
    assert row.matches == ()
    (reason,) = row.risk.reasons
    assert (reason.code, reason.tier) == ("SITE_LINK", Tier.HIGH)
    assert "Tiemenguan Facility #1" in reason.text
    assert any(e.source_url.startswith("https://xjdp.aspi.org.au") for e in reason.evidence)


def test_graph_entity_found_by_registration_number(screener: Screener) -> None:
    row = _screen(
        screener, name="Ironpass Logistics (trading name)", identifier="91650100MA7EXAMPLE"
    )
    assert _codes(row) == ["SITE_LINK"]


def test_no_hops_follows_no_links() -> None:
    none = Screener(entities=ENTITIES, datasets=(), decisions={}, relations=RELATIONS, max_hops=0)
    assert _screen(none, name=_entity_name("consignee")).risk.tier is Tier.NO_SIGNAL


def test_listed_supplier_keeps_its_listing_and_is_not_walked_through(screener: Screener) -> None:
    row = _screen(screener, name=_entity_name("listed-shipper"))
    assert _codes(row) == ["LISTED_UFLPA"]


def test_hotan_in_any_spelling_stays_prohibited(screener: Screener) -> None:
    for address in ("和田市北京路", "Hotan City, Xinjiang", "Hetian, Xinjiang, China"):
        row = _screen(screener, name="Zhongyuan Textile Co", address=address, country="CN")
        assert row.risk.tier is Tier.PROHIBITED, address
        assert "XUAR_LOCATION" in _codes(row)


def test_site_coordinates_near_a_facility_are_high(screener: Screener) -> None:
    # 0.01° north of ASPI site 001 (Tiemenguan Facility #1): about 1.1 km.
    row = _screen(screener, name="Desert Pearl Trading", lat=41.80631457, lon=85.89292251)  # type: ignore[arg-type]
    (reason,) = row.risk.reasons
    assert (reason.code, reason.tier) == ("NEAR_DETENTION_FACILITY", Tier.HIGH)
    assert "1.1 km from Tiemenguan Facility #1" in reason.text
    assert "ASPI security tier 3" in reason.text and "1 factory inside" in reason.text
    (evidence,) = reason.evidence
    assert evidence.source_url.startswith("https://xjdp.aspi.org.au")
    assert evidence.date == dt.date(2020, 9, 24)


def test_site_far_from_any_facility_gives_nothing(screener: Screener) -> None:
    row = _screen(screener, name="Desert Pearl Trading", lat=31.23, lon=121.47)  # type: ignore[arg-type]
    assert row.risk.tier is Tier.NO_SIGNAL


def test_county_seat_stands_in_with_its_uncertainty_stated(screener: Screener) -> None:
    row = _screen(
        screener, name="Desert Pearl Trading", address="新疆巴音郭楞蒙古自治州轮台县", country="CN"
    )
    assert row.risk.tier is Tier.PROHIBITED  # the XUAR address itself
    near = [r for r in row.risk.reasons if r.code == "COUNTY_NEAR_DETENTION_FACILITY"]
    assert near and near[0].tier is Tier.ELEVATED
    assert "Luntai" in near[0].text and "not the site's" in near[0].text


def test_coordinates_take_precedence_over_the_county_seat(screener: Screener) -> None:
    row = _screen(
        screener,
        name="Desert Pearl Trading",
        address="新疆巴音郭楞蒙古自治州轮台县",
        country="CN",
        lat=31.23,  # type: ignore[arg-type]
        lon=121.47,  # type: ignore[arg-type]
    )
    assert not [r for r in row.risk.reasons if "FACILITY" in r.code]


def test_hs_6109_from_china_is_elevated(screener: Screener) -> None:
    row = _screen(screener, name="Sunrise Knit Co", country="CN", hs_code="6109.10")
    (reason,) = row.risk.reasons
    assert (reason.code, reason.tier) == ("HIGH_PRIORITY_SECTOR", Tier.ELEVATED)
    assert "apparel" in reason.text and "chapter 61" in reason.text
    assert reason.evidence[0].source_url.startswith("https://www.dhs.gov/")


def test_hs_6109_from_vietnam_gives_nothing(screener: Screener) -> None:
    row = _screen(screener, name="Sunrise Knit Co", country="VN", hs_code="6109.10")
    assert row.risk.tier is Tier.NO_SIGNAL


def test_sector_counts_only_once_designated(screener: Screener) -> None:
    fields = {"name": "Sunrise Metals", "country": "CN", "product": "aluminium ingots"}
    assert _screen(screener, as_of=dt.date(2024, 7, 8), **fields).risk.tier is Tier.NO_SIGNAL
    assert _codes(_screen(screener, as_of=dt.date(2024, 7, 9), **fields)) == [
        "HIGH_PRIORITY_SECTOR"
    ]
