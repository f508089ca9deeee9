"""How changes since an earlier screening read in the terminal (screen, monitor)."""

from __future__ import annotations

from rich.console import Console

from threadline.model.changes import ChangeSet, RowChange
from threadline.report.changes import causes_line, changed_first, counts_line

_SHOWN = 20  # changed rows listed; report.html and results.json have them all


def print_changes(console: Console, changes: ChangeSet) -> None:
    """Counts by kind first, then the changed rows with the reasons added or removed and why."""
    console.print(
        f"Changed since {changes.since_date} (screening {changes.since_id}, as of "
        f"{changes.since_as_of}): {counts_line(changes)}",
        markup=False,
    )
    causes = causes_line(changes)
    if causes:
        console.print(f"  why: {causes}", markup=False)
    changed = changed_first(changes)
    for change in changed[:_SHOWN]:
        console.print(change_line(change), markup=False)
    if len(changed) > _SHOWN:
        console.print(f"  … and {len(changed) - _SHOWN} more (see report.html)", markup=False)


def change_line(change: RowChange) -> str:
    tiers = f"{change.previous_tier or '—'} → {change.tier or '—'}"
    codes = [f"+{c}" for c in change.reasons_added] + [f"-{c}" for c in change.reasons_removed]
    why = "; ".join(f"{w.cause.value}: {w.text}" for w in change.why)
    head = f"  {change.status.value}: {change.name or '(no name)'} (row {change.row}): {tiers}"
    return head + (f" [{' '.join(codes)}]" if codes else "") + (f" — {why}" if why else "")
