"""Writing imported documents and reading them back: the documents with their mentions and
findings, findings by entity (for screening), and one document whole (for `documents show`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from threadline.model import ReferenceEntity, Relation, Source
from threadline.model.documents import (
    Document,
    DocumentFinding,
    DocumentKind,
    DocumentRecord,
    Mention,
    MentionKind,
    Span,
    StoredMention,
)
from threadline.model.ids import finding_id, mention_id, statement_id
from threadline.store.bulk import existing
from threadline.store.document_tables import (
    document_findings,
    document_mentions,
    documents,
    finding_reviews,
)
from threadline.store.rows import source_columns
from threadline.store.tables import entities, statements
from threadline.store.writes import (
    CandidateLink,
    ImportCounts,
    insert_rows,
    write_candidate_links,
    write_entities,
    write_relations,
)

FINDING_PROP = "document_finding"  # the property of the statement a finding makes


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A document ready to store: its mentions (with the entity each resolved to, or ''), its
    findings about entities, and the links it states."""

    document: Document
    mentions: Sequence[tuple[Mention, str]]
    findings: Sequence[DocumentFinding]
    relations: Sequence[Relation]


@dataclass(frozen=True, slots=True)
class DocumentBatch:
    """Documents and the entities they brought in (each with the source that first named it)."""

    documents: Sequence[ReadDocument] = ()
    entities: Sequence[tuple[ReferenceEntity, Source]] = ()
    links: Sequence[CandidateLink] = ()


@dataclass(slots=True)
class DocumentCounts:
    documents: ImportCounts = field(default_factory=ImportCounts)
    entities: int = 0
    findings: int = 0
    relations: int = 0


def known_document_ids(connection: Connection, ids: Iterable[str]) -> set[str]:
    return existing(connection, documents.c.id, ids)


def write_document_batch(
    connection: Connection, dataset_id: str, batch: DocumentBatch, now: dt.datetime
) -> DocumentCounts:
    """A batch in the caller's transaction: entities first, then documents not stored yet
    with their mentions, findings (as rows and as entity statements) and relations."""
    counts = DocumentCounts()
    added = write_entities(
        connection,
        dataset_id,
        [entity for entity, _ in batch.entities],
        now,
        [source for _, source in batch.entities],
    )
    counts.entities = added.added
    write_candidate_links(connection, dataset_id, batch.links, now)
    known = known_document_ids(connection, (d.document.id for d in batch.documents))
    fresh = []
    for read in batch.documents:
        if read.document.id in known:
            counts.documents.unchanged += 1
        else:
            known.add(read.document.id)
            fresh.append(read)
    counts.documents.added = len(fresh)
    insert_rows(connection, documents, [_document_row(r.document, dataset_id, now) for r in fresh])
    insert_rows(
        connection,
        document_mentions,
        [_mention_row(r.document.id, m, entity_id) for r in fresh for m, entity_id in r.mentions],
    )
    finding_rows = {
        row["id"]: row for r in fresh for f in r.findings for row in [_finding_row(f, now)]
    }
    insert_rows(connection, document_findings, list(finding_rows.values()))
    counts.findings = len(finding_rows)
    statement_rows = {
        row["id"]: row
        for r in fresh
        for f in r.findings
        for row in [_statement_row(f, dataset_id, now)]
    }
    known_statements = existing(connection, statements.c.id, statement_rows)
    insert_rows(
        connection,
        statements,
        [row for key, row in statement_rows.items() if key not in known_statements],
    )
    stated = write_relations(connection, dataset_id, [x for r in fresh for x in r.relations], now)
    counts.relations = stated.added + stated.changed
    counts.documents.statements = len(finding_rows) + stated.statements
    return counts


def _document_row(document: Document, dataset_id: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": document.id,
        "title": document.title,
        "publisher": document.publisher,
        "date": document.date,
        "url": document.url,
        "kind": document.kind.value,
        "file": document.file,
        "media_type": document.media_type,
        "chars": len(document.text),
        "text": document.text,
        "dataset_id": dataset_id,
        "first_seen": now,
    }


def _mention_row(document_id: str, mention: Mention, entity_id: str) -> dict[str, Any]:
    span = mention.span
    return {
        "id": mention_id(document_id, mention),
        "document_id": document_id,
        "kind": mention.kind.value,
        "label": mention.label,
        "text": mention.text,
        "start_offset": span.start,
        "end_offset": span.end,
        "sentence": mention.sentence,
        "entity_id": entity_id or None,
    }


def _finding_row(finding: DocumentFinding, now: dt.datetime) -> dict[str, Any]:
    span = finding.quote_span
    return {
        "id": finding_id(finding),
        "document_id": finding.document_id,
        "entity_id": finding.entity_id,
        "category": finding.category,
        "label": finding.label,
        "terms": finding.terms,
        "region": finding.region,
        "quote": finding.source.excerpt,
        "quote_start": span.start,
        "quote_end": span.end,
        "first_seen": now,
    }


def _statement_row(finding: DocumentFinding, dataset_id: str, now: dt.datetime) -> dict[str, Any]:
    """The finding as a statement about the entity, citing the document with the quote."""
    value = f"{finding.category}: {finding.terms}"
    return {
        "id": statement_id(dataset_id, finding.entity_id, FINDING_PROP, value, finding.source),
        "entity_id": finding.entity_id,
        "prop": FINDING_PROP,
        "value": value,
        "dataset_id": dataset_id,
        **source_columns(finding.source),
        "first_seen": now,
    }


# -- reading -------------------------------------------------------------------------------


def document_from_row(row: Mapping[Any, Any], text: str = "") -> Document:
    return Document(
        id=row["id"],
        text=text,
        title=row["title"],
        publisher=row["publisher"],
        date=row["date"],
        url=row["url"],
        kind=DocumentKind(row["kind"]),
        file=row["file"],
        media_type=row["media_type"],
    )


