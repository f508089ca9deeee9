"""Report downloads of a finished screening: the HTML, CSV and JSON written when it finished,
and a PDF rendered once from the print layout stored beside them (WeasyPrint), then kept.

WeasyPrint needs seconds per dozen pages, so the job runner renders the PDF right after a
screening finishes; a download that comes first waits for that one rendering, not a second."""

from __future__ import annotations

import threading
from collections import defaultdict

from fastapi import HTTPException

from threadline.errors import MissingSystemLibrary
from threadline.report.pdf import pdf_from_html
from threadline.server.services import Services

PRINT_FORMAT = "print"  # the stored print layout the PDF is rendered from; not downloadable

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}
# Reports are self-contained documents with their own inline styles and no scripts at all.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
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
        # Screenings stored before the print layout existed have only the screen HTML.
        html = screenings.report(screening_id, PRINT_FORMAT) or screenings.report(
            screening_id, "html"
        )
        if html is None:
            return None
        try:
            pdf = pdf_from_html(html.decode("utf-8"))
        except MissingSystemLibrary as exc:
            raise HTTPException(503, str(exc)) from exc
        screenings.save_report(screening_id, "pdf", pdf)
    _locks.pop(screening_id, None)
    return pdf
