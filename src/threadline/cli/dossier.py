"""`threadline dossier ENTITY_OR_ROW`: one supplier's evidence as HTML (and PDF)."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from threadline.cli.console import stderr
from threadline.cli.options import DB, date_option, open_store
from threadline.errors import cannot_write

_UNSAFE = re.compile(r"[^\w.-]+")


def dossier_command(
    subject: str = typer.Argument(
        ...,
        help="An entity id or name, or with --results a row number of a screening.",
        show_default=False,
    ),
    results: Path | None = typer.Option(
        None, "--results", help="A screening's results.json: SUBJECT is then its row number."
    ),
    out: Path = typer.Option(Path("dossiers"), "--out", "-o", help="Folder for the dossier."),
    pdf: bool | None = typer.Option(
        None,
        "--pdf/--no-pdf",
        help="Also write the PDF (needs Pango; default: when the pdf extra is installed).",
        show_default=False,
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Screen as of this date (default: the results' date, else today)."
    ),
    db: str | None = DB,
) -> None:
    """Write one supplier's dossier: identity, listings, paths drawn as a graph, decisions, origin."""
    from threadline.dossier import build_dossier, dossier_context
    from threadline.extras import missing, require
    from threadline.report.dossier import render_dossier
    from threadline.report.pdf import pdf_from_html

    if pdf:
        require("pdf", "--pdf")
    elif pdf is None:  # a plain install writes the HTML only, without being asked
        pdf = missing("pdf") is None

    when = date_option(as_of, "--as-of")
    with open_store(db, reference_data=False) as store:
        dossier = build_dossier(store, subject, results=results, as_of=when)
    html = render_dossier(dossier_context(dossier))
    record = dossier.row.record
    stem = "dossier-" + (_UNSAFE.sub("-", record.key or record.name or str(record.row))[:60])
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{stem}.html").write_text(html, encoding="utf-8")
        if pdf:
            (out / f"{stem}.pdf").write_bytes(pdf_from_html(html))
    except OSError as exc:
        raise cannot_write(out, exc) from exc
    written = f"{stem}.html" + (f" and {stem}.pdf" if pdf else "")
    stderr().print(f"Dossier of {record.name or record.address}: {out}/{written}", markup=False)
