"""Reports of a screening run: results.json, formula-safe results.csv and a printable report.html.

Renders, never decides: everything shown comes from the `ScreenedRow`s and `RunMetadata` passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from threadline.errors import cannot_write
from threadline.model import RunMetadata, ScreenedRow
from threadline.model.changes import ChangeSet, RowKeys
from threadline.report.csvout import (
    results_csv_rows,
    safe_cell,
    write_csv,
    write_data_sources_csv,
)
from threadline.report.html import render_html, write_html
from threadline.report.jsonout import results_document, write_json

REPORT_FILES = {"json": "results.json", "csv": "results.csv", "html": "report.html"}
DATA_SOURCES_FILE = "data_sources.csv"  # results.csv's sidecar: each list's as-of and warnings


def write_reports(
    out_dir: Path,
    meta: RunMetadata,
    rows: Sequence[ScreenedRow],
    *,
    document: dict[str, Any] | None = None,
    keys: RowKeys | None = None,
    changes: ChangeSet | None = None,
) -> dict[str, Path]:
    """Write the three reports, and results.csv's data_sources.csv sidecar, into `out_dir`,
    creating it; returns their paths by format. `document` is results.json when the caller
    built (and annotated) it already; with row keys and changes since an earlier screening, the
    CSV and HTML show the changes too."""
    paths = {kind: out_dir / name for kind, name in REPORT_FILES.items()}
    paths["sources"] = out_dir / DATA_SOURCES_FILE
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if document is None:
            document = results_document(meta, rows)
        write_json(paths["json"], document)
        write_csv(paths["csv"], rows, keys, changes)
        write_data_sources_csv(paths["sources"], meta)
        write_html(paths["html"], meta, rows, changes)
    except OSError as exc:
        raise cannot_write(out_dir, exc) from exc
    return paths


__all__ = [
    "DATA_SOURCES_FILE",
    "REPORT_FILES",
    "render_html",
    "results_csv_rows",
    "results_document",
    "safe_cell",
    "write_csv",
    "write_html",
    "write_json",
    "write_reports",
]
