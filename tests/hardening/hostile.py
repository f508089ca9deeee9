"""Small hostile files built in the test (tests/hostile_files.py), and running the CLI
in-process."""

from __future__ import annotations

import sys

import pytest
from hostile_files import row, workbook

from threadline.cli import main

__all__ = ["one_error_line", "row", "run_cli", "workbook"]


def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    """`threadline ARGS` in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["threadline", *args])
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def one_error_line(stderr: str) -> str:
    """The single `error: …` line a refused input prints, asserting there is only one line."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    return lines[0]
