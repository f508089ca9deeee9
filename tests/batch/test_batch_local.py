"""`batch screen --engine local` in-process: rejects, inputs refused before any work, Parquet
inputs, and an output folder that is complete or absent; plus the console script's one line
when Spark cannot run."""

import datetime as dt
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from cli_run import threadline
from typer.testing import CliRunner

from threadline.batch import PreparedScreening
from threadline.cli.app import app
from threadline.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
BILLS = FIXTURES / "bills.csv"


def run(*args: str) -> object:
    return CliRunner().invoke(app, ["batch", "screen", *args, "--as-of", "2025-06-30", "-q"])


def results(out: Path) -> list[dict[str, object]]:
    return pq.read_table(out / "results").to_pylist()


def test_rejected_rows_keep_their_reason_and_the_batch_goes_on(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(str(FIXTURES / "bills_with_errors.csv"), "--out", str(out))
    assert result.exit_code == 0, result.exception
    rejects = {r["row"]: r["rejected"] for r in pq.read_table(out / "rejects").to_pylist()}
    assert rejects == {
        3: "'20O290' is not an HS code (digits, e.g. 6109.10)",
        4: "date '31/02/2024' is not a date threadline reads (YYYY-MM-DD, 2026/03/02, "
        "2 Mar 2026, Mar 2, 2026 or 03/02/2026 with --date-order)",
        5: "has no name or address to screen (empty: 'Shipper' or 'Shipper Address')",
        6: "has more cells than the header's 13 columns; check the delimiter and quoting",
    }
    # The blank line 7 is skipped, as `screen` skips it; rows keep the file's numbering.
    assert [(r["row"], r["tier"]) for r in results(out)] == [(2, "prohibited"), (8, "elevated")]


def test_parquet_input_gives_the_csv_answers(tmp_path: Path) -> None:
    table = pacsv.read_csv(
        BILLS, convert_options=pacsv.ConvertOptions(column_types={"HS Code": pa.string()})
    )
    pq.write_table(table, tmp_path / "bills.parquet")
    for name, source in (("csv", BILLS), ("parquet", tmp_path / "bills.parquet")):
        assert run(str(source), "--out", str(tmp_path / name)).exit_code == 0
    by_bill = {
        name: {
            r["bill_number"]: (r["tier"], r["reasons"], r["matches"])
            for r in results(tmp_path / name)
        }
        for name in ("csv", "parquet")
    }
    assert by_bill["csv"] == by_bill["parquet"] and len(by_bill["csv"]) == 28


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Bill,Consignee\nB1,Example Buyer\n", "no name column found"),
        (
            BILLS.read_text(encoding="utf-8").replace("Shipper Address", "Origin Address"),
            "its columns differ",
        ),
    ],
)
def test_bad_inputs_stop_before_any_work(tmp_path: Path, content: str, message: str) -> None:
    other = tmp_path / "other.csv"
    other.write_text(content, encoding="utf-8")
    first = [] if message == "no name column found" else [str(BILLS)]
    out = tmp_path / "out"
    result = run(*first, str(other), "--out", str(out))
    assert isinstance(result.exception, InputError) and message in str(result.exception)
    assert not out.exists() and os.listdir(tmp_path) == ["other.csv"]


def test_missing_file_and_unknown_engine_are_refused(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent.csv"), "--out", str(tmp_path / "out"))
    assert isinstance(result.exception, InputError) and "absent.csv" in str(result.exception)
    refused = threadline("batch", "screen", str(BILLS), "--out", str(tmp_path), "--engine", "dask")
    assert refused.returncode == 2 and "'dask' is not one of 'local', 'spark'" in refused.stderr


def test_a_failed_run_leaves_the_previous_output_and_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "outputs" / "out"
    assert run(str(BILLS), "--out", str(out)).exit_code == 0
    before = (out / "summary.json").read_bytes()

    def broken(self: PreparedScreening, batch: pa.RecordBatch) -> pa.RecordBatch:
        raise RuntimeError("executor lost")

    monkeypatch.setattr(PreparedScreening, "screen_batch", broken)
    result = run(str(BILLS), "--out", str(out))
    assert isinstance(result.exception, RuntimeError)
    assert (out / "summary.json").read_bytes() == before and (out / "_SUCCESS").exists()
    assert [p.name for p in out.parent.iterdir()] == ["out"]  # no staging folder left


def test_spark_engine_without_java_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """The console script, end to end: no Java on PATH and no JAVA_HOME."""
    script = Path(sys.executable).parent / "threadline"
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(tmp_path)  # nothing there
    done = subprocess.run(
        [
            str(script),
            "batch",
            "screen",
            str(BILLS),
            "--out",
            str(tmp_path / "out"),
            "--engine",
            "spark",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'threadline[spark]'" in lines[0]
    assert "openjdk-17-jre-headless" in lines[0] and not (tmp_path / "out").exists()


def test_the_prepared_screening_pickles_and_screens_alike(tmp_path: Path) -> None:
    """What Spark broadcasts: the unpickled copy screens a batch exactly as the original."""
    from threadline.batch.sources import open_inputs, read_batches
    from threadline.pipeline import build_screener, ensure_reference_data
    from threadline.store import Store

    inputs = open_inputs([FIXTURES / "bills_with_errors.csv"])
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:
        ensure_reference_data(store)
        screener = build_screener(store)
    run = screener.run(as_of=dt.date(2025, 6, 30))
    prepared = PreparedScreening(run, inputs.header, inputs.columns, inputs.bills)
    [batch] = list(read_batches(inputs))
    copy = pickle.loads(pickle.dumps(prepared))
    assert copy.screen_batch(batch).to_pylist() == prepared.screen_batch(batch).to_pylist()
    tiers = prepared.screen_batch(batch).column("tier").to_pylist()
    assert tiers == ["prohibited", None, None, None, None, "elevated"]


def test_summary_html_is_written_from_the_counts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(str(BILLS), "--out", str(out)).exit_code == 0
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "28 rows screened" in html and "By port" in html and "Ningbo" in html
    assert "Hoshine Silicon Industry (Shanshan) Co., Ltd." in html  # a top listed counterpart


def test_spark_refuses_what_it_cannot_read_before_starting(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from threadline.batch.spark import EngineUnavailable, check_available

    try:
        check_available()
    except EngineUnavailable as exc:
        if os.environ.get("CI"):
            raise  # scripts/test installs pyspark and a JDK
        pytest.skip(str(exc))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["supplier", "country"])
    sheet.append(["Example Co", "CN"])
    book.save(tmp_path / "suppliers.xlsx")
    result = run(
        str(tmp_path / "suppliers.xlsx"), "--out", str(tmp_path / "out"), "--engine", "spark"
    )
    assert isinstance(result.exception, InputError)
    assert "not XLSX" in str(result.exception) and not (tmp_path / "out").exists()
    # Spark reads all text files with one set of options: same columns but another delimiter.
    tabbed = tmp_path / "bills.tsv"
    tabbed.write_text(BILLS.read_text(encoding="utf-8").replace(",", "\t"), encoding="utf-8")
    result = run(str(BILLS), str(tabbed), "--out", str(tmp_path / "out"), "--engine", "spark")
    assert isinstance(result.exception, InputError) and "unlike" in str(result.exception)
