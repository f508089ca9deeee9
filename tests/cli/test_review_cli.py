"""`threadline review` and `threadline disposition`: each once through the console script."""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import script
from cli_run import threadline as run

BILLS = """\
Bill of Lading Number,Arrival Date,Shipper,Shipper Address,Consignee,Product Description
B1,2024-03-05,HETIAN TAIDA APPAREL CO LTD,"Hotan, Xinjiang",Example Imports LLC,cotton shirts
B2,2024-03-09,Hetian Taida Trading Co,Urumqi,Example Imports LLC,cotton fabric
"""


def test_candidate_links_from_an_import_are_listed_and_decided(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    bills = tmp_path / "bills.csv"
    bills.write_text(BILLS, encoding="utf-8")
    assert run("import", "shipments", str(bills), "--db", db).returncode == 0
    listed = script("review", "--db", db, "--json")
    assert listed.returncode == 0, listed.stderr
    queue = json.loads(listed.stdout)
    assert any(item["name"] == "Hetian Taida Trading Co" for item in queue), queue
    link = next(item for item in queue if item["name"] == "Hetian Taida Trading Co")
    decided = run(
        "review", "--db", db, "--link", link["id"], "--verdict", "not-same", "--user", "ana"
    )
    assert decided.returncode == 0, decided.stderr
    assert "not same (by ana)" in decided.stderr
    after = json.loads(run("review", "--db", db, "--json").stdout)
    assert link["id"] not in {item["id"] for item in after}


def test_disposition_files_a_document_and_refuses_a_name_match_flag(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    cert = tmp_path / "mill-cert.pdf"
    cert.write_bytes(b"%PDF-1.4 lot 77")
    done = script(
        "disposition",
        "Ningbo Example Cotton Weaving Co.",
        "high_priority_sector",
        "--decision",
        "cleared",
        "--comment",
        "Brazilian cotton",
        "--file",
        str(cert),
        "--description",
        "mill certificate",
        "--user",
        "ana",
        "--db",
        db,
    )
    assert done.returncode == 0, done.stderr
    assert "HIGH_PRIORITY_SECTOR for 'Ningbo Example Cotton Weaving Co.': cleared by ana" in (
        done.stderr
    )
    assert "filed mill-cert.pdf sha256" in done.stderr
    refused = run("disposition", "Hoshine", "LISTED_UFLPA", "--decision", "cleared", "--db", db)
    assert refused.returncode == 2 and "decide on the candidate" in refused.stderr
