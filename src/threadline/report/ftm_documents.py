"""Documents → FollowTheMoney: a Document per document (with its text), a Mention per name of an
organisation or facility found in it (resolved to the entity where it was), and a Documentation
per finding, linking the document to the entity with the quote as its summary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from threadline.model.documents import DocumentRecord, MentionKind
from threadline.model.ftm import ftm_schema
from threadline.model.ids import finding_id, mention_id
from threadline.model.schemas import Schema
from threadline.normalise.text import has_han

# The schema a mention is detected as, written as the FtM export writes entities of it.
_SCHEMA_OF = {
    MentionKind.ORGANISATION: ftm_schema(Schema.COMPANY),
    MentionKind.FACILITY: ftm_schema(Schema.FACILITY),
}
_MIME = {
    "pdf": "application/pdf",
    "html": "text/html",
    "htm": "text/html",
    "xhtml": "application/xhtml+xml",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown",
    "markdown": "text/markdown",
}


def document_records(records: Iterable[DocumentRecord]) -> Iterator[dict[str, Any]]:
    for record in records:
        document = record.document
        ftm_id = f"document-{document.id}"
        props: dict[str, list[str]] = {
            "title": [document.title],
            "fileName": [document.file] if document.file else [],
            "publisher": [document.publisher] if document.publisher else [],
            "publishedAt": [document.date.isoformat()] if document.date else [],
            "sourceUrl": [document.url] if document.url.startswith(("http://", "https://")) else [],
            "mimeType": [_MIME.get(document.media_type, "text/plain")],
            "bodyText": [document.text],
        }
        yield {"id": ftm_id, "schema": "Document", "properties": _kept(props)}
        seen: set[tuple[str, str]] = set()
        for stored in record.mentions:
            mention = stored.mention
            schema = _SCHEMA_OF.get(mention.kind)
            if schema is None or (mention.text, stored.entity_id) in seen:
                continue
            seen.add((mention.text, stored.entity_id))
            mention_props = {
                "document": [ftm_id],
                "name": [mention.text],
                "resolved": [stored.entity_id] if stored.entity_id else [],
                "detectedSchema": [schema],
                "contextCountry": ["cn"] if has_han(mention.text) else [],
            }
            yield {
                "id": f"mention-{mention_id(document.id, mention)}",
                "schema": "Mention",
                "properties": _kept(mention_props),
            }
        for finding in record.findings:
            documentation = {
                "document": [ftm_id],
                "entity": [finding.entity_id],
                "role": [f"{finding.category}: {finding.terms}"],
                "summary": [finding.source.excerpt],
                "date": [document.date.isoformat()] if document.date else [],
            }
            yield {
                "id": f"documentation-{finding_id(finding)}",
                "schema": "Documentation",
                "properties": _kept(documentation),
            }


def _kept(props: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: values for key, values in props.items() if values}
