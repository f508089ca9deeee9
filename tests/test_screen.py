"""`screen(records, *, reference, as_of, decisions, algorithm, ...)`: one reference serves runs
with other dates, decisions and algorithms, in turn or at once, and none of them leaks into
another (the per-run inputs used to be set on copies of the screener and its matcher)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from threadline.data.rules import DEFAULT_ALGORITHM, load_algorithm
from threadline.decide import ReviewDecision, Verdict, decision_key
from threadline.model import (
    InputRecord,
    ListEffect,
    Listing,
    ReferenceEntity,
    Relation,
    RelationKind,
    ScreenedRow,
    Source,
)
from threadline.pipeline import Screener, screen

OLDER = "threadline-match-2"
LISTED = dt.date(2023, 3, 1)
SUPPLY_STARTS = dt.date(2024, 1, 1)
BEFORE, AFTER = dt.date(2022, 6, 30), dt.date(2025, 6, 30)

LISTING = Listing(
    list_id="uflpa",
    list_name="UFLPA Entity List",
    effect=ListEffect.UFLPA,
    entry_id="listed",
    date_listed=LISTED,
    sources=(Source("https://www.federalregister.gov/d/uflpa-test", "UFLPA additions"),),
)
ENTITIES = [
    ReferenceEntity(
        "listed",
        "Company",
        "Hotan Huayuan Cotton Textile Co., Ltd.",
        country="CN",
        listings=(LISTING,),
    ),
    ReferenceEntity("buyer", "Company", "Quillfeather Example Apparel Ltd", country="GB"),
    ReferenceEntity("other", "Company", "Hotan Huamei Knitting Co., Ltd.", country="CN"),
]
RELATIONS = [
    Relation(
        "r1",
        RelationKind.SUPPLIES,
        "listed",
        "buyer",
        start=SUPPLY_STARTS,
        sources=(Source("https://example.org/bills/1", "bill of lading"),),
    )
]
RECORDS = [
    InputRecord("s.csv", 2, "Hotan Huayuan Cotton Textile Co Ltd", country="CN"),
    InputRecord("s.csv", 3, "Hotan Huayuan Coton Textiles", country="CN"),
    InputRecord("s.csv", 4, "Hotan Huamei Knitting", country="CN"),
    InputRecord("s.csv", 5, "Quillfeather Example Apparel Ltd", country="GB"),
]


def _reference(algorithm: str = DEFAULT_ALGORITHM) -> Screener:
    return Screener(
        entities=ENTITIES, datasets=(), decisions={}, relations=RELATIONS, algorithm_name=algorithm
    )


def _seen(rows: list[ScreenedRow]) -> list[object]:
    """What a run says of each row: its matches as scored and explained, its tier and reasons."""
    return [
        (
            [(m.entity.id, m.score, m.band, m.explanation.algorithm) for m in row.matches],
            row.risk.tier,
            sorted(reason.code for reason in row.risk.reasons),
        )
        for row in rows
    ]


def test_runs_with_other_algorithms_on_one_reference_answer_as_each_would_alone() -> None:
    alone = {
        name: _seen(screen(RECORDS, reference=_reference(name), as_of=AFTER))
        for name in (OLDER, DEFAULT_ALGORITHM)
    }
    assert alone[OLDER] != alone[DEFAULT_ALGORITHM]  # else this test could not see a leak
    shared = _reference()
    order = [OLDER, DEFAULT_ALGORITHM, OLDER, DEFAULT_ALGORITHM]
    in_turn = [screen(RECORDS, reference=shared, as_of=AFTER, algorithm=name) for name in order]
    assert [_seen(rows) for rows in in_turn] == [alone[name] for name in order]
    with ThreadPoolExecutor(4) as pool:
        at_once = list(
            pool.map(
                lambda name: screen(RECORDS, reference=shared, as_of=AFTER, algorithm=name),
                order * 2,
            )
        )
    assert [_seen(rows) for rows in at_once] == [alone[name] for name in order * 2]
    # A loaded algorithm is taken as it is, and the shared matcher keeps its own.
    given = screen(RECORDS, reference=shared, as_of=AFTER, algorithm=load_algorithm(OLDER))
    assert _seen(given) == alone[OLDER]
    assert shared.matcher.algorithm == load_algorithm(DEFAULT_ALGORITHM)
    assert shared.run(as_of=AFTER, algorithm=OLDER).metadata([]).algorithm == OLDER


def test_runs_at_other_dates_on_one_reference_answer_as_each_would_alone() -> None:
    alone = {
        day: _seen(screen(RECORDS, reference=_reference(), as_of=day)) for day in (BEFORE, AFTER)
    }
    # Before the listing and the supply began the buyer has no link; after, it has.
    assert alone[BEFORE] != alone[AFTER]
    assert "SUPPLY_LINK" in alone[AFTER][3][2] and "SUPPLY_LINK" not in alone[BEFORE][3][2]
    shared = _reference()
    order = [AFTER, BEFORE, AFTER, BEFORE]
    assert [_seen(screen(RECORDS, reference=shared, as_of=day)) for day in order] == [
        alone[day] for day in order
    ]


def test_a_calls_decisions_and_hops_stay_with_that_call() -> None:
    shared = _reference()
    before = _seen(screen(RECORDS, reference=shared, as_of=AFTER))
    said = ReviewDecision(RECORDS[0].name, "listed", Verdict.NOT_SAME, "ana", "2025-01-02T00:00")
    decided = screen(
        RECORDS,
        reference=shared,
        as_of=AFTER,
        decisions={decision_key(RECORDS[0].name, "listed"): said},
        max_hops=0,
    )
    assert _seen(decided) != before
    assert "SUPPLY_LINK" not in _seen(decided)[3][2]  # no links followed at 0 hops
    assert _seen(screen(RECORDS, reference=shared, as_of=AFTER)) == before
    assert shared.decisions == {} and shared.max_hops is None
