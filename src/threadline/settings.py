"""Settings in one place. Read from the environment only by the CLI and API edges."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DB_ENV = "THREADLINE_DB"


def default_db_url() -> str:
    """The user's own SQLite file, unless THREADLINE_DB names another database."""
    configured = os.environ.get(DB_ENV, "").strip()
    if configured:
        return configured
    path = Path(platformdirs.user_data_dir("threadline")) / "threadline.db"
    return f"sqlite:///{path}"


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str

    @classmethod
    def from_env(cls, db_url: str | None = None) -> Settings:
        return cls(db_url=db_url or default_db_url())
