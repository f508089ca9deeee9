"""Settings in one place. Read from the environment only by the CLI and API edges."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from threadline.errors import InputError
from threadline.model.freshness import DEFAULT_MAX_AGE_DAYS

DB_ENV = "THREADLINE_DB"
MAX_AGE_ENV = "THREADLINE_MAX_DATA_AGE_DAYS"


def default_db_url() -> str:
    """The user's own SQLite file, unless THREADLINE_DB names another database."""
    configured = os.environ.get(DB_ENV, "").strip()
    if configured:
        return configured
    path = Path(platformdirs.user_data_dir("threadline")) / "threadline.db"
    return f"sqlite:///{path}"


def default_max_data_age() -> int:
    """Days after which a list counts as stale in reports (THREADLINE_MAX_DATA_AGE_DAYS)."""
    configured = os.environ.get(MAX_AGE_ENV, "").strip()
    if not configured:
        return DEFAULT_MAX_AGE_DAYS
    try:
        days = int(configured)
    except ValueError:
        days = -1
    if days < 0:
        raise InputError(f"{MAX_AGE_ENV}: '{configured}' is not a number of days")
    return days


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str
    max_data_age_days: int = DEFAULT_MAX_AGE_DAYS

    @classmethod
    def from_env(cls, db_url: str | None = None, max_data_age_days: int | None = None) -> Settings:
        age = default_max_data_age() if max_data_age_days is None else max_data_age_days
        return cls(db_url=db_url or default_db_url(), max_data_age_days=age)
