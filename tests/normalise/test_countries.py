"""Country values → ISO 3166-1 alpha-2."""

from __future__ import annotations

import pytest

from threadline.data.countries import country_rows, country_table, normalise_country
from threadline.normalise.countries import CountryTable, country_key
from threadline.normalise.countries import normalise_country as normalise_with


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("China", "CN"),
        ("PRC", "CN"),
        ("P.R. China", "CN"),
        ("P.R.C.", "CN"),
        ("People's Republic of China", "CN"),
        ("PEOPLE’S REPUBLIC OF CHINA", "CN"),
        ("Mainland China", "CN"),
        ("China (Mainland)", "CN"),
        ("China (PRC)", "CN"),
        ("CHN", "CN"),
        ("CN", "CN"),
        ("cn", "CN"),
        (" China ", "CN"),
        ("中国", "CN"),
        ("中国大陆", "CN"),
        ("中华人民共和国", "CN"),
        ("中國", "CN"),
        ("Hong Kong", "HK"),
        ("HKSAR", "HK"),
        ("Hong Kong SAR, China", "HK"),
        ("香港", "HK"),
        ("Macau", "MO"),
        ("Taiwan", "TW"),
        ("台灣", "TW"),
        ("USA", "US"),
        ("United States", "US"),
        ("U.S.", "US"),
        ("United States of America", "US"),
        ("美国", "US"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("United Kingdom", "GB"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Kazakhstan", "KZ"),
        ("哈萨克斯坦", "KZ"),
        ("Kyrgyzstan", "KG"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("The Netherlands", "NL"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Russia", "RU"),
        ("Bangladesh", "BD"),
        ("孟加拉国", "BD"),
        ("Cambodia", "KH"),
        ("柬埔寨", "KH"),
        ("UAE", "AE"),
    ],
)
def test_contract(value: str, expected: str) -> None:
    assert normalise_country(value) == expected


@pytest.mark.parametrize("value", ["", "   ", "Atlantis", "XX", "Xinjiang", "Shanghai", "ZZZ", "-"])
def test_unknown_is_empty(value: str) -> None:
    assert normalise_country(value) == ""


def test_every_iso_code_maps_to_itself() -> None:
    rows = country_rows()
    assert len(rows) == 249
    for row in rows:
        assert normalise_country(row["alpha2"]) == row["alpha2"]
        assert normalise_country(row["alpha3"].lower()) == row["alpha2"]
        assert normalise_country(row["name"]) == row["alpha2"], row["name"]


def test_every_row_has_names_and_the_main_ones_chinese() -> None:
    table = country_table()
    assert all(c.name and len(c.alpha3) == 3 for c in table.countries.values())
    main = [
        "CN",
        "HK",
        "TW",
        "US",
        "GB",
        "DE",
        "FR",
        "IT",
        "JP",
        "KR",
        "VN",
        "BD",
        "KH",
        "IN",
        "PK",
        "TR",
        "KZ",
        "KG",
        "UZ",
        "RU",
        "MX",
        "BR",
        "CA",
        "AU",
    ]
    assert all(table.countries[code].names_zh for code in main)


def test_explicit_table() -> None:
    table = CountryTable.from_rows(
        [{"alpha2": "xa", "alpha3": "xaa", "name": "Examplia", "other_names": "Exland | Ex-Land"}]
    )
    assert normalise_with("EXLAND", table) == "XA"
    assert normalise_with("ex land", table) == "XA"
    assert normalise_with("China", table) == ""
    assert table.spellings() == {"Examplia": "XA", "Exland": "XA", "Ex-Land": "XA"}


def test_country_key() -> None:
    assert country_key("  P.R. China ") == "prchina"
    assert country_key("Ｃｈｉｎａ") == "china"
    assert country_key("The Gambia") == "gambia"
