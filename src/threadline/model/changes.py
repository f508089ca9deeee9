"""What changed between two screenings of the same input: the facts kept per row, and the
changes found between them. Identity of a row across runs is its key (see threadline.monitoring)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """How a row compares with the same supplier in the earlier screening."""

    NEW = "new"  # not in the earlier input
    GONE = "gone"  # in the earlier input, not in this one
    RAISED = "raised"  # a worse tier
    LOWERED = "lowered"  # a better tier
    REASONS = "reasons changed"  # same tier, other reasons
    UNCHANGED = "unchanged"


class Cause(StrEnum):
    """Why a row changed; a row may have several."""

    INPUT = "input row"  # the user's row itself was edited
    LIST_UPDATE = "list update"  # a listing appeared or was removed
    RELATIONS = "relations or documents"  # a relation (with its document) appeared or ended
    REVIEW = "review decision"  # a reviewer decided a possible match
    ALGORITHM = "algorithm"  # another matching algorithm or thresholds
    SETTINGS = "settings"  # hops, key column, extra references
    AS_OF = "as-of date"  # the screening date moved across a listing's dates
    DATA = "reference data"  # the data changed in a way the facts kept do not pin down


@dataclass(frozen=True, slots=True)
class RowFacts:
    """What a screening said about one row, kept small so 100k rows compare in seconds.

    `listings` and `relations` map a stable id to a one-line description, so a change can name
    the listing (with its date) or relation behind it."""

    key: str
    row: int
    name: str
    tier: str
    reasons: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    listings: Mapping[str, str] = field(default_factory=dict)
    relations: Mapping[str, str] = field(default_factory=dict)
    reviews: Mapping[str, str] = field(default_factory=dict)
    evidence: Mapping[str, str] = field(default_factory=dict)
    input_hash: str = ""
    # Hash of all the above but `row`: rows with equal digests are unchanged, so a comparison
    # need not read their facts ("" when unknown). A row read with only its digest has the
    # other fields empty.
    digest: str = ""


@dataclass(frozen=True, slots=True)
class ScreeningFacts:
    """A screening as the comparison needs it. `settings` holds what the user chose (hops, key
    column, extra references); `algorithm` the matcher and its thresholds."""

    id: str
    inputs: tuple[str, ...]
    created_at: str
    as_of: str
    data_version: str
    algorithm: str
    settings: Mapping[str, object]
    rows: tuple[RowFacts, ...]


@dataclass(frozen=True, slots=True)
class Why:
    cause: Cause
    text: str


@dataclass(frozen=True, slots=True)
class RowChange:
    key: str
    row: int  # the row number in the newer input (in the earlier one for a gone row)
    name: str
    status: Status
    previous_tier: str | None
    tier: str | None
    reasons_added: tuple[str, ...] = ()
    reasons_removed: tuple[str, ...] = ()
    why: tuple[Why, ...] = ()

    @property
    def changed(self) -> bool:
        return self.status is not Status.UNCHANGED


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Every row of the newer screening by key, and the rows gone from the input."""

    since_id: str
    since_date: str
    since_as_of: str
    rows: Mapping[str, RowChange]
    gone: tuple[RowChange, ...]

    def changed(self) -> list[RowChange]:
        """Rows that changed, then the rows gone, in the newer input's order."""
        return [c for c in self.rows.values() if c.changed] + list(self.gone)

    def counts(self) -> dict[str, int]:
        """Rows by status, every status included."""
        out = dict.fromkeys((s.value for s in Status), 0)
        for change in [*self.rows.values(), *self.gone]:
            out[change.status.value] += 1
        return out

    def causes(self) -> dict[str, int]:
        """Changed rows by cause (a row with two causes counts under both)."""
        out = dict.fromkeys((c.value for c in Cause), 0)
        for change in self.changed():
            for cause in dict.fromkeys(w.cause for w in change.why):
                out[cause.value] += 1
        return out


@dataclass(frozen=True, slots=True)
class RowKeys:
    """Each screened row's identity across runs, in row order, and how it was made:
    `kind` is "column" (the user's own id, `column` names its header) or "name + country"."""

    kind: str
    column: str
    keys: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"column '{self.column}'" if self.kind == "column" else self.kind
