"""Every entry of the glossary and the brand table, read in each of its scripts, gives what the
entry says: one concept (or, for a weak concept, none), or one brand token."""

from importlib import resources

import pytest
import yaml
from pypinyin import Style, lazy_pinyin

from threadline.data.vocab import load_normaliser


def _vocab(name: str) -> dict[str, dict[str, list[str] | bool]]:
    text = resources.files("threadline.data").joinpath(f"vocab/{name}").read_text("utf-8")
    data = yaml.safe_load(text)
    if "concepts" in data:
        return dict(data["concepts"])
    return {entry["en"][0]: entry for entry in data["brands"]}


GLOSSARY = _vocab("glossary.yaml")
BRANDS = _vocab("brands.yaml")


def _spellings(entry: dict[str, list[str] | bool]) -> list[str]:
    """The entry's English phrases, its Chinese terms and their pinyin, joined and spaced."""
    zh = [str(z) for z in entry.get("zh", ())]  # type: ignore[union-attr]
    pinyin = [lazy_pinyin(z, style=Style.NORMAL) for z in zh]
    return [
        *(str(e) for e in entry.get("en", ())),  # type: ignore[union-attr]
        *zh,
        *(" ".join(p) for p in pinyin if len(p) >= 2),
        *("".join(p).upper() for p in pinyin if len(p) >= 2),
    ]


def _first_reading() -> dict[str, str]:
    """Pinyin shared by terms of several concepts (食品 food, 饰品 accessories: shipin) reads as
    the concept listed first in the glossary; the letters cannot tell them apart."""
    first: dict[str, str] = {}
    for concept, entry in GLOSSARY.items():
        for term in entry.get("zh", ()):  # type: ignore[union-attr]
            first.setdefault("".join(lazy_pinyin(str(term), style=Style.NORMAL)), concept)
    return first


FIRST_READING = _first_reading()


@pytest.mark.parametrize("concept", sorted(GLOSSARY))
def test_each_concept_reads_as_itself_in_every_script(concept: str) -> None:
    n = load_normaliser()
    entry = GLOSSARY[concept]
    wrong = {}
    for spelling in _spellings(entry):
        reads_as = FIRST_READING.get(spelling.replace(" ", "").lower(), concept)
        weak = GLOSSARY[reads_as].get("weak")
        expected = frozenset() if weak else frozenset({reads_as})
        key = n.key(spelling)
        if (key.concepts, key.tokens) != (expected, ()):
            wrong[spelling] = (sorted(key.concepts), key.tokens)
    assert not wrong, f"{concept}: {wrong}"


@pytest.mark.parametrize("brand", sorted(BRANDS))
def test_each_brand_gives_one_token_in_every_script(brand: str) -> None:
    n = load_normaliser()
    keys = {s: n.key(s) for s in _spellings(BRANDS[brand])}
    found = {(k.tokens, k.concepts) for k in keys.values()}
    assert len(found) == 1, {s: k.tokens for s, k in keys.items()}
    [(tokens, concepts)] = found
    assert len(tokens) == 1 and not concepts


def test_a_brand_inside_a_name_leaves_the_rest_of_the_name_alone() -> None:
    n = load_normaliser()
    chinese = n.key("中糧糖業控股股份有限公司")
    english = n.key("COFCO Sugar Holding Co. Ltd.")
    assert chinese.tokens == english.tokens == ("cofco",)
    assert chinese.concepts == english.concepts == {"sugar", "holding"}


def test_a_weak_concept_is_read_but_not_kept() -> None:
    n = load_normaliser()
    short = n.key("新疆有色集团")
    full = n.key("Xinjiang Nonferrous Metals Industry Group Co., Ltd.")
    assert short.concepts == full.concepts == {"nonferrous", "group"}
    assert "industry" not in full.tokens


@pytest.mark.parametrize(
    ("name", "token"),
    [
        ("紫金矿业", "zijin"),  # 金矿 (gold mine) is not a term: it would split the brand 紫金
        ("Shanghai Jiaheng Daily Chemical Co., Ltd.", "jiaheng"),  # daily is no typo of dairy
        ("Xinjiang Tianshan Wool Tex Company", ""),  # TEX is textile, and Tianshan a place
    ],
)
def test_business_words_do_not_eat_brands(name: str, token: str) -> None:
    assert load_normaliser().key(name).distinctive == token
