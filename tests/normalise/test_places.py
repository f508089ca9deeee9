"""Places: resolving spellings, finding mentions, and the XUAR / TAR signals.

The golden table is the contract for `xuar_signal`: every false flag or miss fixed becomes a row.
"""

from __future__ import annotations

import itertools
import random
import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from threadline.data.geo import load_gazetteer
from threadline.errors import DataError
from threadline.normalise.place_rules import PlaceRules, latin_key
from threadline.normalise.places import Gazetteer

GAZ = load_gazetteer()

# (text, declared country, expected XUAR place id — the most specific one named — or None)
GOLDEN: list[tuple[str, str, str | None]] = [
    # (text, declared country, expected XUAR place id or None)
    ("新疆和田市北京西路8号", "", "adm-653201"),
    ("新疆维吾尔自治区和田地区墨玉县", "", "adm-653222"),
    ("和田地区墨玉县喀瓦克乡", "", "adm-653222"),
    ("喀什地区疏勒县南疆齐鲁工业园区", "", "adm-653122"),
    ("乌鲁木齐市高新区", "", "adm-650100"),
    ("石河子市", "", "adm-659001"),
    ("新疆生产建设兵团第一师阿拉尔市", "", "adm-659002"),
    ("新疆昌吉回族自治州玛纳斯县", "", "adm-652324"),
    ("阿克苏华孚色纺有限公司", "", "adm-652900"),
    ("莎车县鲁泰丰收棉业有限责任公司", "", "adm-653125"),
    ("库尔勒市经济技术开发区", "", "adm-652801"),
    ("吐鲁番市高昌区", "", "adm-650402"),
    ("新疆伊犁州伊宁市", "", "adm-654002"),
    ("烏魯木齊市天山區", "", "adm-650102"),
    ("乌鲁木齐市喀什东路", "", "adm-650100"),
    ("喀什地区深圳产业园", "", "adm-653100"),
    ("Hetian Taida Apparel Co., Ltd.", "", "adm-653200"),
    ("Moyu County, Hotan Prefecture", "", "adm-653222"),
    ("Wulumuqi Shi", "", "adm-650100"),
    ("Akesu", "", "adm-652900"),
    ("Qeshqer", "", "adm-653100"),
    ("Ürümchi", "", "adm-650100"),
    ("Xoten", "", "adm-653200"),
    ("Hotan", "", "adm-653200"),
    ("Kashgar", "", "adm-653100"),
    ("Urumqi", "", "adm-650100"),
    ("Aksu Prefecture", "", "adm-652900"),
    ("Korla", "CN", "adm-652801"),
    ("HOTAN, XINJIANG, CHINA", "", "adm-653200"),
    ("URUMQI ECONOMIC AND TECHNOLOGICAL DEVELOPMENT ZONE", "", "adm-650100"),
    ("Hotan,Xinjiang", "", "adm-653200"),
    ("Kashgar-Xinjiang", "", "adm-653100"),
    ("No. 5 Beijing Road, Urumqi, Xinjiang 830000", "", "adm-650100"),
    ("Shihezi City, Xinjiang", "", "adm-659001"),
    ("Xinjiang Production and Construction Corps", "", "adm-650000"),
    ("XPCC 8th Division, Shihezi", "", "adm-659001"),
    ("Yarkand County", "", "adm-653125"),
    ("Aksu, China", "", "adm-652900"),
    ("Aksu", "CN", "adm-652900"),
    ("Changji Hui Autonomous Prefecture", "", "adm-652300"),
    ("Ili Kazakh Autonomous Prefecture", "", "adm-654000"),
    ("Turpan", "", "adm-650400"),
    ("Kumul City", "", "adm-650500"),
    ("KARAMAY", "", "adm-650200"),
    ("Tumxuk", "", "adm-659003"),
    ("Wu Lu Mu Qi", "", "adm-650100"),
    ("Xinjiang Uyghur Autonomous Region", "", "adm-650000"),
    ("Sinkiang", "", "adm-650000"),
    ("URUMQI NORTH ROAD, URUMQI", "", "adm-650100"),
    ("Moyu Xian", "", "adm-653222"),
    ("Hotan, Kashgar Road 12", "", "adm-653200"),
    ("Lop County, Xinjiang", "", "adm-653224"),
    ("Shanshan County, Turpan", "", "adm-650421"),
    ("Shanshan, Turpan", "", "adm-650421"),  # a cautioned name vouched for by its prefecture
    ("Moyu, Hotan", "", "adm-653222"),
    ("Xinjiang Tianshan Wool Textile Co.", "", "adm-650000"),  # the brand, not the district
    ("Xin Jiang Zhong Tai Hua Gong You Xian Gong Si", "", "adm-650000"),
    ("A Ke Su Hua Fu", "", "adm-652900"),
    # negatives
    ("和田路, 上海市", "", None),
    ("Hetian Road, Shanghai", "", None),
    ("Hetian Lu, Jing'an District, Shanghai", "", None),
    ("Aksu, Turkey", "TR", None),
    ("Aksu", "TR", None),
    ("Aksu, Kazakhstan", "", None),
    ("Bay Street, Toronto", "", None),
    ("Hami Road Shanghai", "", None),
    ("Kashi Road", "", None),
    ("Toli, Lagos", "", None),
    ("上海市静安区乌鲁木齐北路", "", None),
    ("上海市黄浦区西藏中路", "", None),
    ("浙江省绍兴市柯桥区", "", None),
    ("江苏省苏州市吴江区盛泽镇", "", None),
    ("No. 88 Renmin Road, Suzhou, Jiangsu", "", None),
    ("Hotan Trading Co., Shanghai", "", None),
    ("Kashgar Textile (Shanghai) Co., Ltd.", "", None),
    ("拉萨市城关区北京中路", "", None),
    ("Lhasa, Tibet", "", None),
    ("Kurla West, Mumbai, India", "", None),
    ("Emin Aksu", "", None),
    ("Kashi Vishwanath Textiles, Varanasi", "", None),
    ("Altay Holding A.S., Istanbul", "", None),
    ("Manas Airport, Bishkek", "", None),
    ("Hotan", "US", None),
    ("Yili Industrial Group, Hohhot, Inner Mongolia", "", None),
    ("Shanshan Group, Ningbo", "", None),
    ("Yiwu, Zhejiang", "", None),
    ("和田玉珠宝店", "", None),
    ("哈密瓜批发", "", None),
    ("100% Cotton, made in Vietnam", "", None),
    ("Markit Ltd, London", "", None),
    ("比如说", "", None),
    ("Tianshan Road, Changning District, Shanghai", "", None),
    ("Xinjiang Road, Qingdao", "", None),
    ("新疆路, 青岛市", "", None),
    ("兰州市城关区", "", None),
    ("Moyu", "", None),
    ("深圳市宝安区西乡街道", "", None),
    ("Guangzhou, Guangdong, China", "", None),
    ("He Tian Fang Zhi You Xian Gong Si", "", None),  # two syllables: 合天 as likely as 和田
    ("Chang Ji Trading", "", None),
    ("Kashgar, Aksu", "KZ", None),
]


