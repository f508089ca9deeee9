"""Screening jobs: an uploaded file is screened in a child process started by a background
thread, with progress stored as it goes, and its rows and reports stored when done, in one
transaction; its PDF is rendered afterwards by a job of its own. The child has a memory and a time
limit (`job_memory_bytes`, `job_timeout_s`): past either it is killed and its job failed with the
reason, while the server goes on. A job left running by a stopped server is queued again at the
next start (the upload is kept, so nothing is lost), once: a job that stopped the server twice is
failed, with the reason.
A file past the input limits (threadline.limits) fails its job with the one-line reason."""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import resource
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from threadline import limits
from threadline.data.lists import data_version
from threadline.errors import InputError, ThreadlineError
from threadline.inputs import read_records_with_report
from threadline.model import RunMetadata, ScreenedRow
from threadline.monitoring.keys import row_keys
from threadline.monitoring.session import ScreenSettings, assemble, stored_rows
from threadline.orphans import BACKGROUND_NICENESS, die_with_parent
from threadline.report import REPORT_FILES, write_reports
from threadline.report.common import worst_first
from threadline.report.pdf import render_print_html
from threadline.server.logs import configure_logging
from threadline.server.reports import PDF_SOURCE, PRINT_FORMAT, report_bytes
from threadline.server.services import Services
from threadline.server.settings import ServerSettings
from threadline.store.screenings import DONE, RUNNING

log = logging.getLogger("threadline.server.jobs")
_PROGRESS_EVERY_S = 0.5
_SAFE_NAME = re.compile(r"[^\w.\- ]+")


def new_screening_id() -> str:
    return uuid.uuid4().hex


class JobRunner:
    def __init__(self, services: Services, workers: int = 1) -> None:
        self.services = services
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="screening")
        self._pdf_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf")
        self._children: set[multiprocessing.process.BaseProcess] = set()
        self._children_lock = threading.Lock()
        self._stopping = False

    def submit(
        self,
        *,
        user_id: int,
        filename: str,
        content: bytes,
        as_of: Any,
        algorithm: str,
        options: dict[str, Any] | None = None,
    ) -> str:
        """Store the upload as a queued screening and start it; returns the screening id.
        `options` say how to read it: `sheet`, `name_cols`, `address_cols` (see read_records)."""
        screening_id = new_screening_id()
        self.services.screenings.create(
            screening_id,
            user_id=user_id,
            filename=filename,
            content=content,
            as_of=as_of,
            data_version=data_version(),
            algorithm=algorithm,
            options=options,
        )
        self.start(screening_id)
        return screening_id

    def start(self, screening_id: str) -> Future[None]:
        return self._pool.submit(self._run, screening_id)

    def resume(self) -> list[str]:
        """Start again whatever a previous server left queued or running."""
        ids = self.services.screenings.requeue_interrupted()
        for screening_id in ids:
            self.start(screening_id)
        return ids

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pdf_pool.shutdown(wait=False, cancel_futures=True)
        with self._children_lock:  # a stopped server leaves its jobs running, to resume them
            self._stopping = True
            for child in self._children:
                child.kill()

    def _render_pdf(self, screening_id: str) -> None:
        started = time.perf_counter()
        try:
            report_bytes(self.services, screening_id, "pdf")
        except ThreadlineError as exc:  # out of time or memory, or no Pango: the reason is kept
            log.warning("PDF report failed", extra={"screening": screening_id, "error": str(exc)})
            return
        except Exception:  # the screening stands; the PDF is tried again on download
            log.exception("PDF report failed", extra={"screening": screening_id})
            return
        log.info(
            "PDF report done",
            extra={"screening": screening_id, "seconds": round(time.perf_counter() - started, 3)},
        )

    def _run(self, screening_id: str) -> None:
        screenings = self.services.screenings
        if not screenings.claim(screening_id):
            return
        started = time.perf_counter()
        stopped = self._screen_in_child(screening_id)
        if self._stopping:  # killed by shutdown: resumed at the next start
            return
        record = screenings.get(screening_id)
        if record is not None and record.status == RUNNING:  # the child recorded no outcome
            reason = stopped or "internal error while screening; see the server log"
            log.warning("screening stopped", extra={"screening": screening_id, "error": reason})
            screenings.fail(screening_id, reason)
            return
        if record is None or record.status != DONE:
            return  # failed by the child, with its reason
        # The PDF is a job of its own: the screening is done and shown while it renders, and the
        # next screening does not wait for it.
        self._pdf_pool.submit(self._render_pdf, screening_id)
        log.info(
            "screening done",
            extra={
                "screening": screening_id,
                "rows": record.total,
                "seconds": round(time.perf_counter() - started, 3),
            },
        )

    def _screen_in_child(self, screening_id: str) -> str | None:
        """Run the job in a fresh process; the reason it was stopped, if it was."""
        settings = self.services.settings
        # Spawned, not forked: the server has threads, and a fork copies their held locks. Not a
        # daemon: the screener may start processes of its own to encode the reference.
        child = multiprocessing.get_context("spawn").Process(
            target=_screen_child, args=(settings, screening_id, os.getpid())
        )
        with self._children_lock:
            child.start()
            self._children.add(child)
        try:
            child.join(settings.job_timeout_s)
            if child.is_alive():
                child.kill()
                child.join()
                return f"stopped after {settings.job_timeout_s:g} s (THREADLINE_JOB_TIMEOUT_S)"
        finally:
            with self._children_lock:
                self._children.discard(child)
        if child.exitcode != 0:
            return _out_of_memory(settings) + ", or crashed"
        return None


