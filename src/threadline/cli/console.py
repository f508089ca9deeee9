"""Where the commands write messages, warnings and progress: stderr, so that stdout carries only
what a command prints for a pipe (JSON, CSV, tables)."""

from __future__ import annotations

from rich.console import Console


def stderr() -> Console:
    """A console on the current stderr, built per use: whether it is a terminal, its width
    (COLUMNS) and colour (NO_COLOR) are read as they are now, never frozen at import time (a
    test runner swaps the streams and the environment between commands run in one process)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)