@pytest.mark.parametrize(("text", "country", "expected"), GOLDEN)
def test_xuar_golden_table(text: str, country: str, expected: str | None) -> None:
    signal = GAZ.xuar_signal(text, country)
    assert (signal.place.place.id if signal else None) == expected


def test_golden_table_is_large_and_balanced() -> None:
    positives = sum(1 for _, _, expected in GOLDEN if expected)
    assert len(GOLDEN) >= 60
    assert positives >= 30
    assert len(GOLDEN) - positives >= 30


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lhasa, Tibet", "adm-540100"),
        ("西藏日喀则市", "adm-540200"),
        ("Shigatse", "adm-540200"),
        ("Nyingchi Prefecture", "adm-540400"),
        ("Chamdo", "adm-540300"),
        ("Tibet Autonomous Region", "adm-540000"),
        ("Xizang", "adm-540000"),
        ("拉萨市城关区北京中路", "adm-540102"),
        ("Hotan", None),
        ("上海市黄浦区西藏中路", None),
        ("Tibet Road, Shanghai", None),
        ("Xizang Middle Road, Huangpu, Shanghai", None),
        ("Coal tar plant", None),
        ("TAR", None),
        ("兰州市城关区", None),
        ("Lhasa Apso Kennel, Ohio, USA", None),
    ],
)
def test_tibet_signal(text: str, expected: str | None) -> None:
    signal = GAZ.tibet_signal(text)
    assert (signal.place.place.id if signal else None) == expected


