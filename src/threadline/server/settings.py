"""The server's settings in one typed object. Read from the environment only by `from_env`
(through `threadline.settings.Environment`: a bad value is one line naming the variable),
called at the edge (the `serve` command); tests build their own."""

from __future__ import annotations

from dataclasses import dataclass, field

from threadline.limits import Limits
from threadline.settings import Environment, default_db_url

_PREFIX = "THREADLINE_"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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
        env = Environment()
        defaults = cls(db_url="")
        return cls(
            db_url=db_url or default_db_url(env),
            host=host or env.text(f"{_PREFIX}HOST", defaults.host),
            port=port or env.integer(f"{_PREFIX}PORT", defaults.port, minimum=1),
            secret_key=env.optional_text(f"{_PREFIX}SECRET_KEY"),
            secure_cookies=env.flag(f"{_PREFIX}SECURE_COOKIES"),
            max_upload_bytes=env.integer(
                f"{_PREFIX}MAX_UPLOAD_BYTES", defaults.max_upload_bytes, minimum=1
            ),
            match_concurrency=env.integer(
                f"{_PREFIX}MATCH_CONCURRENCY", defaults.match_concurrency, minimum=1
            ),
            log_level=env.choice(f"{_PREFIX}LOG_LEVEL", defaults.log_level, _LOG_LEVELS),
            limits=Limits.from_env(env.values),
            job_timeout_s=env.number(f"{_PREFIX}JOB_TIMEOUT_S", defaults.job_timeout_s),
            job_memory_bytes=env.integer(
                f"{_PREFIX}JOB_MEMORY_BYTES", defaults.job_memory_bytes, minimum=1
            ),
            pdf_timeout_s=env.number(f"{_PREFIX}PDF_TIMEOUT_S", defaults.pdf_timeout_s),
            pdf_max_rows=env.integer(f"{_PREFIX}PDF_MAX_ROWS", defaults.pdf_max_rows, minimum=1),
        )
