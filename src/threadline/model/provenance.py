"""Where a fact comes from: sources, their reliability, and the evidence a reason cites."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any


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


class SourceKind(StrEnum):
    """What a document is, read from its address (data/rules/sources.yaml), never from the list
    it supports: a law firm's alert about a DHS notice is legal commentary, not the notice."""

    OFFICIAL_PUBLICATION = "official publication"
    GOVERNMENT_DOCUMENT = "government document"
    RESEARCH = "research"
    LEGAL_COMMENTARY = "legal commentary"
    NEWS = "news"
    COMPANY_STATEMENT = "company statement"
    THIRD_PARTY_TRANSCRIPTION = "third-party transcription"
    LIST_NOTE = "note in the list data"
    UNCLASSIFIED = "unclassified"


@dataclass(frozen=True, slots=True)
class Source:
    """A document a statement was read from; `date` is the document's own, where known."""

    url: str
    title: str
    publisher: str = ""
    date: dt.date | None = None
    excerpt: str = ""
    reliability: Reliability = Reliability.OFFICIAL_LIST
    kind: SourceKind = SourceKind.UNCLASSIFIED

    @classmethod
    def from_mapping(
        cls,
        entry: Mapping[str, Any],
        where: str,
        *,
        date_required: bool,
        reliability: Reliability = Reliability.GOVERNMENT_DOCUMENT,
    ) -> Source:
        """A source cited by a rules file (url, title, publisher, date), at `where` in it
        ('sources.uflpa'): a ValueError names the field that is missing or wrong."""
        for key in ("url", "title"):
            if not entry.get(key):
                raise ValueError(f"{where}.{key}: required")
        date = entry.get("date")
        if not date and date_required:
            raise ValueError(f"{where}.date: required")
        try:
            day = dt.date.fromisoformat(str(date)) if date else None
        except ValueError:
            raise ValueError(f"{where}.date: {date!r} is not a YYYY-MM-DD date") from None
        return cls(
            url=str(entry["url"]),
            title=str(entry["title"]),
            publisher=str(entry.get("publisher", "")),
            date=day,
            reliability=reliability,
        )


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a reason cites: one source, with the fact it supports."""

    source_url: str
    title: str
    date: dt.date | None
    fact: str = ""
    publisher: str = ""
    reliability: Reliability = Reliability.OFFICIAL_LIST
    kind: SourceKind = SourceKind.UNCLASSIFIED
    excerpt: str = ""  # the words of the source that the fact rests on (a document's sentence)

    @property
    def label(self) -> str:
        """What the source is, where classified; else its reliability tier."""
        return (
            self.kind.value if self.kind is not SourceKind.UNCLASSIFIED else self.reliability.label
        )

    @classmethod
    def from_source(cls, source: Source, fact: str = "", when: dt.date | None = None) -> Evidence:
        return cls(
            source_url=source.url,
            title=source.title,
            date=when if when is not None else source.date,
            fact=fact,
            publisher=source.publisher,
            reliability=source.reliability,
            kind=source.kind,
            excerpt=source.excerpt,
        )
