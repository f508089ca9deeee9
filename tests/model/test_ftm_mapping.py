"""The one FollowTheMoney mapping (model/ftm.py): checked against followthemoney's own model, and
each relation kind exported and read back."""

from __future__ import annotations

import json
import subprocess
import sys

from threadline.inputs.ftm import read_ftm_data
from threadline.inputs.listing import ListContext
from threadline.model import ReferenceEntity, Relation, RelationKind, Reliability
from threadline.model.ftm import (
    COUNTRY_PROPS,
    ID_PROPS,
    LINKS,
    NAME_PROPS,
    NOT_FTM,
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
    data = "".join(json.dumps(r) + "\n" for r in ftm_records(parties, relations))
    read = read_ftm_data(
        data.encode(),
        ListContext(
            list_id="x",
            list_name="",
            effect=None,
            reliability=Reliability.USER_SUPPLIED,
            file="x.jsonl",
            file_name="x.jsonl",
        ),
    )
    got = {r.id.split("-", 1)[1]: (r.kind, r.source_id, r.target_id) for r in read.relations}
    expected = {k.value: (k, "a", "b") for k in RelationKind}
    # A subsidiary is written as its owner's asset, and reads back as owned by its parent.
    expected[RelationKind.SUBSIDIARY_OF.value] = (RelationKind.OWNS, "b", "a")
    assert got == expected
