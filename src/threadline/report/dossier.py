"""dossier.html: one supplier's evidence on a few pages, for a detention or an audit; printed to
PDF by the same WeasyPrint path as report.pdf. Autoescaped; the path graph is SVG drawn by
`graph_svg`, which escapes every label itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from threadline.report.html import environment
from threadline.report.wording import CERTIFICATION_CAVEAT, DISCLAIMER, legal_basis


def render_dossier(context: Mapping[str, Any]) -> str:
    values = dict(context)
    values["graph"] = Markup(values.get("graph", ""))  # built from escaped labels only
    values["legal_basis"] = legal_basis()
    values["disclaimer"] = DISCLAIMER
    values["certification_caveat"] = CERTIFICATION_CAVEAT
    return environment().get_template("dossier.html.j2").render(values)
