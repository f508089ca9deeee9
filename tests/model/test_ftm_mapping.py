"""The one FollowTheMoney mapping (model/ftm.py): checked against followthemoney's own model, and
each relation kind exported and read back."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterable
from typing import Any

from threadline.inputs.ftm import FtmRead, read_ftm_data
from threadline.inputs.listing import ListContext
from threadline.model import (
    ListEffect,
    Listing,
    ReferenceEntity,
    Relation,
    RelationKind,
    Reliability,
)
from threadline.model.ftm import (
    COUNTRY_PROPS,
    ID_PROPS,
    LINKS,
    NAME_PROPS,
    NOT_FTM,
    SANCTION,
    SANCTION_SCHEMA,
    USCC_PROP,
    WRITTEN_AS,
    ftm_schema,
)
from threadline.model.schemas import Schema
from threadline.report.ftm_export import ftm_records

# Run in a child process: importing followthemoney changes the csv module's field size limit
# for every later test of this process (see tests/ftm_validation.py).
_CHECK = """
import json, sys
from followthemoney import model
mapping = json.load(sys.stdin)
problems = []
party = [model.get("LegalEntity"), model.get("Person")]
for prop in mapping["read"]:
    known = any(prop in s.properties for s in party)
    if known == (prop in mapping["not_ftm"]):
        problems.append(f"property {prop}: in FtM is {known}")
if model.get("LegalEntity").properties[mapping["uscc"]].type.name != "identifier":
    problems.append("uscc property is no identifier")
for schema in mapping["schemata"]:
    found = model.get(schema)
    if found is None or not found.is_a("Thing"):
        problems.append(f"schema {schema} is not an FtM entity schema")
sanction = model.get(mapping["sanction_schema"])
for prop in mapping["sanction"]:
    if prop not in sanction.properties:
        problems.append(f"Sanction has no {prop}")
for name, source, target in mapping["links"]:
    link = model.get(name)
    if link is None or source not in link.properties or target not in link.properties:
        problems.append(f"link {name} has no {source}/{target}")
print(json.dumps(problems))
"""


def test_mapping_names_only_followthemoney_schemata_and_properties() -> None:
    mapping = {
        "read": sorted({*NAME_PROPS, *COUNTRY_PROPS, *ID_PROPS}),
        "not_ftm": sorted(NOT_FTM),
        "uscc": USCC_PROP,
        "schemata": sorted({ftm_schema(s) for s in Schema}),
        "links": [(link.schema, link.source, link.target) for link in LINKS.values()],
        "sanction_schema": SANCTION_SCHEMA,
        "sanction": [getattr(SANCTION, field) for field in SANCTION.__slots__],
    }
    result = subprocess.run(
        [sys.executable, "-c", _CHECK],
        input=json.dumps(mapping),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout) == []


def test_no_spelling_outside_followthemoney_is_written() -> None:
    entity = ReferenceEntity(
        id="e1",
        schema=Schema.FACILITY,
        name="Aksu Plant",
        identifiers=("91650100MA7ABCDE15", "A-123"),
    )
    [written] = ftm_records([entity], [])
    assert not NOT_FTM & set(written["properties"])
    assert written["properties"]["registrationNumber"] == ["A-123"]


def test_every_relation_kind_is_written_and_read_back() -> None:
    parties = [ReferenceEntity(id=i, schema=Schema.COMPANY, name=f"Firm {i}") for i in "ab"]
    relations = [Relation(id=k.value, kind=k, source_id="a", target_id="b") for k in RelationKind]
    assert set(WRITTEN_AS) == set(RelationKind)
    read = _read_back(ftm_records(parties, relations))
    got = {r.id.split("-", 1)[1]: (r.kind, r.source_id, r.target_id) for r in read.relations}
    expected = {k.value: (k, "a", "b") for k in RelationKind}
    # A subsidiary is written as its owner's asset, and reads back as owned by its parent.
    expected[RelationKind.SUBSIDIARY_OF.value] = (RelationKind.OWNS, "b", "a")
    assert got == expected


def _read_back(records: Iterable[dict[str, Any]]) -> FtmRead:
    """FtM records as a user's JSON-lines file, read by the importer."""
    data = "".join(json.dumps(r) + "\n" for r in records)
    context = ListContext(
        list_id="x",
        list_name="",
        effect=None,
        reliability=Reliability.USER_SUPPLIED,
        file="x.jsonl",
        file_name="x.jsonl",
    )
    return read_ftm_data(data.encode(), context)


def test_a_listing_reads_back_as_it_was_written() -> None:
    listing = Listing(
        list_id="cbp_wro",
        list_name="CBP Withhold Release Orders",
        effect=ListEffect.WRO,
        entry_id="WRO-2021-07",
        program="Section 307",
        date_listed=dt.date(2021, 6, 24),
        date_removed=dt.date(2024, 1, 5),
        product_scope="silica-based products",
        status="modified",
    )
    entity = ReferenceEntity(id="e1", schema=Schema.COMPANY, name="Hoshine", listings=(listing,))
    [read] = _read_back(ftm_records([entity], [])).entities
    [back] = read.listings
    # The list's id comes from the file read, every field the listing says from the record.
    assert back.list_name == listing.list_name
    assert (back.effect, back.entry_id, back.program, back.status) == (
        ListEffect.WRO,
        "WRO-2021-07",
        "Section 307",
        "modified",
    )
    assert (back.date_listed, back.date_removed) == (listing.date_listed, listing.date_removed)
    assert back.product_scope == "silica-based products"


def test_another_publishers_reason_is_no_product_scope() -> None:
    records = [
        {"id": "c1", "schema": "Company", "properties": {"name": ["Firm A"]}},
        {
            "id": "s1",
            "schema": SANCTION_SCHEMA,
            "properties": {
                "entity": ["c1"],
                "authority": ["U.S. Customs and Border Protection"],
                "program": ["Withhold Release Orders"],
                "reason": ["Forced labour indicators found in its supply chain"],
                "sourceUrl": ["https://www.cbp.gov/trade/forced-labor/withhold-release-orders-and-findings"],
            },
        },
    ]
    [read] = _read_back(records).entities
    [listing] = read.listings
    assert listing.effect is ListEffect.WRO
    assert listing.product_scope == ""
    assert listing.sources[0].excerpt == "Forced labour indicators found in its supply chain"
