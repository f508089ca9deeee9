"""FollowTheMoney JSON lines → ReferenceEntity, with Sanction records turned into listings,
Address entities into addresses and coordinates, and links (Ownership, Directorship, Control,
UnknownLink, EconomicActivity) into Relations between the file's parties; an UnknownLink
`located_at` an Address entity gives the party that place (`located`).

Accepts flat entities (one per line, references by id) and the nested form OpenSanctions exports
(entities inside property values). Fragments of one entity on several lines are merged, as FtM
aggregation does. Other schemas, and links to entities not in the file, are counted, not imported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Unpack

from threadline import limits
from threadline.data.countries import normalise_country
from threadline.errors import InputError
from threadline.inputs.columns import header_key
from threadline.inputs.files import read_bytes
from threadline.inputs.listing import ListContext, ListOptions, cited_sources, effect_of
from threadline.inputs.rejects import Rejected
from threadline.inputs.values import iso_date
from threadline.model.entities import ListEffect, Listing, ReferenceEntity
from threadline.model.ftm import (
    COUNTRY_PROPS,
    ID_PROPS,
    LINKS,
    NAME_PROPS,
    SANCTION,
    SANCTION_SCHEMA,
    schema_read,
)
from threadline.model.graph import Relation, RelationKind
from threadline.model.provenance import Reliability, Source
from threadline.model.schemas import FTM_PARTY_SCHEMAS, Schema
from threadline.normalise.text import has_han

_KINDS = {header_key(kind.value): kind for kind in RelationKind}
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class FtmRead:
    """What a file held: imported entities, and a count of entities by schema left out."""

    entities: list[ReferenceEntity]
    ignored: dict[str, int]
    relations: list[Relation] = field(default_factory=list)
    # `located_at` links to an Address: (party id, the address as text, the link's sources).
    located: list[tuple[str, str, tuple[Source, ...]]] = field(default_factory=list)


@dataclass(slots=True)
class _Fragment:
    """An entity as read, before it becomes a ReferenceEntity (merged across lines)."""

    id: str
    schema: str
    line: int
    # Each property's values as the keys of a dict: an ordered set, so merging stays linear.
    props: dict[str, dict[str, None]] = field(default_factory=dict)
    datasets: list[str] = field(default_factory=list)
    first_seen: str = ""

    def first(self, *names: str) -> str:
        return next((v for name in names for v in self.props.get(name, ())), "")

    def all(self, *names: str) -> list[str]:
        return list(dict.fromkeys(v for name in names for v in self.props.get(name, ())))


def read_ftm_entities(path: Path, **options: Unpack[ListOptions]) -> list[ReferenceEntity]:
    """Parties of an FtM JSON-lines file with their listings (see `read_ftm` for the counts)."""
    return read_ftm(path, **options).entities


def read_ftm(
    path: Path, *, rejects: list[Rejected] | None = None, **options: Unpack[ListOptions]
) -> FtmRead:
    """`effect`, when given, overrides the effect read from each sanction's authority/programme.
    A bad line raises InputError, unless `rejects` is given: then it is added there and skipped
    (with what it holds; its fragments of other lines still count)."""
    return read_ftm_data(
        read_bytes(path, options.get("max_bytes")),
        ListContext(
            list_id=options.get("list_id") or path.stem,
            list_name=options.get("list_name") or "",
            effect=options.get("effect"),
            reliability=options.get("reliability", Reliability.USER_SUPPLIED),
            file=str(path),
            file_name=path.name,
        ),
        rejects,
    )


def read_ftm_data(
    data: bytes, context: ListContext, rejects: list[Rejected] | None = None
) -> FtmRead:
    """`read_ftm` on bytes already read, for the list `context` names."""
    fragments = _parse(data, context.file, rejects)
    listings: dict[str, list[Listing]] = {}
    for sanction in (f for f in fragments.values() if f.schema == SANCTION_SCHEMA):
        with _rejecting(sanction, rejects):
            listing = _sanction_listing(sanction, context)
            for target in sanction.all(SANCTION.entity):
                listings.setdefault(target, []).append(listing)
    entities: list[ReferenceEntity] = []
    relations: list[Relation] = []
    located: list[tuple[str, str, tuple[Source, ...]]] = []
    placed_at: set[str] = set()  # Address entities a party is located at
    ignored: Counter[str] = Counter()
    parties = {f.id for f in fragments.values() if f.schema in FTM_PARTY_SCHEMAS and f.all("name")}
    for fragment in fragments.values():
        if fragment.id in parties:
            _fold_addresses(fragment, fragments)
            with _rejecting(fragment, rejects):
                entities.append(_entity(fragment, listings.pop(fragment.id, []), context))
        elif fragment.schema in LINKS:
            found: list[Relation] = []
            places: list[tuple[str, str, tuple[Source, ...]]] = []
            with _rejecting(fragment, rejects):
                found = _relations(fragment, parties, context)
                places = _located(fragment, parties, fragments, context)
            relations.extend(found)
            located.extend(places)
            if places:
                target = LINKS[fragment.schema].target
                placed_at.update(
                    a
                    for a in fragment.all(target)
                    if a in fragments and fragments[a].schema == "Address"
                )
            ignored[fragment.schema] += not found and not places
        elif fragment.schema != SANCTION_SCHEMA:
            ignored[fragment.schema] += 1
    # Addresses of parties are imported with them; Sanction records whose target is not a party.
    ignored["Address"] -= len(
        {
            a
            for p in parties
            for a in fragments[p].all("addressEntity")
            if a in fragments and fragments[a].schema == "Address"
        }
        | placed_at
    )
    ignored[SANCTION_SCHEMA] += sum(len(unclaimed) for unclaimed in listings.values())
    return FtmRead(
        entities=entities,
        ignored={k: v for k, v in ignored.items() if v},
        relations=relations,
        located=located,
    )


@contextmanager
def _rejecting(fragment: _Fragment, rejects: list[Rejected] | None) -> Iterator[None]:
    """A value that cannot be read (a date) rejects its entity, when rejects are collected."""
    try:
        yield
    except InputError as exc:
        if rejects is None:
            raise
        rejects.append(
            Rejected(fragment.line, exc.reason, cells={"line": str(fragment.line), "json": ""})
        )


def _fold_addresses(party: _Fragment, fragments: dict[str, _Fragment]) -> None:
    """Address entities a party points to become its address text and coordinates."""
    for address_id in party.all("addressEntity"):
        address = fragments.get(address_id)
        if address is None or address.schema != "Address":
            continue
        full = address.first("full") or ", ".join(
            address.all("street", "city", "region", "postalCode", "country")
        )
        _add(party, "address", [full] if full else [])
        for prop in ("latitude", "longitude"):
            _add(party, prop, address.all(prop))


def _link_kind(link: _Fragment) -> RelationKind | None:
    kind = LINKS[link.schema].kind
    return kind or _KINDS.get(header_key(link.first("role")))


def _link_sources(link: _Fragment, context: ListContext) -> tuple[Source, ...]:
    urls = link.all("sourceUrl")
    title = f"{link.schema} {link.id}"
    excerpt = link.first("summary", "description", "role", "goodsDescription")
    return _cited(urls, title, excerpt, context) or _dataset_sources(link, context)


def _located(
    link: _Fragment, parties: set[str], fragments: dict[str, _Fragment], context: ListContext
) -> list[tuple[str, str, tuple[Source, ...]]]:
    """A party `located_at` an Address entity: the party and the address as text."""
    if _link_kind(link) is not RelationKind.LOCATED_AT:
        return []
    source_prop, target_prop = LINKS[link.schema].source, LINKS[link.schema].target
    addresses = [
        fragments[t]
        for t in link.all(target_prop)
        if t in fragments and fragments[t].schema == "Address"
    ]
    texts = [
        a.first("full") or ", ".join(a.all("street", "city", "region", "country"))
        for a in addresses
    ]
    sources = _link_sources(link, context) if texts else ()
    return [
        (party, text, sources)
        for party in link.all(source_prop)
        if party in parties
        for text in texts
        if text
    ]


def _relations(link: _Fragment, parties: set[str], context: ListContext) -> list[Relation]:
    """One Relation per (source, target) pair of a link whose two ends are parties here."""
    source_prop, target_prop = LINKS[link.schema].source, LINKS[link.schema].target
    kind = _link_kind(link)
    if kind is None:
        return []
    sources = _link_sources(link, context)
    percentage = link.first("percentage").rstrip("%").strip()
    try:
        share: float | None = float(percentage) if percentage else None
    except ValueError:
        share = None  # FtM percentages are free text ("majority"); kept in the description
    return [
        Relation(
            id=link.id,
            kind=kind,
            source_id=source,
            target_id=target,
            start=_date(link, context, "startDate", "date"),
            end=_date(link, context, "endDate"),
            share=share,
            description=" ".join(link.all("role", "ownershipType", "goodsDescription")),
            sources=sources,
        )
        for source in link.all(source_prop)
        if source in parties
        for target in link.all(target_prop)
        if target in parties
    ]


def _parse(data: bytes, file: str, rejects: list[Rejected] | None) -> dict[str, _Fragment]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not UTF-8 text (byte {exc.start}); FollowTheMoney JSON lines must be UTF-8",
            file=file,
        ) from exc
    fragments: dict[str, _Fragment] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = _load_line(line, number, file)
            if rejects is not None:
                _collect(value, number, file, {}, parent=None)  # fails before merging anything
            _collect(value, number, file, fragments, parent=None)
        except InputError as exc:
            if rejects is None:
                raise
            rejects.append(Rejected(number, exc.reason, cells={"line": str(number), "json": line}))
    if not fragments and not rejects:
        raise InputError("file is empty (only whitespace)", file=file)
    return fragments


def _load_line(line: str, number: int, file: str) -> Any:
    """One JSON line, within the limits on its length, nesting, numbers, values and text."""
    bounds = limits.current()
    if len(line) > bounds.line_bytes:
        raise limits.breach(
            f"line {number}: line too long", bounds.line_bytes, "line_bytes", file=file
        )

    def number_text(text: str) -> str:
        if len(text) > bounds.number_digits:
            raise limits.breach(
                f"line {number}: number too long", bounds.number_digits, "number_digits", file=file
            )
        return text  # FtM values are text: a number is kept as written

    try:
        value = json.loads(line, parse_int=number_text, parse_float=number_text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"line {number}: invalid JSON ({exc.msg} at character {exc.colno})", file=file
        ) from exc
    except RecursionError as exc:
        raise limits.breach(
            f"line {number}: JSON nested too deep", bounds.json_depth, "json_depth", file=file
        ) from exc
    # Escaped surrogates are the only way JSON can carry text that cannot be stored as UTF-8.
    _check_value(value, number, file, bounds, surrogates="\\ud" in line or "\\uD" in line)
    return value


def _check_value(
    value: Any, number: int, file: str, bounds: limits.Limits, *, surrogates: bool
) -> None:
    """Walk the value without recursion: nesting depth, list sizes, text length and encoding."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if len(item) > bounds.cell_chars:
                raise limits.breach(
                    f"line {number}: value too long", bounds.cell_chars, "cell_chars", file=file
                )
            if surrogates and _SURROGATE.search(item):
                raise InputError(
                    f"line {number}: text holds a lone surrogate (an escape such as \\ud800 "
                    "that is not a character); fix the JSON writer",
                    file=file,
                )
            continue
        if isinstance(item, dict):
            children: list[Any] = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            if len(item) > bounds.values_per_property:
                raise limits.breach(
                    f"line {number}: list too long",
                    bounds.values_per_property,
                    "values_per_property",
                    file=file,
                )
            children = item
        else:
            continue
        if depth > bounds.json_depth:
            raise limits.breach(
                f"line {number}: JSON nested too deep", bounds.json_depth, "json_depth", file=file
            )
        stack.extend((child, depth + 1) for child in children)


