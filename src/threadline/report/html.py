"""report.html: one self-contained, printable page an analyst can hand to an auditor or to CBP.

Names in the report come from untrusted supplier files and reference data, so the template is
rendered with autoescaping on, and only http(s) URLs become links (a `javascript:` URL in an
imported list stays inert text). The page needs no network and no script to read in full.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from threadline.built_cache import cache_dir
from threadline.model import Band, RunMetadata, ScreenedRow, Tier
from threadline.model.changes import ChangeSet
from threadline.report.changes import causes_line, changed_first, counts_line
from threadline.report.common import is_web_url, relation_label, tier_counts, worst_first
from threadline.report.wording import (
    BAND_LABELS,
    DISCLAIMER,
    LIMITATIONS,
    NO_SIGNAL_MEANING,
    legal_basis,
    tier_meanings,
)

TEMPLATE_NAME = "report.html.j2"
# A page must stay readable in a browser at 100k rows: the worst rows in full, the rest of the
# flagged rows one line each, and rows without a signal only counted beyond the first few.
# results.csv and results.json always hold every row in full.
FLAGGED_IN_FULL = 1000
NO_SIGNAL_LISTED = 500


def render_html(
    meta: RunMetadata,
    rows: Sequence[ScreenedRow],
    changes: ChangeSet | None = None,
    *,
    in_full: int = FLAGGED_IN_FULL,
    listed: int = NO_SIGNAL_LISTED,
) -> str:
    ordered = worst_first(rows)
    counts = tier_counts(rows)
    meanings = tier_meanings()
    flagged = [row for row in ordered if row.risk.tier is not Tier.NO_SIGNAL]
    no_signal = [row for row in ordered if row.risk.tier is Tier.NO_SIGNAL]
    context: dict[str, Any] = {
        "meta": meta,
        "summary": [(tier, counts[tier], meanings[tier]) for tier in counts],
        "total": len(rows),
        "flagged": flagged[:in_full],
        "flagged_brief": flagged[in_full:],
        "flagged_total": len(flagged),
        "no_signal": no_signal[:listed],
        "no_signal_total": len(no_signal),
        "disclaimer": DISCLAIMER,
        "no_signal_meaning": NO_SIGNAL_MEANING,
        "legal_basis": legal_basis(),
        "limitations": LIMITATIONS,
        "changes": changes,
        "changed": changed_first(changes) if changes is not None else [],
        "change_counts": counts_line(changes) if changes is not None else "",
        "change_causes": causes_line(changes) if changes is not None else "",
    }
    return environment().get_template(TEMPLATE_NAME).render(context)


def write_html(
    path: Path, meta: RunMetadata, rows: Sequence[ScreenedRow], changes: ChangeSet | None = None
) -> None:
    path.write_text(render_html(meta, rows, changes), encoding="utf-8")


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
        bytecode_cache=_compiled_templates(),
    )
    env.filters["iso"] = _iso
    env.filters["score"] = _score
    env.filters["band_label"] = _band_label
    env.filters["tier_class"] = _tier_class
    env.filters["tier_slug"] = _tier_slug
    env.filters["relation_label"] = relation_label
    env.tests["web_url"] = is_web_url
    return env


class _KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates in the user cache (Jinja checks each against its source): compiling
    report.html took a twentieth of a one-row screening. A folder that cannot be written only
    costs the time it would have saved."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates() -> jinja2.BytecodeCache | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        (folder / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _KeptTemplates(str(folder / "templates"))


def _iso(value: date | None) -> str:
    return value.isoformat() if value is not None else "—"


def _score(value: float, places: int = 3) -> str:
    return f"{value:.{places}f}"


def _band_label(band: Band) -> str:
    return BAND_LABELS[band]


def _tier_class(tier: Tier) -> str:
    """CSS class for a tier's colour; 'no signal found' has spaces, so it gets a slug."""
    return "tier-" + tier.name.lower().replace("_", "-")


def _tier_slug(value: str | None) -> str:
    """CSS class for a tier given as text (a change's tiers); '' when there is none."""
    try:
        return _tier_class(Tier(value)) if value else ""
    except ValueError:
        return ""
