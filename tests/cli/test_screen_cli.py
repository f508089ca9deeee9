"""`threadline screen`: the example screened once end to end through the console script; the
rest in-process."""

import csv
import json
from pathlib import Path

import pytest
from cli_run import Ran, script
from cli_run import threadline as run


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ran, Path]:
    work = tmp_path_factory.mktemp("screen")
    example = Path(__file__).resolve().parents[2] / "examples" / "suppliers.csv"
    result = script(
        "screen",
        str(example),
        "--out",
        str(work / "out"),
        "--db",
        f"sqlite:///{work / 'db.sqlite'}",
        "--as-of",
        "2026-01-01",
        cwd=work,
    )
    return result, work / "out"


def tiers(out: Path) -> dict[str, str]:
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {row["input"]["supplier"]: row["risk"]["tier"] for row in doc["results"]}


def test_screen_example_exits_zero_and_writes_three_reports(
    screened: tuple[Ran, Path],
) -> None:
    result, out = screened
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir()} >= {"results.json", "results.csv", "report.html"}
    assert "prohibited" in result.stdout


def test_listed_names_are_prohibited_with_sources(
    screened: tuple[Ran, Path],
) -> None:
    _, out = screened
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    rows = {row["input"]["supplier"]: row for row in doc["results"]}
    hoshine = rows["HOSHINE SILICON INDUSTRY (SHANSHAN) CO LTD"]
    assert hoshine["risk"]["tier"] == "prohibited"
    codes = {r["code"] for r in hoshine["risk"]["reasons"]}
    assert "LISTED_UFLPA" in codes
    evidence = [
        e
        for r in hoshine["risk"]["reasons"]
        if r["code"].startswith("LISTED")
        for e in r["evidence"]
    ]
    assert all(e["source_url"].startswith("http") for e in evidence)
    assert any(e["date"] for e in evidence)
    assert tiers(out)["新疆协鑫新能源材料科技有限公司"] == "prohibited"
    assert tiers(out)["Hangzhou Hikvision Digital Technology Co., Ltd."] == "high"


def test_xinjiang_addresses_in_both_scripts_are_prohibited(
    screened: tuple[Ran, Path],
) -> None:
    _, out = screened
    t = tiers(out)
    assert t["Tianchi Example Cotton Mill"] == "prohibited"
    assert t["Red Poplar Example Garments Co., Ltd."] == "prohibited"
    assert t["Snowline Example Wool Co."] == "elevated"


def test_fictional_suppliers_have_no_signal(
    screened: tuple[Ran, Path],
) -> None:
    _, out = screened
    t = tiers(out)
    for name in ("Northwind Example Textiles Ltd", "Aksu Example Tekstil A.S."):
        assert t[name] == "no signal found", name


def test_china_origin_apparel_is_elevated_for_its_sector_only(
    screened: tuple[Ran, Path],
) -> None:
    # Shanghai's 'Hetian Road' is a street, not Hotan: the sweaters' sector is the only signal.
    _, out = screened
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    (row,) = [
        r
        for r in doc["results"]
        if r["input"]["supplier"] == "Harbourline Example Knitting Co., Ltd."
    ]
    assert row["risk"]["tier"] == "elevated"
    assert [r["code"] for r in row["risk"]["reasons"]] == ["HIGH_PRIORITY_SECTOR"]


def test_metadata_names_versions_and_dates(
    screened: tuple[Ran, Path],
) -> None:
    _, out = screened
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert doc["as_of"] == "2026-01-01"
    assert len(doc["data_version"]) == 12
    assert doc["data_as_of"]["uflpa"] == "2026-08-03"
    assert doc["algorithm"].startswith("threadline-match-")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "no signal found" in html and "UFLPA Entity List" in html
    with open(out / "results.csv", encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 12


def test_as_of_before_listing_drops_the_listing(tmp_path: Path, example_suppliers: Path) -> None:
    result = run(
        "screen",
        str(example_suppliers),
        "--out",
        str(tmp_path / "out"),
        "--as-of",
        "2019-01-01",
        "--quiet",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    rows = {row["input"]["supplier"]: row for row in doc["results"]}
    # Daqo was listed in 2022 and Hikvision in October 2019: neither listing counts yet.
    daqo = rows["XINJIANG DAQO NEW ENERGY CO., LTD"]["risk"]
    assert "LISTED_UFLPA" not in {r["code"] for r in daqo["reasons"]}
    assert daqo["tier"] == "elevated"  # its name still names Xinjiang
    assert (
        rows["Hangzhou Hikvision Digital Technology Co., Ltd."]["risk"]["tier"] == "no signal found"
    )


def test_fail_on_sets_exit_one(tmp_path: Path, example_suppliers: Path) -> None:
    result = run(
        "screen",
        str(example_suppliers),
        "--out",
        str(tmp_path / "o"),
        "--fail-on",
        "prohibited",
        "--quiet",
        cwd=tmp_path,
    )
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text"),
        (b"colour,size\nred,9\n", "no name column"),
    ],
)
def test_bad_files_exit_two_with_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    result = run("screen", str(bad), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "bad.csv" in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_file_exits_two(tmp_path: Path) -> None:
    result = run("screen", str(tmp_path / "nope.csv"), cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.csv" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("option", "message"),
    [(("--hops", "-1"), "'--hops'"), (("--no-such-option",), "--no-such-option")],
)
def test_bad_options_exit_two_with_one_line(
    tmp_path: Path, example_suppliers: Path, option: tuple[str, ...], message: str
) -> None:
    result = run("screen", str(example_suppliers), *option, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
