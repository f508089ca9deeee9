"""Exposure paths drawn as a small graph: inline SVG, no script, every label escaped.

Columns by distance from the subject (the screened supplier on the left, what it is exposed to on
the right); nodes in a column stacked in the order met; each edge a line with its relation's
label. Plain geometry is enough for the handful of paths a dossier shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from threadline.model import ExposurePath

_COLUMN_WIDTH = 310  # leaves 130 px between columns for the relation's label
_ROW_HEIGHT = 70
_NODE_WIDTH = 180
_NODE_HEIGHT = 34
_MARGIN = 16
_LABEL_CHARS = 28


def paths_svg(paths: Sequence[ExposurePath], flagged: frozenset[str] = frozenset()) -> str:
    """The paths as one SVG; `flagged` node ids are drawn in the prohibited colour."""
    if not paths:
        return ""
    depth: dict[str, int] = {}
    labels: dict[str, str] = {}
    edges: dict[tuple[str, str], tuple[str, bool]] = {}
    for path in paths:
        for index, node in enumerate(path.nodes):
            depth[node.id] = min(depth.get(node.id, index), index)
            labels.setdefault(node.id, node.label)
        for edge in path.edges:
            # The kind alone fits between columns; bill numbers are in the list under the graph.
            # The arrow follows the relation as recorded (supplier ← supplies ← listed firm).
            kind = edge.relation.kind.value.replace("_", " ")
            edges.setdefault((edge.from_node.id, edge.to_node.id), (kind, edge.along))
    columns: dict[int, list[str]] = {}
    for node_id, level in depth.items():
        columns.setdefault(level, []).append(node_id)
    where = {
        node_id: (_MARGIN + level * _COLUMN_WIDTH, _MARGIN + row * _ROW_HEIGHT)
        for level, ids in columns.items()
        for row, node_id in enumerate(ids)
    }
    width = _MARGIN * 2 + (max(columns) * _COLUMN_WIDTH) + _NODE_WIDTH
    height = (
        _MARGIN * 2 + (max(len(ids) for ids in columns.values()) - 1) * _ROW_HEIGHT + _NODE_HEIGHT
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="paths-graph" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Exposure paths: {len(paths)}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#59636e"/></marker></defs>',
    ]
    for (start, end), (label, along) in edges.items():
        (x1, y1), (x2, y2) = where[start], where[end]
        ax: float = x1 + _NODE_WIDTH
        ay: float = y1 + _NODE_HEIGHT / 2
        bx: float = x2
        by: float = y2 + _NODE_HEIGHT / 2
        if x2 <= x1:  # same or earlier column: go round underneath
            ax, bx = x1 + _NODE_WIDTH / 2, x2 + _NODE_WIDTH / 2
            ay, by = y1 + _NODE_HEIGHT, y2 + _NODE_HEIGHT
        parts.append(
            f'<line x1="{ax:.0f}" y1="{ay:.0f}" x2="{bx:.0f}" y2="{by:.0f}" stroke="#59636e" '
            f'stroke-width="1.2" {"marker-end" if along else "marker-start"}="url(#arrow)"/>'
        )
        parts.append(
            f'<text x="{(ax + bx) / 2:.0f}" y="{(ay + by) / 2 - 5:.0f}" font-size="9" '
            f'text-anchor="middle" fill="#1f2328">{escape(_short(label, 22))}</text>'
        )
    for node_id, (x, y) in where.items():
        fill = (
            "#7f1d1d" if node_id in flagged else ("#0b57d0" if depth[node_id] == 0 else "#4b5563")
        )
        parts.append(
            f'<rect x="{x}" y="{y}" width="{_NODE_WIDTH}" height="{_NODE_HEIGHT}" rx="5" '
            f'fill="{fill}"/>'
        )
        parts.append(
            f'<text x="{x + _NODE_WIDTH / 2:.0f}" y="{y + _NODE_HEIGHT / 2 + 4:.0f}" font-size="10" '
            f'text-anchor="middle" fill="#ffffff">{escape(_short(labels[node_id]))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, limit: int = _LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
