"""Business words as written in Chinese: 服饰 and 服装 are one concept and two registered names."""

import pytest

from threadline.data.rules import load_algorithm
from threadline.data.vocab import load_normaliser
from threadline.matching import Matcher, Query
from threadline.model import Band, ReferenceEntity


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("和田泰达服饰有限公司", "fushi"),
        ("HETIANTAIDAFUSHIYOUXIANGONGSI", "fushi"),
        ("Hetian Taida Fuzhuang Shiye Youxian Gongsi", "fuzhuang shiye"),
        # Read from English, the Chinese is not known: Apparel renders 服饰 and 服装 alike.
        ("Hetian Taida Apparel Co., Ltd.", ""),
        ("Hetian Taida Fushi Industrial Co., Ltd.", ""),
    ],
)
def test_business_words_are_kept_as_written_only_when_read_from_chinese(
    name: str, written: str
) -> None:
    key = load_normaliser().key(name)
    assert key.concepts == {"apparel"}
    assert key.trade_words == written


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    entity = ReferenceEntity(
        id="T",
        schema="Company",
        name="Hetian Taida Apparel Co., Ltd.",
        names_zh=("和田泰达服饰有限公司",),
    )
    return Matcher([entity], load_normaliser(), load_algorithm())


@pytest.mark.parametrize(
    ("query", "band"),
    [
        ("和田泰达服饰有限公司", Band.MATCH),
        ("Hetian Taida Fushi Youxian Gongsi", Band.MATCH),
        ("HOTAN TAIDA GARMENT CO LTD", Band.MATCH),
        # The entity's English name says Apparel, its Chinese name 服饰: a query written 服装
        # is another registration, whichever of the entity's names it is compared with.
        ("和田泰达服装有限公司", Band.REVIEW),
        ("HETIANTAIDAFUZHUANGYOUXIANGONGSI", Band.REVIEW),
        ("和田泰达服饰实业有限公司", Band.REVIEW),
    ],
)
def test_an_entitys_chinese_name_decides_for_all_its_names(
    matcher: Matcher, query: str, band: Band
) -> None:
    [results] = matcher.match([Query(query)], floor=0.0)
    assert results and results[0].band is band, results and results[0].explanation.summary()
