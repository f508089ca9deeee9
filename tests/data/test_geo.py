"""The packaged geography files load, hang together and resolve."""

from __future__ import annotations

import re

from threadline.data.geo import (
    china_admin_rows,
    facility_rows,
    gazetteer_rows,
    load_gazetteer,
    place_rules,
)


def test_row_counts() -> None:
    assert len(gazetteer_rows()) == 207
    assert len(facility_rows()) == 490
    assert len(china_admin_rows()) >= 150


def test_rows_are_fresh_copies() -> None:
    rows = gazetteer_rows()
    rows[0]["name_zh"] = "changed"
    assert gazetteer_rows()[0]["name_zh"] != "changed"


def test_load_gazetteer_is_built_once() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_every_parent_exists_and_every_place_has_a_province() -> None:
    gaz = load_gazetteer()
    rows = gazetteer_rows() + china_admin_rows()
    assert len(gaz.places) == len(rows)
    for row in rows:
        place = gaz.places[row["id"]]
        assert not row["parent_id"] or row["parent_id"] in gaz.places
        assert gaz.places[place.province_id].is_provincial


def test_every_row_resolves_by_its_chinese_and_pinyin_name() -> None:
    gaz = load_gazetteer()
    for row in gazetteer_rows() + china_admin_rows():
        by_zh = gaz.resolve(row["name_zh"])
        assert by_zh is not None and by_zh.id == row["id"], row["name_zh"]
        if row["name_pinyin"]:
            by_pinyin = gaz.resolve(row["name_pinyin"])
            # A shared pinyin (伊宁市/伊宁县: Yining) resolves to one of the places bearing it.
            assert by_pinyin is not None and row["name_pinyin"] in by_pinyin.names, row["id"]


def test_regions_follow_the_division_codes() -> None:
    gaz = load_gazetteer()
    for place in gaz.places.values():
        expected = {"65": "XUAR", "54": "TIBET"}.get(place.adcode[:2], "")
        assert place.region == expected, place.id
    assert sum(p.region == "XUAR" for p in gaz.places.values()) == 125
    assert sum(p.region == "TIBET" for p in gaz.places.values()) == 82
    assert {p.province_id for p in gaz.places.values() if p.region == "XUAR"} == {"adm-650000"}


def test_china_admin_ids_codes_and_scope() -> None:
    rows = china_admin_rows()
    codes = {r["adcode"] for r in rows}
    assert all(r["id"] == f"cn-{r['adcode']}" and re.fullmatch(r"\d{6}", r["adcode"]) for r in rows)
    assert len(codes) == len(rows)
    assert not codes & {r["adcode"] for r in gazetteer_rows()}  # XUAR and TAR live in gazetteer.csv
    provincial = [r for r in rows if r["level"] == "province"]
    assert len(provincial) == 31  # 34 provincial units less XUAR, TAR and Taiwan (see SOURCES.md)
    assert all(r["sources"] for r in rows)
    capitals = [
        "石家庄市",
        "杭州市",
        "南京市",
        "广州市",
        "成都市",
        "兰州市",
        "西宁市",
        "呼和浩特市",
    ]
    assert set(capitals) <= {r["name_zh"] for r in rows}


def test_place_rules_name_existing_places() -> None:
    gaz = load_gazetteer()
    rules = place_rules()
    assert set(rules["extra_names"]) <= set(gaz.places)
    assert set(rules["region_markers"]) <= set(gaz.places)
