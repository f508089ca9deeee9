"""Column guessing from English and Chinese headers, user overrides, and the vocabulary file."""

from __future__ import annotations

import pytest

from threadline.data.input_vocab import load_column_vocabulary
from threadline.errors import InputError
from threadline.inputs.columns import (
    NamedColumns,
    contains_phrase,
    guess_record_columns,
    header_key,
)

VOCABULARY = load_column_vocabulary().records
# Chinese headers use full-width brackets.
FULLWIDTH_OPEN, FULLWIDTH_CLOSE = "\uff08", "\uff09"


def guess(header: list[str], **overrides: str) -> dict[str, str | None]:
    columns = guess_record_columns(header, VOCABULARY, NamedColumns(**overrides), file="s.csv")
    return {
        "name": columns.name,
        "address": columns.address,
        "country": columns.country,
        "identifier": columns.identifier,
        "product": columns.product,
        "hs_code": columns.hs_code,
    }


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["Supplier Name", "Address", "Country of Origin", "USCC", "Product", "HS Code"],
            ["Supplier Name", "Address", "Country of Origin", "USCC", "Product", "HS Code"],
        ),
        (
            ["供应商名称", "详细地址", "原产国", "统一社会信用代码", "品名", "海关编码"],
            ["供应商名称", "详细地址", "原产国", "统一社会信用代码", "品名", "海关编码"],
        ),
        (
            ["VENDOR", "addr.", "Origin", "Reg. No.", "Description", "HTS"],
            ["VENDOR", "addr.", "Origin", "Reg. No.", "Description", "HTS"],
        ),
        (
            ["公司", "所在地", "国别", "信用代码", "产品", "商品编码"],
            ["公司", "所在地", "国别", "信用代码", "产品", "商品编码"],
        ),
    ],
)
def test_exact_headers(header: list[str], expected: list[str]) -> None:
    assert list(guess(header).values()) == expected


def test_words_inside_longer_headers_and_priority() -> None:
    header = [
        "Supplier No.",
        "Product Name",
        "Supplier Address",
        "Supplier Name (EN)",
        "Supplier Country",
        "Company Registration Number",
        "HS (6 digit)",
    ]
    assert guess(header) == {
        "name": "Supplier Name (EN)",
        "address": "Supplier Address",
        "country": "Supplier Country",
        "identifier": "Company Registration Number",
        "product": "Product Name",
        "hs_code": "HS (6 digit)",
    }


def test_chinese_words_inside_longer_headers() -> None:
    header = [
        "序号",
        "产品名称",
        "供应商地址",
        f"供应商名称{FULLWIDTH_OPEN}中文{FULLWIDTH_CLOSE}",
        "发货人联系人",
    ]
    found = guess(header)
    assert found["name"] == f"供应商名称{FULLWIDTH_OPEN}中文{FULLWIDTH_CLOSE}"
    assert found["address"] == "供应商地址"
    assert found["product"] == "产品名称"


def test_exact_match_beats_a_contained_word() -> None:
    assert guess(["Supplier ID", "Supplier"])["name"] == "Supplier"


def test_earlier_synonym_wins_among_exact_matches() -> None:
    assert guess(["Company", "Supplier Name"])["name"] == "Supplier Name"


def test_codes_contacts_and_consignees_are_not_names() -> None:
    with pytest.raises(InputError, match="no name column found"):
        guess(["Supplier Code", "Contact Name", "Consignee Name", "Email Address"])


def test_email_address_is_not_an_address() -> None:
    assert guess(["name", "Email Address"])["address"] is None


def test_original_name_is_not_a_country() -> None:
    found = guess(["Original Name", "Port of Loading"])
    assert found["name"] == "Original Name"
    assert found["country"] is None


def test_overrides_are_case_insensitive_and_win() -> None:
    found = guess(["Firma", "Ort", "name"], name_col="firma", address_col=" ORT ")
    assert found["name"] == "Firma"
    assert found["address"] == "Ort"


def test_override_naming_a_missing_column_lists_the_columns() -> None:
    with pytest.raises(InputError) as caught:
        guess(["Firma", "Ort"], country_col="Land")
    assert str(caught.value) == (
        "s.csv: column 'Land' given for --country-col is not in the file; columns are: Firma, Ort"
    )


def test_no_name_column_says_how_to_fix_it() -> None:
    with pytest.raises(InputError) as caught:
        guess(["Firma", "Ort"])
    assert str(caught.value) == (
        "s.csv: no name column found; columns are: Firma, Ort; use --name-col"
    )


def test_latin_words_must_be_whole_words() -> None:
    assert contains_phrase("HS code (6)", "hs")
    assert not contains_phrase("Shipper", "hs")
    assert contains_phrase(f"供应商名称{FULLWIDTH_OPEN}中文{FULLWIDTH_CLOSE}", "名称")
    assert contains_phrase("Supplier供应商", "supplier")


def test_header_key_ignores_case_width_and_punctuation() -> None:
    assert header_key("\uff33upplier_Name (EN)") == "suppliernameen"


@pytest.mark.parametrize("section", ["records", "reference"])
def test_packaged_exact_synonyms_belong_to_one_field(section: str) -> None:
    vocabulary = getattr(load_column_vocabulary(), section)
    owner: dict[str, str] = {}
    for field, synonyms in vocabulary.items():
        for synonym in synonyms.exact:
            key = header_key(synonym)
            assert owner.setdefault(key, field) == field, f"{synonym!r}: {owner[key]} and {field}"
