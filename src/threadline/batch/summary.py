"""summary.json and summary.html of a batch, written from aggregates only.

Both engines reduce their output to the same counts — tiers by sector, month and port, and the
listed entities most often matched — the local one while it streams, Spark with group-bys; the
rows themselves never reach this module.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from jinja2 import Environment, PackageLoader, select_autoescape

from threadline.model import Tier
from threadline.report.wording import DISCLAIMER

DIMENSIONS = ("sector", "month", "port")
TOP_COUNTERPARTS = 20
_TIERS = [t.value for t in sorted(Tier, key=lambda t: -t.severity)]


@dataclass
class Aggregates:
    """Counts of screened rows: per tier, per (dimension value, tier), and per matched entity
    (confident matches only). A row in two sectors counts in both; '' is "none given"."""

    rows: int = 0
    rejected: int = 0
    tiers: Counter[str] = field(default_factory=Counter)
    by: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: {d: Counter() for d in DIMENSIONS}
    )
    counterparts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, batch: pa.RecordBatch) -> None:
        """Count one output batch of the batch function (the local engine)."""
        columns = ("tier", "sectors", "month", "port", "matches", "rejected")
        data = {name: batch.column(name).to_pylist() for name in columns}
        for tier, sectors, month, port, matches, rejected in zip(
            *(data[name] for name in columns), strict=True
        ):
            if rejected is not None:
                self.rejected += 1
                continue
            self.rows += 1
            self.tiers[tier] += 1
            for sector in sectors or [""]:
                self.by["sector"][sector, tier] += 1
            self.by["month"][month, tier] += 1
            self.by["port"][port, tier] += 1
            for entity in {(m["entity_id"], m["name"]) for m in matches if m["band"] == "match"}:
                self.counterparts[entity] += 1


def _table(counts: Counter[tuple[str, str]]) -> list[dict[str, Any]]:
    keys = sorted({key for key, _ in counts})
    return [
        {"key": key, "tiers": {tier: counts[key, tier] for tier in _TIERS}, "rows": total}
        for key in keys
        if (total := sum(counts[key, tier] for tier in _TIERS))
    ]


def summary_document(
    aggregates: Aggregates,
    *,
    engine: str,
    as_of: dt.date,
    inputs: Iterable[str],
    meta: dict[str, Any],
    sector_labels: dict[str, str],
) -> dict[str, Any]:
    top = sorted(aggregates.counterparts.items(), key=lambda item: (-item[1], item[0]))
    return {
        "tool": "threadline",
        **meta,
        "engine": engine,
        "as_of": as_of.isoformat(),
        "inputs": list(inputs),
        "rows": aggregates.rows,
        "rejected": aggregates.rejected,
        "tiers": {tier: aggregates.tiers.get(tier, 0) for tier in _TIERS},
        "by_sector": _table(aggregates.by["sector"]),
        "by_month": _table(aggregates.by["month"]),
        "by_port": _table(aggregates.by["port"]),
        "sector_labels": sector_labels,
        "top_listed_counterparts": [
            {"entity_id": entity_id, "name": name, "rows": rows}
            for (entity_id, name), rows in top[:TOP_COUNTERPARTS]
        ],
        "disclaimer": DISCLAIMER,
    }


def write_summary(folder: Path, doc: dict[str, Any]) -> None:
    (folder / "summary.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    env = Environment(
        loader=PackageLoader("threadline.batch", "templates"),
        autoescape=select_autoescape(default=True),
    )
    html = env.get_template("summary.html").render(doc=doc, tiers=_TIERS)
    (folder / "summary.html").write_text(html, encoding="utf-8")
