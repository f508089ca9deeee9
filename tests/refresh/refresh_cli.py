"""Types of the in-process CLI runner (the `cli` fixture in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


CliRun = Callable[..., Result]
