"""The UK Sanctions List as the FCDO publishes it (UK-Sanctions-List.csv).

A "Report Date: …" line precedes the header. One row per name of a designation: "Unique ID"
groups them, "Name type" says which is the primary name, "Name 1"…"Name 6" hold its parts (an
entity's name is usually in "Name 6"). Individuals and ships are left out.
"""

from __future__ import annotations

import datetime as dt
import re

from threadline.data.countries import normalise_country
from threadline.errors import InputError
from threadline.inputs.listing import effect_of
from threadline.inputs.official import tables
from threadline.inputs.official.base import (
    FileInput,
    ParsedFile,
    ParsedList,
    file_source,
    layout_error,
    make_entity,
    official,
    tidy,
)
from threadline.model import Listing, ReferenceEntity

SOURCE = "uk_fcdo_csv"
_WHAT = "the UK Sanctions List CSV"
_REPORT_DATE = re.compile(r"report\s+date\s*:?\s*(?P<date>[^,\r\n]+)", re.I)
_DATES = ("%d/%m/%Y", "%d-%b-%Y", "%d %B %Y", "%Y-%m-%d", "%d-%m-%Y")


def looks_like(head: bytes) -> bool:
    first = tables.decode(head, "utf-8").lstrip().splitlines()[0] if head.strip() else ""
    return bool(_REPORT_DATE.match(first.strip().strip('"')))


def parse(item: FileInput) -> ParsedFile:
    lines = tables.rows(tables.decode(item.data, "cp1252"))
    if not lines or not (found := _REPORT_DATE.match(lines[0][0].strip())):
        raise InputError("expected a 'Report Date:' line before the header", file=item.name)
    when = _date(found.group("date")) or item.fetched
    header, body = lines[1] if len(lines) > 1 else [], lines[2:]
    at = {
        "id": tables.find(header, item.name, _WHAT, "unique id"),
        "type": tables.find(header, item.name, _WHAT, "designation type"),
        "name_type": tables.find(header, item.name, _WHAT, "name type"),
    }
    parts = [tables.optional(header, f"name {n}") for n in range(1, 7)]
    if all(p is None for p in parts):
        raise layout_error(item.name, f"{_WHAT}: columns 'Name 1' … 'Name 6'")
    non_latin = tables.optional(header, "name non-latin script")
    address_parts = [tables.optional(header, f"address line {n}") for n in range(1, 7)]
    country_at = tables.optional(header, "address country", "country")
    regime = tables.optional(header, "regime name", "regime")
    designated = tables.optional(header, "date designated")
    meta = official("uk_sanctions")
    source = file_source(meta, item.name, when)
    grouped: dict[str, list[list[str]]] = {}
    skipped: dict[str, int] = {}
    for row in body:
        kind = tables.cell(row, at["type"]).lower()
        if kind != "entity":
            why = "persons" if kind == "individual" else f"{kind or 'untyped'} designations"
            skipped[why] = skipped.get(why, 0) + 1
            continue
        grouped.setdefault(tables.cell(row, at["id"]), []).append(row)
    entities: list[ReferenceEntity] = []
    for unique_id, rows in grouped.items():
        names = [
            (
                tables.cell(r, at["name_type"]).lower(),
                tidy(" ".join(tables.cell(r, p) for p in parts)),
            )
            for r in rows
        ]
        primary = next((n for kind, n in names if kind.startswith("primary name") and n), "")
        primary = primary or next((n for _, n in names if n), "")
        if not primary:
            continue
        others = [n for _, n in names if n and n != primary]
        others += [tables.cell(r, non_latin) for r in rows if tables.cell(r, non_latin)]
        regime_text = tables.cell(rows[0], regime)
        listing = Listing(
            list_id=meta.id,
            list_name=meta.title,
            effect=effect_of(regime_text) if regime_text else meta.effect,
            entry_id="",
            program=regime_text,
            date_listed=_date(tables.cell(rows[0], designated)),
            sources=(source,),
        )
        address = ", ".join(
            part
            for part in (
                *(tables.cell(rows[0], a) for a in address_parts),
                tables.cell(rows[0], country_at),
            )
            if part
        )
        country = (
            normalise_country(tables.cell(rows[0], country_at)) if country_at is not None else ""
        )
        entities.append(
            make_entity(
                meta,
                primary,
                [listing],
                aliases=others,
                identifiers=[f"UK-{unique_id}"],
                address=address,
                country=country,
            )
        )
    if not entities:
        raise InputError(f"no entity designations in {_WHAT} (truncated file?)", file=item.name)
    return ParsedFile(SOURCE, item.name, when, (ParsedList(meta, tuple(entities)),), skipped)


def _date(text: str) -> dt.date | None:
    value = text.strip()
    for pattern in _DATES:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None
