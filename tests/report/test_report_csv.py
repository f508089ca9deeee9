from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadline.model import Evidence, InputRecord, Reason, RiskAssessment, ScreenedRow, Tier
from threadline.report import results_csv_rows, safe_cell, write_csv

# Spelled out here rather than imported, so the test checks the module against the spec.
DANGEROUS = set("=+-@\t\r") | {"\uff1d", "\uff0b", "\uff0d", "\uff20"}


def _starts_formula(text: str) -> bool:
    """True when a spreadsheet could read the cell as a formula, looking past leading spaces."""
    stripped = text.lstrip()
    leading = text[: len(text) - len(stripped)]
    return bool(DANGEROUS & set(leading)) or stripped[:1] in DANGEROUS


formula_like = st.builds(
    lambda pad, start, rest: pad + start + rest,
    st.text(alphabet=" \n\u3000\u00a0", max_size=3),
    st.sampled_from(sorted(DANGEROUS)),
    st.text(),
)
any_cell = st.one_of(st.text(), formula_like)


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("\u3000\uff1dSUM(A1)", "'\u3000\uff1dSUM(A1)"),
        ("Acme = Co", "Acme = Co"),
        ("合盛硅业", "合盛硅业"),
        ("", ""),
        ("   ", "   "),
    ],
)
def test_safe_cell_examples(value: str, expected: str) -> None:
    assert safe_cell(value) == expected


@given(any_cell)
def test_safe_cell_neutralises_exactly_the_formula_cells(value: str) -> None:
    out = safe_cell(value)
    assert not _starts_formula(out)
    if _starts_formula(value):
        assert out[0] == "'"
        assert out[1:] == value
    else:
        assert out == value


@given(name=any_cell, address=any_cell, country=any_cell)
def test_written_csv_reads_back_to_the_safe_cells(name: str, address: str, country: str) -> None:
    record = InputRecord(file="in.csv", row=2, name=name, address=address, country=country)
    rows = [ScreenedRow(record, (), RiskAssessment(Tier.NO_SIGNAL))]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "results.csv"
        write_csv(path, rows)
        read_back = _read(path)
    assert read_back == results_csv_rows(rows)
    line = dict(zip(read_back[0], read_back[1], strict=True))
    assert [line["name"], line["address"], line["country"]] == [
        safe_cell(name),
        safe_cell(address),
        safe_cell(country),
    ]


def test_one_line_per_row_with_top_match(tmp_path: Path, rows: list[ScreenedRow]) -> None:
    path = tmp_path / "results.csv"
    write_csv(path, rows)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    header, *lines = _read(path)
    # The input's own columns come first, as written, so results join back to the user's file.
    assert header == [
        "Supplier",
        "City",
        "Address",
        "file",
        "row",
        "name",
        "address",
        "country",
        "tier",
        "reasons",
        "reason_codes",
        "top_match_id",
        "top_match_name",
        "top_match_score",
        "top_match_band",
        "lists",
        "evidence_urls",
        "evidence",
        "explanation",
        "exposure_paths",
        "certifications_claimed",
    ]
    assert len(lines) == 4
    no_signal, elevated, prohibited, _ = (dict(zip(header, line, strict=True)) for line in lines)
    assert no_signal["tier"] == "no signal found"
    assert no_signal["top_match_id"] == no_signal["top_match_score"] == ""
    assert elevated["top_match_band"] == "review"
    assert prohibited["row"] == "4"
    assert prohibited["top_match_score"] == "0.9700"
    assert prohibited["Supplier"] == "Hoshine Silicon Shanshan"
    assert prohibited["City"] == ""
    assert prohibited["reasons"] == (
        "Confident match to an entity on the UFLPA Entity List, active at the as-of date."
    )
    assert prohibited["reason_codes"] == "uflpa_listed"
    assert prohibited["lists"] == (
        "UFLPA Entity List [uflpa-hoshine-silicon-industry-shanshan] listed 2022-06-21"
    )
    # The official source first, whatever order the reason cites them in.
    assert prohibited["evidence_urls"] == (
        "https://www.dhs.gov/uflpa-entity-list https://example.org/news/hoshine?x=1"
    )
    assert prohibited["evidence"].split("; ")[-1] == (
        "media, Example News, 2021-06-24: https://example.org/news/hoshine?x=1"
    )
    assert prohibited["explanation"].startswith("'Hoshine Silicon Shanshan' ~ ")
    assert "name_token_set=0.96" in prohibited["explanation"]


def test_hostile_name_is_neutralised(tmp_path: Path, rows: list[ScreenedRow]) -> None:
    path = tmp_path / "results.csv"
    write_csv(path, rows)
    table = _read(path)
    hostile = dict(zip(table[0], table[4], strict=True))
    assert hostile["name"] == "'" + rows[3].record.name
    assert hostile["address"] == "'+86 Road"
    assert hostile["lists"].endswith("removed 2024-01-01")
    # The explanation echoes the hostile name but starts with a quote of our own.
    assert not _starts_formula(hostile["explanation"])
    assert not any(_starts_formula(cell) for cell in table[4])


def test_one_reason_line_per_kind_and_the_first_urls_only(tmp_path: Path) -> None:
    """Three facilities near one county seat are one readable line, not the code three times."""
    reasons = tuple(
        Reason(
            "COUNTY_NEAR_DETENTION_FACILITY",
            Tier.ELEVATED,
            f"Near facility {n}.",
            evidence=(Evidence(f"https://example.org/f{n}", f"F{n}", None),),
        )
        for n in range(5)
    )
    record = InputRecord(file="in.csv", row=2, name="Acme", raw={"Vendor No.": "V1"})
    path = tmp_path / "results.csv"
    write_csv(path, [ScreenedRow(record, (), RiskAssessment(Tier.ELEVATED, reasons))])
    header, line = _read(path)
    cells = dict(zip(header, line, strict=True))
    assert cells["Vendor No."] == "V1"
    assert cells["reasons"] == "Near facility 0. (and 4 more of this kind)"
    assert cells["reason_codes"] == "COUNTY_NEAR_DETENTION_FACILITY"
    assert cells["evidence_urls"] == (
        "https://example.org/f0 https://example.org/f1 https://example.org/f2"
        " (+2 more in results.json)"
    )


def test_an_input_column_named_like_ours_is_kept_beside_it(tmp_path: Path) -> None:
    record = InputRecord(file="in.csv", row=2, name="Acme", raw={"name": "Acme", "tier": "A"})
    header, line = results_csv_rows([ScreenedRow(record, (), RiskAssessment(Tier.NO_SIGNAL))])
    cells = dict(zip(header, line, strict=True))
    assert (cells["name (input)"], cells["tier (input)"]) == ("Acme", "A")
    assert cells["tier"] == "no signal found"
