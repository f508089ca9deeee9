"""PDF rendering (WeasyPrint) in a child process with a time and memory limit of its own.

WeasyPrint on a large report can take many minutes and gigabytes; in a thread of the server it
could neither be stopped nor kept from the server's memory. A child process can be killed.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
from pathlib import Path

from threadline.errors import OutputError
from threadline.orphans import BACKGROUND_NICENESS, die_with_parent

# Fixed table layout spares WeasyPrint measuring every cell's narrowest width (half the time);
# the Noto CJK font renders Chinese names.
PDF_CSS = """
table { table-layout: fixed; }
body { font-family: "DejaVu Sans", "Noto Sans CJK SC", sans-serif; }
"""


class PdfFailed(OutputError):
    """The PDF could not be made in time or memory; the message says which, for the user."""


def render_pdf(html: str, *, timeout_s: float, memory_bytes: int) -> bytes:
    """The PDF of `html`, rendered by a fresh process that is killed past `timeout_s`."""
    # Spawned, not forked: the server has threads, and a fork copies their held locks.
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="threadline-pdf-") as tmp:
        target = Path(tmp) / "report.pdf"
        child = context.Process(
            target=_render_child,
            args=(html, str(target), memory_bytes, os.getpid()),
            daemon=True,
        )
        child.start()
        child.join(timeout_s)
        if child.is_alive():
            child.kill()
            child.join()
            raise PdfFailed(f"rendering the PDF took over {timeout_s:.0f} s and was stopped")
        if child.exitcode != 0 or not target.exists():
            raise PdfFailed(
                "rendering the PDF failed (out of its "
                f"{memory_bytes // (1024 * 1024)} MiB of memory, or the renderer crashed)"
            )
        return target.read_bytes()


def _render_child(html: str, target: str, memory_bytes: int, parent: int) -> None:
    die_with_parent(parent)  # a killed server takes its renderer with it
    os.nice(BACKGROUND_NICENESS)  # batch work: the server's requests come first
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    from weasyprint import CSS, HTML

    HTML(string=html).write_pdf(target, stylesheets=[CSS(string=PDF_CSS)])
