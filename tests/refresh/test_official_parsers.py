"""Each official layout read from a small fixture written in that layout, with its quirks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from threadline.errors import InputError
from threadline.inputs.official import FileInput, ParsedFile, detect, read_official
from threadline.model import ListEffect, ReferenceEntity

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = dt.date(2026, 12, 2)


def _read(name: str, data: bytes | None = None, source: str | None = None) -> ParsedFile:
    item = FileInput(data if data is not None else (FIXTURES / name).read_bytes(), name, FETCHED)
    [parsed] = read_official([item], source)
    return parsed


def _by_name(parsed: ParsedFile, list_id: str | None = None) -> dict[str, ReferenceEntity]:
    lists = [p for p in parsed.lists if list_id is None or p.list.id == list_id]
    return {e.name: e for p in lists for e in p.entities}


def test_dhs_page_sections_aliases_former_names_and_scope() -> None:
    parsed = _read("uflpa_page.html")
    assert parsed.source == "dhs_uflpa_html" and parsed.file_date == dt.date(2026, 12, 1)
    entities = {e.name: e for e in parsed.lists[0].entities}
    # &nbsp; inside names and dates, a bracket that is part of the name, "and subsidiaries".
    assert "Baoding LYSZD Trade and Business Co., Ltd." in entities
    hoshine = entities["Hoshine Silicon Industry (Shanshan) Co., Ltd."]
    assert hoshine.listings[0].product_scope == "with subsidiaries"
    assert hoshine.listings[0].date_listed == dt.date(2022, 6, 21)
    # Three aliases separated by ';' and 'and'; the entity is in sections (i) and (v).
    daqo = entities["Xinjiang Daqo New Energy Co., Ltd."]
    assert daqo.aliases == (
        "Xinjiang Great New Energy Co., Ltd.",
        "Xinjiang Daxin Energy Co., Ltd.",
        "Xinjiang Daqin Energy Co., Ltd.",
    )
    assert {(lst.section, lst.date_listed) for lst in daqo.listings} == {
        ("2(d)(2)(B)(i)", dt.date(2022, 6, 21)),
        ("2(d)(2)(B)(v)", dt.date(2024, 11, 25)),
    }
    assert entities["Xinjiang Production and Construction Corps"].aliases == ("XPCC",)
    aksu = entities["Aksu Huafu Textiles Co., Ltd."]  # the "Entity Name" table
    assert aksu.aliases == ("Aksu Huafu Dyed Melange Yarn Co.",)
    assert "Former names" in aksu.notes and aksu.listings[0].section == "2(d)(2)(B)(ii)"
    assert entities["Thorntree Quartz Materials Co., Ltd."].aliases == ("Thorntree Silica",)
    assert "Ninestar Corporation" in entities
    assert all(lst.effect is ListEffect.UFLPA for e in entities.values() for lst in e.listings)
    assert all("dhs.gov" in lst.sources[0].url for e in entities.values() for lst in e.listings)


def test_dhs_page_without_an_entity_table_is_refused() -> None:
    page = b"<!DOCTYPE html><html><body><p>Access Denied</p><table><tr><td>x</td></tr></table></body></html>"
    with pytest.raises(InputError, match=r"page\.html: not a recognised layout: expected the DHS"):
        _read("page.html", page)


def test_dhs_bad_effective_date_names_the_table_and_row() -> None:
    page = (FIXTURES / "uflpa_page.html").read_bytes().replace(b"June 21, 2022", b"21.06.2022", 1)
    with pytest.raises(InputError, match=r"table 1 row 2: effective date '21.06.2022'"):
        _read("page.html", page)


def test_cbp_2026_layout_latin1_aka_chains_and_statuses() -> None:
    parsed = _read("cbp_wro_2026.csv")
    assert parsed.source == "cbp_wro_csv" and parsed.skipped == {"orders on other countries": 1}
    entities = _by_name(parsed)
    taida = entities["Hetian Taida Apparel Co., Ltd"]
    assert taida.aliases == ("Hetian TEDA Garment",)
    haolin = entities["Hetian Haolin Hair Accessories Co. Ltd."].listings[0]
    assert haolin.status == "Revoked" and haolin.date_removed == dt.date(2026, 6, 15)
    meixin = entities["Lop County Meixin Hair Product Co. Ltd."].listings[0]
    assert meixin.status == "Modified" and meixin.date_removed is None
    # Two firms in one cell; a vessel is kept apart (never screened as a company).
    assert "Yili Zhuowan Garment Manufacturing Co., Ltd." in entities
    assert entities["Zhen Fa 7"].schema == "Vessel"
    assert entities["Zhen Fa 7"].listings[0].date_removed == FETCHED
    assert "Top Glove Corporation Bhd." not in entities


def test_cbp_older_layout_with_date_and_modified_date() -> None:
    entities = _by_name(_read("cbp_wro_2024.csv"))
    haolin = entities["Hetian Haolin Hair Accessories Co. Ltd."].listings[0]
    assert haolin.date_listed == dt.date(2020, 5, 1) and haolin.date_removed == dt.date(2024, 3, 2)


def test_cbp_changed_layout_names_the_missing_column() -> None:
    data = (FIXTURES / "cbp_wro_2026.csv").read_bytes().replace(b"Status", b"State", 1)
    with pytest.raises(InputError, match=r"wro\.csv: not a recognised layout: .*'status'"):
        _read("wro.csv", data, source="cbp_wro_csv")


def test_cbp_truncated_row_is_refused() -> None:
    data = (FIXTURES / "cbp_wro_2026.csv").read_bytes().rsplit(b",", 6)[0]
    with pytest.raises(InputError, match="truncated file"):
        _read("wro.csv", data)


@pytest.mark.parametrize("name", ["csl.csv", "csl.json"])
def test_csl_keeps_bis_and_sdn_entities_and_leaves_out_persons(name: str) -> None:
    parsed = _read(name)
    assert parsed.skipped == {"persons": 1, "other lists of the CSL": 1, "vessels": 1}
    bis = _by_name(parsed, "bis_entity_list")
    meiling = bis["Changhong (Hefei) Meiling Appliance Co., Ltd."]  # the note is cut off the name
    assert meiling.aliases == ("Hefei Meiling Refrigeration", "Changhong Meiling Hefei")
    assert meiling.country == "CN"
    listing = meiling.listings[0]
    assert listing.effect is ListEffect.EXPORT_CONTROL and listing.date_listed == dt.date(
        2024, 3, 5
    )
    assert any("89 FR 12345" in s.excerpt for s in listing.sources)
    sdn = _by_name(parsed, "ofac_sdn")
    assert list(sdn) == ["Xinjiang Tianshan Regional Security Bureau"]
    bureau = sdn["Xinjiang Tianshan Regional Security Bureau"].listings[0]
    assert bureau.effect is ListEffect.SDN and bureau.program == "GLOMAG"


def test_csl_csv_and_json_agree() -> None:
    as_csv, as_json = _read("csl.csv"), _read("csl.json")
    for list_id in ("bis_entity_list", "ofac_sdn"):
        assert _by_name(as_csv, list_id).keys() == _by_name(as_json, list_id).keys()


def test_an_unknown_file_is_refused_naming_what_was_expected() -> None:
    with pytest.raises(InputError, match=r"notes\.txt: not a recognised official list file"):
        detect(FileInput(b"hello", "notes.txt", FETCHED))
    with pytest.raises(InputError, match="--source: 'nope'"):
        read_official([FileInput(b"x", "x.csv", FETCHED)], "nope")


def test_ofac_sdn_with_alt_and_add_read_together() -> None:
    items = [
        FileInput((FIXTURES / name).read_bytes(), name, FETCHED)
        for name in ("ALT.CSV", "SDN.CSV", "ADD.CSV")
    ]
    [parsed] = read_official(items)
    assert parsed.source == "ofac_sdn_csv" and parsed.skipped == {"persons": 1, "vessels": 1}
    entities = _by_name(parsed)
    bureau = entities["XINJIANG TIANSHAN REGIONAL SECURITY BUREAU"]
    assert bureau.aliases == ("TIANSHAN SECURITY BUREAU",) and bureau.country == "CN"
    assert bureau.listings[0].effect is ListEffect.SDN and bureau.listings[0].program == "GLOMAG"
    hefei = entities["HEFEI EXAMPLE TRADING CO., LTD."]  # "SDGT] [GLOMAG", an fka alias
    assert hefei.listings[0].program == "SDGT; GLOMAG"
    assert hefei.aliases == ("HEFEI DEMO IMPORT EXPORT CO., LTD.",)
    with pytest.raises(InputError, match=r"ALT\.CSV and ADD\.CSV need their SDN\.CSV"):
        read_official([items[0]])


def test_uk_fcdo_report_date_line_names_and_regime() -> None:
    parsed = _read("UK-Sanctions-List.csv")
    assert parsed.source == "uk_fcdo_csv" and parsed.file_date == dt.date(2026, 12, 1)
    [entity] = parsed.lists[0].entities
    assert entity.name == "Xinjiang Production and Construction Corps Public Security Bureau"
    assert set(entity.aliases) == {"XPCC PSB", "新疆生产建设兵团公安局"} and entity.country == "CN"
    assert entity.listings[0].date_listed == dt.date(2021, 3, 22)
    assert parsed.skipped == {"persons": 1}
    no_date = (FIXTURES / "UK-Sanctions-List.csv").read_bytes().split(b"\n", 1)[1]
    with pytest.raises(InputError):
        _read("uk.csv", no_date, source="uk_fcdo_csv")


def test_opensanctions_ftm_refreshes_the_list_its_dataset_is() -> None:
    parsed = _read("uflpa.ftm.json")
    [entry] = parsed.lists
    assert parsed.source == "opensanctions_ftm" and entry.list.id == "uflpa"
    [xpcc] = entry.entities
    assert "新疆生产建设兵团" in xpcc.aliases and xpcc.listings[0].date_listed == dt.date(
        2022, 6, 21
    )
    assert parsed.skipped == {"persons": 1}


def test_opensanctions_targets_simple_csv() -> None:
    parsed = _read("targets.simple.csv")
    [entry] = parsed.lists
    assert parsed.source == "opensanctions_simple_csv" and parsed.skipped == {"persons": 1}
    [aksu] = entry.entities
    assert aksu.aliases == ("Aksu Huafu Dyed Melange Yarn Co.",)
    assert aksu.listings[0].effect is ListEffect.UFLPA and aksu.country == "CN"
