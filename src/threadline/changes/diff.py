"""Compare two screenings of the same input row by row, and say why each changed row changed.

Rows are paired by key. A changed row's causes come from its own facts first (its input, the
listings of its matches, the relations on its exposure paths, review decisions); changes of the
algorithm or the user's settings apply to every changed row; the as-of date and the reference
data version stand in only when nothing closer explains a change.
"""

from __future__ import annotations

from collections.abc import Mapping

from threadline.model.changes import (
    Cause,
    ChangeSet,
    RowChange,
    RowFacts,
    ScreeningFacts,
    Status,
    Why,
)
from threadline.model.results import Tier

_MAX_TEXTS = 5  # listings or relations named per cause; the rest are counted


def compare(previous: ScreeningFacts, current: ScreeningFacts) -> ChangeSet:
    """Every row of `current` with its change since `previous`, and the rows gone since."""
    shared = _screening_causes(previous, current)
    fallback = _fallback_causes(previous, current)
    earlier = {facts.key: facts for facts in previous.rows}
    rows: dict[str, RowChange] = {}
    for facts in current.rows:
        before = earlier.get(facts.key)
        rows[facts.key] = (
            _new(facts) if before is None else _row_change(before, facts, shared, fallback)
        )
    now = {facts.key for facts in current.rows}
    gone = tuple(
        RowChange(
            key=facts.key,
            row=facts.row,
            name=facts.name,
            status=Status.GONE,
            previous_tier=facts.tier,
            tier=None,
            reasons_removed=tuple(sorted(facts.reasons)),
            why=(Why(Cause.INPUT, "the row is no longer in the input"),),
        )
        for facts in previous.rows
        if facts.key not in now
    )
    return ChangeSet(
        since_id=previous.id,
        since_date=previous.created_at,
        since_as_of=previous.as_of,
        rows=rows,
        gone=gone,
    )


def _new(facts: RowFacts) -> RowChange:
    return RowChange(
        key=facts.key,
        row=facts.row,
        name=facts.name,
        status=Status.NEW,
        previous_tier=None,
        tier=facts.tier,
        reasons_added=tuple(sorted(facts.reasons)),
        why=(Why(Cause.INPUT, "the row is new in the input"),),
    )


def _row_change(
    before: RowFacts, after: RowFacts, shared: tuple[Why, ...], fallback: tuple[Why, ...]
) -> RowChange:
    if before.digest and before.digest == after.digest:
        return RowChange(
            key=after.key,
            row=after.row,
            name=after.name,
            status=Status.UNCHANGED,
            previous_tier=before.tier,
            tier=after.tier,
        )
    added = tuple(sorted(after.reasons - before.reasons))
    removed = tuple(sorted(before.reasons - after.reasons))
    status = _status(before.tier, after.tier, bool(added or removed))
    why: tuple[Why, ...] = ()
    if status is not Status.UNCHANGED:
        own = _row_causes(before, after)
        why = (*own, *shared) or fallback
    return RowChange(
        key=after.key,
        row=after.row,
        name=after.name,
        status=status,
        previous_tier=before.tier,
        tier=after.tier,
        reasons_added=added,
        reasons_removed=removed,
        why=why,
    )


def _status(before: str, after: str, reasons_differ: bool) -> Status:
    if before != after:
        rise = _severity(after) - _severity(before)
        return Status.RAISED if rise > 0 else Status.LOWERED
    return Status.REASONS if reasons_differ else Status.UNCHANGED


def _severity(tier: str) -> int:
    try:
        return Tier(tier).severity
    except ValueError:
        return -1  # a tier this version does not know sorts below every known one


def _row_causes(before: RowFacts, after: RowFacts) -> list[Why]:
    out: list[Why] = []
    if before.input_hash != after.input_hash:
        out.append(Why(Cause.INPUT, "the row's input changed"))
    for cause, old, new, gained, lost in (
        (Cause.LIST_UPDATE, before.listings, after.listings, "listed", "no longer"),
        (Cause.RELATIONS, before.relations, after.relations, "new", "no longer"),
        (Cause.REVIEW, before.reviews, after.reviews, "decided", "decision withdrawn"),
    ):
        text = _difference(old, new, gained, lost)
        if text:
            out.append(Why(cause, text))
    if not out:
        text = _difference(before.evidence, after.evidence, "new evidence", "evidence gone")
        if text:
            out.append(Why(Cause.DATA, text))
    return out


def _difference(old: Mapping[str, str], new: Mapping[str, str], gained: str, lost: str) -> str:
    """'listed: UFLPA Entity List: X, listed 2025-01-15; no longer: …' — capped, the rest counted."""
    texts = [f"{gained}: {new[k]}" for k in new if k not in old]
    texts += [f"{lost}: {old[k]}" for k in old if k not in new]
    if len(texts) > _MAX_TEXTS:
        texts = [*texts[:_MAX_TEXTS], f"and {len(texts) - _MAX_TEXTS} more"]
    return "; ".join(texts)


def _screening_causes(previous: ScreeningFacts, current: ScreeningFacts) -> tuple[Why, ...]:
    out: list[Why] = []
    if previous.algorithm != current.algorithm:
        out.append(Why(Cause.ALGORITHM, f"algorithm {previous.algorithm} → {current.algorithm}"))
    for name in sorted({*previous.settings, *current.settings}):
        old, new = previous.settings.get(name), current.settings.get(name)
        if old != new:
            out.append(Why(Cause.SETTINGS, f"{name}: {_show(old)} → {_show(new)}"))
    return tuple(out)


def _fallback_causes(previous: ScreeningFacts, current: ScreeningFacts) -> tuple[Why, ...]:
    out: list[Why] = []
    if previous.as_of != current.as_of:
        out.append(Why(Cause.AS_OF, f"screened as of {previous.as_of} → {current.as_of}"))
    if previous.data_version != current.data_version:
        text = f"reference data {previous.data_version} → {current.data_version}"
        out.append(Why(Cause.DATA, text))
    return tuple(out) or (Why(Cause.DATA, "the data in the store changed"),)


def _show(value: object) -> str:
    return "—" if value in (None, "", [], {}) else str(value)
