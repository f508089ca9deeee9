"""Settings in one place. Read from the environment only by the CLI and API edges.

`Environment` is the one reader of THREADLINE_* variables: typed, and a bad value is one
InputError naming the variable (exit 2). pydantic-settings would do the same, but importing it
(with pydantic) costs more than a one-row `screen` spends starting; these few types need no more.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from threadline.errors import InputError, one_line
from threadline.model.freshness import DEFAULT_MAX_AGE_DAYS

DB_ENV = "THREADLINE_DB"
MAX_AGE_ENV = "THREADLINE_MAX_DATA_AGE_DAYS"
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


@dataclass(frozen=True, slots=True)
class Environment:
    """Typed reads of environment variables; unset or blank gives the default."""

    values: Mapping[str, str] = field(default_factory=lambda: os.environ)

    def _raw(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def _bad(self, name: str, raw: str, what: str) -> InputError:
        return InputError(f"{name}: '{one_line(raw, 40)}' is not {what}")

    def text(self, name: str, default: str) -> str:
        return self._raw(name) or default

    def optional_text(self, name: str) -> str | None:
        return self._raw(name) or None

    def integer(self, name: str, default: int, *, minimum: int = 0) -> int:
        """A whole number (`5_000_000` reads too) of at least `minimum`."""
        raw = self._raw(name)
        if not raw:
            return default
        digits = raw.replace("_", "")
        if not digits.isdigit() or len(digits) > 18 or int(digits) < minimum:
            what = "a positive whole number" if minimum == 1 else f"a whole number ≥ {minimum}"
            raise self._bad(name, raw, what)
        return int(digits)

    def number(self, name: str, default: float) -> float:
        """A positive number of seconds, bytes or the like (`1.5` reads too)."""
        raw = self._raw(name)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not 0 < value < float("inf"):
            raise self._bad(name, raw, "a positive number")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        raw = self._raw(name)
        if name not in self.values:
            return default
        if raw.lower() in _TRUE | _FALSE:
            return raw.lower() in _TRUE
        raise self._bad(name, raw, "1 or 0 (true/false, yes/no, on/off)")

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        """One of `choices`, in any case; returned as the choice is spelt."""
        raw = self._raw(name)
        if not raw:
            return default
        by_key = {c.casefold(): c for c in choices}
        if raw.casefold() not in by_key:
            raise self._bad(name, raw, f"one of {', '.join(choices)}")
        return by_key[raw.casefold()]


def default_db_url(env: Environment | None = None) -> str:
    """The user's own SQLite file, unless THREADLINE_DB names another database."""
    configured = (env or Environment()).optional_text(DB_ENV)
    if configured:
        return configured
    path = Path(platformdirs.user_data_dir("threadline")) / "threadline.db"
    return f"sqlite:///{path}"


def default_max_data_age(env: Environment | None = None) -> int:
    """Days after which a list counts as stale in reports (THREADLINE_MAX_DATA_AGE_DAYS)."""
    return (env or Environment()).integer(MAX_AGE_ENV, DEFAULT_MAX_AGE_DAYS)


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str
    max_data_age_days: int = DEFAULT_MAX_AGE_DAYS

    @classmethod
    def from_env(cls, db_url: str | None = None, max_data_age_days: int | None = None) -> Settings:
        age = default_max_data_age() if max_data_age_days is None else max_data_age_days
        return cls(db_url=db_url or default_db_url(), max_data_age_days=age)
