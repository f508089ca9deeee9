"""Report downloads of a finished screening: the HTML, CSV and JSON written when it finished,
and a PDF rendered from the HTML (WeasyPrint) once, then kept.

WeasyPrint needs seconds per dozen pages, so the job runner renders the PDF right after a
screening finishes; a download that comes first waits for that one rendering, not a second."""

from __future__ import annotations

import threading
from collections import defaultdict

from fastapi import HTTPException

from threadline.server.services import Services

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}
# Reports are self-contained documents with their own inline styles and no scripts at all.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
# Fixed table layout spares WeasyPrint measuring every cell's narrowest width (half the time);
# the Noto CJK font renders Chinese names.
_PDF_CSS = """
table { table-layout: fixed; }
body { font-family: "DejaVu Sans", "Noto Sans CJK SC", sans-serif; }
"""
_NO_PANGO = (
    "PDF reports need Pango and HarfBuzz on the server "
    "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-noto-cjk); "
    "the HTML, CSV and JSON reports do not"
)
_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)


def report_bytes(services: Services, screening_id: str, fmt: str) -> bytes | None:
    screenings = services.screenings
    stored = screenings.report(screening_id, fmt)
    if stored is not None or fmt != "pdf":
        return stored
    with _locks[screening_id]:
        stored = screenings.report(screening_id, "pdf")
        if stored is not None:
            return stored
        html = screenings.report(screening_id, "html")
        if html is None:
            return None
        try:
            from weasyprint import CSS, HTML  # loads Pango: only when a PDF is wanted
        except (ImportError, OSError) as exc:
            raise HTTPException(503, _NO_PANGO) from exc

        pdf: bytes = HTML(string=html.decode("utf-8")).write_pdf(stylesheets=[CSS(string=_PDF_CSS)])
        screenings.save_report(screening_id, "pdf", pdf)
    _locks.pop(screening_id, None)
    return pdf
