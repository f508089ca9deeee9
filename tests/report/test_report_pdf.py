"""report.pdf: the print layout's content, and one clear line when Pango is missing."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from threadline.errors import MissingExtra, MissingSystemLibrary
from threadline.model import RunMetadata, ScreenedRow
from threadline.report.pdf import render_print_html, write_pdf


def test_print_layout_has_a_block_per_flagged_row_and_a_table_for_the_rest(
    meta: RunMetadata, rows: list[ScreenedRow]
) -> None:
    html = render_print_html(meta, rows)
    flagged = sum(1 for r in rows if r.risk.tier.value != "no signal found")
    assert html.count('<div class="block ') == flagged
    assert "Rows with no signal found (1)" in html
    assert "<script" not in html and 'href="javascript:' not in html


def test_without_pango_one_line_names_the_debian_packages(
    meta: RunMetadata, rows: list[ScreenedRow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # WeasyPrint is there but cannot load its parts, as without Pango.
    monkeypatch.setitem(sys.modules, "weasyprint", types.ModuleType("weasyprint"))
    with pytest.raises(MissingSystemLibrary) as caught:
        write_pdf(tmp_path / "report.pdf", meta, rows)
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b" in str(caught.value)
    assert "\n" not in str(caught.value)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # not installed: the extra is named
    with pytest.raises(MissingExtra, match=r"pip install 'threadline\[pdf\]'"):
        write_pdf(tmp_path / "report.pdf", meta, rows)
