"""Running the CLI in-process: `main()` as the console script runs it, output captured."""

from __future__ import annotations

import sys

import pytest
from refresh_cli import CliRun, Result

from threadline.cli import main


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> CliRun:
    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["threadline", *args])
        with pytest.raises(SystemExit) as exit_info:
            main()
        captured = capsys.readouterr()
        return Result(int(exit_info.value.code or 0), captured.out, captured.err)

    return run
