"""A user's restricted-party list (CSV, TSV, XLSX) → ReferenceEntity, one per row.

Columns are guessed from headers (data/columns.yaml, `reference`) or named by the caller; the
bundled lists name theirs in their metadata. Every row gets a listing on this list and at least
one source: its own source_url/source_title, or else the file and row it came from.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

from threadline.data.countries import normalise_country
from threadline.data.input_vocab import load_column_vocabulary
from threadline.errors import DataError, InputError, listed
from threadline.inputs.columns import find_column, header_key, match_headers
from threadline.inputs.ftm import read_ftm_entities
from threadline.inputs.listing import ListContext, ListOptions, cited_sources
from threadline.inputs.rejects import Rejected
from threadline.inputs.tables import Table, read_table
from threadline.inputs.values import iso_date, split_multi, split_pipe
from threadline.model.entities import ListEffect, Listing, ReferenceEntity
from threadline.model.ids import list_entry_id
from threadline.model.provenance import Reliability, Source
from threadline.model.schemas import LIST_SCHEMAS, Schema

_KINDS = {header_key(kind): kind.value for kind in LIST_SCHEMAS}
_KINDS[header_key("Organisation")] = Schema.ORGANIZATION.value
_EFFECTS = {header_key(effect.value): effect for effect in ListEffect}
_FTM_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})


@dataclass(frozen=True, slots=True)
class _Row:
    """One data row with its fields looked up through the column mapping."""

    number: int
    cells: Mapping[str, str]
    columns: Mapping[str, str]
    mapped: frozenset[str]  # the columns' headers, so the other cells become `extra`

    def get(self, field: str) -> str:
        column = self.columns.get(field)
        return self.cells[column] if column else ""


def read_reference(
    path: Path, *, listings: bool = True, **options: Unpack[ListOptions]
) -> list[ReferenceEntity]:
    """A reference file of either kind: FtM JSON lines (by extension, or a first character '{'),
    else a table. `listings=False` is for matching only (see `_matching_entities`)."""
    if _is_ftm(path):
        read = read_ftm_entities
    else:
        read = read_reference_table if listings else _read_for_matching
    return read(path, **options)


def _is_ftm(path: Path) -> bool:
    if path.suffix.lower() in _FTM_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False  # the table reader explains what is wrong with the path
    return head.removeprefix(codecs.BOM_UTF8).lstrip()[:1] == b"{"


def read_reference_table(
    path: Path,
    *,
    columns: Mapping[str, str] | None = None,
    expected_rows: int | None = None,
    rejects: list[Rejected] | None = None,
    **options: Unpack[ListOptions],
) -> list[ReferenceEntity]:
    """Read a list table. `columns` maps field → header; `effect` is the default for rows
    without an `effect` cell; `expected_rows` guards bundled lists against silent truncation.
    A bad row raises InputError, unless `rejects` is given: then it is added there and skipped."""
    table = read_table(path, max_bytes=options.get("max_bytes"))
    found = _fields(table, columns)
    if expected_rows is not None and len(table.rows) != expected_rows:
        raise DataError(f"{table.file}: expected {expected_rows} rows, found {len(table.rows)}")
    context = _context(path, table, options)
    return _read_rows(table, found, context, rejects)


def _read_for_matching(path: Path, **options: Unpack[ListOptions]) -> list[ReferenceEntity]:
    """The table's entities without listings or extra cells, checked as strictly as the full
    reader: on any doubt about a row, the full reader reads the table and names what is wrong."""
    table = read_table(path, max_bytes=options.get("max_bytes"))
    found = _fields(table, None)
    context = _context(path, table, options)
    position = {column: index for index, column in enumerate(table.header)}
    blank = [""] * len(table.rows)
    columns = {
        field: blank if at is None else [cells[at] for _, cells in table.rows]
        for field in (*_MATCHING_FIELDS, *_CHECKED, "source_url", "source_title")
        for at in [position.get(found.get(field, ""))]
    }
    del table  # its rows go before the entities are made: the columns hold what is read
    entities = _matching_entities(columns, context)
    if entities is None:
        return read_reference_table(path, **options)
    return entities


def _fields(table: Table, columns: Mapping[str, str] | None) -> dict[str, str]:
    """Field → the table's header for it: given by the caller, else guessed."""
    vocabulary = load_column_vocabulary().reference
    given: dict[str, str] = {}
    for field, column in (columns or {}).items():
        if field not in vocabulary:
            raise DataError(
                f"unknown reference field '{field}' in a column mapping; "
                f"fields are: {', '.join(vocabulary)}"
            )
        given[field] = find_column(table.header, column, what=f"the {field} field", file=table.file)
    found = match_headers(table.header, vocabulary, given=given)
    if "name" not in found:
        raise InputError(
            f"no name column found; columns are: {listed(table.header)}; "
            "call the names column 'name'",
            file=table.file,
        )
    return found


