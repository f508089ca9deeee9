"""`--engine spark` reads what Spark reads — files, a glob, a folder, a URI — and numbers rows
as the in-process reader does: results and rejects carry the same file and row number."""

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from typer.testing import CliRunner

import threadline.cli.batch  # noqa: F401  (registers `batch`)
from threadline.cli.app import app
from threadline.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
BILLS = FIXTURES / "bills.csv"
ERRORS = FIXTURES / "bills_with_errors.csv"

Placed = set[tuple[str, int | None, str]]


def run(*args: str, engine: str = "spark") -> Any:
    return CliRunner().invoke(
        app,
        ["batch", "screen", *args, "--as-of", "2025-06-30", "-q", "--engine", engine],
    )


def placed(out: Path, name: Any = str) -> tuple[Placed, Placed]:
    """(file, row, tier) of each result and (file, row, reason) of each reject."""
    results = pq.read_table(out / "results").to_pylist()
    rejects = pq.read_table(out / "rejects").to_pylist()
    return (
        {(name(r["file"]), r["row"], r["tier"]) for r in results},
        {(name(r["file"]), r["row"], r["rejected"]) for r in rejects},
    )


def test_spark_rows_carry_the_local_file_and_row_number(spark: Any, tmp_path: Path) -> None:
    """A blank line, a broken date, a bad HS code and a row with too many cells: each reject
    names its file and row as the in-process reader does, and so does each result. A `file://`
    URI stands for `s3a://` and the like: Spark lists and reads it, the header comes from Spark."""
    folder = tmp_path / "my bills"  # Spark names it file:/…/my%20bills
    folder.mkdir()
    (folder / "a.csv").write_bytes(BILLS.read_bytes())
    (folder / "b.csv").write_bytes(ERRORS.read_bytes())
    table = pacsv.read_csv(
        BILLS, convert_options=pacsv.ConvertOptions(column_types={"HS Code": pa.string()})
    )
    pq.write_table(table, folder / "c.parquet")
    outs = {
        "local": run(str(folder), "--out", str(tmp_path / "local"), engine="local"),
        "folder": run(str(folder), "--out", str(tmp_path / "folder")),
        "glob": run(str(folder / "*.csv"), "--out", str(tmp_path / "glob")),
        "uri": run(f"file://{folder.resolve()}/*.csv", "--out", str(tmp_path / "uri")),
    }
    for name, result in outs.items():
        assert result.exit_code == 0, (name, result.output, result.exception)
    local_results, local_rejects = placed(tmp_path / "local")
    assert placed(tmp_path / "folder") == (local_results, local_rejects)
    csv_only = {r for r in local_results if r[0].endswith(".csv")}
    assert placed(tmp_path / "glob") == (csv_only, local_rejects)
    assert placed(tmp_path / "uri", _base) == (
        {_placed(r) for r in csv_only},
        {_placed(r) for r in local_rejects},
    )
    errors = str(folder / "b.csv")
    assert {(row, reason[:30]) for file, row, reason in local_rejects if file == errors} == {
        (3, "'20O290' is not an HS code (di"),
        (4, "date '31/02/2024' is not a dat"),
        (5, "has no name or address to scre"),
        (6, "has more cells than the header"),
    }
    assert (errors, 8, "elevated") in local_results  # after the blank line 7
    assert (str(folder / "c.parquet"), 28, "no signal found") in local_results


def _base(file: str) -> str:
    return file.rsplit("/", 1)[-1]


def _placed(row: tuple[str, int | None, str]) -> tuple[str, int | None, str]:
    return (_base(row[0]), row[1], row[2])


def test_missing_local_files_and_uris_without_spark_are_refused(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent.csv"), "--out", str(tmp_path / "out"))
    assert isinstance(result.exception, InputError) and "absent.csv" in str(result.exception)
    result = run("s3a://bucket/bills/", "--out", str(tmp_path / "out"), engine="local")
    assert isinstance(result.exception, InputError)
    assert "read URIs with --engine spark" in str(result.exception)
    assert not (tmp_path / "out").exists()