def _collect(
    value: Any, line: int, file: str, into: dict[str, _Fragment], parent: str | None
) -> _Fragment:
    """Add one entity (and those nested in it) to `into`, merging fragments with the same id."""
    if not isinstance(value, dict):
        raise InputError(
            f"line {line}: expected a JSON object (one FollowTheMoney entity per line)", file=file
        )
    entity_id = _required_text(value, "id", line, file)
    schema = _required_text(value, "schema", line, file)
    props = value.get("properties", {})
    if not isinstance(props, dict):
        raise InputError(f"line {line}: 'properties' of {entity_id} is not an object", file=file)
    fragment = into.setdefault(entity_id, _Fragment(id=entity_id, schema=schema, line=line))
    if fragment.schema == Schema.LEGAL_ENTITY and schema in FTM_PARTY_SCHEMAS:
        fragment.schema = schema  # the more specific schema wins, as FtM merging does
    for name, values in props.items():
        for item in values if isinstance(values, list) else [values]:
            if isinstance(item, dict):
                nested = _collect(item, line, file, into, parent=entity_id)
                if nested.schema == "Address":
                    _add(fragment, "address", nested.all("full"))
                _add(fragment, name, [nested.id])
            elif item is not None and str(item).strip():
                _add(fragment, name, [str(item).strip()])
    if schema == SANCTION_SCHEMA and parent and not fragment.props.get(SANCTION.entity):
        _add(fragment, SANCTION.entity, [parent])  # nested under its target, which it leaves implicit
    datasets = value.get("datasets")
    if isinstance(datasets, list):
        known = set(fragment.datasets)
        fresh = dict.fromkeys(d for d in datasets if isinstance(d, str) and d not in known)
        fragment.datasets.extend(fresh)
    first_seen = value.get("first_seen")
    if isinstance(first_seen, str) and (
        not fragment.first_seen or first_seen < fragment.first_seen
    ):
        fragment.first_seen = first_seen
    return fragment


