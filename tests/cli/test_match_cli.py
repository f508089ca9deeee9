"""`threadline match` with CSV and FollowTheMoney references, and `threadline algorithms`: the
first match and `algorithms` through the console script, the rest in-process."""

import csv
import json
from pathlib import Path

import pytest
from cli_run import script
from cli_run import threadline as run

from threadline import matching


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_queries(tmp_path: Path) -> Path:
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "id,name,country\n"
        "q1,HOTAN TAIDA GARMENT CO LTD,CN\n"
        "q2,和田泰达服饰有限公司,中国\n"
        "q3,Northwind Example Textiles Ltd,PT\n",
        encoding="utf-8",
    )
    return queries


def test_match_against_a_csv_reference(tmp_path: Path) -> None:
    reference = tmp_path / "ref.csv"
    reference.write_text(
        "id,name,aliases,name_zh,country\n"
        'r1,"Hetian Taida Apparel Co., Ltd.",Hotan Taida,,CN\n'
        'r2,"Aksu Huafu Textiles Co.",,,CN\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = script(
        "match",
        str(write_queries(tmp_path)),
        "--reference",
        str(reference),
        "--out",
        str(out),
        "--stats",
    )
    assert result.returncode == 0, result.stderr
    found = rows(out)
    assert list(found[0]) == ["query_id", "ref_id", "score", "band", "explanation"]
    best = {r["query_id"]: r for r in found}
    assert best["q1"]["ref_id"] == "r1" and best["q1"]["band"] == "match"
    assert best["q2"]["ref_id"] == "r1" and best["q2"]["band"] == "match"
    assert "q3" not in best
    assert "Hetian Taida Apparel" in best["q1"]["explanation"]
    stats = json.loads(result.stderr.strip().splitlines()[-1])
    assert stats["queries"] == 3 and stats["queries_per_s"] > 0


def test_match_against_an_ftm_reference(tmp_path: Path) -> None:
    reference = tmp_path / "ref.jsonl"
    entity = {
        "id": "ftm-taida",
        "schema": "Company",
        "properties": {"name": ["Hetian Taida Apparel Co., Ltd."], "country": ["cn"]},
    }
    reference.write_text(json.dumps(entity) + "\n", encoding="utf-8")
    result = run("match", str(write_queries(tmp_path)), "--reference", str(reference))
    assert result.returncode == 0, result.stderr
    found = list(csv.DictReader(result.stdout.splitlines()))
    assert {r["query_id"] for r in found if r["band"] == "match"} == {"q1", "q2"}
    assert all(r["ref_id"] == "ftm-taida" for r in found)


def test_algorithms_prints_features_and_thresholds() -> None:
    result = script("algorithms")
    assert result.returncode == 0
    assert "threadline-match-5" in result.stdout
    assert "place_agree" in result.stdout and "number_conflict" in result.stdout


def test_worker_processes_write_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "_FORKED_QUERIES", 2)  # fork for a file this small
    monkeypatch.setattr(matching, "_FORKED_PART", 2)
    reference = tmp_path / "ref.csv"
    reference.write_text(
        "id,name,country\n"
        'r1,"Hetian Taida Apparel Co., Ltd.",CN\n'
        'r2,"Hotan Taida Textile Co., Ltd.",CN\n',
        encoding="utf-8",
    )
    queries = write_queries(tmp_path)
    written = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.csv"
        result = run(
            "match", str(queries), "-r", str(reference), "-o", str(out), "--workers", workers
        )
        assert result.returncode == 0, result.stderr
        written.append(out.read_text(encoding="utf-8"))
    assert written[0] == written[1]
    assert written[0].count("\n") > 3
