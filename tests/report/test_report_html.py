from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from threadline.model import RunMetadata, ScreenedRow
from threadline.report import render_html, write_html

TIER_LABELS = ["prohibited", "high", "elevated", "no signal found"]
VOID_TAGS = {"meta", "br", "hr", "img", "input", "link", "wbr", "col"}


class _TagBalance(HTMLParser):
    """Records mismatched or unclosed tags, so a template slip shows up as a failing test."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}">')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def html(meta: RunMetadata, rows: list[ScreenedRow]) -> str:
    return render_html(meta, rows)


def test_markup_is_balanced(html: str) -> None:
    checker = _TagBalance()
    checker.feed(html)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []


def test_untrusted_names_are_escaped(html: str) -> None:
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<b>" not in html


def test_only_web_urls_become_links(html: str) -> None:
    assert 'href="javascript:' not in html
    assert "Injected evidence" in html
    external_links = re.findall(r'href="([^"#][^"]*)"', html)
    assert external_links
    assert all(href.startswith("https://") for href in external_links)


def test_every_evidence_and_list_source_is_linked(html: str, rows: list[ScreenedRow]) -> None:
    urls = {
        item.source_url
        for row in rows
        for reason in row.risk.reasons
        for item in reason.evidence
        if item.source_url.startswith("https://")
    } | {
        source.url
        for row in rows
        for match in row.matches
        for listing in match.entity.listings
        for source in listing.sources
        if source.url.startswith("https://")
    }
    assert len(urls) == 4
    for url in urls:
        assert f'href="{escape(url)}"' in html


def test_summary_shows_all_tiers_in_severity_order(
    meta: RunMetadata, rows: list[ScreenedRow]
) -> None:
    summary = _section(render_html(meta, rows[:1]), "summary")
    positions = [summary.index(f">{label}</span>") for label in TIER_LABELS]
    assert positions == sorted(positions)
    counts = re.findall(r'<td class="num">(\d+)</td>', summary)
    assert counts == ["0", "0", "0", "1"]


def test_rows_worst_first_then_input_order(meta: RunMetadata, rows: list[ScreenedRow]) -> None:
    second_prohibited = replace(rows[2], record=replace(rows[2].record, name="Later Hoshine"))
    html = render_html(meta, [*rows, second_prohibited])
    findings = _section(html, "findings")
    order = [
        "<h3>Hoshine Silicon Shanshan</h3>",
        "<h3>Later Hoshine</h3>",
        "<h3>=HYPERLINK",
        "<h3>Daqo Energy</h3>",
    ]
    positions = [findings.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "Acme Knitting Mills" not in findings
    assert "Acme Knitting Mills 针织厂" in _section(html, "no-signal")


def test_row_detail_shows_input_reasons_evidence_and_explanation(html: str) -> None:
    findings = _section(html, "findings")
    assert "Shanshan County, Turpan, Xinjiang" in findings
    assert '<span class="badge tier-prohibited">prohibited</span>' in findings
    assert "<code>uflpa_listed</code>" in findings
    assert "US Department of Homeland Security" in findings
    assert "official list" in findings and "media" in findings
    # Official evidence is listed before media evidence, whatever order the reason gave.
    assert findings.index("DHS: UFLPA Entity List") < findings.index("Trade press on Hoshine")
    assert "score 0.970" in findings
    assert "合盛硅业(鄯善)有限公司" in findings
    assert "<code>name_token_set</code>" in findings
    assert "<td>hoshine silicon shanshan</td>" in findings
    assert "removed 2024-01-01" in findings


def test_review_band_reads_as_possible_match(html: str) -> None:
    assert "possible match — needs review" in _section(html, "findings")


def test_run_metadata_is_stated(html: str) -> None:
    run = _section(html, "run")
    for fact in ("0.1.0", "2025.06-test", "2025-06-01", "name-v1", "0.900", "0.750"):
        assert fact in run
    assert "<code>suppliers.csv</code>" in run
    assert "<td><code>cbp_wro</code></td><td>2025-12-01</td>" in run


def test_methodology_sources_and_limitations(html: str) -> None:
    methodology = _section(html, "methodology")
    assert "<h3>Name matching</h3>" in methodology
    assert "<h3>Tier rules</h3>" in methodology
    sources = _section(html, "sources")
    for fact in (
        "UFLPA Entity List",
        "Forced Labor Enforcement Task Force (DHS)",
        "US government work, public domain",
        "Compiled from DHS Federal Register notices.",
        'href="https://www.dhs.gov/uflpa-entity-list"',
    ):
        assert fact in sources
    assert "UFLPA presumption" in _section(html, "limitations")


def test_no_signal_is_never_called_clean(html: str) -> None:
    assert "clean" not in html.lower()
    assert "is not a clearance" in _section(html, "summary")


def test_self_contained(html: str) -> None:
    lowered = html.lower()
    for external in ("<link", "<script", "@import", "url("):
        assert external not in lowered
    # No element loads anything: untrusted text may contain "src=", but only escaped.
    assert re.search(r"<[a-z][^<>]*\ssrc\s*=", lowered) is None
    assert "@media print" in html


def test_empty_run_still_reports(meta: RunMetadata) -> None:
    html = render_html(replace(meta, methodology=(), datasets=()), [])
    assert "No row reached the elevated tier or above" in html
    assert "No methodology text was recorded" in html
    assert re.findall(r'<td class="num">(\d+)</td>', _section(html, "summary")) == ["0"] * 4


def test_write_html_is_utf8(tmp_path: Path, meta: RunMetadata, rows: list[ScreenedRow]) -> None:
    path = tmp_path / "report.html"
    write_html(path, meta, rows)
    assert path.read_text(encoding="utf-8") == render_html(meta, rows)


def test_a_large_screening_stays_readable(meta: RunMetadata, rows: list[ScreenedRow]) -> None:
    # The worst rows in full, other flagged rows one line each, quiet rows only counted.
    no_signal, elevated, prohibited, _ = rows
    many = [prohibited] * 3 + [elevated] * 4 + [no_signal] * 6
    html = render_html(meta, many, in_full=2, listed=3)
    checker = _TagBalance()
    checker.feed(html)
    assert checker.errors == []
    findings = _section(html, "findings")
    assert "Rows with signals (7)" in findings
    assert findings.count('<article class="finding') == 2
    assert "5 more rows with signals, one line each" in findings
    quiet = _section(html, "no-signal")
    assert "Rows with no signal found (6)" in quiet
    assert quiet.count("<tr>") == 1 + 3  # header and three rows
    assert "all 6 are in" in quiet
