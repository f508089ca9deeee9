"""The step after screening: key the rows, compare with an earlier screening of the same input,
annotate results.json, and keep the screening in the store.

`screen` (the CLI) and the monitors both run it, so a screening is kept and compared alike
from wherever it runs.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from threadline import __version__
from threadline.changes import compare, facts_to_json, row_facts
from threadline.errors import InputError, NotFound
from threadline.model import Band, RunMetadata, ScreenedRow
from threadline.model.changes import ChangeSet, RowFacts, RowKeys, ScreeningFacts
from threadline.report import results_document
from threadline.report.changes import annotate
from threadline.store.history import InputFile, NewScreening, ScreeningHistory, inputs_label
from threadline.store.screenings import DONE, StoredRow

LAST = "last"
NONE = "none"


@dataclass(frozen=True, slots=True)
class ScreenSettings:
    """What the user chose that can change results; stored and compared between screenings."""

    hops: int
    key: str
    # Overrides given, field → header (several for names and addresses), and the sheet read.
    columns: Mapping[str, str | list[str]] = field(default_factory=dict)
    references: tuple[str, ...] = ()  # extra reference files, by name

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"hops": self.hops, "key": self.key}
        if self.columns:
            out["columns"] = dict(sorted(self.columns.items()))
        if self.references:
            out["references"] = list(self.references)
        return out


@dataclass(frozen=True, slots=True)
class Compared:
    screening_id: str
    document: dict[str, Any]
    facts: ScreeningFacts
    changes: ChangeSet | None


def new_screening_id() -> str:
    return uuid.uuid4().hex


# The earlier screening, read once the new one's row digests are known (rows with the same
# digest on both sides are unchanged and need not be read in full).
Baseline = Callable[[Mapping[str, str]], ScreeningFacts]


def baseline(history: ScreeningHistory, compare_to: str, inputs: str) -> Baseline | None:
    """The screening to compare with: `last` (the latest stored screening of inputs with these
    names, if any), `none`, a stored screening id, or a results.json file. A missing id, another
    input or another tool version is an InputError (exit 2), found before any screening."""
    if compare_to == NONE:
        return None
    if compare_to == LAST:
        found = history.last(inputs)
        return stored_baseline(history, found.id) if found else None
    path = Path(compare_to)
    if path.suffix.lower() == ".json" or path.is_file():
        facts = _results_file(path)
        screened = inputs_label(facts.inputs)
    else:
        info = history.get(compare_to)
        if info is None or info.status != DONE:
            raise NotFound(f"--compare-to: no finished screening '{compare_to}' in the store")
        screened = info.filename
    if screened != inputs:
        raise InputError(f"--compare-to: {compare_to} screened '{screened}', not '{inputs}'")
    if path.suffix.lower() == ".json" or path.is_file():
        return lambda _known: facts
    return stored_baseline(history, compare_to)


def stored_baseline(history: ScreeningHistory, screening_id: str) -> Baseline:
    def load(known: Mapping[str, str]) -> ScreeningFacts:
        found = history.facts(screening_id, known)
        if found is None:  # deleted under us: only a database edited by hand does that
            raise NotFound(f"screening '{screening_id}' is no longer in the store")
        return found

    return load


def _results_file(path: Path) -> ScreeningFacts:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"--compare-to: cannot read {path}: {exc}") from None
    if not isinstance(doc, dict) or doc.get("tool") != "threadline":
        raise InputError(f"--compare-to: {path} is not a threadline results.json")
    if doc.get("tool_version") != __version__:
        raise InputError(
            f"--compare-to: {path} was written by threadline {doc.get('tool_version')}, this is "
            f"{__version__}; compare with a stored screening id instead"
        )
    results = doc.get("results", [])
    if any("key" not in row for row in results):
        raise InputError(f"--compare-to: {path} has no row keys; compare with a stored screening")
    return ScreeningFacts(
        id=str(doc.get("screening_id") or path),
        inputs=tuple(Path(p).name for p in doc.get("inputs", [])),
        created_at=str(doc.get("generated_at", "")),
        as_of=str(doc.get("as_of", "")),
        data_version=str(doc.get("data_version", "")),
        algorithm=str(doc.get("algorithm", "")),
        settings=doc.get("settings", {}),
        rows=tuple(row_facts(row, str(row["key"])) for row in results),
    )


def assemble(
    *,
    screening_id: str,
    meta: RunMetadata,
    rows: Sequence[ScreenedRow],
    keys: RowKeys,
    settings: ScreenSettings,
    previous: Baseline | None,
    stored: bool,
) -> Compared:
    """results.json with keys, settings and (given an earlier screening) each row's change."""
    document = results_document(meta, rows)
    facts = ScreeningFacts(
        id=screening_id,
        inputs=tuple(Path(p).name for p in meta.inputs),
        created_at=meta.generated_at,
        as_of=meta.as_of.isoformat(),
        data_version=meta.data_version,
        algorithm=meta.algorithm,
        settings=settings.as_dict(),
        rows=tuple(
            row_facts(result, key, row.record.name)
            for result, key, row in zip(document["results"], keys.keys, rows, strict=True)
        ),
    )
    changes = None
    if previous is not None:
        changes = compare(previous({f.key: f.digest for f in facts.rows}), facts)
    annotate(document, keys, changes, facts.settings, screening_id if stored else None)
    return Compared(screening_id, document, facts, changes)


def keep(
    history: ScreeningHistory,
    compared: Compared,
    rows: Sequence[ScreenedRow],
    files: Sequence[InputFile],
    *,
    origin: str,
    reports: Mapping[str, bytes] | None = None,
) -> None:
    """Store the screening whole, with the reports written for it, in one transaction."""
    document = compared.document
    history.save(
        NewScreening(
            id=compared.screening_id,
            origin=origin,
            files=tuple(files),
            as_of=dt.date.fromisoformat(str(document["as_of"])),
            data_version=str(document["data_version"]),
            algorithm=str(document["algorithm"]),
            settings=compared.facts.settings,
            summary=document["summary"],
            rows=stored_rows(rows, document["results"], compared.facts.rows),
            reports=dict(reports or {}),
        )
    )


def stored_rows(
    rows: Sequence[ScreenedRow],
    results: Sequence[dict[str, Any]],
    facts: Sequence[RowFacts] | None = None,
) -> list[StoredRow]:
    """Each row's results.json object with the columns the results table filters on, and its
    key and facts for later comparisons."""
    out = []
    for i, (row, result) in enumerate(zip(rows, results, strict=True)):
        kept = [m for m in row.matches if m.band is not Band.NO_MATCH]
        lists = tuple(dict.fromkeys(listing.list_id for m in kept for listing in m.entity.listings))
        row_fact = facts[i] if facts is not None else None
        out.append(
            StoredRow(
                row=row.record.row,
                name=row.record.name,
                tier=row.risk.tier.value,
                bands=tuple(dict.fromkeys(m.band.value for m in kept)),
                lists=lists,
                result=result,
                key=row_fact.key if row_fact else "",
                facts=facts_to_json(row_fact) if row_fact else None,
            )
        )
    return out
