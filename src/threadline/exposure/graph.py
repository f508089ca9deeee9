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


def _steps(relation: Relation) -> list[tuple[str, str]]:
    """(exposed, exposed-to) pairs one relation gives."""
    if relation.kind.carries_goods:
        return [(relation.target_id, relation.source_id)]
    if relation.kind.is_control:
        return [(relation.source_id, relation.target_id), (relation.target_id, relation.source_id)]
    if relation.kind is RelationKind.LOCATED_AT:
        return [(relation.source_id, relation.target_id)]
    return []


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
        self.relations = sorted((r for r in relations if r.active_on(as_of)), key=lambda r: r.id)
        ids = sorted({i for r in self.relations for i in (r.source_id, r.target_id)})
        self.ids = ids
        self.index = {node_id: n for n, node_id in enumerate(ids)}
        rows: list[int] = []
        cols: list[int] = []
        rels: list[int] = []
        for number, relation in enumerate(self.relations):
            for exposed, to in _steps(relation):
                rows.append(self.index[exposed])
                cols.append(self.index[to])
                rels.append(number)
        self._init_arrays(
            np.asarray(rows, np.int64), np.asarray(cols, np.int64), np.asarray(rels, np.int64)
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
        return [
            self._hits(row, levels, is_target, max_paths) if row in hit_rows else []
            for row in range(len(starts))
        ]

    def _hits(
        self,
        row: int,
        levels: list[Matrix],
        is_target: npt.NDArray[np.bool_],
        max_paths: int,
    ) -> list[Hit]:
        layers = [set(_row_indices(level, row).tolist()) for level in levels]
        hits: list[Hit] = []
        budget = max_paths
        for hops in range(1, len(layers)):
            for col in sorted(c for c in layers[hops] if is_target[c]):
                if budget <= 0:
                    return hits
                chains = self._chains(col, hops, layers, is_target, budget)
                budget -= len(chains)
                hits.append(Hit(self.ids[col], hops, tuple(self._path(c) for c in chains)))
        return hits

    def _chains(
        self,
        col: int,
        hops: int,
        layers: list[set[int]],
        is_target: npt.NDArray[np.bool_],
        limit: int,
    ) -> list[list[tuple[int, int, int]]]:
        """Shortest step chains (from, to, relation) that end at `col`, at most `limit`."""
        if hops == 0:
            return [[]]
        out: list[list[tuple[int, int, int]]] = []
        for k in range(self._in_ptr[col], self._in_ptr[col + 1]):
            before = int(self._in_from[k])
            if before not in layers[hops - 1] or is_target[before]:
                continue
            for chain in self._chains(before, hops - 1, layers, is_target, limit - len(out)):
                out.append([*chain, (before, col, int(self._in_rel[k]))])
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


def _csr(rows: IntArray, cols: IntArray, height: int, width: int) -> Matrix:
    """A 0/1 matrix with ones at (rows, cols); duplicates kept once."""
    keys = np.unique(rows * max(width, 1) + cols)
    indptr = np.searchsorted(keys // max(width, 1), np.arange(height + 1))
    data = np.ones(len(keys), dtype=np.float32)
    return sparse.csr_matrix((data, keys % max(width, 1), indptr), shape=(height, width))


def _row_indices(matrix: Matrix, row: int) -> IntArray:
    return np.asarray(matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]], np.int64)
