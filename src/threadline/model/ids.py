"""Ids: one recipe per record type, each over every field that makes a record distinct.

Every id threadline stores or compares across runs is made here, so two records that differ in a
meaningful field never share an id, and the same record gets the same id in every run, process
and database. Names enter an id only through `model.names.name_key`, so spellings the name key
calls the same (case, width, traditional vs simplified Chinese, accents, punctuation) give one id.

Most ids are `digest` of their fields in a fixed order: SHA-1 of the fields' text joined by the
unit separator. SHA-1 here is a content address, not a security measure. Stored ids never change
with the code: a recipe that must change needs an Alembic migration that rewrites the stored ids
and every reference to them (see store/migrations/versions/0005_ids.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from threadline.model.documents import DocumentFinding, Mention
from threadline.model.entities import Listing
from threadline.model.graph import Relation
from threadline.model.names import name_key
from threadline.model.provenance import Reliability, Source

PARTY_PREFIX = "party-"
DOCUMENTED_FACILITY_PREFIX = "docfacility-"
_SEPARATOR = "\x1f"  # ASCII unit separator: never part of a field's text
_NO_SOURCE = Source(url="", title="", reliability=Reliability.USER_SUPPLIED)


def digest(*parts: object) -> str:
    """The content address of `parts`: each written as `str` writes it (None → 'None')."""
    text = _SEPARATOR.join(str(p) for p in parts)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def source_fields(source: Source | None) -> tuple[Any, ...]:
    """What a statement's citation says, as stored: address, title, publisher, the document's
    own date, excerpt and reliability (its kind is read from the address, so adds nothing)."""
    s = _NO_SOURCE if source is None else source
    return (s.url, s.title, s.publisher, s.date, s.excerpt, int(s.reliability))


# -- reference entities ---------------------------------------------------------------------


def list_entry_id(list_id: str, name: str) -> str:
    """A list entry that has no id of its own: its list and its name as the list writes it.
    Kept on the raw name, not name_key: these ids are stored with every decision on them, and
    a list entry's name is its list's spelling, not a user's."""
    digest16 = hashlib.sha256(f"{list_id}{_SEPARATOR}{name}".encode()).hexdigest()[:16]
    return f"{list_id}-{digest16}"


@lru_cache(maxsize=1 << 16)
def party_id(name: str, country: str) -> str:
    """A shipment or relation party that matches no entity: its name key and country code."""
    return PARTY_PREFIX + digest(name_key(name), country.upper())[:20]


def documented_facility_id(name: str) -> str:
    """A facility named in documents but not in facilities.csv: its name key (documents name
    sites in China, so the country adds nothing)."""
    return DOCUMENTED_FACILITY_PREFIX + digest(name_key(name))[:20]


def statement_id(
    dataset_id: str, entity_id: str, prop: str, value: str, source: Source | None
) -> str:
    """One fact about an entity: who loaded it, the entity, property, value and its citation.
    A fact cited to another document is another statement."""
    return digest(dataset_id, entity_id, prop, value, *source_fields(source))


def listing_id(dataset_id: str, entity_id: str, list_id: str, said: Mapping[str, Any]) -> str:
    """One listing of an entity, over everything it says (`said`, from `listing_fields`): a
    corrected effect, date, section or source is a new statement, never an overwrite."""
    return digest(dataset_id, entity_id, list_id, *said.values())


def listing_fields(listing: Listing) -> dict[str, Any]:
    """What a listing says, as the listings table stores it (sources as JSON), in id order."""
    sources = json.dumps([_source_dict(s) for s in listing.sources], ensure_ascii=False)
    return {
        "list_name": listing.list_name,
        "effect": listing.effect.value,
        "entry_id": listing.entry_id,
        "program": listing.program,
        "section": listing.section,
        "date_listed": listing.date_listed,
        "date_removed": listing.date_removed,
        "product_scope": listing.product_scope,
        "status": listing.status,
        "sources": sources,
        "notes": listing.notes,
    }


def _source_dict(source: Source) -> dict[str, Any]:
    return {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "date": source.date.isoformat() if source.date else None,
        "excerpt": source.excerpt,
        "reliability": int(source.reliability),
        "kind": source.kind.value,
    }


def loaded_listing_id(listing: str, load_id: str, said: Mapping[str, Any]) -> str:
    """A listing read from an official file: its `listing_id` and the load, so a statement that
    repeats an older one (a relisting) is still a new row. Effect, programme and scope are in
    `listing` already; they are hashed again because stored ids were made so."""
    return digest(listing, load_id, said["effect"], said["program"], said["product_scope"])


def list_load_id(list_id: str, file_sha256: str) -> str:
    """One official file loaded into one list: the same file twice is one load."""
    return digest(list_id, file_sha256)


# -- links ----------------------------------------------------------------------------------


def relation_id(dataset_id: str, relation: Relation) -> str:
    """One stored statement of a link: every field, and its first source with all its fields
    as Python writes the dataclass (stored ids were made so)."""
    source = relation.sources[0] if relation.sources else None
    return digest(
        dataset_id,
        relation.kind.value,
        relation.source_id,
        relation.target_id,
        relation.start,
        relation.end,
        relation.share,
        relation.quantity,
        relation.description,
        source,
    )


def relation_key(relation: Relation) -> str:
    """Which link a statement is about, whatever it says of its end, share or quantities: two
    statements with one key and different ids are a correction."""
    source = relation.sources[0] if relation.sources else None
    document = (source.url or source.title) if source else ""
    return digest(
        relation.kind.value, relation.source_id, relation.target_id, relation.start, document
    )


def candidate_link_id(entity_id: str, candidate_id: str) -> str:
    """A proposed same-company link between two stored entities, whichever score proposed it."""
    return digest(entity_id, candidate_id)


def shipment_id(dataset_id: str, said: Sequence[str]) -> str:
    """A bill of lading by what it says (`said`: every field the shipments table stores, the
    undated date as 'None'), not by which file or row it came from."""
    return digest(dataset_id, *said)


# -- documents ------------------------------------------------------------------------------


def document_id(text: str) -> str:
    """A document is its text: the same text from another file or with another title is one."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def mention_id(document_id: str, mention: Mention) -> str:
    """A span of a document read as one kind of mention (its text follows from the span)."""
    span = mention.span
    return digest(document_id, mention.kind.value, span.start, span.end, mention.label)


def finding_id(finding: DocumentFinding) -> str:
    """What a document says about one entity at one quote: the category, label, the words
    found, the region named near it and the quote's span."""
    span = finding.quote_span
    return digest(
        finding.document_id,
        finding.entity_id,
        finding.category,
        finding.label,
        span.start,
        span.end,
        finding.terms,
        finding.region,
    )


# -- review and screening rows --------------------------------------------------------------


def decision_key(query_name: str, entity_id: str) -> tuple[str, str]:
    """Which review decision applies: the supplier's name key and the entity decided on."""
    return (name_key(query_name), entity_id)


def supplier_key(supplier: str) -> str:
    """The key a supplier's flag dispositions and certification claims are kept under."""
    return name_key(supplier)


def disposition_key(supplier: str, code: str) -> tuple[str, str]:
    """Which flag disposition applies: the supplier's key and the flag's reason code."""
    return (supplier_key(supplier), code)


def json_digest(values: Mapping[str, Any]) -> str:
    """A JSON object's content, whatever its key order (dates and others as `str` writes them)."""
    text = json.dumps(dict(values), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
