"""Documents and what was found in them: mentions, indicators and stated relations, each with
the sentence it was read from (the quote) and its character offsets in the document's text.

Findings are about organisations, facilities and places only: a person named in a document is
never a mention; the name stays inside the quoted sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from threadline.model.provenance import Reliability, Source

QUOTE_CHARS = 300  # the longest quote kept; a longer sentence is cut around its finding


class DocumentKind(StrEnum):
    """Who published a document, which sets the reliability of what it says."""

    GOVERNMENT = "government"  # notices, tenders, policy papers of a government body
    RESEARCH = "research"  # investigative research and NGO reports
    MEDIA = "media"  # news and state media
    COMPANY = "company"  # a company's own reports (CSR, annual, supplier lists)
    OTHER = "other"  # anything else the user hands in

    @property
    def reliability(self) -> Reliability:
        return _RELIABILITY[self]


# A company's report is its own statement about itself, weighed like published media.
_RELIABILITY = {
    DocumentKind.GOVERNMENT: Reliability.GOVERNMENT_DOCUMENT,
    DocumentKind.RESEARCH: Reliability.INVESTIGATIVE_RESEARCH,
    DocumentKind.MEDIA: Reliability.MEDIA,
    DocumentKind.COMPANY: Reliability.MEDIA,
    DocumentKind.OTHER: Reliability.USER_SUPPLIED,
}


@dataclass(frozen=True, slots=True)
class Document:
    """A document's text with what it says of itself; `id` is the hash of the text."""

    id: str
    text: str
    title: str = ""
    publisher: str = ""
    date: dt.date | None = None
    url: str = ""
    kind: DocumentKind = DocumentKind.OTHER
    file: str = ""
    media_type: str = ""

    @property
    def cite_url(self) -> str:
        """The URL a citation gives: the document's own, else `document:<id>`."""
        return self.url or f"document:{self.id}"

    def source(self, quote: str = "") -> Source:
        return Source(
            url=self.cite_url,
            title=self.title or self.file or self.cite_url,
            publisher=self.publisher,
            date=self.date,
            excerpt=quote,
            reliability=self.kind.reliability,
        )


class MentionKind(StrEnum):
    ORGANISATION = "organisation"
    FACILITY = "facility"
    PLACE = "place"
    INDICATOR = "indicator"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the document's text: [start, end) character offsets."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A name or term found in a sentence. `label` is what it was read as: the indicator's id,
    the place's gazetteer id, the facility's kind; `sentence` indexes the document's sentences."""

    kind: MentionKind
    text: str
    span: Span
    sentence: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class StatedRelation:
    """A link a sentence states between two mentions (indexes into the findings' mentions).
    `kind` is a RelationKind value, or `awarded_contract` (the object awarded the subject a
    contract), which is stored as a supply from the subject to the object."""

    kind: str
    subject: int
    object: int
    sentence: int
    cue: str


@dataclass(frozen=True, slots=True)
class Findings:
    """Everything read from one document: its sentences, mentions and stated relations."""

    sentences: tuple[Span, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[StatedRelation, ...]


def quote(text: str, sentence: Span, focus: Span | None = None) -> tuple[str, Span]:
    """The sentence as quoted, at most QUOTE_CHARS long, cut around `focus` when it is longer;
    returned with its own offsets in the document."""
    start, end = sentence.start, sentence.end
    if end - start > QUOTE_CHARS:
        centre = (focus.start + focus.end) // 2 if focus else start
        start = max(sentence.start, min(centre - QUOTE_CHARS // 2, sentence.end - QUOTE_CHARS))
        end = start + QUOTE_CHARS
    return text[start:end].strip(), Span(start, end)


@dataclass(frozen=True, slots=True)
class DocumentFinding:
    """What a document says about one entity, as screening reads it: the category of what was
    found (an indicator's category, or `camp_contract`), the words, the region named near it,
    and the document as source with the quote as its excerpt."""

    entity_id: str
    document_id: str
    category: str
    label: str
    terms: str
    region: str
    source: Source
    quote_span: Span
    entity_name: str = ""
    id: str = ""  # the stored finding's id, for review
    review: str = ""  # the latest reviewer's verdict: "", "accepted" or "rejected"


@dataclass(frozen=True, slots=True)
class StoredMention:
    """A mention as stored, with the entity it was resolved to ('' for places and terms)."""

    mention: Mention
    entity_id: str
    entity_name: str


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """One stored document whole: its text, mentions and findings."""

    document: Document
    mentions: tuple[StoredMention, ...]
    findings: tuple[DocumentFinding, ...]
