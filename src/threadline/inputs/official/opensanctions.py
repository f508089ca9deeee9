"""OpenSanctions exports: FollowTheMoney JSON lines (entities.ftm.json, read by the FtM reader)
and targets.simple.csv (id, schema, name, aliases, …, sanctions, program_ids, dataset, …;
several values joined with ';'). Licensed CC BY-NC 4.0: non-commercial use only.

A dataset that is one of threadline's lists (us_dhs_uflpa → uflpa …, official_lists.yaml)
refreshes that list; any other becomes a list of its own, `opensanctions_<dataset>`. Persons
are left out: threadline screens entities.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from threadline.data.official import OfficialList, official_lists
from threadline.errors import InputError
from threadline.inputs.ftm import read_ftm_data
from threadline.inputs.listing import ListContext, effect_of
from threadline.inputs.official import tables
from threadline.inputs.official.base import (
    FileInput,
    ParsedFile,
    ParsedList,
    file_source,
    layout_error,
    make_entity,
)
from threadline.model import Listing, ReferenceEntity, Reliability
from threadline.model.entities import ListEffect
from threadline.model.schemas import Schema

SOURCE_FTM = "opensanctions_ftm"
SOURCE_SIMPLE = "opensanctions_simple_csv"
_SIMPLE_COLUMNS = ("id", "schema", "name", "aliases", "sanctions", "dataset")
_LICENCE = "CC BY-NC 4.0 (OpenSanctions; non-commercial use only)"


def looks_like_ftm(head: bytes) -> bool:
    text = head.decode("utf-8", "replace").lstrip("\ufeff \r\n\t")
    return text.startswith("{") and '"schema"' in text.split("\n", 1)[0]


def looks_like_simple(head: bytes) -> bool:
    first = tables.key(tables.decode(head, "utf-8").splitlines()[0] if head else "")
    return first.startswith("id,schema,name,aliases")


def _list_for(dataset: str, effect: ListEffect) -> OfficialList:
    catalogue = official_lists()
    slug = re.sub(r"[^a-z0-9]+", "_", dataset.lower()).strip("_") or "export"
    mapped = catalogue.opensanctions.get(slug)
    if mapped:
        return catalogue.get(mapped)
    return OfficialList(
        id=f"opensanctions_{slug}",
        title=f"OpenSanctions {dataset}",
        publisher="OpenSanctions",
        url=f"https://www.opensanctions.org/datasets/{dataset}/",
        licence=_LICENCE,
        effect=effect,
    )


def parse_ftm(item: FileInput) -> ParsedFile:
    context = ListContext(
        list_id="opensanctions",
        list_name="",
        effect=None,
        reliability=Reliability.OFFICIAL_LIST,
        file=item.name,
        file_name=item.name,
    )
    read = read_ftm_data(item.data, context)
    entities = [e for e in read.entities if e.schema != Schema.PERSON and e.listings]
    if not entities:
        raise InputError("no sanctioned entities in the FollowTheMoney file", file=item.name)
    datasets = Counter(
        s.title
        for e in entities
        for lst in e.listings
        for s in lst.sources
        if s.title and not s.url
    )
    dataset = datasets.most_common(1)[0][0] if datasets else "ftm"
    effects = Counter(lst.effect for e in entities for lst in e.listings)
    meta = _list_for(dataset, effects.most_common(1)[0][0])
    source = file_source(meta, item.name, item.fetched)
    rows = tuple(
        make_entity(
            meta,
            e.name,
            [
                Listing(
                    list_id=meta.id,
                    list_name=meta.title,
                    effect=meta.effect,
                    entry_id="",
                    program=lst.program,
                    date_listed=lst.date_listed,
                    date_removed=lst.date_removed,
                    status=lst.status,
                    sources=(*(s for s in lst.sources if s.url), source),
                )
                for lst in e.listings
            ],
            aliases=(*e.aliases, *e.names_zh),
            schema=e.schema,
            country=e.country,
            address=e.address,
            identifiers=e.identifiers,
        )
        for e in entities
    )
    skipped = {"persons": sum(1 for e in read.entities if e.schema == Schema.PERSON)}
    return ParsedFile(
        SOURCE_FTM,
        item.name,
        item.fetched,
        (ParsedList(meta, rows),),
        {k: v for k, v in skipped.items() if v},
    )


def parse_simple(item: FileInput) -> ParsedFile:
    reader = csv.DictReader(io.StringIO(tables.decode(item.data, "utf-8")))
    header = [tables.key(h) for h in reader.fieldnames or []]
    missing = [c for c in _SIMPLE_COLUMNS if c not in header]
    if missing:
        raise layout_error(
            item.name, f"OpenSanctions targets.simple.csv: columns {', '.join(missing)}"
        )
    by_list: dict[str, tuple[OfficialList, list[ReferenceEntity]]] = {}
    persons = 0
    for number, raw in enumerate(reader, start=2):
        row = {tables.key(k): (v or "").strip() for k, v in raw.items() if k}
        if row["schema"] == Schema.PERSON:
            persons += 1
            continue
        if not row["name"]:
            raise InputError(f"row {number}: name is empty", file=item.name)
        described = " ".join((row["sanctions"], row.get("program_ids", ""), row["dataset"]))
        dataset = row["dataset"].split(";")[0].strip() or "opensanctions"
        meta = _list_for(dataset, effect_of(described))
        listing = Listing(
            list_id=meta.id,
            list_name=meta.title,
            effect=meta.effect,
            entry_id="",
            program=row.get("program_ids", ""),
            sources=(file_source(meta, item.name, item.fetched, excerpt=row["sanctions"][:500]),),
        )
        entity = make_entity(
            meta,
            row["name"],
            [listing],
            aliases=[a for a in row["aliases"].split(";") if a.strip()],
            schema=row["schema"] or "LegalEntity",
            country=(row.get("countries", "").split(";")[0].strip().upper()),
            address=" | ".join(a.strip() for a in row.get("addresses", "").split(";") if a.strip()),
            identifiers=[i.strip() for i in row.get("identifiers", "").split(";") if i.strip()],
        )
        by_list.setdefault(meta.id, (meta, []))[1].append(entity)
    if not by_list:
        raise InputError("no entities in targets.simple.csv (truncated file?)", file=item.name)
    lists = tuple(ParsedList(meta, tuple(found)) for meta, found in by_list.values())
    return ParsedFile(
        SOURCE_SIMPLE, item.name, item.fetched, lists, {"persons": persons} if persons else {}
    )
