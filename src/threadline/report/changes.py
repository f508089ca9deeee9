"""What changed since an earlier screening, as results.json, results.csv and report.html show it.

Fields and columns are added beside the existing ones, never in their place: `key` and `change`
on each results.json row, `row_key` and `changes` at the top; change columns at the end of
results.csv; a "Changed since" section first in report.html.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from threadline.model.changes import ChangeSet, RowChange, RowKeys

CSV_COLUMNS: tuple[str, ...] = (
    "row_key",
    "change",
    "previous_tier",
    "reasons_added",
    "reasons_removed",
    "change_why",
)


def change_dict(change: RowChange) -> dict[str, Any]:
    return {
        "status": change.status.value,
        "previous_tier": change.previous_tier,
        "tier": change.tier,
        "reasons_added": list(change.reasons_added),
        "reasons_removed": list(change.reasons_removed),
        "why": [{"cause": w.cause.value, "text": w.text} for w in change.why],
    }


def changes_summary(changes: ChangeSet) -> dict[str, Any]:
    return {
        "since": {
            "screening": changes.since_id,
            "date": changes.since_date,
            "as_of": changes.since_as_of,
        },
        "counts": changes.counts(),
        "causes": {cause: n for cause, n in changes.causes().items() if n},
        "gone": [
            {"key": c.key, "row": c.row, "name": c.name, **change_dict(c)} for c in changes.gone
        ],
    }


def annotate(
    document: dict[str, Any],
    keys: RowKeys,
    changes: ChangeSet | None,
    settings: Mapping[str, Any],
    screening_id: str | None,
) -> None:
    """Add the row keys, the settings and stored id, and, when there was an earlier screening,
    each row's change."""
    document["screening_id"] = screening_id
    document["settings"] = dict(settings)
    document["row_key"] = {"kind": keys.kind, "column": keys.column}
    if changes is not None:
        document["changes"] = changes_summary(changes)
    for result, key in zip(document["results"], keys.keys, strict=True):
        result["key"] = key
        if changes is not None:
            result["change"] = change_dict(changes.rows[key])


def csv_values(key: str, changes: ChangeSet) -> dict[str, str]:
    change = changes.rows[key]
    return {
        "row_key": key,
        "change": change.status.value,
        "previous_tier": change.previous_tier or "",
        "reasons_added": "; ".join(change.reasons_added),
        "reasons_removed": "; ".join(change.reasons_removed),
        "change_why": "; ".join(f"{w.cause.value}: {w.text}" for w in change.why),
    }


def changed_first(changes: ChangeSet) -> list[RowChange]:
    """Changed rows for the report: rises first, then the rest in input order, then gone rows."""
    order = {"raised": 0, "new": 1, "lowered": 2, "reasons changed": 3, "gone": 4}
    return sorted(changes.changed(), key=lambda c: order.get(c.status.value, 5))


def counts_line(changes: ChangeSet) -> str:
    """'2 raised, 1 new, 10 unchanged' — the statuses that occur, in a fixed order."""
    counts = changes.counts()
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n)


def causes_line(changes: ChangeSet) -> str:
    return ", ".join(f"{cause}: {n}" for cause, n in changes.causes().items() if n)
