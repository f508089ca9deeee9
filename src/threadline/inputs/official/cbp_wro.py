"""CBP's Withhold Release Orders and Findings dataset (CSV, Latin-1, dates MM/DD/YYYY).

Columns (2026): Effective Date, Calendar Year, Country, Country Code, Entity, Merchandise,
Industry, WRO/Finding, Status, Remarks, Press Release. Older files say "Date" for "Effective
Date" and may have "Modified Date". Status: Active, Partially Active, Modified, Revoked, Inactive.
Entity cells chain names with a/k/a and may name several firms separated by ';'. Only orders on
China (and Hong Kong) are kept: the list threadline screens is CBP's orders on PRC goods.
"""

from __future__ import annotations

import datetime as dt
import re

from threadline.errors import InputError
from threadline.inputs.official import tables
from threadline.inputs.official.base import (
    FileInput,
    ParsedFile,
    ParsedList,
    file_source,
    make_entity,
    merge_same_name,
    official,
    us_date,
)
from threadline.inputs.official.names import split_aka
from threadline.model import Listing, ReferenceEntity, Source

SOURCE = "cbp_wro_csv"
_WHAT = "CBP's WRO/Findings dataset"
_CHINA = frozenset({"china", "cn", "hong kong", "hk", "people's republic of china", "prc"})
_ENDED = frozenset({"revoked", "inactive"})
_DATE_IN_REMARKS = re.compile(r"(?:revok|modif|inactiv)\w*\D{0,40}?(\d{1,2}/\d{1,2}/\d{4})", re.I)
_VESSEL = re.compile(r"^fishing\s+vessel\s*:\s*", re.I)


def looks_like(head: bytes) -> bool:
    first = tables.key(tables.decode(head, "latin-1").splitlines()[0] if head else "")
    return "entity" in first and "status" in first and ("wro" in first or "merchandise" in first)


def parse(item: FileInput, file_date: dt.date | None = None) -> ParsedFile:
    lines = tables.rows(tables.decode(item.data, "latin-1"))
    if not lines:
        raise InputError("file is empty", file=item.name)
    header, body = lines[0], lines[1:]
    at = {
        "date": tables.find(header, item.name, _WHAT, "effective date", "date"),
        "entity": tables.find(header, item.name, _WHAT, "entity"),
        "status": tables.find(header, item.name, _WHAT, "status"),
        "country": tables.find(header, item.name, _WHAT, "country", "country code"),
    }
    optional = {
        "code": tables.optional(header, "country code"),
        "kind": tables.optional(header, "wro/finding", "type"),
        "merchandise": tables.optional(header, "merchandise", "industry"),
        "remarks": tables.optional(header, "remarks"),
        "release": tables.optional(header, "press release"),
        "modified": tables.optional(header, "modified date"),
    }
    meta = official("cbp_wro")
    when = file_date or item.fetched
    dataset = file_source(meta, item.name, when)
    entities: list[ReferenceEntity] = []
    skipped = 0
    for number, row in enumerate(body, start=2):
        if len(row) < len(header) - 2:
            raise InputError(
                f"row {number} has {len(row)} cells where the header has {len(header)} "
                "(truncated file?)",
                file=item.name,
            )
        country = {
            tables.cell(row, at["country"]).lower(),
            tables.cell(row, optional["code"]).lower(),
        }
        if not country & _CHINA:
            skipped += 1
            continue
        entities.extend(_entries(row, number, at, optional, dataset, when, item.name))
    if not entities:
        raise InputError(f"no orders on China in {_WHAT} (truncated file?)", file=item.name)
    skipped_rows = {"orders on other countries": skipped} if skipped else {}
    return ParsedFile(
        SOURCE, item.name, when, (ParsedList(meta, merge_same_name(entities)),), skipped_rows
    )


def _entries(
    row: list[str],
    number: int,
    at: dict[str, int],
    optional: dict[str, int | None],
    dataset: Source,
    when: dt.date,
    file: str,
) -> list[ReferenceEntity]:
    meta = official("cbp_wro")
    text = tables.cell(row, at["date"])
    try:
        issued = us_date(text)
    except ValueError:
        raise InputError(f"row {number}: date '{text}' is not MM/DD/YYYY", file=file) from None
    status = tables.cell(row, at["status"])
    removed = _end_date(row, optional, status, when, number, file)
    release = tables.cell(row, optional["release"])
    sources = [dataset]
    if release.startswith("http"):
        sources.insert(0, Source(url=release, title="CBP press release", date=issued))
    listing = Listing(
        list_id=meta.id,
        list_name=meta.title,
        effect=meta.effect,
        entry_id="",
        section=tables.cell(row, optional["kind"]) or "WRO",
        date_listed=issued,
        date_removed=removed,
        product_scope=tables.cell(row, optional["merchandise"]),
        status=status,
        sources=tuple(sources),
    )
    out = []
    for part in tables.cell(row, at["entity"]).split(";"):
        vessel = _VESSEL.match(part.strip())
        name, aliases = split_aka(part[vessel.end() :] if vessel else part)
        if name:
            schema = "Vessel" if vessel else "Company"
            out.append(make_entity(meta, name, [listing], aliases=aliases, schema=schema))
    return out


def _end_date(
    row: list[str],
    optional: dict[str, int | None],
    status: str,
    when: dt.date,
    number: int,
    file: str,
) -> dt.date | None:
    """A revoked or inactive order ends on its modified date, a date the remarks give, else the
    date of the file that first shows it ended."""
    if status.strip().lower() not in _ENDED:
        return None
    modified = tables.cell(row, optional["modified"])
    found = _DATE_IN_REMARKS.search(tables.cell(row, optional["remarks"]))
    for text in (modified, found.group(1) if found else ""):
        if text:
            try:
                return us_date(text)
            except ValueError:
                raise InputError(
                    f"row {number}: date '{text}' is not MM/DD/YYYY", file=file
                ) from None
    return when
