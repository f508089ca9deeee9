"""read_reference(listings=False), the reader `match --reference` uses: the entities the full
reader gives, less their listings and extra cells, the same matches, the same refusals."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from threadline.data.rules import load_algorithm
from threadline.data.vocab import load_normaliser
from threadline.errors import InputError
from threadline.inputs import read_reference
from threadline.matching import Matcher, Query

CODE = "91650100MA7ABCDE15"
LIST = (
    "id,name,kind,aliases,name_zh,country,address,identifiers,list,effect,date_added,"
    "date_removed,source_url,source_title,program,parent_id,sector,notes,extra col\n"
    f"T1,Hetian Taida Apparel Co. Ltd.,,Taida Garments; 泰达服饰,和田泰达服饰有限公司,CN,"
    f"Hotan,{CODE},BIS Entity List | CBP WRO,wro,2020-07,,https://a | https://b,"
    "A | B,XJ,,apparel,,kept\n"
    "T2,Xinjiang Huafu Fashion Co.,organisation,Huafu,新疆华孚时尚有限公司,China,,,,,2021,"
    "2023-05-01,,,,T1,textiles,a note,\n"
    "T3,Esquel Garment Manufacturing (Xinjiang),,,,P.R.C.,,,UFLPA Entity List,uflpa,,,,,,,,,\n"
    "T4,Camel Group Co Ltd,,,骆驼集团股份有限公司,Bangladesh,,,,,,,,,,,,,\n"
    "T5,Hong Kong Taida Trading Limited,,,香港泰达贸易有限公司,HKSAR,,123 | 456,,sdn,,,,,,,,,\n"
    ",Dongguan Oasis Shoes Co,,,,Atlantis,,,,,,,,Title only,,,,,\n"
)
QUERIES = [
    Query("HOTAN TAIDA GARMENT CO LTD"),
    Query("和田泰达服饰有限公司", "CN"),
    Query("Xinjiang Huafu Fashion", "CN"),
    Query("ESQUEL GARMENT MFG XINJIANG"),
    Query("Camel Group", "BD"),
    Query("Hong Kong Taida Trading", "HK"),
    Query("Dongguan Oasis Shoes"),
    Query("Unrelated Name Ltd", identifier=CODE),
]


def written(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_entities_of_the_full_reader_without_listings(tmp_path: Path) -> None:
    path = written(tmp_path, LIST)
    full = read_reference(path)
    assert all(entity.listings for entity in full)  # the fixture has what is left out
    assert read_reference(path, listings=False) == [
        replace(entity, listings=(), extra=()) for entity in full
    ]


def test_the_same_matches(tmp_path: Path) -> None:
    path = written(tmp_path, LIST)
    algorithm, normaliser = load_algorithm(), load_normaliser()

    def found(listings: bool) -> list[list[tuple[str, float, str, str]]]:
        matcher = Matcher(read_reference(path, listings=listings), normaliser, algorithm)
        return [
            [(r.entity.id, r.score, r.band.value, r.explanation.summary()) for r in results]
            for results in matcher.match(QUERIES)
        ]

    full = found(True)
    assert found(False) == full
    assert sum(bool(rows) for rows in full) >= 6  # most queries find their entity
    assert {rows[0][0] for rows in full if rows} >= {"T1", "T2", "T3", "T4", "T5"}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("id,name\nA1,Acme\nA2,\n", "row 3: column 'name': name is empty"),
        ("id,name\nA1,Acme\nA1,Beta\n", "duplicate id 'A1' in rows 2 and 3"),
        ("name\nAcme\nAcme\n", "(same name, no id column)"),
        ("name,kind\nA,Company\nB,Vessel\n", "row 3: column 'kind': kind 'Vessel'"),
        ("name,effect\nA,sdn\nB,banned\n", "row 3: column 'effect': effect 'banned'"),
        ("name,date_added\nA,2020\nB,2020-13-01\n", "date '2020-13-01' is not YYYY-MM-DD"),
        ("name,date_removed\nA,soon\n", "date 'soon' is not YYYY-MM-DD"),
        ("name,source_url,source_title\nA,https://a | https://b,T\n", "has 1 titles for 2"),
        ("title,country\nAcme,CN\n", "no name column found"),
    ],
)
def test_the_same_refusals(tmp_path: Path, text: str, said: str) -> None:
    path = written(tmp_path, text)
    with pytest.raises(InputError) as full:
        read_reference(path)
    with pytest.raises(InputError) as lean:
        read_reference(path, listings=False)
    assert str(lean.value) == str(full.value)
    assert said in str(lean.value) and str(path) in str(lean.value)


@pytest.mark.parametrize(
    "text",
    [
        "id,name,country\nA1,Acme,CN\n,,\nA2,Beta,China\n",  # a blank row, skipped
        "Our suppliers list\nid,name,aliases\nA1,Acme,Acme Ltd\nA2,Beta\n",  # title, short row
        'id,name\nA1,"Acme, Ltd."\nA2,"Beta\nTextile"\nA3, Gamma \u00a0\n',  # quoted, spaces
        "name,kind,date_added\nAcme,organisation,2020-07\n,,\n",  # checked cells that pass
    ],
)
def test_tables_the_full_reader_accepts_read_alike(tmp_path: Path, text: str) -> None:
    path = written(tmp_path, text)
    full = read_reference(path)
    assert read_reference(path, listings=False) == [
        replace(entity, listings=(), extra=()) for entity in full
    ]