def screen_upload(services: Services, screening_id: str) -> int:
    """Screen a claimed job's upload and store its rows and reports; returns the rows stored."""
    screenings = services.screenings
    record = screenings.get(screening_id)
    assert record is not None  # claimed just now
    with tempfile.TemporaryDirectory(prefix="threadline-") as tmp:
        # The reader names the file in its errors and picks the format by its suffix.
        path = Path(tmp) / (_SAFE_NAME.sub("_", Path(record.filename).name) or "upload.csv")
        path.write_bytes(screenings.upload(screening_id))
        options = record.options
        try:
            read = read_records_with_report(
                path,
                name_col=options.get("name_cols") or None,
                address_col=options.get("address_cols") or None,
                sheet=options.get("sheet") or None,
            )
        except InputError as exc:  # named as uploaded, not by the server's temporary path
            raise type(exc)(
                exc.reason, file=record.filename, row=exc.row, column=exc.column
            ) from exc
        screenings.set_options(screening_id, {**options, "read": read.report})
        # Rows name the file as uploaded, not where the server put it.
        records = [replace(r, file=record.filename) for r in read.records]
        total = len(records)
        screenings.progress(screening_id, done=0, total=total)
        run = services.screening_run(record.as_of)
        done, last = 0, time.monotonic()

        def advance(n: int) -> None:
            nonlocal done, last
            done += n
            if time.monotonic() - last >= _PROGRESS_EVERY_S:
                last = time.monotonic()
                screenings.progress(screening_id, done=done, total=total)

        screened = run.screen(records, progress=advance)
        meta = run.metadata([record.filename], inputs_read=[read.report])
        # Keyed and with its facts, so that web and CLI can compare it with other screenings.
        keys = row_keys(records)
        settings = ScreenSettings(hops=run.hops, key=keys.label)
        compared = assemble(
            screening_id=screening_id,
            meta=meta,
            rows=screened,
            keys=keys,
            settings=settings,
            previous=None,
            stored=True,
        )
        document = compared.document
        paths = write_reports(Path(tmp) / "out", meta, screened, document=document, keys=keys)
        reports = {fmt: paths[fmt].read_bytes() for fmt in REPORT_FILES}
        # What the PDF is rendered from: the print layout, or past the row limit a summary of the
        # most severe rows (rendering the whole layout too would be work thrown away).
        most = services.settings.pdf_max_rows
        if len(screened) > most:
            reports[PDF_SOURCE] = summary_html(meta, screened, most).encode("utf-8")
        else:
            reports[PRINT_FORMAT] = render_print_html(meta, screened).encode("utf-8")
    stored = stored_rows(screened, document["results"], compared.facts.rows)
    screenings.finish(
        screening_id, stored, reports, document["summary"], settings=settings.as_dict()
    )
    return len(stored)


def _out_of_memory(settings: ServerSettings) -> str:
    mib = settings.job_memory_bytes // (1024 * 1024)
    return f"ran out of its {mib} MiB of memory (THREADLINE_JOB_MEMORY_BYTES)"


def _screen_child(settings: ServerSettings, screening_id: str, parent: int) -> None:
    """A job's process: screens and stores the outcome itself, done or failed with the reason."""
    die_with_parent(parent)  # a killed server takes its jobs with it; they resume at its start
    os.nice(BACKGROUND_NICENESS)  # batch work: the server's requests come first
    memory = settings.job_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    configure_logging(settings.log_level)
    limits.configure(settings.limits)
    # The server brought the reference data up to date before it started any job.
    services = Services.open(replace(settings, sync_reference_data=False))
    try:
        screen_upload(services, screening_id)
    except ThreadlineError as exc:
        log.info("screening failed", extra={"screening": screening_id, "error": str(exc)})
        services.screenings.fail(screening_id, str(exc))
    except MemoryError:
        services.screenings.fail(screening_id, _out_of_memory(settings))
    except Exception:
        log.exception("screening crashed", extra={"screening": screening_id})
        services.screenings.fail(screening_id, "internal error while screening; see the server log")


def summary_html(meta: RunMetadata, rows: Sequence[ScreenedRow], most: int) -> str:
    """The print layout of the `most` most severe rows, saying so at the top: what a PDF of a
    large screening holds (the HTML, CSV and JSON reports keep every row)."""
    kept = worst_first(rows)[:most]
    note = (
        f'<p class="summary-note"><strong>Summary:</strong> the {most:,} most severe of '
        f"{len(rows):,} rows. The HTML, CSV and JSON reports hold every row.</p>"
    )
    return render_print_html(meta, kept).replace("<body>", "<body>" + note, 1)
