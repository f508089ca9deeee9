"""Link exposure end to end: bills of lading and ownership imported into the store, then
`threadline screen` follows them — on SQLite and PostgreSQL, in-process."""

import json
from pathlib import Path
from typing import Any

from cli_run import threadline as run

LISTED = "Hoshine Silicon Industry (Shanshan) Co., Ltd."
# Goods flow Hoshine -> Lakeview -> Brightwater; Quarry Lane ships to Lakeview too, beside the
# listed shipper, which must not expose it.
BILLS = f"""\
bill_number,date,shipper,consignee,product,hs_code,country_of_origin
B-100,2024-03-01,"{LISTED}",Lakeview Example Silicon Trading Ltd,silicon metal,280469,CN
B-200,2024-04-01,Lakeview Example Silicon Trading Ltd,Brightwater Example Modules Inc,wafers,381800,CN
B-300,2024-04-02,Quarry Lane Example Quartz Co,Lakeview Example Silicon Trading Ltd,quartz sand,250510,US
"""
RELATIONS = f"""\
from,to,relation,share,start,end,source
Harbour Example Holdings Ltd,"{LISTED}",owns,51,2021-01-01,,https://example.org/annual-report-2023
Old Pier Example Holdings Ltd,"{LISTED}",owns,30,2019-01-01,2022-12-31,https://example.org/annual-report-2022
"""
WATCH_LIST = """\
id,name,date_listed,date_removed,source_url,source_title
watch-redstone,Redstone Example Cotton Co,2021-01-01,2023-06-30,https://example.org/notice-17,Notice 17
"""
# Shawan Facility #1 of the ASPI Xinjiang Data Project lies at 44.2437 N, 85.9587 E.
SUPPLIERS = """\
supplier,country,address,hs_code,latitude,longitude
Lakeview Example Silicon Trading Ltd,CN,,,,
Brightwater Example Modules Inc,US,,,,
Quarry Lane Example Quartz Co,US,,,,
Harbour Example Holdings Ltd,HK,,,,
Old Pier Example Holdings Ltd,HK,,,,
Jade River Example Garment Co,CN,和田市北京西路88号,,,
Summit Example Apparel Co,CN,,610910,,
Summit Example Apparel Co,VN,,610910,,
Dune Example Works Co,CN,,,44.2500,85.9600
Redstone Example Cotton Co,CN,,,,
"""


def screen(tmp_path: Path, db_url: str, *extra: str) -> dict[str, dict[str, Any]]:
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text(SUPPLIERS, encoding="utf-8")
    out = tmp_path / "out"
    done = run("screen", str(suppliers), "--db", db_url, "--out", str(out), "--quiet", *extra)
    assert done.returncode == 0, done.stderr
    rows = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    return {f"{row['input']['supplier']}/{row['input']['country']}": row["risk"] for row in rows}


def codes(risk: dict[str, Any]) -> set[str]:
    return {reason["code"] for reason in risk["reasons"]}


def link_reasons(risk: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in risk["reasons"] if r.get("paths")]


def test_screen_follows_imported_shipments_and_ownership(tmp_path: Path, db_url: str) -> None:
    bills, relations = tmp_path / "bills.csv", tmp_path / "relations.csv"
    bills.write_text(BILLS, encoding="utf-8")
    relations.write_text(RELATIONS, encoding="utf-8")
    watch = tmp_path / "watch.csv"
    watch.write_text(WATCH_LIST, encoding="utf-8")
    for kind, path, *options in (
        ("shipments", bills),
        ("relations", relations),
        ("lists", watch, "--list-name", "Buyer watch list"),
    ):
        done = run("import", kind, str(path), "--db", db_url, *options)
        assert done.returncode == 0, done.stderr

    risks = screen(tmp_path, db_url, "--as-of", "2025-06-30")
    method = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "5 stored relations (ownership, supply, shipments, sites) were followed up to 2" in method
    assert "within 5 km is high" in method
    # Sectors as designated by the as-of date: aluminum from 2024-07-09, steel only from 2025-08-19.
    sectors = method.split("<h3>Product sectors</h3>", 1)[1].split("</p>", 1)[0]
    assert "aluminum" in sectors and "steel" not in sectors

    direct = risks["Lakeview Example Silicon Trading Ltd/CN"]
    assert direct["tier"] == "high"
    [reason] = link_reasons(direct)
    assert "shipped by Hoshine Silicon Industry (Shanshan) Co., Ltd. Goods" in reason["text"]
    [path] = reason["paths"]
    [edge] = path["edges"]
    assert (edge["kind"], edge["from"]) == ("shipped_to", path["nodes"][0]["id"])
    assert [s["url"] for s in edge["sources"]] == ["bill:B-100"]

    indirect = risks["Brightwater Example Modules Inc/US"]
    assert indirect["tier"] == "elevated"
    [reason] = link_reasons(indirect)
    assert len(reason["paths"][0]["edges"]) == 2

    owner = risks["Harbour Example Holdings Ltd/HK"]
    assert owner["tier"] == "high"
    [reason] = link_reasons(owner)
    [edge] = reason["paths"][0]["edges"]
    assert (edge["kind"], edge["share"]) == ("owns", 51)
    assert edge["sources"][0]["url"] == "https://example.org/annual-report-2023"

    # A co-shipper to the same customer, and an owner whose stake ended before the as-of date.
    assert link_reasons(risks["Quarry Lane Example Quartz Co/US"]) == []
    assert link_reasons(risks["Old Pier Example Holdings Ltd/HK"]) == []

    # Places, documented facilities and product sectors.
    assert risks["Jade River Example Garment Co/CN"]["tier"] == "prohibited"
    assert "XUAR_LOCATION" in codes(risks["Jade River Example Garment Co/CN"])
    assert risks["Summit Example Apparel Co/CN"]["tier"] == "elevated"
    assert codes(risks["Summit Example Apparel Co/CN"]) == {"HIGH_PRIORITY_SECTOR"}
    assert risks["Summit Example Apparel Co/VN"]["reasons"] == []
    near = risks["Dune Example Works Co/CN"]
    assert near["tier"] == "high" and "NEAR_DETENTION_FACILITY" in codes(near)
    assert any("Shawan Facility #1" in reason["text"] for reason in near["reasons"])

    # A listing removed before the as-of date is shown, but flags nothing.
    assert risks["Redstone Example Cotton Co/CN"]["tier"] == "no signal found"
    assert codes(risks["Redstone Example Cotton Co/CN"]) == {"DELISTED"}

    # Before the stake ended, the old owner was exposed; --hops 0 turns links off.
    earlier = screen(tmp_path, db_url, "--as-of", "2022-06-30")
    assert earlier["Old Pier Example Holdings Ltd/HK"]["tier"] == "high"
    assert codes(earlier["Redstone Example Cotton Co/CN"]) == {"LISTED_USER_LIST"}
    unlinked = screen(tmp_path, db_url, "--as-of", "2025-06-30", "--hops", "0")
    assert all(link_reasons(risk) == [] for risk in unlinked.values())
    assert "were not followed in this run (--hops 0)" in (tmp_path / "out" / "report.html").read_text(
        encoding="utf-8"
    )
