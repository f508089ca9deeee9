"""The server's settings in one typed object. Read from the environment only by `from_env`,
called at the edge (the `serve` command); tests build their own."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from threadline.limits import Limits
from threadline.settings import default_db_url

_PREFIX = "THREADLINE_"


@dataclass(frozen=True, slots=True)
class ServerSettings:
    db_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    # Signs session cookies. None: a random key kept in the database, shared by all workers.
    secret_key: str | None = None
    # Send cookies over HTTPS only; set when the server sits behind TLS.
    secure_cookies: bool = False
    session_max_age_s: int = 8 * 3600
    max_upload_bytes: int = 20 * 1024 * 1024
    max_match_limit: int = 100
    # /match requests in progress at once; more wait (see middleware.ConcurrencyLimit).
    match_concurrency: int = 16
    log_level: str = "INFO"
    # Screening jobs are started by background threads, one after the other; each screens in a
    # child process stopped past this time or memory, so one upload cannot wedge the server.
    job_workers: int = 1
    job_timeout_s: float = 1800.0
    job_memory_bytes: int = 4 * 1024 * 1024 * 1024
    # Load the bundled lists into the database at start-up when they are missing or stale.
    sync_reference_data: bool = True
    # What one input may make the server do (THREADLINE_MAX_*; see threadline.limits).
    limits: Limits = field(default_factory=Limits)
    # PDF reports: rendered in a child process stopped past this time or memory; a screening
    # with more rows gets a summary PDF of its most severe rows.
    pdf_timeout_s: float = 300.0
    pdf_memory_bytes: int = 4 * 1024 * 1024 * 1024
    pdf_max_rows: int = 2000

    @classmethod
    def from_env(
        cls, db_url: str | None = None, host: str | None = None, port: int | None = None
    ) -> ServerSettings:
        env = os.environ
        return cls(
            db_url=db_url or default_db_url(),
            host=host or env.get(f"{_PREFIX}HOST", "127.0.0.1"),
            port=port or int(env.get(f"{_PREFIX}PORT", "8000")),
            secret_key=env.get(f"{_PREFIX}SECRET_KEY") or None,
            secure_cookies=env.get(f"{_PREFIX}SECURE_COOKIES", "") in {"1", "true", "yes"},
            max_upload_bytes=int(env.get(f"{_PREFIX}MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))),
            match_concurrency=int(env.get(f"{_PREFIX}MATCH_CONCURRENCY", "16")),
            log_level=env.get(f"{_PREFIX}LOG_LEVEL", "INFO").upper(),
            limits=Limits.from_env(env),
            job_timeout_s=float(env.get(f"{_PREFIX}JOB_TIMEOUT_S", "1800")),
            job_memory_bytes=int(env.get(f"{_PREFIX}JOB_MEMORY_BYTES", str(4 * 1024**3))),
            pdf_timeout_s=float(env.get(f"{_PREFIX}PDF_TIMEOUT_S", "300")),
            pdf_max_rows=int(env.get(f"{_PREFIX}PDF_MAX_ROWS", "2000")),
        )
