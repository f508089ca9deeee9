"""report.html: one self-contained, printable page an analyst can hand to an auditor or to CBP.

Names in the report come from untrusted supplier files and reference data, so the template is
rendered with autoescaping on, and only http(s) URLs become links (a `javascript:` URL in an
imported list stays inert text). The page needs no network and no script to read in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from threadline.model import Band, RunMetadata, ScreenedRow, Tier
from threadline.report.common import is_web_url, tier_counts, worst_first
from threadline.report.wording import (
    BAND_LABELS,
    DISCLAIMER,
    LEGAL_BASIS,
    LIMITATIONS,
    NO_SIGNAL_MEANING,
    TIER_MEANINGS,
)

TEMPLATE_NAME = "report.html.j2"


def render_html(meta: RunMetadata, rows: Sequence[ScreenedRow]) -> str:
    ordered = worst_first(rows)
    counts = tier_counts(rows)
    context: dict[str, Any] = {
        "meta": meta,
        "summary": [(tier, counts[tier], TIER_MEANINGS[tier]) for tier in counts],
        "total": len(rows),
        "flagged": [row for row in ordered if row.risk.tier is not Tier.NO_SIGNAL],
        "no_signal": [row for row in ordered if row.risk.tier is Tier.NO_SIGNAL],
        "disclaimer": DISCLAIMER,
        "no_signal_meaning": NO_SIGNAL_MEANING,
        "legal_basis": LEGAL_BASIS,
        "limitations": LIMITATIONS,
    }
    return environment().get_template(TEMPLATE_NAME).render(context)


def write_html(path: Path, meta: RunMetadata, rows: Sequence[ScreenedRow]) -> None:
    path.write_text(render_html(meta, rows), encoding="utf-8")


@cache
def environment() -> jinja2.Environment:
    """The report templates' environment (report.html and the print layout of report.pdf)."""
    # Built on first use rather than at import, and once: compiling the template is the slow part.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("threadline.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["iso"] = _iso
    env.filters["score"] = _score
    env.filters["band_label"] = _band_label
    env.filters["tier_class"] = _tier_class
    env.tests["web_url"] = is_web_url
    return env


def _iso(value: date | None) -> str:
    return value.isoformat() if value is not None else "—"


def _score(value: float, places: int = 3) -> str:
    return f"{value:.{places}f}"


def _band_label(band: Band) -> str:
    return BAND_LABELS[band]


def _tier_class(tier: Tier) -> str:
    """CSS class for a tier's colour; 'no signal found' has spaces, so it gets a slug."""
    return "tier-" + tier.name.lower().replace("_", "-")
