from __future__ import annotations

import json
from pathlib import Path

from threadline.model import RunMetadata, ScreenedRow
from threadline.report import write_reports


def test_writes_three_files_into_a_new_folder(
    tmp_path: Path, meta: RunMetadata, rows: list[ScreenedRow]
) -> None:
    out_dir = tmp_path / "out" / "run-1"
    paths = write_reports(out_dir, meta, rows)
    assert paths == {
        "json": out_dir / "results.json",
        "csv": out_dir / "results.csv",
        "html": out_dir / "report.html",
        "sources": out_dir / "data_sources.csv",
    }
    assert len(json.loads(paths["json"].read_text(encoding="utf-8"))["results"]) == 4
    assert paths["csv"].read_bytes().count(b"\r\n") == 5
    assert paths["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
