"""The bundled lists: metadata (publisher, as-of date, licence, expected rows) and their entities.

Each list lives in `lists/<id>/` as `entries.csv` (verbatim copy of the compiled list) beside a
`metadata.yaml` that names its columns and asserts its row count, so a damaged or edited copy
fails loudly instead of screening against half a list.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from threadline.errors import DataError
from threadline.model import DatasetInfo, ListEffect, ReferenceEntity, Reliability

_LISTS = ("uflpa", "cbp_wro", "bis_xinjiang", "sanctions_xinjiang")
# Files whose content decides results; their hash is the data version printed in every output.
_VERSIONED_DIRS = ("lists", "geo", "vocab", "algorithms", "rules")
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
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"packaged list {list_id}: metadata.yaml is malformed ({exc!r})") from exc


@lru_cache(maxsize=1)
def bundled_lists() -> tuple[ListMetadata, ...]:
    out = []
    for list_id in _LISTS:
        text = _root().joinpath(f"lists/{list_id}/metadata.yaml").read_text(encoding="utf-8")
        out.append(_parse_metadata(list_id, yaml.safe_load(text)))
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
    """A short content hash of every packaged file that can change a result."""
    digest = hashlib.sha256()
    for directory in _VERSIONED_DIRS:
        folder = _root().joinpath(directory)
        if not folder.is_dir():
            continue
        for path in sorted(_walk(folder), key=lambda p: p[0]):
            digest.update(path[0].encode())
            digest.update(path[1].read_bytes())
    return digest.hexdigest()[:12]


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    out: list[tuple[str, Traversable]] = []
    for child in folder.iterdir():
        name = f"{prefix}{child.name}"
        if child.is_dir():
            if child.name != "__pycache__":
                out.extend(_walk(child, f"{name}/"))
        elif not child.name.endswith(".pyc"):
            out.append((name, child))
    return out


def data_as_of() -> dict[str, str]:
    return {meta.id: meta.as_of for meta in bundled_lists()}
