"""One identity key for names (model/names.py): every place that asks "is this the same name?"
answers as it does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import update

from threadline.decide import ReviewDecision, Verdict, decision_key, disposition_key
from threadline.model import Band, InputRecord, ReferenceEntity, Relation, RelationKind, SameAs
from threadline.model.ids import documented_facility_id, party_id
from threadline.model.names import name_key
from threadline.pipeline import Screener, screen
from threadline.store import Store
from threadline.store.tables import review_decisions

# Each group: spellings of one name. The copies before model/names.py disagreed on these.
SAME = [
    ("Hotan Textile Co., Ltd.", "HOTAN  TEXTILE CO LTD", "Ｈｏｔａｎ Textile Co Ltd"),
    ("Ürümqi Cotton Trading", "Urumqi Cotton Trading", "urumqi cotton-trading"),
    ("O'Brien Yarns", "OBrien Yarns", "O’Brien Yarns"),
    ("新疆棉紡織有限公司", "新疆棉纺织有限公司", " 新疆棉纺织有限公司 "),
]
DIFFERENT = [
    ("Hotan Textile Co., Ltd.", "Hotan Textiles Co., Ltd."),
    ("Hotan Textile", "Hotan Textile Co"),
    ("新疆棉纺织有限公司", "新疆棉纺有限公司"),
]


def _screener() -> Screener:
    party = ReferenceEntity("party-1", "Company", SAME[0][0], aliases=(SAME[1][0],))
    other = ReferenceEntity("party-2", "Company", "Kashgar Ginning Plant")
    link = Relation("r1", RelationKind.SUPPLIES, "party-1", "party-2")
    return Screener(
        entities=(), datasets=(), decisions={}, relations=[link], graph_entities=[party, other]
    )


def _places(screener: Screener, name: str) -> tuple[object, ...]:
    """What each place keys the name as."""
    record = InputRecord(file="f.csv", row=2, name=name)
    return (
        name_key(name),
        decision_key(name, "e1"),
        disposition_key(name, "UFLPA")[0],
        party_id(name, "cn"),
        documented_facility_id(name),
        frozenset(screener.start_nodes(record, [])),
    )


@pytest.fixture(scope="module")
def screener() -> Screener:
    return _screener()


@pytest.mark.parametrize("spellings", SAME)
def test_spellings_of_one_name_are_one_name_everywhere(
    screener: Screener, spellings: tuple[str, ...]
) -> None:
    first, *others = (_places(screener, s) for s in spellings)
    assert all(o == first for o in others)


@pytest.mark.parametrize(("one", "two"), DIFFERENT)
def test_different_names_are_different_everywhere(screener: Screener, one: str, two: str) -> None:
    differing = [
        a != b for a, b in zip(_places(screener, one), _places(screener, two), strict=True)
    ]
    # The graph finds nodes by name only for names it holds; the other keys all differ.
    assert differing[:5] == [True] * 5


def test_graph_start_nodes_use_the_key(screener: Screener) -> None:
    for spelling in (*SAME[0], *SAME[1]):
        assert _places(screener, spelling)[5] == {"party-1"}
    assert _places(screener, "Hotan Textiles Co Ltd")[5] == frozenset()


def test_a_decision_stored_under_an_earlier_key_still_applies(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:
        decision = ReviewDecision(SAME[0][0], "e1", Verdict.SAME, "ana", "2025-01-02T00:00:00")
        store.add_decision(decision, data_version="v", algorithm="a")
        with store.engine.begin() as connection:  # as the punctuation-keeping rule stored it
            connection.execute(update(review_decisions).values(query_key="hotan textile co., ltd."))
        decisions = store.decisions()
    assert decisions[decision_key(SAME[0][1], "e1")].verdict is Verdict.SAME


def test_a_runs_decision_on_a_folded_entry_applies_to_the_company_it_joined() -> None:
    kept = ReferenceEntity("a-1", "Company", "Hotan Cotton Textile Co., Ltd.", country="CN")
    folded = ReferenceEntity("b-1", "Company", "Hotan Cotton Textile Co Ltd", country="CN")
    screener = Screener(
        entities=[kept, folded],
        datasets=(),
        decisions={},
        same_as=[SameAs("a-1", "b-1", "same USCC", "https://example.org")],
    )
    record = InputRecord(file="f.csv", row=2, name="Hotan Cotton Textile Co., Ltd.", country="CN")
    as_of = dt.date(2025, 1, 1)
    [before] = screen([record], reference=screener, as_of=as_of)
    assert [(m.entity.id, m.band) for m in before.matches] == [("a-1", Band.MATCH)]
    said = ReviewDecision(record.name, "b-1", Verdict.NOT_SAME, "ana", "2025-01-02T00:00:00")
    decisions = {decision_key(record.name, "b-1"): said}
    [after] = screen([record], reference=screener, as_of=as_of, decisions=decisions)
    assert [(m.entity.id, m.band) for m in after.matches] == [("a-1", Band.NO_MATCH)]
    assert screener.decisions == {}  # the shared screener is left as it was
