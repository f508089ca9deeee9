"""Errors become one line and the exit code of `cli/exit_codes.py`, in-process through `main`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from threadline.cli.app import main
from threadline.cli.exit_codes import exit_code
from threadline.errors import (
    DataError,
    InputError,
    LimitExceeded,
    MissingSystemLibrary,
    NotFound,
    OutputError,
    StoreBusy,
)


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["threadline", *argv])
    with pytest.raises(SystemExit) as stopped:
        main()
    return int(stopped.value.code or 0)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InputError("bad", file="a.csv", row=2), 2),
        (LimitExceeded("too many rows"), 2),
        (NotFound("no screening 'x'"), 2),
        (DataError("tiers.yaml: broken"), 2),
        (StoreBusy("busy"), 2),
        (MissingSystemLibrary("no Pango"), 2),
        (OutputError("cannot write", path="out/"), 73),
        (PermissionError(13, "Permission denied"), 74),
        (KeyError("bug"), 70),
    ],
)
def test_each_error_has_its_exit_code(error: BaseException, code: int) -> None:
    assert exit_code(error) == code


def test_an_unknown_screening_is_not_found_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["screenings", "show", "no-such-screening"], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err == "error: no screening 'no-such-screening' in the store\n"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_unwritable_out_is_an_output_error_exit_73(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """/proc takes no new files, not even from root (who passes every permission check)."""
    queries = tmp_path / "queries.csv"
    queries.write_text("id,name\nq1,Hoshine Silicon\n", encoding="utf-8")
    reference = tmp_path / "reference.csv"
    reference.write_text("id,name\nr1,Hoshine Silicon Industry Co\n", encoding="utf-8")
    out = "/proc/threadline-no-such-folder/matches.csv"
    argv = ["match", str(queries), "--reference", str(reference), "--out", out]
    assert _run(argv, monkeypatch) == 73
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err
    assert "/proc/threadline-no-such-folder" in err and "Traceback" not in err


def test_an_unknown_entity_is_not_found_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["entity", "qqzx-no-such-entity-9173"], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err == "error: no entity with id or name like 'qqzx-no-such-entity-9173' in the store\n"
