"""An ERP supplier master screened as an analyst runs it (in-process)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from cli_run import threadline
from erp_export import HEADER, VENDORS, write_erp_export
from pypdf import PdfReader


def test_erp_export_is_read_reported_and_every_row_kept(tmp_path: Path) -> None:
    # The 33-row master of the issue: 12 vendors worth a look, 21 with nothing to find.
    erp = write_erp_export(tmp_path / "supplier_master.xlsx", plain=33 - len(VENDORS))
    out = tmp_path / "out"
    done = threadline(
        "screen", str(erp), "--out", str(out), "--as-of", "2026-03-01", "--quiet", "--pdf"
    )
    assert done.returncode == 0, done.stderr
    # One line says which sheet, header row and columns were used.
    assert "sheet 'Vendors' (2 of 2), header row 4" in done.stderr
    assert "name: Vendor Name (EN) + 供应商名称 (Local Name)" in done.stderr

    with (out / "results.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *lines = list(csv.reader(handle))
    assert header[: len(HEADER)] == list(HEADER)  # the user's columns first, as they were
    assert len(lines) == 33  # no row dropped
    rows = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
    assert rows["V10001"]["Spend USD 2025"] == "120400"
    # A certificate is shown as a claim and never lowers a tier.
    assert rows["V10001"]["tier"] == "prohibited"
    assert rows["V10001"]["certifications_claimed"].startswith("WRAP Gold 12345")
    assert (
        "not designed to detect state-imposed forced labour"
        in (rows["V10001"]["certifications_claimed"])
    )
    assert rows["V10004"]["reason_codes"] == "NOT_SCREENED"
    # "Kashgar" only in the City column still places the supplier in the XUAR.
    assert rows["V10003"]["tier"] == "prohibited"
    assert "XUAR" in rows["V10003"]["reason_codes"]

    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert doc["inputs_read"][0].startswith("supplier_master.xlsx: sheet 'Vendors'")

    # Laid out for print: a summary page, compact blocks, the quiet rows as one table.
    pages = PdfReader(out / "report.pdf").pages
    assert 2 <= len(pages) <= 8, len(pages)
    assert "Forced-labour exposure screening" in pages[0].extract_text()