def test_tibetan_address_is_not_xuar() -> None:
    assert GAZ.xuar_signal("西藏自治区拉萨市城关区") is None
    assert GAZ.tibet_signal("西藏自治区拉萨市城关区") is not None


def test_cautioned_mentions_are_not_evidence_unless_vouched_for() -> None:
    signal = GAZ.xuar_signal("Xinjiang Tianshan Wool Textile Co.")
    assert signal is not None and [m.text for m in signal.mentions] == ["Xinjiang"]
    signal = GAZ.xuar_signal("Aksu, Xinjiang")  # foreign homonym resolved by the region
    assert signal is not None and [m.text for m in signal.mentions] == ["Aksu", "Xinjiang"]


def test_signal_carries_its_evidence() -> None:
    signal = GAZ.xuar_signal("新疆和田地区墨玉县")
    assert signal is not None
    assert signal.region == "XUAR"
    assert [m.text for m in signal.mentions] == ["新疆", "和田地区", "墨玉县"]
    assert "墨玉县" in signal.why and "XUAR" in signal.why


def test_declared_foreign_country_wins_even_over_xinjiang() -> None:
    assert GAZ.xuar_signal("Urumqi, Xinjiang", "KZ") is None
    assert GAZ.xuar_signal("Urumqi, Xinjiang", "cn") is not None


@pytest.mark.parametrize(
    ("spellings", "place_id"),
    [
        (["Hotan", "Hetian", "和田", "Khotan", "HOTAN", "hotan", "Xoten"], "adm-653200"),
        (["Kashgar", "Kashi", "Qeshqer", "喀什", "KASHGAR", "Kaxgar"], "adm-653100"),
        (
            ["Urumqi", "Wulumuqi", "Ürümqi", "Ürümchi", "乌鲁木齐", "烏魯木齊", "wu lu mu qi"],
            "adm-650100",
        ),
        (["Aksu", "Akesu", "Aqsu", "阿克苏", "阿克苏地区"], "adm-652900"),
        (["Xinjiang", "XUAR", "新疆", "新疆维吾尔自治区", "Sinkiang"], "adm-650000"),
        (["墨玉", "墨玉县", "Moyu", "Karakax", "Qaraqash"], "adm-653222"),
        (["昌吉", "昌吉回族自治州", "Changji"], "adm-652300"),
        (["Tibet", "Xizang", "西藏", "TAR"], "adm-540000"),
        (["Canton", "Guangzhou", "广州", "广州市"], "cn-440100"),
        (["Peking", "Beijing", "北京"], "cn-110000"),
        (["Amoy", "Xiamen"], "cn-350200"),
        (["Tientsin", "天津"], "cn-120000"),
        (["Soochow", "苏州市"], "cn-320500"),
        (["内蒙古", "Inner Mongolia", "Nei Mongol"], "cn-150000"),
        (["Hong Kong", "香港", "HKSAR"], "cn-810000"),
    ],
)
def test_resolve_every_spelling(spellings: list[str], place_id: str) -> None:
    assert {getattr(GAZ.resolve(s), "id", None) for s in spellings} == {place_id}


