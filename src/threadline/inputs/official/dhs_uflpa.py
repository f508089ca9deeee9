"""The DHS UFLPA Entity List page (https://www.dhs.gov/uflpa-entity-list) as saved from a browser.

One <table> per UFLPA section, each after a paragraph whose link reads "Section 2(d)(2)(B)(i)"
(or ii…v); columns "Name of Entity" or "Entity Name", and "Effective Date" (`June 21, 2022`).
Aliases, former names and "and subsidiaries" are prose in the name cell (see names.py). The
same entity can be in two sections: one entity, one listing per section.
"""

from __future__ import annotations

import datetime as dt
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from threadline.errors import InputError
from threadline.inputs.official.base import (
    FileInput,
    ParsedFile,
    ParsedList,
    file_source,
    layout_error,
    make_entity,
    merge_same_name,
    official,
    tidy,
    us_date,
)
from threadline.inputs.official.names import parse_listed_name
from threadline.model import Listing, ReferenceEntity, Source

SOURCE = "dhs_uflpa_html"
_SECTION = re.compile(r"Section\s+2\s*\(d\)\s*\(2\)\s*\(B\)\s*\((?P<part>i{1,3}|iv|v)\)", re.I)
_NAME_HEADERS = ("name of entity", "entity name")
_DATE_HEADER = "effective date"
_UPDATED = re.compile(
    r"Last\s+(?:Updated|Reviewed)\s*:?\s*(?P<date>\d{1,2}/\d{1,2}/\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})"
)


def looks_like(head: bytes) -> bool:
    text = head.decode("utf-8", "replace").lstrip("\ufeff \r\n\t").lower()
    return text.startswith(("<!doctype html", "<html")) or "<table" in text


def parse(item: FileInput) -> ParsedFile:
    try:
        tree = LexborHTMLParser(item.data.decode("utf-8", "replace"))
    except Exception as exc:  # a page lexbor cannot read at all
        raise layout_error(item.name, "an HTML page") from exc
    meta = official("uflpa")
    file_date = _updated(tree) or item.fetched
    source = file_source(meta, item.name, file_date)
    entities: list[ReferenceEntity] = []
    section = ""
    tables = 0
    for node in tree.root.traverse() if tree.root is not None else ():
        if node.tag == "a" and (found := _SECTION.search(node.text(deep=True))):
            section = f"2(d)(2)(B)({found.group('part').lower()})"
        elif node.tag == "table":
            rows = _table_rows(node)
            columns = _columns(rows[0]) if rows else None
            if columns is None:
                continue
            tables += 1
            for number, cells in enumerate(rows[1:], start=2):
                entity = _entry(cells, columns, section, source, item.name, tables, number)
                if entity is not None:
                    entities.append(entity)
    if not tables:
        raise layout_error(
            item.name,
            "the DHS UFLPA Entity List page: a <table> with a 'Name of Entity' (or 'Entity Name') "
            "and an 'Effective Date' column",
        )
    if not entities:
        raise InputError(
            "the UFLPA entity tables hold no entries (truncated page?)", file=item.name
        )
    return ParsedFile(SOURCE, item.name, file_date, (ParsedList(meta, merge_same_name(entities)),))


def _table_rows(table: LexborNode) -> list[list[str]]:
    return [
        [tidy(cell.text(deep=True, separator=" ")) for cell in row.css("th, td")]
        for row in table.css("tr")
    ]


def _columns(header: list[str]) -> tuple[int, int] | None:
    keys = [h.lower() for h in header]
    name = next((i for i, k in enumerate(keys) if k in _NAME_HEADERS), None)
    date = next((i for i, k in enumerate(keys) if k == _DATE_HEADER), None)
    return None if name is None or date is None else (name, date)


def _entry(
    cells: list[str],
    columns: tuple[int, int],
    section: str,
    source: Source,
    file: str,
    table: int,
    row: int,
) -> ReferenceEntity | None:
    name_at, date_at = columns
    if len(cells) <= max(columns) or not cells[name_at]:
        return None  # a spacer or sub-heading row
    try:
        listed = us_date(cells[date_at])
    except ValueError:
        raise InputError(
            f"table {table} row {row}: effective date '{cells[date_at]}' is not like 'June 21, 2022'",
            file=file,
        ) from None
    parsed = parse_listed_name(cells[name_at])
    meta = official("uflpa")
    listing = Listing(
        list_id=meta.id,
        list_name=meta.title,
        effect=meta.effect,
        entry_id="",
        section=section,
        date_listed=listed,
        product_scope=f"with {parsed.scope}" if parsed.scope else "",
        sources=(source,),
    )
    notes = f"Former names: {'; '.join(parsed.former)}." if parsed.former else ""
    return make_entity(
        meta,
        parsed.name,
        [listing],
        aliases=(*parsed.aliases, *parsed.former),
        notes=notes,
    )


def _updated(tree: LexborHTMLParser) -> dt.date | None:
    body = tree.body
    text = tidy(body.text(deep=True, separator=" ")) if body is not None else ""
    match = _UPDATED.search(text)
    if match is None:
        return None
    try:
        return us_date(match.group("date"))
    except ValueError:
        return None
