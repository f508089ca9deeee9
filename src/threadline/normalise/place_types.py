"""A place of China and a place named in a text: the types the gazetteer (places.py) makes and
the region rules (place_signals.py) read, apart so that neither module imports the other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PROVINCIAL_LEVELS = frozenset({"region", "province"})


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    level: str  # region | province | prefecture | xpcc_city | county
    name_zh: str
    name_pinyin: str
    names: tuple[str, ...]  # every spelling, Chinese first
    parent_id: str
    adcode: str
    lat: float | None
    lon: float | None
    region: str  # "XUAR", "TIBET" or ""
    province_id: str

    @property
    def is_provincial(self) -> bool:
        return self.level in PROVINCIAL_LEVELS

    @property
    def label(self) -> str:
        return f"{self.name_pinyin} ({self.name_zh})" if self.name_pinyin else self.name_zh


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in a text. `caution` says why the spelling may mean something else:
    "foreign" (also a place or word abroad) or "common" (a common word, personal name, brand,
    or another place's name in China); `qualified` that it is written as an administrative unit
    (墨玉县, "Aksu Prefecture")."""

    place: Place
    text: str
    start: int
    end: int
    caution: str = ""
    qualified: bool = False
    alternatives: tuple[Place, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return bool(self.caution)

    @property
    def candidates(self) -> tuple[Place, ...]:
        return (self.place, *self.alternatives)


@dataclass(frozen=True, slots=True)
class GazetteerCitation:
    """How results cite the gazetteer: the date its divisions are as of, who published them, and
    the packaged file holding the places whose ids start with each prefix."""

    as_of: dt.date | None = None
    publisher: str = ""
    files: tuple[tuple[str, str], ...] = ()  # (id prefix, file name)

    def file_of(self, place_id: str) -> str:
        return next((file for prefix, file in self.files if place_id.startswith(prefix)), "")