def test_hotan_prefecture_city_and_county_are_distinct_but_all_xuar() -> None:
    places = [GAZ.resolve(n) for n in ("和田地区", "和田市", "和田县")]
    assert [p.id for p in places if p] == ["adm-653200", "adm-653201", "adm-653221"]
    assert all(p is not None and p.region == "XUAR" for p in places)


def test_resolve_unknown() -> None:
    assert GAZ.resolve("Atlantis") is None
    assert GAZ.resolve("") is None
    assert GAZ.resolve("  ") is None


def test_place_attributes() -> None:
    moyu = GAZ.resolve("Moyu")
    assert moyu is not None
    assert (moyu.level, moyu.parent_id, moyu.province_id, moyu.region) == (
        "county",
        "adm-653200",
        "adm-650000",
        "XUAR",
    )
    assert "Karakash" in moyu.names and moyu.names[0] == "墨玉县"
    yiwu = GAZ.resolve("义乌")
    assert yiwu is not None and yiwu.region == "" and yiwu.province_id == "cn-330000"


def test_find_points_into_the_original_text() -> None:
    text = "Ürümqi, XINJIANG — 新疆维吾尔自治区和田地区"
    mentions = GAZ.find(text)
    assert [m.text for m in mentions] == ["Ürümqi", "XINJIANG", "新疆维吾尔自治区", "和田地区"]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_find_longest_reading_and_joined_forms() -> None:
    assert [m.text for m in GAZ.find("Xinjiang Uygur Autonomous Region")] == [
        "Xinjiang Uygur Autonomous Region"
    ]
    assert [m.place.id for m in GAZ.find("Hotan-Xinjiang")] == ["adm-653200", "adm-650000"]
    assert [m.place.id for m in GAZ.find("Hotan,Xinjiang")] == ["adm-653200", "adm-650000"]
    assert GAZ.find("HOTANXINJIANG") == []  # not required: no word boundary at all
    assert GAZ.find("Hotanese Kashgarian") == []  # whole words only


def test_find_marks_caution_and_qualification() -> None:
    (aksu,) = GAZ.find("Aksu")
    assert (aksu.ambiguous, aksu.caution, aksu.qualified) == (True, "foreign", False)
    (aksu_prefecture,) = GAZ.find("Aksu Prefecture")
    assert aksu_prefecture.qualified and aksu_prefecture.text == "Aksu"
    (moyu_county,) = GAZ.find("墨玉县")
    assert moyu_county.qualified and not moyu_county.ambiguous
    (hotan,) = GAZ.find("Hotan")
    assert {p.id for p in hotan.candidates} == {"adm-653200", "adm-653201", "adm-653221"}
    (baicheng,) = GAZ.find("Baicheng")
    assert baicheng.caution == "common"  # 拜城 (XUAR) and 白城 (Jilin) share the pinyin
    assert {p.region for p in baicheng.candidates} == {"XUAR", ""}


def test_streets_and_products_are_not_mentions() -> None:
    assert GAZ.find("和田路") == []
    assert GAZ.find("Kashi Rd.") == []
    assert GAZ.find("Wulumuqi Beilu") == []
    assert GAZ.find("和田玉") == []
    assert [m.text for m in GAZ.find("石河子市北一路")] == ["石河子市"]


def test_countries_named() -> None:
    assert GAZ.countries_named("Aksu, Kazakhstan") == {"KZ"}
    assert GAZ.countries_named("哈萨克斯坦阿拉木图") == {"KZ"}
    assert GAZ.countries_named("Urumqi, Xinjiang, China") == {"CN"}
    assert GAZ.countries_named("Inner Mongolia") == frozenset()  # the province, not Mongolia
    assert GAZ.countries_named("华美国际贸易") == frozenset()  # 美国 inside a word


