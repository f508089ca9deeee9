"""OFAC's SDN.CSV, with ALT.CSV (aliases) and ADD.CSV (addresses) when given together.

No header row; nulls are written `-0-`. SDN.CSV: ent_num, SDN_Name, SDN_Type, Program, Title,
Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks — an entity's SDN_Type is the
null. ALT.CSV: ent_num, alt_num, alt_type (aka, fka, nka), alt_name, alt_remarks. ADD.CSV:
ent_num, add_num, address, city/state/postal code, country, add_remarks. Programmes are written
`[SDGT] [GLOMAG]` or `SDGT] [GLOMAG`. Persons, vessels and aircraft are left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from threadline.data.countries import normalise_country
from threadline.errors import InputError
from threadline.inputs.official import tables
from threadline.inputs.official.base import (
    FileInput,
    ParsedFile,
    ParsedList,
    file_source,
    make_entity,
    official,
)
from threadline.model import Listing, ReferenceEntity

SOURCE = "ofac_sdn_csv"
NULL = "-0-"
_SDN_COLUMNS, _ALT_COLUMNS, _ADD_COLUMNS = 12, 5, 6
_ALT_TYPES = frozenset({"aka", "fka", "nka"})
_PROGRAM = re.compile(r"[\[\]]")


def kind(head: bytes) -> str:
    """'sdn', 'alt', 'add' or '' — which OFAC file this is, from its first rows."""
    lines = tables.rows(tables.decode(head, "latin-1"))[:5]
    if not lines or not all(line and line[0].strip().isdigit() for line in lines[:-1] or lines):
        return ""
    widths = {len(line) for line in lines[:-1] or lines}
    if widths == {_SDN_COLUMNS}:
        return "sdn"
    if widths == {_ALT_COLUMNS} and lines[0][2].strip().lower() in _ALT_TYPES:
        return "alt"
    if widths == {_ADD_COLUMNS}:
        return "add"
    return ""


def looks_like(head: bytes) -> bool:
    return kind(head) == "sdn"


def parse(item: FileInput, extras: Sequence[FileInput] = ()) -> ParsedFile:
    meta = official("ofac_sdn")
    when = item.fetched
    rows = _rows(item, _SDN_COLUMNS, "SDN.CSV: 12 columns and no header")
    aliases: dict[str, list[str]] = {}
    addresses: dict[str, list[tuple[str, str]]] = {}
    for extra in extras:
        which = kind(extra.data[:65536])
        if which == "alt":
            for row in _rows(extra, _ALT_COLUMNS, "ALT.CSV: 5 columns and no header"):
                aliases.setdefault(row[0], []).append(row[3])
        elif which == "add":
            for row in _rows(extra, _ADD_COLUMNS, "ADD.CSV: 6 columns and no header"):
                addresses.setdefault(row[0], []).append(
                    (", ".join(p for p in row[2:4] if p), row[4])
                )
        else:
            raise InputError("expected OFAC's ALT.CSV or ADD.CSV beside SDN.CSV", file=extra.name)
    source = file_source(meta, item.name, when)
    entities: list[ReferenceEntity] = []
    skipped: dict[str, int] = {}
    for row in rows:
        number, name, sdn_type, program = row[0], row[1], row[2], row[3]
        if sdn_type:
            why = "persons" if sdn_type.lower() == "individual" else f"{sdn_type.lower()}s"
            skipped[why] = skipped.get(why, 0) + 1
            continue
        programs = [p.strip() for p in _PROGRAM.split(program) if p.strip()]
        listing = Listing(
            list_id=meta.id,
            list_name=meta.title,
            effect=meta.effect,
            entry_id="",
            program="; ".join(programs),
            sources=(source,),
        )
        places = addresses.get(number, [])
        entities.append(
            make_entity(
                meta,
                name,
                [listing],
                aliases=aliases.get(number, []),
                country=next((c for _, p in places if (c := normalise_country(p))), ""),
                address=" | ".join(", ".join(p for p in place if p) for place in places),
                identifiers=[f"OFAC-{number}"],
            )
        )
    if not entities:
        raise InputError("no entities in SDN.CSV (truncated file?)", file=item.name)
    return ParsedFile(SOURCE, item.name, when, (ParsedList(meta, tuple(entities)),), skipped)


def _rows(item: FileInput, width: int, expected: str) -> list[list[str]]:
    out = []
    for number, row in enumerate(tables.rows(tables.decode(item.data, "latin-1")), start=1):
        if len(row) == 1 and row[0].strip() == "\x1a":  # the DOS end-of-file mark OFAC appends
            continue
        if len(row) != width or not row[0].strip().isdigit():
            raise InputError(f"row {number}: not like {expected} (truncated file?)", file=item.name)
        out.append([("" if c.strip() == NULL else c.strip()) for c in row])
    return out
