"""Where a fact comes from: sources, their reliability, and the evidence a reason cites."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum


class Reliability(IntEnum):
    """Lower is stronger; the order is the one reports sort evidence by."""

    OFFICIAL_LIST = 1
    GOVERNMENT_DOCUMENT = 2
    INVESTIGATIVE_RESEARCH = 3
    MEDIA = 4
    INFERRED = 5
    USER_SUPPLIED = 6

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


@dataclass(frozen=True, slots=True)
class Source:
    """A document a statement was read from."""

    url: str
    title: str
    publisher: str = ""
    date: dt.date | None = None
    excerpt: str = ""
    reliability: Reliability = Reliability.OFFICIAL_LIST


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a reason cites: one source, with the fact it supports."""

    source_url: str
    title: str
    date: dt.date | None
    fact: str = ""
    publisher: str = ""
    reliability: Reliability = Reliability.OFFICIAL_LIST
    excerpt: str = ""  # the words of the source that the fact rests on (a document's sentence)

    @classmethod
    def from_source(cls, source: Source, fact: str = "", when: dt.date | None = None) -> Evidence:
        return cls(
            source_url=source.url,
            title=source.title,
            date=when if when is not None else source.date,
            fact=fact,
            publisher=source.publisher,
            reliability=source.reliability,
            excerpt=source.excerpt,
        )