def _context(path: Path, table: Table, options: ListOptions) -> ListContext:
    resolved_id = options.get("list_id") or path.stem
    return ListContext(
        list_id=resolved_id,
        list_name=options.get("list_name") or resolved_id,
        effect=options.get("effect") or ListEffect.USER,
        reliability=options.get("reliability", Reliability.USER_SUPPLIED),
        file=table.file,
        file_name=path.name,
    )


def _matching_entities(
    columns: Mapping[str, list[str]], context: ListContext
) -> list[ReferenceEntity] | None:
    """What matching reads of each row, column by column: a fifth of the time `_entity` takes
    (no Listing or Source objects, no per-row dict), and less memory for a large reference.
    None when a row may be wrong: its effect, kind, dates or source titles, an empty name or
    a repeated id (the full reader then says which and where)."""
    if not all(_valid_cells(columns[field], check) for field, check in _CHECKED.items()):
        return None
    for urls, titles in zip(columns["source_url"], columns["source_title"], strict=True):
        if urls and titles and len(split_pipe(urls)) != len(split_pipe(titles)):
            return None
    kinds = {value: _KINDS[header_key(value)] for value in set(columns["kind"]) if value}
    countries = {value: normalise_country(value) for value in set(columns["country"]) if value}
    # Cells that repeat (a city as the address, a sector) become one string each.
    repeated: dict[str, str] = {}
    company = Schema.COMPANY.value
    entities: list[ReferenceEntity] = []
    seen: set[str] = set()
    rows = zip(*(columns[field] for field in _MATCHING_FIELDS), strict=True)
    for name, entity_id, aliases, names_zh, country, address, identifiers, kind, *rest in rows:
        if not name:
            return None
        entity_id = entity_id or list_entry_id(context.list_id, name)
        if entity_id in seen:
            return None
        seen.add(entity_id)
        parent_id, sector, notes = rest
        entities.append(
            _reference_entity(
                entity_id,
                kinds[kind] if kind else company,
                name,
                aliases,
                names_zh,
                countries[country] if country else "",
                repeated.setdefault(address, address),
                identifiers,
                parent_id,
                repeated.setdefault(sector, sector),
                notes,
            )
        )
    return entities


def _reference_entity(
    entity_id: str,
    schema: str,
    name: str,
    aliases: str,
    names_zh: str,
    country: str,
    address: str,
    identifiers: str,
    parent_id: str,
    sector: str,
    notes: str,
    listings: tuple[Listing, ...] = (),
    extra: tuple[tuple[str, str], ...] = (),
) -> ReferenceEntity:
    """An entity from a row's cells, for both readers: multi-valued cells split, the primary
    name not repeated among its aliases."""
    return ReferenceEntity(
        id=entity_id,
        schema=schema,
        name=name,
        aliases=tuple(a for a in split_multi(aliases) if a != name) if aliases else (),
        names_zh=tuple(split_multi(names_zh)) if names_zh else (),
        country=country,
        address=address,
        identifiers=tuple(split_multi(identifiers)) if identifiers else (),
        listings=listings,
        parent_id=parent_id,
        sector=sector,
        notes=notes,
        extra=extra,
    )


_MATCHING_FIELDS = (
    "name",
    "id",
    "aliases",
    "name_zh",
    "country",
    "address",
    "identifiers",
    "kind",
    "parent_id",
    "sector",
    "notes",
)


def _valid_cells(cells: list[str], check: Callable[[str], bool]) -> bool:
    """Every distinct value of a column passes `check` (a column repeats a few values)."""
    return all(check(value) for value in set(cells) if value)


def _is_date(value: str) -> bool:
    try:
        iso_date(value)
    except ValueError:
        return False
    return True


# The cells the full reader rejects, other than names and ids: read only to be checked here.
_CHECKED: dict[str, Callable[[str], bool]] = {
    "kind": lambda value: header_key(value) in _KINDS,
    "effect": lambda value: header_key(value) in _EFFECTS,
    "date_listed": _is_date,
    "date_removed": _is_date,
}