def _required_text(value: dict[str, Any], key: str, line: int, file: str) -> str:
    got = value.get(key)
    if not isinstance(got, str) or not got:
        raise InputError(f"line {line}: entity has no '{key}'", file=file)
    return got


def _add(fragment: _Fragment, prop: str, values: list[str]) -> None:
    fragment.props.setdefault(prop, {}).update(dict.fromkeys(values))


def _entity(fragment: _Fragment, listings: list[Listing], context: ListContext) -> ReferenceEntity:
    names = fragment.all(*NAME_PROPS)
    chinese = [n for n in names if has_han(n)]
    latin = [n for n in names if not has_han(n)]
    primary = (latin or chinese)[0]
    if not listings and "sanction" in fragment.all("topics"):
        listings = [_topic_listing(fragment, context)]
    country = fragment.first(*COUNTRY_PROPS)
    topics = fragment.all("topics")
    return ReferenceEntity(
        id=fragment.id,
        schema=schema_read(fragment.schema, fragment.all("classification")),
        name=primary,
        aliases=tuple(n for n in latin if n != primary),
        names_zh=tuple(n for n in chinese if n != primary),
        country=_country(country),
        address=" | ".join(fragment.all("address")),
        identifiers=tuple(fragment.all(*ID_PROPS)),
        listings=tuple(listings),
        parent_id=fragment.first("parent"),
        sector=fragment.first("sector"),
        notes=" | ".join(fragment.all("notes")),
        extra=(
            *((("topics", ", ".join(topics)),) if topics else ()),
            *((prop, value) for prop in ("latitude", "longitude") for value in fragment.all(prop)),
        ),
    )


