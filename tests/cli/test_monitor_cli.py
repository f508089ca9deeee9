"""The done-when scenario: screen, monitor, import a relation that touches one supplier, screen
again; and the one-line refusals of --compare-to. `screenings` and `monitor` run once each
through the console script, the rest in-process."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from cli_run import script
from cli_run import threadline as run

from threadline.store import Store
from threadline.store.screenings import Screenings

LINKS = (
    "from,to,relation,start,source,source_title,source_date\n"
    "uflpa-changji-esquel-textile,Northwind Example Textiles Ltd,supplies,2024-01-01,"
    "https://example.org/customs-record-1,Customs record 1,2025-03-01\n"
)


def test_a_relation_shows_one_changed_supplier_everywhere_and_the_monitor_alerts(
    tmp_path: Path, example_suppliers: Path
) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'db.sqlite'}"]
    shutil.copy(example_suppliers, tmp_path / "suppliers.csv")
    first = run("screen", "suppliers.csv", "--out", "o1", *db, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Rows keyed by name + country" in first.stdout
    listed = script("screenings", "--json", *db, cwd=tmp_path)
    (stored,) = json.loads(listed.stdout)
    assert (stored["origin"], stored["status"], stored["rows"]) == ("cli", "done", 12)
    with Store.open(db[1]) as store:  # the reports are kept with it, for the web app
        assert b"Forced-labour exposure screening" in (
            Screenings(store).report(stored["id"], "html") or b""
        )
    added = script("monitor", "add", stored["id"], *db, cwd=tmp_path)
    assert added.returncode == 0 and "monitor 1" in added.stdout

    (tmp_path / "links.csv").write_text(LINKS, encoding="utf-8")
    imported = run(
        "import", "relations", "links.csv", "--fail-on-change", "high", *db, cwd=tmp_path
    )
    assert imported.returncode == 1, imported.stderr
    alert = [line for line in imported.stderr.splitlines() if line.startswith("  raised")]
    assert len(alert) == 1 and "Northwind Example Textiles Ltd" in alert[0]
    assert "no signal found → high" in alert[0] and "Customs record 1" in alert[0]

    second = run("screen", "suppliers.csv", "--out", "o2", *db, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "1 raised, 11 unchanged" in second.stdout
    doc = json.loads((tmp_path / "o2" / "results.json").read_text(encoding="utf-8"))
    assert doc["changes"]["since"]["screening"] == stored["id"]
    moved = [r for r in doc["results"] if r["change"]["status"] != "unchanged"]
    assert [r["input"]["supplier"] for r in moved] == ["Northwind Example Textiles Ltd"]
    assert moved[0]["change"]["why"][0]["cause"] == "relations or documents"
    with (tmp_path / "o2" / "results.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [
        (r["name"], r["change"], r["previous_tier"]) for r in lines if r["change"] != "unchanged"
    ] == [("Northwind Example Textiles Ltd", "raised", "no signal found")]
    html = (tmp_path / "o2" / "report.html").read_text(encoding="utf-8")
    assert html.index("Changed since") < html.index('id="run"')
    assert "Customs record 1" in html

    shown = run("screenings", "show", stored["id"], *db, cwd=tmp_path)
    assert shown.returncode == 0 and stored["id"] in shown.stdout and "prohibited" in shown.stdout
    listed_monitors = run("monitor", "list", *db, cwd=tmp_path).stdout
    assert "monitor 1: suppliers.csv" in listed_monitors and "1 raised" in listed_monitors
    removed = run("monitor", "remove", "1", *db, cwd=tmp_path)
    assert removed.returncode == 0 and "monitor 1 removed" in removed.stdout

    missing = run(
        "screen", "suppliers.csv", "--compare-to", "nope", "--no-store", *db, cwd=tmp_path
    )
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    (tmp_path / "other.csv").write_text("supplier\nAcme\n", encoding="utf-8")
    other = run(
        "screen",
        "other.csv",
        "--compare-to",
        str(tmp_path / "o2" / "results.json"),
        *db,
        cwd=tmp_path,
    )
    assert other.returncode == 2 and "not 'other.csv'" in other.stderr