def _read_rows(
    table: Table, found: Mapping[str, str], context: ListContext, rejects: list[Rejected] | None
) -> list[ReferenceEntity]:
    entities: list[ReferenceEntity] = []
    first_row: dict[str, int] = {}
    mapped = frozenset(found.values())
    for number, cells in table.rows:
        row = _Row(number, dict(zip(table.header, cells, strict=True)), found, mapped)
        try:
            entity = _entity(row, context)
            if entity.id in first_row:
                raise InputError(
                    f"duplicate id '{entity.id}' in rows {first_row[entity.id]} and {number}"
                    + ("" if "id" in found else " (same name, no id column)"),
                    file=table.file,
                    row=number,
                    column=found.get("id"),
                )
        except InputError as exc:
            if rejects is None:
                raise
            rejects.append(Rejected.from_error(exc, row.cells))
            continue
        first_row[entity.id] = number
        entities.append(entity)
    return entities


def _entity(row: _Row, context: ListContext) -> ReferenceEntity:
    name = row.get("name")
    if not name:
        raise _row_error(row, context, "name", "name is empty")
    entity_id = row.get("id") or list_entry_id(context.list_id, name)
    country_raw = row.get("country")
    country = normalise_country(country_raw) if country_raw else ""
    extra = [
        (column, value) for column, value in row.cells.items() if value and column not in row.mapped
    ]
    if country_raw and not country:
        extra.append(("country_raw", country_raw))
    return _reference_entity(
        entity_id,
        _kind(row, context),
        name,
        row.get("aliases"),
        row.get("name_zh"),
        country,
        row.get("address"),
        row.get("identifiers"),
        row.get("parent_id"),
        row.get("sector"),
        row.get("notes"),
        _listings(row, context, entity_id),
        tuple(extra),
    )


def _listings(row: _Row, context: ListContext, entry_id: str) -> tuple[Listing, ...]:
    """One listing per list named in the `list` cell (' | ' separated), else one on this list."""
    effect = _effect(row, context)
    sources = _sources(row, context)
    dates = {field: _date(row, context, field) for field in ("date_listed", "date_removed")}
    return tuple(
        Listing(
            list_id=context.list_id,
            list_name=list_name,
            effect=effect,
            entry_id=entry_id,
            program=row.get("program"),
            section=row.get("list_section"),
            date_listed=dates["date_listed"],
            date_removed=dates["date_removed"],
            product_scope=row.get("product_scope"),
            status=row.get("status"),
            sources=sources,
            notes=row.get("notes"),
        )
        for list_name in split_pipe(row.get("list")) or [context.list_name]
    )


def _sources(row: _Row, context: ListContext) -> tuple[Source, ...]:
    urls, titles = split_pipe(row.get("source_url")), split_pipe(row.get("source_title"))
    if urls and titles and len(urls) != len(titles):
        raise _row_error(
            row,
            context,
            "source_title",
            f"has {len(titles)} titles for {len(urls)} source URLs; "
            "give one title per URL, in the same order, separated by ' | '",
        )
    if urls:
        pairs = list(zip(urls, titles or [""] * len(urls), strict=True))
    else:
        pairs = [("", title) for title in titles]
    return cited_sources(pairs, context, where=f"row {row.number}")


def _date(row: _Row, context: ListContext, field: str) -> dt.date | None:
    value = row.get(field)
    try:
        return iso_date(value)
    except ValueError as exc:
        raise _row_error(
            row, context, field, f"date '{value}' is not YYYY-MM-DD (or YYYY-MM, YYYY)"
        ) from exc


def _kind(row: _Row, context: ListContext) -> str:
    value = row.get("kind")
    if not value:
        return Schema.COMPANY.value
    kind = _KINDS.get(header_key(value))
    if kind is None:
        raise _row_error(
            row,
            context,
            "kind",
            f"kind '{value}' is not one of {', '.join(sorted(set(_KINDS.values())))}",
        )
    return kind


def _effect(row: _Row, context: ListContext) -> ListEffect:
    value = row.get("effect")
    if not value:
        return context.effect or ListEffect.USER
    effect = _EFFECTS.get(header_key(value))
    if effect is None:
        raise _row_error(
            row,
            context,
            "effect",
            f"effect '{value}' is not one of {', '.join(e.value for e in ListEffect)}",
        )
    return effect


def _row_error(row: _Row, context: ListContext, field: str, message: str) -> InputError:
    return InputError(message, file=context.file, row=row.number, column=row.columns.get(field))
