"""One entity per real company: the reviewed same-company links fold the lists' entries."""

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pytest

from threadline.data.lists import bundled_entities, bundled_lists, load_same_as, same_company
from threadline.decide import ReviewDecision, Verdict, decision_key
from threadline.inputs.records import read_records
from threadline.model import (
    Band,
    InputRecord,
    ListEffect,
    Listing,
    ReferenceEntity,
    Relation,
    RelationKind,
    SameAs,
    ScreenedRow,
    Tier,
    consolidate,
)
from threadline.pipeline import Screener, screen

BAODING = "uflpa-baoding-lyszd-trade-and-business"
BAODING_WRO = "cbp-wro-2020-baoding-lyszd"


@lru_cache(maxsize=2)
def _screener(consolidated: bool) -> Screener:
    return Screener(
        entities=bundled_entities(),
        datasets=[meta.info() for meta in bundled_lists()],
        decisions={},
        same_as=None if consolidated else (),
    )


def _review_items(rows: list[ScreenedRow]) -> int:
    return sum(1 for row in rows for match in row.matches if match.band is Band.REVIEW)


def test_every_link_names_two_bundled_entries_with_a_reason_and_a_source() -> None:
    ids = {entity.id for entity in bundled_entities()}
    links = load_same_as()
    assert len(links) >= 20
    for link in links:
        assert {link.id, link.other_id} <= ids, link
        assert link.why and link.source.startswith("http")


def test_a_wro_before_the_uflpa_listing_makes_the_company_prohibited() -> None:
    record = InputRecord(file="s.csv", row=2, name="Baoding LYSZD Trade & Business Co Ltd")
    [row] = screen([record], reference=_screener(True), as_of=dt.date(2022, 1, 1))
    [match] = row.matches
    assert match.entity.id == BAODING and match.band is Band.MATCH
    assert {x.list_id for x in match.entity.listings} == {"uflpa", "cbp_wro"}
    # The UFLPA listing (2022-06-21) is not yet made; the 2020 WRO is, and it decides.
    assert row.risk.tier is Tier.PROHIBITED
    assert [r.code for r in row.risk.reasons] == ["CBP_WRO"]


def test_the_review_queue_asks_once_per_company() -> None:
    record = InputRecord(file="s.csv", row=2, name="Bitland Information Technology", country="CN")
    before = screen([record], reference=_screener(False), as_of=dt.date(2026, 12, 4))
    after = screen([record], reference=_screener(True), as_of=dt.date(2026, 12, 4))
    assert _review_items(before) == 3  # UFLPA, WRO and BIS entries of one firm
    assert _review_items(after) == 1
    [match] = after[0].matches
    assert {x.list_id for x in match.entity.listings} == {"uflpa", "cbp_wro", "bis_xinjiang"}


def test_example_suppliers_see_each_company_once_with_all_its_listings(
    example_suppliers: Path,
) -> None:
    records = read_records(example_suppliers)
    before = screen(records, reference=_screener(False), as_of=dt.date(2026, 12, 4))
    after = screen(records, reference=_screener(True), as_of=dt.date(2026, 12, 4))
    folded = {link.other_id for link in load_same_as()}
    assert not {m.entity.id for row in after for m in row.matches} & folded
    assert _review_items(after) <= _review_items(before)
    assert sum(len(r.matches) for r in after) < sum(len(r.matches) for r in before)
    assert [r.risk.tier for r in after] == [r.risk.tier for r in before]
    taida = next(r for r in after if r.record.name.startswith("Hetian Taida"))
    [match] = taida.matches
    assert {x.list_id for x in match.entity.listings} == {"uflpa", "cbp_wro", "bis_xinjiang"}
    assert {r.code for r in taida.risk.reasons} >= {"LISTED_UFLPA", "CBP_WRO", "BIS_ENTITY_LIST"}


def test_a_folded_id_still_resolves_and_its_decisions_follow_it() -> None:
    name = "Bitland Information Technology"
    decision = ReviewDecision(name, "cbp-wro-2020-hefei-bitland", Verdict.SAME, "ana", "2026-01-01")
    screener = Screener(
        entities=bundled_entities(),
        datasets=[],
        decisions={decision_key(name, decision.entity_id): decision},
    )
    assert screener.lookup["cbp-wro-2020-hefei-bitland"].id == (
        "uflpa-hefei-bitland-information-technology"
    )
    [row] = screen(
        [InputRecord(file="s.csv", row=2, name=name)],
        reference=screener,
        as_of=dt.date(2026, 12, 4),
    )
    [match] = row.matches
    assert match.band is Band.MATCH and "reviewed by ana" in match.explanation.note


def _entity(entity_id: str, name: str, effect: ListEffect, listed: dt.date) -> ReferenceEntity:
    listing = Listing(
        list_id=entity_id.split("-")[0],
        list_name=entity_id.split("-")[0],
        effect=effect,
        entry_id=entity_id,
        date_listed=listed,
    )
    return ReferenceEntity(id=entity_id, schema="Company", name=name, listings=(listing,))


def test_consolidate_keeps_the_first_id_and_moves_relations() -> None:
    kept = _entity("a-1", "Acme Cotton Co", ListEffect.UFLPA, dt.date(2022, 6, 21))
    other = _entity("b-1", "Acme Cotton Company", ListEffect.WRO, dt.date(2020, 9, 1))
    lone = _entity("b-2", "Other Mill", ListEffect.WRO, dt.date(2020, 9, 1))
    result = consolidate([other, kept, lone], [SameAs("a-1", "b-1", "same", "https://x.org")])
    merged = {e.id: e for e in result.entities}
    assert set(merged) == {"a-1", "b-2"}
    assert merged["a-1"].aliases == ("Acme Cotton Company",)
    assert [x.entry_id for x in merged["a-1"].listings] == ["a-1", "b-1"]
    assert result.resolve("b-1") == "a-1" and result.resolve("b-2") == "b-2"
    [moved] = result.relations([Relation("r", RelationKind.OWNS, "b-2", "b-1")])
    assert (moved.source_id, moved.target_id) == ("b-2", "a-1")


@pytest.mark.parametrize("present", [["b-1", "c-1"], ["c-1", "b-1"]])
def test_without_the_kept_entry_the_first_linked_one_stands_in(present: list[str]) -> None:
    entities = [_entity(i, i, ListEffect.WRO, dt.date(2020, 1, 1)) for i in present]
    links = [SameAs("a-1", "b-1", "w", "s"), SameAs("a-1", "c-1", "w", "s")]
    [merged] = consolidate(entities, links).entities
    assert merged.id == present[0]


def test_a_folded_id_names_its_company_for_the_entity_command() -> None:
    links = same_company(BAODING_WRO)
    assert [(x.id, x.other_id) for x in links] == [(BAODING, BAODING_WRO)]
    assert same_company(BAODING) == links
    assert same_company("bis-hangzhou-hikvision-digital-technology") == []
