"""`threadline import`, `export` and `entity` on SQLite and PostgreSQL: the first of each through
the console script, the rest in-process."""

import csv
import json
from pathlib import Path

from cli_run import script
from cli_run import threadline as run
from ftm_validation import ftm_problems

BILLS = """\
提单号,日期,发货人,收货人,品名,海关编码,原产国
C1,2024-05-01,和田泰达服饰有限公司,Example Imports LLC,棉衬衫,620520,中国
C2,2024-05-02,Northwind Textile Co,Example Imports LLC,denim,520942,CN
C3,2024-05-03,,Example Imports LLC,denim,520942,CN
"""


def test_import_twice_then_export_and_show(tmp_path: Path, db_url: str) -> None:
    bills = tmp_path / "bills.csv"
    bills.write_text(BILLS, encoding="utf-8")
    first = script("import", "shipments", str(bills), "--db", db_url, "--json")
    assert first.returncode == 0, first.stderr
    counts = json.loads(first.stdout)
    assert (counts["added"], counts["unchanged"], counts["rejected"]) == (2, 0, 1)
    with open(counts["rejects_file"], encoding="utf-8", newline="") as handle:
        [rejected] = list(csv.DictReader(handle))
    assert rejected["row"] == "4" and rejected["column"] == "发货人" and rejected["提单号"] == "C3"

    second = run("import", "shipments", str(bills), "--db", db_url)
    assert second.returncode == 0, second.stderr
    assert "added 0, changed 0, unchanged 2, rejected 1" in second.stdout

    out = tmp_path / "export.jsonl"
    exported = script("export", "ftm", "--out", str(out), "--db", db_url)
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert ftm_problems(records) == []
    trades = [r for r in records if r["schema"] == "EconomicActivity"]
    assert sorted(t["properties"]["recordId"][0] for t in trades) == ["C1", "C2"]
    taida = next(t for t in trades if t["properties"]["recordId"] == ["C1"])
    shipper = taida["properties"]["sender"][0]

    shown = script("entity", shipper, "--db", db_url, "--json")
    assert shown.returncode == 0, shown.stderr
    entity = json.loads(shown.stdout)
    assert any(lst["effect"] == "wro" for lst in entity["listings"])
    [bill] = [r for r in entity["relations"] if r["kind"] == "shipped_to"]
    assert bill["sources"][0]["url"] == "bill:C1" and bill["sources"][0]["excerpt"] == "棉衬衫"

    table = run("entity", shipper, "--db", db_url)
    assert table.returncode == 0 and "shipped_to" in table.stdout

    folder = tmp_path / "csv"
    assert run("export", "csv", "--out", str(folder), "--db", db_url).returncode == 0
    with open(folder / "shipments.csv", encoding="utf-8", newline="") as handle:
        assert sorted(r["bill_number"] for r in csv.DictReader(handle)) == ["C1", "C2"]
    # The bills are links too: relations.csv once came out empty beside them.
    with open(folder / "relations.csv", encoding="utf-8", newline="") as handle:
        links = list(csv.DictReader(handle))
    assert sorted(r["source_urls"] for r in links if r["kind"] == "shipped_to") == [
        "bill:C1",
        "bill:C2",
    ]


def test_a_bad_file_is_one_line_and_exit_2(tmp_path: Path, db_url: str) -> None:
    bills = tmp_path / "bills.csv"
    bills.write_text("Bill of Lading,Shipper\nB1,Foo\n", encoding="utf-8")
    result = run("import", "shipments", str(bills), "--db", db_url)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no consignee_name column" in result.stderr
    missing = run("entity", "qqqqzzzz", "--db", db_url)
    assert missing.returncode == 2 and "no entity with id or name like" in missing.stderr
    relations = tmp_path / "rel.csv"
    relations.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("import", "relations", str(relations), "--db", db_url)
    assert result.returncode == 2 and "no from, to, relation column" in result.stderr
