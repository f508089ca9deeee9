"""The relation graph and the walk from screened suppliers to prohibited entities.

Each relation active at the as-of date becomes one or two *steps*, written in the direction the
risk travels (from the exposed entity towards what it is exposed to):

- goods (supplies, shipped_to): the receiver is exposed to the sender, never the reverse, so two
  firms shipping to the same customer are not linked;
- control (owns, subsidiary_of, operates): both ways, parent to subsidiary and back;
- located_at: the entity is exposed to its site.

The steps are held as scipy CSR arrays. A batch of suppliers walks them together as a sparse
matrix product per hop (rows: suppliers, columns: entities reached), each hop keeping only
entities not reached before, so every entity is found at its shortest distance. Targets are
reached but never walked through: a path through a prohibited entity is already reported as a
shorter path to it. Paths are then rebuilt only for the (supplier, target) pairs found, over the
reversed steps, shortest first and capped per supplier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
import numpy.typing as npt
from scipy import sparse

from threadline.model import ExposurePath, PathEdge, PathNode, Relation, RelationKind

IntArray = npt.NDArray[np.int64]
Matrix = sparse.csr_matrix


@dataclass(frozen=True, slots=True)
class Hit:
    """A target reached from one supplier's start nodes in `hops` steps, with its paths."""

    target_id: str
    hops: int
    paths: tuple[ExposurePath, ...]


_KIND_CODES = {kind: code for code, kind in enumerate(RelationKind)}
_KIND_GROUPS = [
    [_KIND_CODES[k] for k in RelationKind if k.carries_goods],
    [_KIND_CODES[k] for k in RelationKind if k.is_control],
    [_KIND_CODES[RelationKind.LOCATED_AT]],
]


