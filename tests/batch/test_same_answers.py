"""Same answers: `threadline screen`, `batch screen --engine local` and `--engine spark`
(local[2], a real SparkSession) give every row the same tier, reasons, matched entities,
evidence and exposure paths — on a sample of the matching development set and on bills of
lading whose shippers are listed, in the XUAR, in high-priority sectors or linked to a listed
entity through imported shipments and ownership."""

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from threadline.cli.app import app
from threadline.pipeline import ScreeningRun

FIXTURES = Path(__file__).parent / "fixtures"

AS_OF = "2025-06-30"
Answer = tuple[str, list[str], list[tuple[str, str]], list[str], list[str]]


def invoke(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)


def screened(inputs: list[Path], out: Path, db: str, *extra: str) -> dict[str, Answer]:
    invoke(
        "screen", *map(str, inputs), "--out", str(out), "--db", db, "--as-of", AS_OF, "-q", *extra
    )
    rows = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    answers: dict[str, Answer] = {}
    for row in rows:
        reasons = row["risk"]["reasons"]
        answers[_key(row["input"])] = (
            row["risk"]["tier"],
            [r["code"] for r in reasons],
            [(m["entity_id"], m["band"]) for m in row["matches"]],
            list(dict.fromkeys(e["source_url"] for r in reasons for e in r["evidence"])),
            list(
                dict.fromkeys(
                    ">".join(edge["relation_id"] for edge in path["edges"])
                    for r in reasons
                    for path in r["paths"]
                )
            ),
        )
    return answers


def batch(
    inputs: list[Path], out: Path, db: str, engine: str, *extra: str
) -> tuple[dict[str, Answer], list[tuple[str, str]], dict[str, Any]]:
    invoke(
        "batch", "screen", *map(str, inputs), "--out", str(out), "--db", db,
        "--as-of", AS_OF, "--engine", engine, "--master", "local[2]", "-q", *extra,
    )  # fmt: skip
    assert (out / "_SUCCESS").exists()
    answers: dict[str, Answer] = {}
    for row in pq.read_table(out / "results").to_pylist():
        answers[_key(row["input"])] = (
            row["tier"],
            [r["code"] for r in row["reasons"]],
            [(m["entity_id"], m["band"]) for m in row["matches"]],
            row["evidence_ids"],
            row["path_ids"],
        )
    rejects = sorted(
        (_key(r["input"]), r["rejected"]) for r in pq.read_table(out / "rejects").to_pylist()
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for varying in ("engine", "inputs"):
        summary.pop(varying)
    return answers, rejects, summary


def _key(row: dict[str, str]) -> str:
    return row.get("query_id") or row["Bill of Lading Number"]


def test_development_set_same_answers(spark: Any, tmp_path: Path) -> None:
    queries = [FIXTURES / "devset_queries.csv"]
    reference = ("--reference", str(FIXTURES / "devset_reference.csv"))
    db = f"sqlite:///{tmp_path / 'store.db'}"
    expected = screened(queries, tmp_path / "screen", db, *reference)
    local, local_rejects, local_summary = batch(
        queries, tmp_path / "local", db, "local", *reference
    )
    on_spark, spark_rejects, spark_summary = batch(
        queries, tmp_path / "spark", db, "spark", *reference
    )
    assert len(expected) == 67
    assert local == expected
    assert on_spark == expected
    assert local_rejects == spark_rejects == []
    assert local_summary == spark_summary
    # Not a vacuous agreement: the sample holds matches from the --reference list and misses.
    assert {"prohibited", "no signal found"} <= {answer[0] for answer in expected.values()}
    assert any(m[0].startswith("R0") for answer in expected.values() for m in answer[2])


def test_bills_of_lading_same_answers(spark: Any, graph_db: str, tmp_path: Path) -> None:
    bills, broken = FIXTURES / "bills.csv", FIXTURES / "bills_with_errors.csv"
    expected = screened([bills], tmp_path / "screen", graph_db)
    local, local_rejects, local_summary = batch(
        [bills, broken], tmp_path / "local", graph_db, "local"
    )
    on_spark, spark_rejects, spark_summary = batch(
        [bills, broken], tmp_path / "spark", graph_db, "spark"
    )
    assert {key: local[key] for key in expected} == expected
    assert on_spark == local
    assert local_rejects == spark_rejects
    assert [key for key, _ in local_rejects] == ["EXBL0102", "EXBL0103", "EXBL0104", "EXBL0105"]
    assert local_summary == spark_summary
    assert local_summary["rows"] == 30 and local_summary["rejected"] == 4

    # Exposure ran inside the batch function, from the broadcast graph.
    tier, _, _, _, paths = on_spark["EXBL0004"]  # Lakeview, shipped to by Hoshine
    assert tier == "high" and paths and len(paths[0].split(">")) == 1
    tier, _, _, _, paths = on_spark["EXBL0005"]  # Brightwater, two links away
    assert tier == "elevated" and len(paths[0].split(">")) == 2
    assert on_spark["EXBL0001"][0] == "prohibited"
    assert on_spark["EXBL0009"][0] == "no signal found"  # Portuguese towels
    top = {c["entity_id"] for c in spark_summary["top_listed_counterparts"]}
    assert "uflpa-hoshine-silicon-industry-shanshan" in top
    months = {row["key"] for row in spark_summary["by_month"]}
    assert {"2024-01", "2024-12", ""} <= months


@pytest.mark.parametrize("hops", ["0"])
def test_hops_reach_the_batch_function(graph_db: str, tmp_path: Path, hops: str) -> None:
    bills = FIXTURES / "bills.csv"
    local, _, summary = batch([bills], tmp_path / "local", graph_db, "local", "--hops", hops)
    assert local["EXBL0004"][4] == [] and local["EXBL0004"][0] == "elevated"
    assert summary["hops"] == 0


@pytest.mark.parametrize("engine", ["local", "spark"])
def test_repeated_parties_are_screened_once_and_answered_alike(
    engine: str,
    request: pytest.FixtureRequest,
    graph_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each bill three times over, as a busy shipper's bills: new numbers, dates and ports.
    Every copy gets the answer `screen` gives the original; in-process, each record identity
    is screened once (Spark's workers are other processes: there the answers are the check)."""
    if engine == "spark":
        request.getfixturevalue("spark")
    bills = FIXTURES / "bills.csv"
    expected = screened([bills], tmp_path / "screen", graph_db)
    with bills.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    repeated = tmp_path / "repeated.csv"
    with repeated.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for copy in range(3):
            for row in rows:
                number = row["Bill of Lading Number"]
                port = ("Ningbo", "Yantian", "")[copy]
                writer.writerow(
                    {
                        **row,
                        "Bill of Lading Number": f"{number}-{copy}",
                        "Arrival Date": f"2024-0{copy + 1}-15",
                        "Foreign Port of Lading": port,
                    }
                )
    screened_records: list[int] = []
    screen = ScreeningRun.screen

    def counting(self: ScreeningRun, records: Any, *args: Any, **kwargs: Any) -> Any:
        screened_records.append(len(records))
        return screen(self, records, *args, **kwargs)

    monkeypatch.setattr(ScreeningRun, "screen", counting)
    answers, rejects, summary = batch([repeated], tmp_path / engine, graph_db, engine)
    assert rejects == [] and summary["rows"] == 3 * len(expected) == 84
    assert answers == {
        f"{key}-{copy}": answer for key, answer in expected.items() for copy in (0, 1, 2)
    }
    if engine == "local":
        assert sum(screened_records) == len(expected)
    months = {row["key"] for row in summary["by_month"]}
    assert months == {"2024-01", "2024-02", "2024-03"}
