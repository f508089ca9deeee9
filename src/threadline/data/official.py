"""The official lists `threadline data update` refreshes (official_lists.yaml), validated."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from threadline.data import parse_yaml
from threadline.data.check import invalid
from threadline.errors import DataError
from threadline.model import DatasetInfo, ListEffect


@dataclass(frozen=True, slots=True)
class OfficialList:
    id: str
    title: str
    publisher: str
    url: str
    licence: str
    effect: ListEffect
    related: tuple[str, ...] = ()

    def info(self, as_of: str) -> DatasetInfo:
        return DatasetInfo(
            id=self.id,
            title=self.title,
            publisher=self.publisher,
            as_of=as_of,
            licence=self.licence,
            url=self.url,
        )


@dataclass(frozen=True, slots=True)
class OfficialCatalogue:
    lists: dict[str, OfficialList]
    downloads: dict[str, str]
    licence_notices: dict[str, str]
    opensanctions: dict[str, str]  # OpenSanctions dataset → list id

    def get(self, list_id: str) -> OfficialList:
        return self.lists[list_id]


@lru_cache(maxsize=1)
def official_lists() -> OfficialCatalogue:
    text = resources.files("threadline.data").joinpath("official_lists.yaml").read_text("utf-8")
    return _parse(parse_yaml(text))


def _parse(data: Any) -> OfficialCatalogue:
    try:
        lists = {
            str(item["id"]): OfficialList(
                id=str(item["id"]),
                title=str(item["title"]),
                publisher=str(item["publisher"]),
                url=str(item["url"]),
                licence=str(item["licence"]),
                effect=ListEffect(str(item["effect"])),
                related=tuple(str(r) for r in item.get("related", [])),
            )
            for item in data["lists"]
        }
        catalogue = OfficialCatalogue(
            lists=lists,
            downloads={str(k): str(v) for k, v in data["downloads"].items()},
            licence_notices={str(k): str(v).strip() for k, v in data["licence_notices"].items()},
            opensanctions={str(k): str(v) for k, v in data["opensanctions"].items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise invalid("official_lists.yaml", exc) from exc
    unknown = [v for v in catalogue.opensanctions.values() if v not in lists]
    if unknown:
        raise DataError(f"official_lists.yaml: opensanctions maps to unknown lists {unknown}")
    return catalogue
