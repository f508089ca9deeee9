"""Whether a database's schema is already this version's: then opening it needs no migration.

Alembic finds that out too, but importing it and reading every migration script is a quarter
of a second on each start (a one-row `screen` takes about one and a half). The revision ids
are read from the scripts' `revision = ...` lines instead; any doubt leaves it to Alembic.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, inspect, text

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    """The revisions no other script revises: what `alembic upgrade head` leads to."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in VERSIONS.glob("*.py"):
        for name, value in _ASSIGNMENT.findall(script.read_text(encoding="utf-8")):
            ids = _QUOTED.findall(value)
            (revisions if name == "revision" else revised).update(ids)
    return frozenset(revisions - revised)


def at_head(connection: Connection) -> bool:
    if not inspect(connection).has_table("alembic_version"):
        return False
    current = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return bool(current) and current == head_revisions()
