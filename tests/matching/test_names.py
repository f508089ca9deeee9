import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadline.data.vocab import load_normaliser
from threadline.normalise import names as names_module


def test_same_company_in_three_scripts_gives_one_key() -> None:
    n = load_normaliser()
    keys = [
        n.key(x)
        for x in (
            "Hetian Taida Apparel Co., Ltd.",
            "和田泰达服饰有限公司",
            "HETIAN TAIDA FUSHI YOUXIAN GONGSI",
            "He Tian Tai Da Fu Shi",
        )
    ]
    assert {k.distinctive for k in keys} == {"taida"}
    assert {k.concepts for k in keys} == {frozenset({"apparel"})}
    assert len({k.places for k in keys}) == 1


def test_legal_form_is_a_feature_not_part_of_the_name() -> None:
    n = load_normaliser()
    key = n.key("Zhejiang Hepolilo Socks Co., Ltd.")
    assert "hepolilo" in key.tokens
    assert key.legal_forms == {"company_limited"}
    assert n.key("浙江某某有限公司").legal_forms == {"company_limited"}


def test_joined_pinyin_is_segmented() -> None:
    n = load_normaliser()
    assert n.key("HETIANTAIDA").distinctive == n.key("He Tian Tai Da").distinctive


@pytest.mark.parametrize(
    ("joined", "syllables"),
    [
        ("zhiyejineng", ("zhi", "ye", "ji", "neng")),  # not jin'eng: that needs an apostrophe
        ("lvsenengyuan", ("lv", "se", "neng", "yuan")),
        ("xian", ("xian",)),  # fewest syllables first: xi'an needs an apostrophe too
        ("hetiantaida", ("he", "tian", "tai", "da")),
    ],
)
def test_joined_pinyin_reads_as_pinyin_orthography_would(
    joined: str, syllables: tuple[str, ...]
) -> None:
    assert load_normaliser()._atomizer.segment(joined) == syllables


def test_a_place_joined_into_one_syllable_is_not_that_place() -> None:
    # 吉安 (Ji'an) joined is "jian", which is also 建, 健, 剑...; 晶澳 joined still reads as JA.
    n = load_normaliser()
    assert n.key("Jian Textile").places == frozenset()
    assert n.key("JINGAO").tokens == n.key("晶澳").tokens


@pytest.mark.parametrize(
    ("spellings", "distinctive", "concepts"),
    [
        # Business words in pinyin read across a word boundary (FU WU = 服务) before the fix.
        (("Wuhan Fufu Wuliu Youxian Gongsi", "武汉孚福物流有限公司"), "fufu", {"logistics"}),
        (("Shandong Xinxin Shipin Corporation", "山东信信食品股份有限公司"), "xinxin", {"food"}),
        (("Zhengzhou Yinxingfu Xinnengyuan", "郑州银星孚新能源"), "yinxingfu", {"new_energy"}),
        # A place inside the brand syllables (XIN 江孜 JIN) is not read when the name starts
        # with a place.
        (("Xin Jiang Zi Jin Xin Ye", "新疆紫金锌业有限公司"), "zijin", {"zinc"}),
        (
            ("Zhejiang Dahua Technology Co.", "Dahua Technology (Zhejiang) Co."),
            "dahua",
            {"technology"},
        ),
    ],
)
def test_pinyin_runs_are_cut_as_a_registered_name_is_built(
    spellings: tuple[str, ...], distinctive: str, concepts: set[str]
) -> None:
    n = load_normaliser()
    keys = [n.key(s) for s in spellings]
    assert {k.distinctive for k in keys} == {distinctive}
    assert {k.concepts for k in keys} == {frozenset(concepts)}
    assert len({k.places for k in keys}) == 1