def test_province_of() -> None:
    assert getattr(GAZ.province_of("No. 8 Renmin Road, Suzhou, Jiangsu"), "id", None) == "cn-320000"
    assert getattr(GAZ.province_of("深圳市宝安区"), "id", None) == "cn-440000"
    assert getattr(GAZ.province_of("拉萨市"), "id", None) == "adm-540000"
    assert GAZ.province_of("Hotan, Xinjiang") is None
    assert GAZ.province_of("Hami Road") is None


_LATIN_KEYS = sorted(
    (
        {latin_key(n) for p in GAZ.places.values() for n in p.names}
        | {latin_key(m) for ms in GAZ.rules.region_markers.values() for m in ms}
    )
    - {""}
)
_WORDS = [
    "Road",
    "Street",
    "No.",
    "Building",
    "Industrial",
    "Park",
    "Suite",
    "Floor",
    "London",
    "Toronto",
    "Lagos",
    "Istanbul",
    "Almaty",
    "Mumbai",
    "Hanoi",
    "Dhaka",
    "Textile",
    "Ltd",
    "Co.",
    "Trading",
    "Unit",
    "Block",
    "Avenue",
    "Zone",
    "Export",
    "Garment",
    "Cotton",
]


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=string.printable, max_size=80),
        st.lists(st.sampled_from(_WORDS), max_size=10).map(" ".join),
    )
)
def test_text_without_any_gazetteer_spelling_gives_no_signal(text: str) -> None:
    squashed = latin_key(text)
    assume(not any(key in squashed for key in _LATIN_KEYS))
    assert GAZ.find(text) == []
    assert GAZ.xuar_signal(text) is None
    assert GAZ.tibet_signal(text) is None


_LATIN_NAMES = sorted(
    {n for p in GAZ.places.values() for n in p.names if latin_key(n) and n.isascii()}
)


@given(st.sampled_from(_LATIN_NAMES), st.randoms(use_true_random=False))
def test_resolve_ignores_case(name: str, rnd: random.Random) -> None:
    variant = "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in name)
    assert GAZ.resolve(variant) == GAZ.resolve(name) is not None


def _rules() -> PlaceRules:
    return PlaceRules.from_mapping(
        {
            "zh_admin_suffixes": ["县", "地区"],
            "zh_street_words": ["路"],
            "latin_street_words": ["road"],
        }
    )


def test_from_rows_builds_a_small_gazetteer() -> None:
    rows = [
        {
            "id": "r",
            "level": "region",
            "name_zh": "新疆",
            "name_pinyin": "Xinjiang",
            "adcode": "650000",
        },
        {
            "id": "p",
            "level": "prefecture",
            "name_zh": "和田地区",
            "name_pinyin": "Hetian",
            "other_names": "Hotan | Khotan",
            "parent_id": "r",
            "adcode": "653200",
        },
    ]
    gaz = Gazetteer.from_rows(rows, [], rules=_rules())
    place = gaz.resolve("khotan")
    assert place is not None and place.id == "p" and place.province_id == "r"
    assert gaz.resolve("和田") == place
    assert [m.text for m in gaz.find("和田路 Hotan Road 和田")] == ["和田"]


@pytest.mark.parametrize(
    "rows",
    [
        [{"id": "a", "level": "region", "adcode": "650000"}, {"id": "a", "level": "county"}],
        [{"id": "a", "level": "county", "parent_id": "missing", "adcode": "653201"}],
        [{"id": "", "level": "region"}],
    ],
)
def test_from_rows_rejects_broken_rows(rows: list[dict[str, str]]) -> None:
    with pytest.raises(DataError):
        Gazetteer.from_rows(rows, [], rules=_rules())


@pytest.mark.parametrize(
    "mapping",
    [
        {"caution": []},
        {"zh_admin_suffixes": "县"},
        {"extra_names": ["x"]},
        {"short_name_letters": "4"},
    ],
)
def test_place_rules_reject_malformed_data(mapping: dict[str, object]) -> None:
    with pytest.raises(DataError):
        PlaceRules.from_mapping(mapping)
