"""HS codes and product words → UFLPA high-priority sectors (packaged rules/sectors.yaml)."""

from __future__ import annotations

import datetime as dt

import pytest

from threadline.data.exposure import load_sector_map
from threadline.exposure import SectorMap
from threadline.exposure.products import hs_digits

LATER = dt.date(2026, 1, 1)


def _sectors(hs_code: str = "", product: str = "", as_of: dt.date = LATER) -> list[str]:
    return [hit.sector.id for hit in load_sector_map().find(hs_code, product, as_of)]


@pytest.mark.parametrize(
    ("hs_code", "sector"),
    [
        ("6109.10.0012", "apparel"),
        ("520512", "cotton"),
        ("0702.00", "tomatoes"),
        ("2002.90", "tomatoes"),
        ("2103.20.40", "tomatoes"),
        ("2804.61", "polysilicon"),
        ("8541.43", "polysilicon"),
        ("7601.10", "aluminium"),
        ("3904.10", "pvc"),
        ("0306.17", "seafood"),
        ("1604.14", "seafood"),
        ("2815.12", "caustic_soda"),
        ("7403.11", "copper"),
        ("2836.91", "lithium"),
        ("7208.51", "steel"),
    ],
)
def test_hs_codes_map_to_their_sector(hs_code: str, sector: str) -> None:
    assert _sectors(hs_code) == [sector]


@pytest.mark.parametrize("hs_code", ["2103.90", "5101", "5007", "8541.10", "9403.60", "0810.90"])
def test_neighbouring_or_broad_codes_alone_are_no_sector(hs_code: str) -> None:
    assert _sectors(hs_code) == []


def test_a_broad_heading_counts_with_a_product_word() -> None:
    assert _sectors("0810.90", "fresh jujubes") == ["red_dates"]
    assert _sectors("0810.90", "lychees") == []
    assert _sectors("2827.39", "lithium chloride") == ["lithium"]


def test_an_hs_code_decides_alone_where_given() -> None:
    # The description says cotton, but the code says furniture: the code wins.
    assert _sectors("9403.60", "cotton cushions") == []


@pytest.mark.parametrize(
    ("product", "sectors"),
    [
        ("Cotton yarn 40s", ["cotton"]),
        ("纯棉T恤", ["cotton", "apparel"]),
        ("canned tomatoes", ["tomatoes"]),
        ("番茄酱 25kg", ["tomatoes"]),
        ("多晶硅料", ["polysilicon"]),
        ("PVC resin SG-5", ["pvc"]),
        ("聚氯乙烯树脂", ["pvc"]),
        ("frozen shrimp", ["seafood"]),
        ("海产品", ["seafood"]),
        ("红枣", ["red_dates"]),
        ("stainless steel bolts", ["steel"]),
    ],
)
def test_product_words_in_english_and_chinese(product: str, sectors: list[str]) -> None:
    assert _sectors(product=product) == sectors


@pytest.mark.parametrize("product", ["石棉板", "cottonwood furniture", "钢琴", "silicone sealant"])
def test_lookalike_words_are_not_the_sector(product: str) -> None:
    assert _sectors(product=product) == []


def test_sectors_count_from_their_designation_date() -> None:
    assert _sectors("7601") == ["aluminium"]
    assert _sectors("7601", as_of=dt.date(2024, 7, 8)) == []
    assert _sectors("7208", as_of=dt.date(2025, 8, 18)) == []
    assert _sectors("7208", as_of=dt.date(2025, 8, 19)) == ["steel"]


def test_every_sector_cites_a_dated_official_source() -> None:
    for sector in load_sector_map().sectors:
        assert sector.source.url.startswith("https://www.dhs.gov/")
        assert sector.source.date is not None and sector.source.date <= sector.designated


def test_hs_digits_and_a_malformed_prefix() -> None:
    assert hs_digits(" 6109.10-00 ") == "61091000"
    data = {
        "sources": {"s": {"url": "u", "title": "t", "date": "2022-06-17"}},
        "sectors": [
            {"id": "x", "label": "x", "designated": "2022-06-17", "source": "s", "hs": ["6"]}
        ],
    }
    with pytest.raises(ValueError, match="< 2 digits"):
        SectorMap.from_mapping(data)
