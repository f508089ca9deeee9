"""`threadline import documents` and `threadline documents`: the first of each through the console
script, the rest in-process."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from cli_run import Ran, script, threadline
from doc_factory import GOLDEN, make_pdf


def run(*args: str) -> Ran:
    return threadline(*args, env={"COLUMNS": "200"})  # tables are not wrapped mid-word


def test_import_then_list_and_show(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    scan, empty = tmp_path / "scan.pdf", tmp_path / "empty.txt"
    scan.write_bytes(make_pdf([]))
    empty.write_bytes(b"")
    nothing = script("import", "documents", str(scan), str(empty), "--db", db)
    assert nothing.returncode == 2
    assert nothing.stderr.splitlines() == [
        f"{scan}: PDF has no text layer (a scan?); run OCR on it first, then import the text",
        f"{empty}: empty file",
    ]

    done = run("import", "documents", str(GOLDEN), str(scan), "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    assert (counts["added"], counts["unchanged"], len(counts["failed"])) == (4, 0, 1)

    listed = script("documents", "list", "--db", db, "--json")
    documents = {d["title"]: d for d in json.loads(listed.stdout)}
    notice = documents["墨玉县职业技能教育培训中心被服采购项目成交公告"]
    assert notice["kind"] == "government" and notice["findings"] == 1

    shown = run("documents", "show", notice["id"][:8], "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert "成交供应商：和田华源纺织有限公司" in shown.stdout  # the text and the quote
    assert "camp_contract" in shown.stdout and "names resolved" in shown.stdout
    missing = run("documents", "show", "ffffffff", "--db", db)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1

    finding = json.loads(run("documents", "show", notice["id"], "--db", db, "--json").stdout)
    (first,) = finding["findings"]
    verdict = ("--verdict", "reject", "--user", "ana", "--comment", '=HYPERLINK("x")')
    reviewed = run("documents", "review", first["id"], *verdict, "--db", db)
    assert reviewed.returncode == 0, reviewed.stderr
    folder = tmp_path / "tables"
    assert run("export", "csv", "--out", str(folder), "--db", db).returncode == 0
    with open(folder / "finding_reviews.csv", encoding="utf-8", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert (row["finding_id"], row["verdict"], row["user_name"]) == (first["id"], "rejected", "ana")
    assert row["comment"].startswith("'=")  # safe to open in a spreadsheet
