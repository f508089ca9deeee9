"""`threadline data update` (through the console script) then `threadline screen` (in-process)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import script, threadline

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_csl_update_is_screened_against(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    updated = script("data", "update", "--from", str(FIXTURES / "csl.csv"), "--db", db)
    assert updated.returncode == 0, updated.stderr
    assert (
        "bis_entity_list: 2 added, 0 changed, 0 revoked or removed, 0 unchanged" in updated.stdout
    )
    assert "left out: 1 persons, 1 other lists of the CSL, 1 vessels" in updated.stdout
    assert "data version " in updated.stdout
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text(
        "supplier,country\nXinjiang Lianchuang Surveillance Technology Co.,CN\n"
        "Xinjiang Tianshan Regional Security Bureau,CN\nZHANG Wei,CN\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    screened = threadline("screen", str(suppliers), "--db", db, "--out", str(out), "-q")
    assert screened.returncode == 0, screened.stderr
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    tiers = [row["risk"]["tier"] for row in doc["results"]]
    # Only the CSL names Lianchuang (BIS: high); the GLOMAG entity is an SDN (prohibited).
    assert tiers[:2] == ["high", "prohibited"]
    assert tiers[2] != "prohibited"  # a person on the CSL is never screened
    assert doc["data_version"] == updated.stdout.split("data version ")[1].split()[0]
    sdn = next(d for d in doc["datasets"] if d["id"] == "ofac_sdn")
    assert sdn["rows"] == 1 and sdn["as_of"]
