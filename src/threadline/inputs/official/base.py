"""What every official-format parser returns, and the helpers they share.

Parsers are pure: bytes (and the file's name, for messages) in, entities with their listings
out. A layout they do not recognise is an InputError naming the file and what was expected,
never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from threadline.data.official import OfficialList, official_lists
from threadline.errors import InputError
from threadline.model import Listing, ReferenceEntity, Reliability, Source
from threadline.model.ids import list_entry_id


@dataclass(frozen=True, slots=True)
class ParsedList:
    """The entries one official file gives for one list. `full`: the file is the whole list, so
    an entry missing from it has been removed."""

    list: OfficialList
    entities: tuple[ReferenceEntity, ...]
    full: bool = True


@dataclass(frozen=True, slots=True)
class ParsedFile:
    source: str  # the format: dhs_uflpa_html, cbp_wro_csv, trade_csl_csv …
    file: str
    file_date: dt.date  # the date the file states, else the day it was fetched or saved
    lists: tuple[ParsedList, ...]
    skipped: dict[str, int] = field(default_factory=dict)  # rows left out, by why


@dataclass(frozen=True, slots=True)
class FileInput:
    """One file handed to a parser: its bytes, its name and when it was fetched or saved."""

    data: bytes
    name: str
    fetched: dt.date


def layout_error(file: str, expected: str) -> InputError:
    return InputError(f"not a recognised layout: expected {expected}", file=file)


def official(list_id: str) -> OfficialList:
    return official_lists().get(list_id)


def file_source(
    meta: OfficialList, file: str, when: dt.date, url: str = "", excerpt: str = ""
) -> Source:
    """The official file itself, as the source every entry read from it cites."""
    return Source(
        url=url or meta.url,
        title=f"{meta.title} — official file {file}",
        publisher=meta.publisher,
        date=when,
        excerpt=excerpt,
        reliability=Reliability.OFFICIAL_LIST,
    )


def make_entity(
    meta: OfficialList,
    name: str,
    listings: Sequence[Listing],
    *,
    aliases: Sequence[str] = (),
    schema: str = "Company",
    country: str = "",
    address: str = "",
    identifiers: Sequence[str] = (),
    notes: str = "",
) -> ReferenceEntity:
    clean = tidy(name)
    unique = tuple(dict.fromkeys(a for a in (tidy(a) for a in aliases) if a and a != clean))
    return ReferenceEntity(
        id=list_entry_id(meta.id, clean),
        schema=schema,
        name=clean,
        aliases=unique,
        country=country,
        address=address,
        identifiers=tuple(dict.fromkeys(identifiers)),
        listings=tuple(listings),
        notes=notes,
    )


_SPACE = re.compile(r"\s+")


def tidy(text: str) -> str:
    """One space between words (saved pages carry &nbsp; and line breaks inside names)."""
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip(" ,;")


def merge_same_name(entities: Sequence[ReferenceEntity]) -> tuple[ReferenceEntity, ...]:
    """Entries of one name (an entity in two sections, two orders against one firm) become one
    entity with all their listings and aliases."""
    merged: dict[str, ReferenceEntity] = {}
    for entity in entities:
        seen = merged.get(entity.id)
        if seen is None:
            merged[entity.id] = entity
            continue
        aliases = tuple(dict.fromkeys((*seen.aliases, *entity.aliases)))
        merged[entity.id] = ReferenceEntity(
            id=seen.id,
            schema=seen.schema,
            name=seen.name,
            aliases=aliases,
            country=seen.country or entity.country,
            address=seen.address or entity.address,
            identifiers=tuple(dict.fromkeys((*seen.identifiers, *entity.identifiers))),
            listings=(*seen.listings, *entity.listings),
            notes=" ".join(n for n in dict.fromkeys((seen.notes, entity.notes)) if n),
        )
    return tuple(merged.values())


_MONTH_DAY_YEAR = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%m/%d/%Y")


def us_date(text: str) -> dt.date:
    """`June 21, 2022`, `Jun 21, 2022` or `06/21/2022`; ValueError otherwise."""
    value = tidy(text).replace(" ,", ",")
    for pattern in _MONTH_DAY_YEAR:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)
