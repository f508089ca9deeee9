"""Documents handed in for reading — PDF, HTML, DOCX, plain text and Markdown — → Document.

A folder is read recursively (files of those kinds; others are skipped and counted). Text files
are decoded as tables are (UTF-8, GB18030, UTF-16; threadline.inputs.decoding). A document that
cannot be read raises InputError with one line; the caller goes on with the rest of the batch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from threadline.data.documents import kind_of_publisher
from threadline.errors import InputError
from threadline.inputs.decoding import binary_kind, decode_text
from threadline.inputs.documents.formats import Extracted, read_docx, read_html, read_pdf
from threadline.inputs.documents.header import header_fields, parse_date
from threadline.model.documents import Document, DocumentKind
from threadline.model.ids import document_id

_PDF = (".pdf",)
_HTML = (".html", ".htm", ".xhtml")
_DOCX = (".docx",)
_TEXT = (".txt", ".text", ".md", ".markdown")
SUFFIXES = frozenset((*_PDF, *_HTML, *_DOCX, *_TEXT))
_EXPECTED = "expected PDF, HTML, DOCX, TXT or Markdown"
_MAX_BYTES = 50 * 1024 * 1024  # a larger file is refused rather than read into memory
_KIND_WORDS = {
    **{k.value: k for k in DocumentKind},
    "政府": DocumentKind.GOVERNMENT,
    "政府文件": DocumentKind.GOVERNMENT,
    "媒体": DocumentKind.MEDIA,
    "新闻": DocumentKind.MEDIA,
    "研究": DocumentKind.RESEARCH,
    "企业": DocumentKind.COMPANY,
    "公司": DocumentKind.COMPANY,
    "企业报告": DocumentKind.COMPANY,
}


@dataclass(frozen=True, slots=True)
class Given:
    """What the user says of the documents (flags); it wins over what a file says of itself."""

    title: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""
    kind: str = ""


@dataclass(slots=True)
class Collected:
    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # in folders, not a document kind
    missing: list[str] = field(default_factory=list)


def collect(paths: Iterable[Path]) -> Collected:
    """The files to read, in a stable order: each named file, and every document in a folder
    and its subfolders (hidden ones left out)."""
    out = Collected()
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                hidden = any(p.startswith(".") for p in found.relative_to(path).parts)
                if not found.is_file() or hidden:
                    continue
                if found.suffix.lower() in SUFFIXES:
                    out.files.append(found)
                else:
                    out.skipped.append(found)
        elif path.is_file():
            out.files.append(path)
        else:
            out.missing.append(str(path))
    return out


def document_kind(value: str, file: str = "") -> DocumentKind:
    kind = _KIND_WORDS.get(value.strip().lower())
    if kind is None:
        choices = ", ".join(k.value for k in DocumentKind)
        raise InputError(f"kind '{value}' is not one of {choices}", file=file or None)
    return kind


def read_document(path: Path, given: Given = Given()) -> Document:
    """Read one file; InputError (one line) when it cannot be read as a document."""
    file = str(path)
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise InputError(f"larger than {_MAX_BYTES // 2**20} MB", file=file)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=file) from None
    if not data.strip():
        raise InputError("empty file", file=file)
    extracted = _extract(data, path.suffix.lower(), file)
    text = _normalised(extracted.text)
    if not text.strip():
        raise InputError("no text in it", file=file)
    said = {**header_fields(text), **extracted.meta}
    return _document(text, said, given, path)


def _extract(data: bytes, suffix: str, file: str) -> Extracted:
    if suffix in _PDF or data.startswith(b"%PDF-"):
        return read_pdf(data, file)
    if suffix in _DOCX or (data.startswith(b"PK\x03\x04") and suffix not in _TEXT):
        return read_docx(data, file)
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(f"{kind}, not a document; {_EXPECTED}", file=file)
    try:
        text = decode_text(data, file)
    except InputError as exc:  # the decoder's reason, in words about documents
        raise InputError(f"not text ({exc.reason.split(':')[0]}); {_EXPECTED}", file=file) from None
    head = text.lstrip()[:200].lower()
    if suffix in _HTML or head.startswith(("<!doctype html", "<html")):
        return read_html(text)
    return Extracted(text)


def _normalised(text: str) -> str:
    """NFC, one kind of line end, no trailing spaces: the text the offsets count in."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _document(text: str, said: Mapping[str, str], given: Given, path: Path) -> Document:
    file = str(path)
    date_text = given.date or said.get("date", "")
    date = parse_date(date_text) if date_text else None
    if given.date and date is None:
        raise InputError(f"--date '{given.date}' is not a date (YYYY-MM-DD)")
    kind_text = given.kind or said.get("kind", "")
    publisher = given.publisher or said.get("publisher", "")
    if given.kind:
        kind = document_kind(kind_text, file)
    else:
        kind = _KIND_WORDS.get(kind_text.strip().lower()) or kind_of_publisher(publisher)
    return Document(
        id=document_id(text),
        text=text,
        title=given.title or said.get("title", "") or path.stem,
        publisher=publisher,
        date=date,
        url=given.url or said.get("url", ""),
        kind=kind,
        file=path.name,
        media_type=path.suffix.lower().lstrip(".") or "txt",
    )
