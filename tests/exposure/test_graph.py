"""RelationGraph: directions, as-of dates, shortest paths, caps and order."""

from __future__ import annotations

import datetime as dt
from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.exposure import RelationGraph
from threadline.model import Relation, RelationKind

AS_OF = dt.date(2025, 1, 1)
K = RelationKind


def _graph(*edges: tuple[str, RelationKind, str], as_of: dt.date = AS_OF) -> RelationGraph:
    relations = [Relation(f"r{n:03d}", kind, a, b) for n, (a, kind, b) in enumerate(edges)]
    return RelationGraph(relations, as_of, names={"t": "Target Co"})


def _found(graph: RelationGraph, start: str, hops: int = 2, cap: int = 20) -> list[tuple[str, int]]:
    (hits,) = graph.walk([{start}], {"t"}, hops, cap)
    return [(h.target_id, h.hops) for h in hits]


def test_goods_expose_the_receiver_only() -> None:
    graph = _graph(("t", K.SUPPLIES, "buyer"), ("seller", K.SHIPPED_TO, "t"))
    assert _found(graph, "buyer") == [("t", 1)]
    assert _found(graph, "seller") == []


def test_control_exposes_both_ways() -> None:
    graph = _graph(("t", K.OWNS, "sub"), ("parent", K.OWNS, "t"), ("t", K.OPERATES, "site"))
    assert _found(graph, "sub") == [("t", 1)]
    assert _found(graph, "parent") == [("t", 1)]
    assert _found(graph, "site") == [("t", 1)]


def test_located_at_exposes_the_occupant_not_the_site() -> None:
    graph = _graph(("tenant", K.LOCATED_AT, "t"), ("t", K.LOCATED_AT, "park"))
    assert _found(graph, "tenant") == [("t", 1)]
    assert _found(graph, "park") == []


def test_co_suppliers_of_one_customer_are_not_linked() -> None:
    graph = _graph(("t", K.SHIPPED_TO, "customer"), ("other", K.SHIPPED_TO, "customer"))
    assert _found(graph, "other") == []
    assert _found(graph, "customer") == [("t", 1)]


def test_relations_outside_their_dates_are_dropped() -> None:
    relations = [
        Relation("old", K.OWNS, "t", "a", end=dt.date(2024, 12, 31)),
        Relation("future", K.OWNS, "t", "b", start=dt.date(2025, 2, 1)),
        Relation("ends-later", K.OWNS, "t", "c", end=dt.date(2025, 1, 2)),
    ]
    graph = RelationGraph(relations, AS_OF)
    assert [r.id for r in graph.relations] == ["ends-later"]
    assert _found(graph, "a") == [] and _found(graph, "b") == []
    assert _found(graph, "c") == [("t", 1)]


def test_only_shortest_paths_are_kept_and_hop_limit_holds() -> None:
    graph = _graph(
        ("t", K.SUPPLIES, "s"),
        ("t", K.SUPPLIES, "m"),
        ("m", K.SUPPLIES, "s"),
        ("t", K.SUPPLIES, "x"),
        ("x", K.SUPPLIES, "y"),
        ("y", K.SUPPLIES, "z"),
    )
    (hits,) = graph.walk([{"s"}], {"t"}, 2, 20)
    assert [(h.hops, [e.relation.id for e in p.edges]) for h in hits for p in h.paths] == [
        (1, ["r000"])
    ]
    assert _found(graph, "z", hops=2) == []
    assert _found(graph, "z", hops=3) == [("t", 3)]


def test_paths_do_not_run_through_a_target() -> None:
    graph = _graph(("u", K.SUPPLIES, "t"), ("t", K.SUPPLIES, "s"))
    (hits,) = graph.walk([{"s"}], {"t", "u"}, 3, 20)
    assert [h.target_id for h in hits] == ["t"]


def test_every_shortest_path_in_a_fixed_order_up_to_the_cap() -> None:
    # Three middlemen between the supplier and the target: three 2-hop paths.
    edges = [(m, K.SHIPPED_TO, "s") for m in ("m3", "m1", "m2")]
    edges += [("t", K.SHIPPED_TO, m) for m in ("m2", "m3", "m1")]
    graph = _graph(*edges)
    (hits,) = graph.walk([{"s"}], {"t"}, 2, 20)
    assert [[n.id for n in p.nodes] for p in hits[0].paths] == [
        ["s", "m1", "t"],
        ["s", "m2", "t"],
        ["s", "m3", "t"],
    ]
    assert hits[0].paths[0].end.label == "Target Co"
    (capped,) = graph.walk([{"s"}], {"t"}, 2, 2)
    assert len(capped[0].paths) == 2


def test_batch_rows_are_independent_and_unknown_starts_are_harmless() -> None:
    graph = _graph(("t", K.SUPPLIES, "a"), ("a", K.SUPPLIES, "b"))
    found = graph.walk([{"b"}, set(), {"nowhere"}, {"a", "b"}], {"t"}, 2, 20)
    assert [[(h.target_id, h.hops) for h in row] for row in found] == [
        [("t", 2)],
        [],
        [],
        [("t", 1)],
    ]


def test_empty_graph_walks_to_nothing() -> None:
    assert RelationGraph([], AS_OF).walk([{"a"}, {"b"}], {"t"}, 2, 20) == [[], []]


def _reference_distances(
    edges: list[tuple[int, RelationKind, int]], start: int, targets: set[int], hops: int
) -> dict[int, int]:
    """Plain BFS over the same rules, to check the sparse walk against."""
    step: dict[int, set[int]] = {}
    for a, kind, b in edges:
        if kind.carries_goods:
            step.setdefault(b, set()).add(a)
        elif kind.is_control:
            step.setdefault(a, set()).add(b)
            step.setdefault(b, set()).add(a)
        else:
            step.setdefault(a, set()).add(b)
    seen, found, queue = {start}, {}, deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        if depth == hops or node in targets:
            continue
        for nxt in sorted(step.get(node, ())):
            if nxt not in seen:
                seen.add(nxt)
                if nxt in targets:
                    found[nxt] = depth + 1
                queue.append((nxt, depth + 1))
    return found


@settings(max_examples=60, deadline=None)
@given(
    edges=st.lists(
        st.tuples(st.integers(0, 14), st.sampled_from(list(RelationKind)), st.integers(0, 14)),
        max_size=40,
    ),
    targets=st.sets(st.integers(0, 14), max_size=4),
    hops=st.integers(1, 3),
)
def test_walk_agrees_with_a_plain_bfs(
    edges: list[tuple[int, RelationKind, int]], targets: set[int], hops: int
) -> None:
    relations = [Relation(f"r{n}", k, f"n{a}", f"n{b}") for n, (a, k, b) in enumerate(edges)]
    graph = RelationGraph(relations, AS_OF)
    starts = list(range(15))
    walked = graph.walk([{f"n{s}"} for s in starts], {f"n{t}" for t in targets}, hops, 1000)
    for start, hits in zip(starts, walked, strict=True):
        expected = _reference_distances(edges, start, targets, hops)
        assert {int(h.target_id[1:]): h.hops for h in hits} == expected
        for hit in hits:
            for path in hit.paths:
                assert path.hops == hit.hops and path.start.id == f"n{start}"
                assert path.end.id == hit.target_id
