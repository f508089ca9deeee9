"""report.pdf: the screening laid out for paper, rendered by WeasyPrint.

Screen and paper want different things: the HTML report shows every feature of every match;
the PDF gives a summary page, then one compact block per flagged row (each kind of reason once,
the best match, the paths, the strongest sources) and the rows without a signal as one table, so a
few dozen suppliers fit on a handful of pages. WeasyPrint needs Pango: it is imported only here,
when a PDF is wanted, and its absence is one line naming the Debian packages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from threadline.errors import MissingExtra, MissingSystemLibrary, cannot_write
from threadline.extras import install_hint
from threadline.model import RunMetadata, ScreenedRow, Tier
from threadline.report.common import (
    evidence_urls,
    path_label,
    reason_lines,
    tier_counts,
    top_match,
    worst_first,
)
from threadline.report.html import environment
from threadline.report.wording import (
    CERTIFICATION_CAVEAT,
    DISCLAIMER,
    LIMITATIONS,
    NO_SIGNAL_MEANING,
    legal_basis,
    tier_meanings,
)

PDF_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-noto-cjk"
NO_PANGO = (
    "PDF reports need Pango and HarfBuzz (Debian: apt-get install "
    f"{PDF_PACKAGES}); the HTML, CSV and JSON reports do not"
)
_PATHS_SHOWN = 3
_SOURCES_SHOWN = 3


def render_print_html(meta: RunMetadata, rows: Sequence[ScreenedRow]) -> str:
    ordered = worst_first(rows)
    counts = tier_counts(rows)
    meanings = tier_meanings()
    context: dict[str, Any] = {
        "meta": meta,
        "summary": [(tier, counts[tier], meanings[tier]) for tier in counts],
        "total": len(rows),
        "flagged": [_block(r) for r in ordered if r.risk.tier is not Tier.NO_SIGNAL],
        "no_signal": [_block(r) for r in ordered if r.risk.tier is Tier.NO_SIGNAL],
        "disclaimer": DISCLAIMER,
        "no_signal_meaning": NO_SIGNAL_MEANING,
        "legal_basis": legal_basis(),
        "limitations": LIMITATIONS,
        "certification_caveat": CERTIFICATION_CAVEAT,
    }
    return environment().get_template("print.html.j2").render(context)


def pdf_from_html(html: str) -> bytes:
    """The PDF of an HTML document; MissingSystemLibrary when Pango cannot be loaded."""
    try:
        from weasyprint import HTML  # loads Pango: only when a PDF is wanted
    except ModuleNotFoundError as exc:
        if exc.name != "weasyprint":
            raise
        raise MissingExtra(f"PDF reports need WeasyPrint: {install_hint('pdf')}") from exc
    except (ImportError, OSError) as exc:
        raise MissingSystemLibrary(NO_PANGO) from exc
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def write_pdf(path: Path, meta: RunMetadata, rows: Sequence[ScreenedRow]) -> None:
    pdf = pdf_from_html(render_print_html(meta, rows))
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        raise cannot_write(path, exc) from exc


def _block(row: ScreenedRow) -> dict[str, Any]:
    record = row.record
    best = top_match(row)
    match = ""
    if best is not None:
        lists = "; ".join(dict.fromkeys(x.list_name for x in best.entity.listings))
        match = f"{best.entity.name} — score {best.score:.3f}, {best.band.value}"
        match += f" ({lists})" if lists else ""
    paths = list(dict.fromkeys(path_label(p) for r in row.risk.reasons for p in r.paths))
    return {
        "file": Path(record.file).name,
        "row": record.row,
        "key": record.key,
        "name": record.name or record.address or f"row {record.row}",
        "other_names": record.other_names,
        "address": record.address,
        "country": record.country or record.country_raw,
        "tier": row.risk.tier.value,
        "tier_slug": row.risk.tier.name.lower(),
        "tier_class": "tier-" + row.risk.tier.name.lower().replace("_", "-"),
        "reasons": reason_lines(row),
        "match": match,
        "paths": paths[:_PATHS_SHOWN]
        + (
            [f"… and {len(paths) - _PATHS_SHOWN} more in results.json"]
            if len(paths) > _PATHS_SHOWN
            else []
        ),
        "sources": evidence_urls(row)[:_SOURCES_SHOWN],
        "certifications": [
            f"{c.scheme}: {c.text}" if c.scheme else c.text for c in record.certifications
        ],
    }
