"""Running `threadline ARGS`: in this process (most tests), or through the installed console
script (one end-to-end smoke test per command). Both answer alike: exit code, stdout, stderr."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from threadline.cli.app import run

# The console script installed beside this interpreter (the test venv), else the one on PATH.
_BESIDE = Path(sys.executable).parent / "threadline"
SCRIPT = str(_BESIDE) if _BESIDE.exists() else shutil.which("threadline") or "threadline"


@dataclass(frozen=True, slots=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def threadline(
    *args: str,
    cwd: Path | None = None,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Ran:
    """`threadline ARGS` in this process, as the console script runs it (errors translated to one
    line and an exit code), with stdin, stdout, stderr and the environment swapped for the call."""
    with (
        contextlib.chdir(cwd or Path.cwd()),
        CliRunner().isolation(input=input, env=env) as (out, err, _),
    ):
        code = run(args)
        sys.stdout.flush()
        sys.stderr.flush()
        return Ran(code, out.getvalue().decode(), err.getvalue().decode())


def script(
    *args: str,
    cwd: Path | None = None,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Ran:
    """`threadline ARGS` through the console script, in a new process."""
    done = subprocess.run(
        [SCRIPT, *args],
        cwd=cwd,
        input=input,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Ran(done.returncode, done.stdout, done.stderr)
