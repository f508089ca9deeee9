"""results.csv: one line per input row, safe to open in a spreadsheet.

Every column of the user's file comes first, as it was (Vendor No., spend …), so the results join
back to the ERP; then threadline's columns. An input column named like one of ours is suffixed
' (input)'.

Supplier and entity names come from files we do not control, and a spreadsheet runs a cell that
starts like a formula. Every text cell therefore goes through `safe_cell`; numbers we format
ourselves (row, score) cannot start with a formula character and are written as they are, so
they stay numbers in the spreadsheet.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from threadline.model import Listing, RunMetadata, ScreenedRow
from threadline.model.changes import ChangeSet, RowKeys
from threadline.report.changes import CSV_COLUMNS, csv_values
from threadline.report.common import (
    certification_note,
    evidence_lines,
    evidence_urls,
    exposure_paths,
    iso_date,
    reason_lines,
    top_match,
)

HEADER: tuple[str, ...] = (
    "file",
    "row",
    "name",
    "address",
    "country",
    "tier",
    "reasons",
    "reason_codes",
    "top_match_id",
    "top_match_name",
    "top_match_score",
    "top_match_band",
    "lists",
    "evidence_urls",
    "evidence",
    "explanation",
    "exposure_paths",
    "certifications_claimed",
)

# Characters a spreadsheet reads as the start of a formula (OWASP CSV injection list), plus
# their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), which some spreadsheet locales also
# accept. Written as escapes because they look like their ASCII twins.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

# Columns holding numbers we format ourselves: never text-prefixed, so they stay numbers.
NUMERIC_COLUMNS = frozenset({"row", "top_match_score"})

MULTI_VALUE_SEPARATOR = "; "


def safe_cell(value: str) -> str:
    """Prefix a single quote when the cell would start a formula, also after leading spaces."""
    for char in value:
        if char in FORMULA_STARTS:
            return "'" + value
        if not char.isspace():
            return value
    return value


INPUT_SUFFIX = " (input)"


def input_columns(rows: Sequence[ScreenedRow]) -> list[str]:
    """The input files' columns, in the order first seen (files may differ)."""
    return list(dict.fromkeys(column for row in rows for column in row.record.raw))


def results_csv_rows(
    rows: Sequence[ScreenedRow],
    keys: RowKeys | None = None,
    changes: ChangeSet | None = None,
) -> list[list[str]]:
    """The header and one line per screened row, every text cell already made safe: the input's
    own columns first, then threadline's. With an earlier screening to compare, each line ends
    with its change (see report.changes)."""
    inputs = input_columns(rows)
    ours = set(HEADER)
    header = [f"{c}{INPUT_SUFFIX}" if c in ours else c for c in inputs] + list(HEADER)
    lines = [[safe_cell(row.record.raw.get(c, "")) for c in inputs] + _line(row) for row in rows]
    if keys is None or changes is None:
        return [header, *lines]
    return [
        [*header, *CSV_COLUMNS],
        *(
            line + [safe_cell(v) for v in csv_values(key, changes).values()]
            for line, key in zip(lines, keys.keys, strict=True)
        ),
    ]


def write_csv(
    path: Path,
    rows: Sequence[ScreenedRow],
    keys: RowKeys | None = None,
    changes: ChangeSet | None = None,
) -> None:
    # The byte-order mark makes Excel read the file as UTF-8 (Chinese names survive).
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(results_csv_rows(rows, keys, changes))


# results.csv carries no comment line (a spreadsheet or CSV reader would take it for a row); the
# lists' dates and warnings go to this sidecar, one line per list, beside it.
DATA_SOURCES_HEADER: tuple[str, ...] = (
    "dataset",
    "title",
    "publisher",
    "as_of",
    "age_days",
    "rows",
    "warning",
)


def write_data_sources_csv(path: Path, meta: RunMetadata) -> None:
    """data_sources.csv: each list's as-of date, age and staleness warnings for this run."""
    freshness = {f.id: f for f in meta.freshness}
    lines = [list(DATA_SOURCES_HEADER)]
    for info in meta.datasets:
        fresh = freshness.get(info.id)
        age = fresh.age_days if fresh and fresh.age_days is not None else ""
        lines.append(
            [
                safe_cell(info.id),
                safe_cell(info.title),
                safe_cell(info.publisher),
                safe_cell(info.as_of),
                str(age),
                str(info.rows),
                safe_cell(" ".join(fresh.warnings) if fresh else ""),
            ]
        )
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(lines)


def _line(row: ScreenedRow) -> list[str]:
    values = _values(row)
    return [
        values[column] if column in NUMERIC_COLUMNS else safe_cell(values[column])
        for column in HEADER
    ]


def _values(row: ScreenedRow) -> dict[str, str]:
    record = row.record
    best = top_match(row)
    return {
        "file": record.file,
        "row": str(record.row),
        "name": record.name,
        "address": record.address,
        "country": record.country,
        "tier": row.risk.tier.value,
        "reasons": "\n".join(reason_lines(row)),
        "reason_codes": MULTI_VALUE_SEPARATOR.join(dict.fromkeys(r.code for r in row.risk.reasons)),
        "top_match_id": best.entity.id if best else "",
        "top_match_name": best.entity.name if best else "",
        "top_match_score": f"{best.score:.4f}" if best else "",
        "top_match_band": best.band.value if best else "",
        "lists": MULTI_VALUE_SEPARATOR.join(
            _listing_label(listing) for listing in best.entity.listings
        )
        if best
        else "",
        "evidence_urls": _short_urls(evidence_urls(row)),
        "evidence": MULTI_VALUE_SEPARATOR.join(evidence_lines(row)),
        "explanation": best.explanation.summary() if best else "",
        "exposure_paths": MULTI_VALUE_SEPARATOR.join(exposure_paths(row)),
        "certifications_claimed": certification_note(record.certifications),
    }


# A cell a person can read: the strongest sources, the rest in results.json and report.html.
_URLS_SHOWN = 3


def _short_urls(urls: Sequence[str]) -> str:
    shown = " ".join(urls[:_URLS_SHOWN])
    rest = len(urls) - _URLS_SHOWN
    return f"{shown} (+{rest} more in results.json)" if rest > 0 else shown


def _listing_label(listing: Listing) -> str:
    parts = [listing.list_name]
    if listing.entry_id:
        parts.append(f"[{listing.entry_id}]")
    if listing.date_listed:
        parts.append(f"listed {iso_date(listing.date_listed)}")
    if listing.date_removed:
        parts.append(f"removed {iso_date(listing.date_removed)}")
    return " ".join(parts)
