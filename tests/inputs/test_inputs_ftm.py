"""FollowTheMoney JSON lines: parties, Sanction records as listings, nested form, refusals."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from threadline.errors import InputError
from threadline.inputs import read_ftm, read_ftm_entities, read_reference
from threadline.model.entities import ListEffect
from threadline.model.provenance import Reliability, Source, SourceKind

COMPANY = {
    "id": "NK-xpcc",
    "schema": "Organization",
    "properties": {
        "name": ["Xinjiang Production and Construction Corps", "新疆生产建设兵团"],
        "alias": ["XPCC", "兵团"],
        "country": ["cn"],
        "address": ["Urumqi, Xinjiang"],
        "uniformSocialCreditCode": ["11650000010000000X"],
        "notes": ["Paramilitary organisation"],
        "topics": ["sanction"],
    },
    "datasets": ["us_ofac_sdn"],
    "first_seen": "2020-07-31T18:00:00",
}
SANCTION_PROPERTIES = {
    "entity": ["NK-xpcc"],
    "authority": ["Office of Foreign Assets Control"],
    "program": ["GLOMAG"],
    "authorityId": ["35096"],
    "listingDate": ["2020-07-31"],
    "sourceUrl": ["https://home.treasury.gov/news/press-releases/sm1073"],
    "reason": ["Serious human rights abuse in Xinjiang"],
}
SANCTION = {
    "id": "ofac-sdn-xpcc",
    "schema": "Sanction",
    "properties": SANCTION_PROPERTIES,
    "datasets": ["us_ofac_sdn"],
}


def write_lines(tmp_path: Path, name: str, *entities: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n")
    return path


def test_company_and_its_sanction(tmp_path: Path) -> None:
    # The Sanction comes first: targets are resolved after the whole file is read.
    path = write_lines(tmp_path, "sdn.jsonl", SANCTION, COMPANY)
    [entity] = read_ftm_entities(path)
    assert entity.id == "NK-xpcc"
    assert entity.schema == "Organization"
    assert entity.name == "Xinjiang Production and Construction Corps"
    assert entity.aliases == ("XPCC",)
    assert entity.names_zh == ("新疆生产建设兵团", "兵团")
    assert (entity.country, entity.address) == ("CN", "Urumqi, Xinjiang")
    assert entity.identifiers == ("11650000010000000X",)
    assert entity.notes == "Paramilitary organisation"
    [listing] = entity.listings
    assert listing.list_id == "sdn"
    assert listing.list_name == "Office of Foreign Assets Control"
    assert listing.effect is ListEffect.SDN
    assert (listing.entry_id, listing.program) == ("35096", "GLOMAG")
    assert (listing.date_listed, listing.date_removed) == (dt.date(2020, 7, 31), None)
    assert listing.sources == (
        Source(
            url="https://home.treasury.gov/news/press-releases/sm1073",
            title="Office of Foreign Assets Control — GLOMAG",
            # Classified by its address, not by the user's file it came in.
            publisher="U.S. Department of the Treasury, OFAC",
            excerpt="Serious human rights abuse in Xinjiang",
            reliability=Reliability.OFFICIAL_LIST,
            kind=SourceKind.OFFICIAL_PUBLICATION,
        ),
        Source(url="", title="us_ofac_sdn", reliability=Reliability.USER_SUPPLIED),
    )
    assert entity.active_listings(dt.date(2020, 7, 30)) == ()


def test_nested_export_with_address_entity_and_delisting(tmp_path: Path) -> None:
    nested = {
        "id": "co-1",
        "schema": "Company",
        "properties": {
            "name": ["Hoshine Silicon Industry (Shanshan) Co., Ltd."],
            "addressEntity": [
                {"id": "addr-1", "schema": "Address", "properties": {"full": ["Shanshan, Turpan"]}}
            ],
            "sanctions": [
                {
                    "id": "wro-1",
                    "schema": "Sanction",
                    "properties": {
                        "authority": ["U.S. Customs and Border Protection"],
                        "program": ["Withhold Release Order"],
                        "startDate": ["2021-06"],
                        "endDate": ["2024-01-15T00:00:00"],
                    },
                    "datasets": ["us_cbp_forced_labor"],
                    "first_seen": "2021-06-24T10:00:00",
                }
            ],
        },
    }
    result = read_ftm(write_lines(tmp_path, "targets.nested.json", nested))
    [entity] = result.entities
    assert entity.address == "Shanshan, Turpan"
    [listing] = entity.listings
    assert listing.effect is ListEffect.WRO
    assert (listing.date_listed, listing.date_removed) == (
        dt.date(2021, 6, 1),
        dt.date(2024, 1, 15),
    )
    assert listing.sources == (
        Source(
            url="",
            title="us_cbp_forced_labor",
            date=dt.date(2021, 6, 24),
            reliability=Reliability.USER_SUPPLIED,
        ),
    )
    assert result.ignored == {}  # the Address is imported as the entity's address


def test_sanction_topic_without_a_sanction_record(tmp_path: Path) -> None:
    path = write_lines(tmp_path, "eu.jsonl", COMPANY | {"datasets": ["eu_fsf"]})
    [entity] = read_ftm_entities(path, list_name="EU consolidated")
    [listing] = entity.listings
    assert (listing.list_name, listing.effect, listing.entry_id) == (
        "EU consolidated",
        ListEffect.OTHER_SANCTION,
        "NK-xpcc",
    )
    assert listing.sources == (
        Source(
            url="", title="eu_fsf", date=dt.date(2020, 7, 31), reliability=Reliability.USER_SUPPLIED
        ),
    )
    assert entity.extra == (("topics", "sanction"),)


def test_entity_without_topic_or_sanction_has_no_listing(tmp_path: Path) -> None:
    plain = {"id": "p", "schema": "Company", "properties": {"name": ["Acme"]}}
    [entity] = read_ftm_entities(write_lines(tmp_path, "f.jsonl", plain))
    assert entity.listings == ()


@pytest.mark.parametrize(
    ("authority", "program", "effect"),
    [
        ("Department of Homeland Security", "UFLPA Entity List", ListEffect.UFLPA),
        ("U.S. Customs and Border Protection", "Withhold Release Orders", ListEffect.WRO),
        ("Office of Foreign Assets Control", "SDGT", ListEffect.SDN),
        ("Bureau of Industry and Security", "Entity List", ListEffect.EXPORT_CONTROL),
        ("Council of the European Union", "Global Human Rights Regime", ListEffect.OTHER_SANCTION),
        ("Ministry of Tbilisi Affairs", "", ListEffect.OTHER_SANCTION),
    ],
)
def test_effect_from_authority_and_program(
    tmp_path: Path, authority: str, program: str, effect: ListEffect
) -> None:
    sanction = {
        "id": "s",
        "schema": "Sanction",
        "properties": {"entity": ["c"], "authority": [authority], "program": [program]},
    }
    company = {"id": "c", "schema": "Company", "properties": {"name": ["Acme"]}}
    [entity] = read_ftm_entities(write_lines(tmp_path, "f.jsonl", sanction, company))
    assert entity.listings[0].effect is effect


def test_effect_argument_overrides_the_mapping(tmp_path: Path) -> None:
    path = write_lines(tmp_path, "f.jsonl", SANCTION, COMPANY)
    [entity] = read_ftm_entities(path, effect=ListEffect.UFLPA, list_id="mine")
    assert (entity.listings[0].effect, entity.listings[0].list_id) == (ListEffect.UFLPA, "mine")


def test_fragments_merge_and_other_schemas_are_counted(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        "f.jsonl",
        {"id": "c", "schema": "LegalEntity", "properties": {"name": ["Acme"], "country": ["cn"]}},
        {"id": "o", "schema": "Ownership", "properties": {"owner": ["x"], "asset": ["c"]}},
        {"id": "c", "schema": "Company", "properties": {"name": ["Acme"], "alias": ["ACME"]}},
        {"id": "s", "schema": "Sanction", "properties": {"entity": ["ghost"]}},
        {"id": "v", "schema": "Vessel", "properties": {"name": ["Ship"]}},
    )
    result = read_ftm(path)
    [entity] = result.entities
    assert (entity.schema, entity.name, entity.aliases, entity.country) == (
        "Company",
        "Acme",
        ("ACME",),
        "CN",
    )
    assert result.ignored == {"Ownership": 1, "Sanction": 1, "Vessel": 1}


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(COMPANY) + "\n\n" + '{"id": "x", "schema": \n')
    with pytest.raises(InputError) as caught:
        read_ftm_entities(path)
    assert str(caught.value).startswith(f"{path}: line 3: invalid JSON (")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[1, 2]", "line 1: expected a JSON object"),
        ('{"schema": "Company"}', "line 1: entity has no 'id'"),
        ('{"id": "a", "properties": {}}', "line 1: entity has no 'schema'"),
        (
            '{"id": "a", "schema": "Company", "properties": []}',
            "'properties' of a is not an object",
        ),
    ],
)
def test_malformed_entities(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(InputError, match=message):
        read_ftm_entities(path)


def test_bad_date_names_the_line(tmp_path: Path) -> None:
    sanction = SANCTION | {"properties": SANCTION_PROPERTIES | {"listingDate": ["31/07/2020"]}}
    path = write_lines(tmp_path, "f.jsonl", COMPANY, sanction)
    with pytest.raises(InputError, match=r"line 2: listingDate/startDate/date '31/07/2020'"):
        read_ftm_entities(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes(
        '{"id": "a", "schema": "Company", "properties": {"name": ["公司"]}}'.encode("gbk")
    )
    with pytest.raises(InputError, match="is not UTF-8 text"):
        read_ftm_entities(path)


def test_blank_file(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text("\n \n")
    with pytest.raises(InputError, match=r"f\.jsonl: file is empty"):
        read_ftm_entities(path)


def test_dispatch_by_extension_and_by_content(tmp_path: Path) -> None:
    by_name = write_lines(tmp_path, "entities.ndjson", SANCTION, COMPANY)
    by_content = write_lines(tmp_path, "entities.txt", SANCTION, COMPANY)
    assert read_reference(by_name) == read_ftm_entities(by_name)
    assert [e.id for e in read_reference(by_content)] == ["NK-xpcc"]