class RelationGraph:
    """Relations active at `as_of`, indexed for the walk. `names` labels the nodes in paths."""

    def __init__(
        self,
        relations: Sequence[Relation],
        as_of: dt.date,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.as_of = as_of
        self.names = dict(names or {})
        self.relations = sorted((r for r in relations if r.active_on(as_of)), key=attrgetter("id"))
        # Nodes numbered in order of first appearance: one dict pass, no sort of the ids.
        self.index: dict[str, int] = {}
        number_of = self.index.setdefault
        count = len(self.relations)
        source = np.fromiter(
            (number_of(r.source_id, len(self.index)) for r in self.relations), np.int64, count
        )
        target = np.fromiter(
            (number_of(r.target_id, len(self.index)) for r in self.relations), np.int64, count
        )
        self.ids = list(self.index)
        kind = np.fromiter((_KIND_CODES[r.kind] for r in self.relations), np.int64, count)
        goods, control, site = (np.isin(kind, codes) for codes in _KIND_GROUPS)
        number = np.arange(count, dtype=np.int64)
        # (exposed, exposed-to, relation): receivers to senders, control both ways, occupants to sites
        forward, backward = control | site, goods | control
        self._init_arrays(
            np.concatenate([source[forward], target[backward]]),
            np.concatenate([target[forward], source[backward]]),
            np.concatenate([number[forward], number[backward]]),
        )

    def _init_arrays(self, rows: IntArray, cols: IntArray, rels: IntArray) -> None:
        n = len(self.ids)
        self.steps = _csr(rows, cols, n, n)
        # Reversed steps, sorted by (to, from, relation): in-steps of a node, in a fixed order.
        order = np.lexsort((rels, rows, cols))
        self._in_from = rows[order]
        self._in_rel = rels[order]
        self._in_ptr = np.searchsorted(cols[order], np.arange(n + 1))

    def __len__(self) -> int:
        return len(self.relations)

    def node(self, node_id: str) -> PathNode:
        return PathNode(node_id, self.names.get(node_id, ""))

    def walk(
        self,
        starts: Sequence[Collection[str]],
        targets: Collection[str],
        max_hops: int,
        max_paths: int,
    ) -> list[list[Hit]]:
        """For each supplier's start nodes, the targets within `max_hops`, nearest first."""
        n = len(self.ids)
        if n == 0 or not starts or max_hops < 1:
            return [[] for _ in starts]
        start_rows: list[int] = []
        start_cols: list[int] = []
        for row, nodes in enumerate(starts):
            for node_id in nodes:
                if (col := self.index.get(node_id)) is not None:
                    start_rows.append(row)
                    start_cols.append(col)
        frontier = _csr(np.asarray(start_rows, np.int64), np.asarray(start_cols), len(starts), n)
        is_target = np.zeros(n, dtype=bool)
        is_target[[self.index[t] for t in targets if t in self.index]] = True
        walkable = sparse.csr_matrix(sparse.diags((~is_target).astype(np.float32)) @ self.steps)
        visited = frontier
        levels = [frontier]
        for _ in range(max_hops):
            reached = sparse.csr_matrix(frontier @ walkable)
            reached.data[:] = 1
            new = sparse.csr_matrix(reached - reached.multiply(visited))
            new.eliminate_zeros()
            if new.nnz == 0:
                break
            visited = sparse.csr_matrix(visited + new)
            levels.append(new)
            frontier = new
        # Only rows that reached a target need their paths rebuilt.
        target_column = is_target.astype(np.float32)
        hit_rows: set[int] = set()
        for level in levels[1:]:
            hit_rows.update(np.flatnonzero(np.asarray(level @ target_column)).tolist())
        depth = np.full(n, -1, dtype=np.int32)  # scratch: each node's distance for one row
        return [
            self._hits(row, levels, is_target, depth, max_paths) if row in hit_rows else []
            for row in range(len(starts))
        ]

    def _hits(
        self,
        row: int,
        levels: list[Matrix],
        is_target: npt.NDArray[np.bool_],
        depth: npt.NDArray[np.int32],
        max_paths: int,
    ) -> list[Hit]:
        layers = [_row_indices(level, row) for level in levels]
        for hops, layer in enumerate(layers):
            depth[layer] = hops
        try:
            return self._row_hits(layers, is_target, depth, max_paths)
        finally:
            for layer in layers:
                depth[layer] = -1

    def _row_hits(
        self,
        layers: list[IntArray],
        is_target: npt.NDArray[np.bool_],
        depth: npt.NDArray[np.int32],
        max_paths: int,
    ) -> list[Hit]:
        hits: list[Hit] = []
        budget = max_paths
        for hops in range(1, len(layers)):
            reached = layers[hops][is_target[layers[hops]]].tolist()
            for col in sorted(reached, key=self.ids.__getitem__):
                if budget <= 0:
                    return hits
                chains = self._chains(col, hops, depth, is_target, budget)
                budget -= len(chains)
                paths = sorted((self._path(c) for c in chains), key=_path_key)
                hits.append(Hit(self.ids[col], hops, tuple(paths)))
        return hits

    def _chains(
        self,
        col: int,
        hops: int,
        depth: npt.NDArray[np.int32],
        is_target: npt.NDArray[np.bool_],
        limit: int,
    ) -> list[list[tuple[int, int, int]]]:
        """Shortest step chains (from, to, relation) that end at `col`, at most `limit`."""
        if hops == 0:
            return [[]]
        # In-steps from the layer before that were walked (a target is never walked through).
        span = slice(self._in_ptr[col], self._in_ptr[col + 1])
        before, rels = self._in_from[span], self._in_rel[span]
        keep = (depth[before] == hops - 1) & ~is_target[before]
        out: list[list[tuple[int, int, int]]] = []
        for node, rel in zip(before[keep].tolist(), rels[keep].tolist(), strict=True):
            for chain in self._chains(node, hops - 1, depth, is_target, limit - len(out)):
                out.append([*chain, (node, col, rel)])
                if len(out) >= limit:
                    return out
        return out

    def _path(self, chain: list[tuple[int, int, int]]) -> ExposurePath:
        return ExposurePath(
            tuple(
                PathEdge(self.relations[rel], self.node(self.ids[a]), self.node(self.ids[b]))
                for a, b, rel in chain
            )
        )


def _path_key(path: ExposurePath) -> tuple[list[str], list[str]]:
    return [n.id for n in path.nodes], [e.relation.id for e in path.edges]


def _csr(rows: IntArray, cols: IntArray, height: int, width: int) -> Matrix:
    """A 0/1 matrix with ones at (rows, cols); duplicates kept once."""
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(height, width))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def _row_indices(matrix: Matrix, row: int) -> IntArray:
    return np.asarray(matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]], np.int64)
