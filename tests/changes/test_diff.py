"""The comparison of two screenings, in process: one case per kind of change and of cause."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

import pytest

from threadline.changes import compare, facts_from_json, facts_to_json, row_facts
from threadline.model.changes import Cause, RowFacts, ScreeningFacts, Status


def facts(key: str, tier: str = "no signal found", **kw: Any) -> RowFacts:
    return RowFacts(key=key, row=kw.pop("row", 2), name=kw.pop("name", key), tier=tier, **kw)


def screening(*rows: RowFacts, **kw: Any) -> ScreeningFacts:
    values: dict[str, Any] = {
        "id": "s",
        "inputs": ("suppliers.csv",),
        "created_at": "2026-01-01T00:00:00+00:00",
        "as_of": "2026-01-01",
        "data_version": "d1",
        "algorithm": "a1",
        "settings": {"hops": 2, "key": "name + country"},
        "rows": rows,
    }
    values.update(kw)
    return ScreeningFacts(**values)


LISTED = {"e1|uflpa|E1|2026-02-01|": "UFLPA Entity List: Redstone [E1], listed 2026-02-01"}


def test_unchanged_rows_have_no_cause_and_count_as_unchanged() -> None:
    row = facts("a", "high", reasons=frozenset({"BIS"}))
    changes = compare(screening(row), screening(row, id="t"))
    assert changes.rows["a"].status is Status.UNCHANGED
    assert changes.rows["a"].why == ()
    assert changes.counts()["unchanged"] == 1
    assert changes.changed() == []


def test_list_update_names_the_listing_and_its_date() -> None:
    before = facts("a", entities=frozenset({"e1"}))
    after = facts(
        "a", "prohibited", reasons=frozenset({"UFLPA"}), entities=frozenset({"e1"}), listings=LISTED
    )
    change = compare(screening(before), screening(after, id="t")).rows["a"]
    assert change.status is Status.RAISED
    assert (change.previous_tier, change.tier) == ("no signal found", "prohibited")
    assert change.reasons_added == ("UFLPA",)
    (why,) = change.why
    assert why.cause is Cause.LIST_UPDATE
    assert "Redstone" in why.text and "2026-02-01" in why.text


def test_a_removed_listing_lowers_the_tier_and_says_so() -> None:
    before = facts("a", "prohibited", reasons=frozenset({"UFLPA"}), listings=LISTED)
    removed = {"e1|uflpa|E1|2026-02-01|2026-06-01": "UFLPA Entity List: Redstone, removed"}
    after = facts("a", "no signal found", listings=removed)
    change = compare(screening(before), screening(after)).rows["a"]
    assert change.status is Status.LOWERED
    assert change.reasons_removed == ("UFLPA",)
    assert change.why[0].cause is Cause.LIST_UPDATE
    assert "no longer" in change.why[0].text and "removed" in change.why[0].text


def test_new_relation_is_the_cause_of_a_link_flag() -> None:
    after = facts(
        "a",
        "high",
        reasons=frozenset({"SUPPLY_LINK"}),
        relations={"r1": "Redstone supplies Acme [Customs record, 2025-03-01]"},
    )
    change = compare(screening(facts("a")), screening(after)).rows["a"]
    assert [w.cause for w in change.why] == [Cause.RELATIONS]
    assert "Customs record" in change.why[0].text


def test_review_decision_is_the_cause() -> None:
    before = facts("a", "elevated", reasons=frozenset({"POSSIBLE_MATCH"}))
    after = facts(
        "a",
        "prohibited",
        reasons=frozenset({"UFLPA"}),
        reviews={"e1": "Redstone: reviewed by ana on 2026-01-02: same"},
    )
    change = compare(screening(before), screening(after)).rows["a"]
    assert change.status is Status.RAISED
    assert [w.cause for w in change.why] == [Cause.REVIEW]
    assert change.reasons_added == ("UFLPA",) and change.reasons_removed == ("POSSIBLE_MATCH",)


def test_edited_input_row_is_the_cause() -> None:
    before = facts("a", input_hash="h1")
    after = facts("a", "prohibited", reasons=frozenset({"XUAR_ADDRESS"}), input_hash="h2")
    change = compare(screening(before), screening(after)).rows["a"]
    assert change.why[0].cause is Cause.INPUT


def test_changed_algorithm_and_settings_apply_to_every_changed_row() -> None:
    before = facts("a", "high", reasons=frozenset({"SUPPLY_LINK"}))
    after = facts("a")
    earlier = screening(before)
    later = screening(after, algorithm="a2", settings={"hops": 0, "key": "name + country"})
    causes = {w.cause: w.text for w in compare(earlier, later).rows["a"].why}
    assert causes[Cause.ALGORITHM] == "algorithm a1 → a2"
    assert causes[Cause.SETTINGS] == "hops: 2 → 0"


def test_as_of_date_stands_in_only_when_nothing_closer_explains() -> None:
    before, after = facts("a"), facts("a", "prohibited", reasons=frozenset({"UFLPA"}))
    change = compare(screening(before), screening(after, as_of="2026-06-01")).rows["a"]
    assert [w.cause for w in change.why] == [Cause.AS_OF]
    change = compare(screening(before), screening(after)).rows["a"]
    assert [w.cause for w in change.why] == [Cause.DATA]


def test_same_tier_other_reasons_is_a_change_too() -> None:
    before = facts("a", "prohibited", reasons=frozenset({"UFLPA"}))
    after = facts("a", "prohibited", reasons=frozenset({"UFLPA", "WRO"}))
    assert compare(screening(before), screening(after)).rows["a"].status is Status.REASONS


def test_new_and_gone_rows_are_reported() -> None:
    earlier = screening(facts("a"), facts("gone", "high", row=3))
    later = screening(facts("a"), facts("new", "elevated", reasons=frozenset({"TIBET"})))
    changes = compare(earlier, later)
    assert changes.rows["new"].status is Status.NEW
    assert changes.rows["new"].reasons_added == ("TIBET",)
    (gone,) = changes.gone
    assert (gone.key, gone.status, gone.previous_tier, gone.tier) == (
        "gone",
        Status.GONE,
        "high",
        None,
    )
    assert changes.counts() == {
        "new": 1,
        "gone": 1,
        "raised": 0,
        "lowered": 0,
        "reasons changed": 0,
        "unchanged": 1,
    }
    assert changes.causes()["input row"] == 2


RESULT: dict[str, Any] = {
    "row": 4,
    "input": {"supplier": "Acme", "country": "CN"},
    "matches": [
        {
            "entity_id": "e1",
            "name": "Redstone",
            "band": "match",
            "lists": [
                {
                    "list_id": "uflpa",
                    "list_name": "UFLPA Entity List",
                    "entry_id": "E1",
                    "date_listed": "2026-02-01",
                    "date_removed": None,
                }
            ],
            "explanation": {"query": "Acme", "note": "reviewed by ana on 2026-01-02: same"},
        },
        {"entity_id": "e2", "name": "Other", "band": "no match", "lists": [], "explanation": {}},
    ],
    "risk": {
        "tier": "prohibited",
        "reasons": [
            {
                "code": "SUPPLY_LINK",
                "evidence": [{"source_url": "https://x", "title": "Record", "date": "2025-03-01"}],
                "paths": [
                    {
                        "nodes": [{"id": "p1", "name": "Acme"}, {"id": "e1", "name": "Redstone"}],
                        "edges": [
                            {
                                "relation_id": "r1",
                                "kind": "supplies",
                                "source_id": "e1",
                                "target_id": "p1",
                                "end": None,
                                "sources": [{"title": "Record", "date": "2025-03-01"}],
                            }
                        ],
                    }
                ],
            }
        ],
    },
}


def test_row_facts_read_listings_relations_and_reviews_from_results_json() -> None:
    got = row_facts(RESULT, "name:x")
    assert got.tier == "prohibited" and got.row == 4 and got.name == "Acme"
    assert got.entities == frozenset({"e1"})  # a no-match candidate is not a matched entity
    assert list(got.listings.values()) == ["UFLPA Entity List: Redstone [E1], listed 2026-02-01"]
    assert got.relations == {"r1": "Redstone supplies Acme [Record, 2025-03-01]"}
    assert "reviewed by ana" in got.reviews["e1"]
    assert (
        got.input_hash
        == row_facts({**RESULT, "input": {"country": "CN", "supplier": "Acme"}}, "k").input_hash
    )
    assert (
        got.input_hash != row_facts({**RESULT, "input": {"supplier": "Acme Ltd"}}, "k").input_hash
    )


@pytest.mark.parametrize("edit", [{}, {"reasons": frozenset()}, {"listings": {}}])
def test_stored_form_round_trips(edit: dict[str, Any]) -> None:
    original = replace(row_facts(RESULT, "name:x"), **edit, digest="")
    back = facts_from_json("name:x", facts_to_json(original))
    assert replace(back, digest="") == original


def test_the_digest_ignores_the_row_number_but_not_the_facts() -> None:
    facts = row_facts(RESULT, "name:x")
    assert row_facts({**RESULT, "row": 99}, "name:x").digest == facts.digest
    other = {**RESULT, "risk": {**RESULT["risk"], "tier": "high"}}
    assert row_facts(other, "name:x").digest != facts.digest
    # Equal digests are unchanged without reading the facts (a row read as its digest alone).
    light = RowFacts("name:x", 4, "Acme", "prohibited", digest=facts.digest)
    assert compare(screening(light), screening(facts)).rows["name:x"].status is Status.UNCHANGED


def test_a_digest_stored_by_the_older_recipe_still_compares_as_unchanged() -> None:
    """Before model/ids.json_digest, facts digests escaped non-ASCII text: such a stored digest
    differs from today's, and the row is then compared in full, not reported as changed."""
    data = {**RESULT, "matches": [{**RESULT["matches"][0], "name": "新疆 Redstone"}]}
    now = row_facts(data, "name:x")
    stored = facts_to_json(now)
    text = json.dumps({k: v for k, v in stored.items() if k != "row"}, sort_keys=True, default=str)
    before = replace(now, digest=hashlib.sha1(text.encode("utf-8")).hexdigest())
    assert before.digest != now.digest
    change = compare(screening(before), screening(now, id="t")).rows["name:x"]
    assert change.status is Status.UNCHANGED and change.why == ()