def _cited(
    urls: Sequence[str], title: str, excerpt: str, context: ListContext
) -> tuple[Source, ...]:
    """The URLs a fragment cites, each classified by its address (none: empty)."""
    if not urls:
        return ()
    return cited_sources([(url, title) for url in urls], context, where="", excerpt=excerpt)


def _sanction_listing(sanction: _Fragment, context: ListContext) -> Listing:
    authority = sanction.first(SANCTION.authority)
    program = sanction.first(SANCTION.program, "programId")
    list_name = (
        context.list_name or authority or program or _first(sanction.datasets) or context.list_id
    )
    described = " ".join(
        [*sanction.all(SANCTION.authority, SANCTION.program, "programId"), *sanction.datasets]
    )
    title = " — ".join(part for part in (authority, program) if part) or list_name
    excerpt = sanction.first(SANCTION.product_scope, "summary")
    sources = list(_cited(sanction.all("sourceUrl"), title, excerpt, context))
    stated = _stated_effect(sanction)
    return Listing(
        list_id=context.list_id,
        list_name=list_name,
        effect=context.effect or stated or effect_of(described),
        entry_id=sanction.first(SANCTION.entry_id, "unscId") or sanction.id,
        program=program,
        date_listed=_date(sanction, context, SANCTION.listed, SANCTION.start, "date"),
        date_removed=_date(sanction, context, SANCTION.end),
        # Only threadline's own export (which states its effect) writes a product scope there.
        product_scope=sanction.first(SANCTION.product_scope) if stated else "",
        status=sanction.first(SANCTION.status),
        sources=(*sources, *_dataset_sources(sanction, context)),
    )


def _stated_effect(sanction: _Fragment) -> ListEffect | None:
    """The effect threadline's own export writes in `provisions`, read back as it was."""
    values = {effect.value: effect for effect in ListEffect}
    return next((values[p] for p in sanction.all(SANCTION.effect) if p in values), None)


def _topic_listing(fragment: _Fragment, context: ListContext) -> Listing:
    """An entity tagged 'sanction' without a Sanction record: listed by its datasets."""
    return Listing(
        list_id=context.list_id,
        list_name=context.list_name or _first(fragment.datasets) or context.list_id,
        effect=context.effect or effect_of(" ".join(fragment.datasets)),
        entry_id=fragment.id,
        sources=_dataset_sources(fragment, context),
    )


def _dataset_sources(fragment: _Fragment, context: ListContext) -> tuple[Source, ...]:
    """The datasets a record came from; the file and line when it names none."""
    seen = _parse_date(fragment.first_seen[:10], fragment, context, "first_seen")
    return cited_sources(
        [("", name) for name in fragment.datasets],
        context,
        where=f"line {fragment.line}",
        date=seen if fragment.datasets else None,
    )


def _date(fragment: _Fragment, context: ListContext, *props: str) -> dt.date | None:
    return _parse_date(fragment.first(*props)[:10], fragment, context, "/".join(props))


def _parse_date(value: str, fragment: _Fragment, context: ListContext, prop: str) -> dt.date | None:
    try:
        return iso_date(value)
    except ValueError as exc:
        raise InputError(
            f"line {fragment.line}: {prop} '{value}' of {fragment.id} is not an ISO date",
            file=context.file,
        ) from exc


def _country(value: str) -> str:
    """FtM countries are lower-case ISO codes ('cn'); anything else goes through the normaliser."""
    if len(value) == 2 and value.isascii() and value.isalpha():
        return value.upper()
    return normalise_country(value) if value else ""


def _first(values: list[str]) -> str:
    return values[0] if values else ""
