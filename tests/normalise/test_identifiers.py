"""Unified Social Credit Code (GB 32100-2015) validation, normalisation and extraction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadline.normalise.identifiers import (
    USCC_ALPHABET,
    find_usccs,
    is_valid_uscc,
    normalise_uscc,
    uscc_check_char,
)

# Real codes as published on the companies' licences and widely reproduced in public text.
REAL = {
    "914403001922038216": "华为技术有限公司 (Huawei Technologies Co., Ltd.)",
    "9144030071526726XG": "腾讯科技（深圳）有限公司 (Tencent Technology (Shenzhen))",
    "91440300708461136T": "深圳市腾讯计算机系统有限公司 (Shenzhen Tencent Computer Systems)",
    "91110108551385082Q": "小米科技有限责任公司 (Xiaomi Inc.)",
}


@pytest.mark.parametrize("code", sorted(REAL))
def test_real_codes_are_valid(code: str) -> None:
    assert is_valid_uscc(code)
    assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038217",  # wrong check digit
        "914403001922038261",  # last two swapped
        "941403001922038216",  # first two swapped
        "91440300192203821",  # 17 characters
        "9144030019220382160",  # 19 characters
        "9144030O1922038216",  # letter O for zero
        "9144030019220382I6",  # letter I
        "914403001922038z16",  # lower case is not canonical
        "",
    ],
)
def test_mutations_fail(code: str) -> None:
    assert not is_valid_uscc(code)


@given(
    st.sampled_from(sorted(REAL)),
    st.integers(min_value=0, max_value=17),
    st.sampled_from(USCC_ALPHABET),
)
def test_any_single_substitution_is_caught(code: str, position: int, char: str) -> None:
    mutated = code[:position] + char + code[position + 1 :]
    assert is_valid_uscc(mutated) == (mutated == code)


@given(st.sampled_from(sorted(REAL)), st.integers(min_value=0, max_value=16))
def test_any_adjacent_transposition_is_caught(code: str, position: int) -> None:
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert is_valid_uscc(swapped) == (swapped == code)


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_check_char_completes_any_body(body: str) -> None:
    assert is_valid_uscc(body + uscc_check_char(body))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("914403001922038216", "914403001922038216"),
        (" 9144 0300 1922 0382 16 ", "914403001922038216"),
        ("914403-0019-2203-8216", "914403001922038216"),
        ("9144030071526726xg", "9144030071526726XG"),
        ("９１４４０３００１９２２０３８２１６", "914403001922038216"),  # full-width digits
        ("9144030O1922038216", None),  # O is never read as 0
        ("914403001922038217", None),
        ("not a code", None),
        ("", None),
    ],
)
def test_normalise_uscc(text: str, expected: str | None) -> None:
    assert normalise_uscc(text) == expected


def test_find_usccs_in_running_text() -> None:
    text = (
        "华为技术有限公司，统一社会信用代码：914403001922038216；"
        "另见 9144030071526726xg 与 914403001922038216（重复），"
        "无效：914403001922038217，嵌在更长串里：X914403001922038216"
    )
    assert find_usccs(text) == ["914403001922038216", "9144030071526726XG"]
    assert find_usccs("no codes here, 12345") == []


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_check_char_is_gb_32100s(body: str) -> None:
    """python-stdnum computes the check character; GB 32100's formula, written out, agrees."""
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    assert uscc_check_char(body) == USCC_ALPHABET[(31 - total % 31) % 31]


def test_a_code_that_begins_with_a_letter_is_valid() -> None:
    """Farmers' cooperatives are registered under N (农业); stdnum's own `is_valid` wants eight
    leading digits and would refuse them, so only its check character is used."""
    body = "N2652901MA775K0H3"  # registry N, type 2 (cooperative), Aksu (652901)
    assert is_valid_uscc(body + uscc_check_char(body))
    assert normalise_uscc(f"{body[:8].lower()} {body[8:]}{uscc_check_char(body)}") is not None
