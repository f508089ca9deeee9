"""The bundled lists: metadata (publisher, as-of date, licence, expected rows) and their entities.

Each list lives in `lists/<id>/` as `entries.csv` (verbatim copy of the compiled list) beside a
`metadata.yaml` that names its columns and asserts its row count, so a damaged or edited copy
fails loudly instead of screening against half a list.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.errors import DataError
from threadline.model import DatasetInfo, ListEffect, ReferenceEntity, Reliability, SameAs

_LISTS = ("uflpa", "cbp_wro", "bis_xinjiang", "sanctions_xinjiang")
BY_PROGRAM = "by_program"


@dataclass(frozen=True, slots=True)
class ListMetadata:
    id: str
    title: str
    publisher: str
    url: str
    as_of: str
    licence: str
    attribution: str
    effect: str  # a ListEffect value, or BY_PROGRAM
    reliability: Reliability
    expected_rows: int
    columns: dict[str, str]
    coverage: str = ""  # what the bundled rows cover of the official list, and what is missing

    def info(self) -> DatasetInfo:
        return DatasetInfo(
            id=self.id,
            title=self.title,
            publisher=self.publisher,
            as_of=self.as_of,
            licence=self.licence,
            url=self.url,
            rows=self.expected_rows,
            attribution=self.attribution,
        )


def _root() -> Traversable:
    return resources.files("threadline.data")


def _parse_metadata(list_id: str, data: Any) -> ListMetadata:
    try:
        effect = str(data["effect"])
        if effect != BY_PROGRAM:
            ListEffect(effect)
        return ListMetadata(
            id=str(data["id"]),
            title=str(data["title"]),
            publisher=str(data["publisher"]),
            url=str(data.get("url", "")),
            as_of=str(data["as_of"]),
            licence=str(data["licence"]),
            attribution=str(data.get("attribution", "")).strip(),
            effect=effect,
            reliability=Reliability[str(data["reliability"]).upper()],
            expected_rows=int(data["expected_rows"]),
            columns={str(k): str(v) for k, v in data["columns"].items()},
            coverage=" ".join(str(data.get("coverage", "")).split()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid(f"lists/{list_id}/metadata.yaml", exc) from exc


@lru_cache(maxsize=1)
def bundled_lists() -> tuple[ListMetadata, ...]:
    out = []
    for list_id in _LISTS:
        text = _root().joinpath(f"lists/{list_id}/metadata.yaml").read_text(encoding="utf-8")
        out.append(_parse_metadata(list_id, parse_yaml(text)))
    return tuple(out)


def bundled_entities() -> list[ReferenceEntity]:
    """Every entity of every bundled list, each with its listing and sources."""
    return [e for meta in bundled_lists() for e in bundled_entities_by_list(meta)]


def bundled_entities_by_list(meta: ListMetadata) -> list[ReferenceEntity]:
    from threadline.inputs.reference import read_reference_table

    with resources.as_file(_root().joinpath(f"lists/{meta.id}/entries.csv")) as path:
        rows = read_reference_table(
            Path(path),
            list_id=meta.id,
            list_name=meta.title,
            effect=None if meta.effect == BY_PROGRAM else ListEffect(meta.effect),
            reliability=meta.reliability,
            columns=meta.columns,
            expected_rows=meta.expected_rows,
        )
    if meta.effect == BY_PROGRAM:
        rows = [_effect_by_program(e) for e in rows]
    return rows


def _effect_by_program(entity: ReferenceEntity) -> ReferenceEntity:
    from threadline.inputs.listing import effect_of

    listings = tuple(replace(lst, effect=effect_of(lst.program)) for lst in entity.listings)
    return replace(entity, listings=listings)


@lru_cache(maxsize=1)
def data_version() -> str:
    """A short content hash of every packaged data file named in data/manifest.yaml."""
    digest = hashlib.sha256()
    for name in manifest_files():
        path = _root().joinpath(name)
        if not path.is_file():
            raise DataError(f"packaged data file {name} is named in manifest.yaml but missing")
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def manifest_files() -> tuple[str, ...]:
    """The packaged data files, as data/manifest.yaml lists them (paths under data/)."""
    data = parse_yaml(_root().joinpath("manifest.yaml").read_text(encoding="utf-8"))
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise DataError("packaged data: manifest.yaml must hold `files:`, a list of paths")
    return tuple(files)


_SAME_AS_COLUMNS = ["id", "other_id", "why", "source"]


@lru_cache(maxsize=1)
def load_same_as() -> tuple[SameAs, ...]:
    """The reviewed same-company links between bundled entries (lists/same_as.csv). Each row
    needs both ids, a reason and a source; an id folded into another is never itself kept, so
    every company has one kept id."""
    text = _root().joinpath("lists/same_as.csv").read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text))
    if next(reader, None) != _SAME_AS_COLUMNS:
        raise DataError(f"lists/same_as.csv: the header must be {','.join(_SAME_AS_COLUMNS)}")
    links: list[SameAs] = []
    for number, cells in enumerate(reader, start=2):
        if len(cells) != len(_SAME_AS_COLUMNS) or not all(c.strip() for c in cells):
            raise DataError(
                f"lists/same_as.csv, row {number}: every row needs id,other_id,why,source"
            )
        links.append(SameAs(*(c.strip() for c in cells)))
    kept = {link.id for link in links}
    seen: set[str] = set()
    for number, link in enumerate(links, start=2):
        if link.other_id in kept or link.other_id in seen or link.id == link.other_id:
            raise DataError(
                f"lists/same_as.csv, row {number}: '{link.other_id}' is already kept or folded; "
                "link every entry of one company to the same kept id"
            )
        seen.add(link.other_id)
    return tuple(links)


def same_company(entity_id: str) -> list[SameAs]:
    """The reviewed links of the company `entity_id` belongs to (empty: none)."""
    links = load_same_as()
    kept = next((link.id for link in links if entity_id in (link.id, link.other_id)), None)
    return [link for link in links if link.id == kept]


def same_company_ids(entity_id: str) -> list[str]:
    """Every entry id of the company `entity_id` belongs to, the kept one first (empty: none)."""
    links = same_company(entity_id)
    return [links[0].id, *(x.other_id for x in links)] if links else []


def data_as_of() -> dict[str, str]:
    return {meta.id: meta.as_of for meta in bundled_lists()}