def test_places_with_an_apostrophe_or_an_ethnic_designation_are_read() -> None:
    n = load_normaliser()
    assert n.key("Xi'an Jingfu Tomato Products Co., Ltd.").places == n.key("西安晶孚").places
    assert n.key("Xi'an Jingfu").distinctive == "jingfu"
    assert n.key("内蒙古通万新能源有限公司").places == n.key("Inner Mongolia Tongwan").places
    assert n.key("内蒙古通万新能源有限公司").distinctive == "tongwan"


@pytest.mark.parametrize(
    ("cut", "whole"),
    [
        ("CHANGZHOU CHENJIAXIANG SHOES CO LTD C", "Changzhou Chenjiaxiang Shoes Co., Ltd."),
        ("JIANGXI XINGHONG MINING IMPORT AND A", "Jiangxi Xinghong Mining Import and Export"),
        ("SI CHUAN JING WEI DA KE JI YOU XIAN GONG SI", "Sichuan Jingweida Technology Co Ltd"),
    ],
)
def test_a_manifest_cut_leaves_no_stray_letters(cut: str, whole: str) -> None:
    n = load_normaliser()
    assert n.key(cut).tokens == n.key(whole).tokens


def test_an_english_word_cut_at_the_field_width_is_completed_even_if_it_spells_pinyin() -> None:
    n = load_normaliser()
    assert n.key("XINJIANG ZIJIN ZINC INDUSTRY LIMITE").legal_forms
    assert n.key("XINJIANG KU ERLE ZHONGHENG NEW ENER").concepts == {"new_energy"}
    assert n.key("XINJIANG BO ERTALA JINGYONG CHEMICA").tokens == ("jingyong",)


def test_a_place_not_spelled_in_pinyin_run_into_the_pinyin_after_it_is_read() -> None:
    n = load_normaliser()
    joined = n.key("HOHHOTXINJIAKUANGYEYOUXIANGONGSI")
    spaced = n.key("Hohhot Xinjia Mining Co., Ltd.")
    assert (joined.tokens, joined.concepts, joined.places) == (
        spaced.tokens,
        spaced.concepts,
        spaced.places,
    )
    assert n.key("Hepolilo Socks").tokens == ("hepolilo",)  # no place in it: one word


def test_a_transposed_typo_is_mended() -> None:
    n = load_normaliser()
    assert n.key("SHENGHONG GRUOP").concepts == {"group"}


def test_traditional_and_simplified_agree() -> None:
    n = load_normaliser()
    traditional, simplified = (
        n.key("四川經緯達科技集團有限公司"),
        n.key("四川经纬达科技集团有限公司"),
    )
    assert (
        traditional.tokens,
        traditional.concepts,
        traditional.places,
        traditional.legal_forms,
    ) == (
        simplified.tokens,
        simplified.concepts,
        simplified.places,
        simplified.legal_forms,
    )


@given(st.text(max_size=60))
def test_key_never_fails_and_is_deterministic(text: str) -> None:
    n = load_normaliser()
    assert n.key(text) == n.key(text)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,&()-", max_size=40))
def test_case_and_spacing_do_not_change_the_distinctive_part(text: str) -> None:
    n = load_normaliser()
    assert n.key(text.upper()).distinctive == n.key(text.lower()).distinctive


def test_cache_turnover_keeps_keys_right(monkeypatch: pytest.MonkeyPatch) -> None:
    # Word caches make the second reading of a word cheap; they must not change a key.
    n = load_normaliser()
    monkeypatch.setattr(names_module, "_CACHE_LIMIT", 2)
    batch = [
        "HOTAN TAIDA GARMENT CO LTD",
        "Hotan Taida Garment Co., Ltd.",
        "和田泰达服饰有限公司",
        "XINJIANG TEXTI",
        "Xinjiang Chemicsl Co",
    ]
    first = [n.key(x) for x in batch]
    again = [n.key(x) for x in reversed(batch)][::-1]
    assert first == again == [n.compute(x) for x in batch]
    assert n.key("Xinjiang Chemicsl Co").concepts == n.key("Xinjiang Chemical Co").concepts