VERDICTS = ("accepted", "rejected")


def review_finding(
    connection: Connection, finding_id: str, verdict: str, user: str, comment: str, now: dt.datetime
) -> bool:
    """Record a verdict on a finding (appended, never overwriting); False if there is none."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}")
    found = connection.execute(
        select(document_findings.c.id).where(document_findings.c.id == finding_id)
    ).first()
    if found is None:
        return False
    insert_rows(
        connection,
        finding_reviews,
        [
            {
                "finding_id": finding_id,
                "verdict": verdict,
                "user_name": user,
                "comment": comment,
                "decided_at": now,
            }
        ],
    )
    return True


def _verdicts(connection: Connection) -> dict[str, str]:
    """The latest verdict on each reviewed finding."""
    query = select(finding_reviews.c.finding_id, finding_reviews.c.verdict).order_by(
        finding_reviews.c.id
    )
    return {finding_id: verdict for finding_id, verdict in connection.execute(query)}


def load_findings(connection: Connection) -> dict[str, list[DocumentFinding]]:
    """Every finding a reviewer has not rejected, by entity id, with the document as source."""
    verdicts = _verdicts(connection)
    query = (
        select(
            document_findings,
            documents.c.title,
            documents.c.publisher,
            documents.c.date,
            documents.c.url,
            documents.c.kind,
            documents.c.file,
            documents.c.media_type,
            entities.c.caption,
        )
        .join(documents, documents.c.id == document_findings.c.document_id)
        .join(entities, entities.c.id == document_findings.c.entity_id)
        .order_by(document_findings.c.entity_id, documents.c.date, document_findings.c.id)
    )
    out: dict[str, list[DocumentFinding]] = defaultdict(list)
    for row in connection.execute(query).mappings():
        if verdicts.get(row["id"]) == "rejected":
            continue
        document = document_from_row({**row, "id": row["document_id"]})
        out[row["entity_id"]].append(
            DocumentFinding(
                entity_id=row["entity_id"],
                document_id=row["document_id"],
                category=row["category"],
                label=row["label"],
                terms=row["terms"],
                region=row["region"],
                source=document.source(row["quote"]),
                quote_span=Span(row["quote_start"], row["quote_end"]),
                entity_name=row["caption"],
                id=row["id"],
                review=verdicts.get(row["id"], ""),
            )
        )
    return dict(out)


def list_documents(connection: Connection) -> list[tuple[Document, int, int]]:
    """Every document (without its text) with its counts of mentions and findings."""
    mentions = (
        select(document_mentions.c.document_id, func.count().label("n"))
        .group_by(document_mentions.c.document_id)
        .subquery()
    )
    found = (
        select(document_findings.c.document_id, func.count().label("n"))
        .group_by(document_findings.c.document_id)
        .subquery()
    )
    query = (
        select(
            *(c for c in documents.c if c.name != "text"),
            mentions.c.n.label("mentions"),
            found.c.n.label("findings"),
        )
        .outerjoin(mentions, mentions.c.document_id == documents.c.id)
        .outerjoin(found, found.c.document_id == documents.c.id)
        .order_by(documents.c.date, documents.c.id)
    )
    return [
        (document_from_row(row), row["mentions"] or 0, row["findings"] or 0)
        for row in connection.execute(query).mappings()
    ]


def documents_naming(connection: Connection, entity_id: str) -> list[Document]:
    """The documents that name an entity (without their text), oldest first."""
    naming = select(document_mentions.c.document_id).where(
        document_mentions.c.entity_id == entity_id
    )
    query = (
        select(*(c for c in documents.c if c.name != "text"))
        .where(documents.c.id.in_(naming))
        .order_by(documents.c.date, documents.c.id)
    )
    return [document_from_row(row) for row in connection.execute(query).mappings()]


def document_record(connection: Connection, document_id: str) -> DocumentRecord | None:
    """One document whole; an id prefix of at least 6 characters is enough when unique."""
    query = select(documents).where(documents.c.id.startswith(document_id, autoescape=True))
    rows = connection.execute(query.limit(2)).mappings().all() if len(document_id) >= 6 else []
    if len(rows) != 1:
        return None
    document = document_from_row(rows[0], rows[0]["text"])
    mention_rows = connection.execute(
        select(document_mentions, entities.c.caption)
        .outerjoin(entities, entities.c.id == document_mentions.c.entity_id)
        .where(document_mentions.c.document_id == document.id)
        .order_by(document_mentions.c.start_offset, document_mentions.c.id)
    ).mappings()
    mentions = tuple(
        StoredMention(
            Mention(
                MentionKind(r["kind"]),
                r["text"],
                Span(r["start_offset"], r["end_offset"]),
                r["sentence"],
                r["label"],
            ),
            r["entity_id"] or "",
            r["caption"] or "",
        )
        for r in mention_rows
    )
    finding_rows = connection.execute(
        select(document_findings, entities.c.caption)
        .join(entities, entities.c.id == document_findings.c.entity_id)
        .where(document_findings.c.document_id == document.id)
        .order_by(document_findings.c.quote_start, document_findings.c.id)
    ).mappings()
    verdicts = _verdicts(connection)
    findings = tuple(
        DocumentFinding(
            entity_id=r["entity_id"],
            document_id=document.id,
            category=r["category"],
            label=r["label"],
            terms=r["terms"],
            region=r["region"],
            source=document.source(r["quote"]),
            quote_span=Span(r["quote_start"], r["quote_end"]),
            entity_name=r["caption"],
            id=r["id"],
            review=verdicts.get(r["id"], ""),
        )
        for r in finding_rows
    )
    return DocumentRecord(document, mentions, findings)
