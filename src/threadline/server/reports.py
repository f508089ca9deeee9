"""Report downloads of a finished screening: the HTML, CSV and JSON written when it finished,
and a PDF rendered once from the print layout stored beside them (WeasyPrint), then kept.

The PDF is its own job, after the screening is shown as done, rendered in a child process with
a time and memory limit (see `pdf.py`); a download that comes first waits for that one rendering,
not a second. A screening past `pdf_max_rows` rows gets a summary PDF (its most severe rows);
a rendering that failed is remembered, and its download raises `PdfFailed` with the reason."""

from __future__ import annotations

import threading
from collections import defaultdict

from threadline.errors import MissingSystemLibrary
from threadline.extras import require
from threadline.report.pdf import NO_PANGO
from threadline.server.pdf import PdfFailed, render_pdf
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
# Stored beside the reports: the HTML a summary PDF is made from, and why a PDF failed.
PDF_SOURCE = "pdfsource"
PDF_FAILED = "pdffailed"
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
        failed = screenings.report(screening_id, PDF_FAILED)
        if failed is not None:
            raise PdfFailed(failed.decode("utf-8"))
        # A large screening's summary, else the print layout; screenings stored before the
        # print layout existed have only the screen HTML.
        html = (
            screenings.report(screening_id, PDF_SOURCE)
            or screenings.report(screening_id, PRINT_FORMAT)
            or screenings.report(screening_id, "html")
        )
        if html is None:
            return None
        require("pdf", "PDF reports")
        try:
            import weasyprint  # noqa: F401  (loads Pango: only to tell the user what is missing)
        except (ImportError, OSError) as exc:
            raise MissingSystemLibrary(NO_PANGO) from exc
        settings = services.settings
        try:
            pdf = render_pdf(
                html.decode("utf-8"),
                timeout_s=settings.pdf_timeout_s,
                memory_bytes=settings.pdf_memory_bytes,
            )
        except PdfFailed as exc:
            screenings.save_report(screening_id, PDF_FAILED, str(exc).encode("utf-8"))
            raise
        screenings.save_report(screening_id, "pdf", pdf)
    _locks.pop(screening_id, None)
    return pdf
