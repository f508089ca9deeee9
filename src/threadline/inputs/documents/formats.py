"""Text out of PDF (its text layer), HTML (the main text, without navigation) and DOCX.

Each reader returns the text and what the file says of itself (title, publisher, date, URL),
or raises InputError with one line saying why the file cannot be read.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import BytesIO
from xml.etree import ElementTree

from threadline.errors import InputError


@dataclass(slots=True)
class Extracted:
    text: str
    meta: dict[str, str] = field(default_factory=dict)  # title, publisher, date, url


# -- PDF ------------------------------------------------------------------------------------

_MIN_PDF_CHARS = 20  # fewer visible characters than this over all pages: a scan, not text


def read_pdf(data: bytes, file: str) -> Extracted:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]  # native: loaded only for PDFs

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("encrypted PDF: it needs a password to be read", file=file) from None
        raise InputError(f"not a readable PDF ({exc})", file=file) from None
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        meta = _pdf_meta(pdf.get_metadata_dict(skip_empty=True))
    finally:
        pdf.close()
    text = "\n\n".join(p.replace("\r\n", "\n").replace("\r", "\n") for p in pages)
    if len("".join(text.split())) < _MIN_PDF_CHARS:
        raise InputError(
            "PDF has no text layer (a scan?); run OCR on it first, then import the text",
            file=file,
        )
    return Extracted(text, meta)


def _pdf_meta(info: dict[str, str]) -> dict[str, str]:
    meta = {}
    if info.get("Title"):
        meta["title"] = info["Title"]
    if info.get("Author"):
        meta["publisher"] = info["Author"]
    created = re.match(r"D:(\d{4})(\d{2})(\d{2})", info.get("CreationDate", ""))
    if created:
        meta["date"] = "-".join(created.groups())
    return meta


# -- HTML -----------------------------------------------------------------------------------

# Elements whose text is never the document's: navigation, page furniture, code, forms.
_SKIPPED = frozenset(
    {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button",
     "select", "template", "svg", "iframe", "menu"}
)  # fmt: skip
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
     "main", "blockquote", "td", "th", "dd", "dt", "pre", "table", "ul", "ol", "hr"}
)  # fmt: skip
# Class or id words of page furniture built from plain <div>s and <ul>s (Chinese government and
# news sites mostly do): navigation, menus, breadcrumbs, footers, sidebars, share buttons.
_SKIPPED_MARKS = frozenset(
    {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "footer", "sidebar",
     "share", "toolbar", "topbar", "header", "banner", "copyright", "related", "comments"}
)  # fmt: skip
_WORDS = re.compile(r"[a-z]+")
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "wbr"})
_META_NAMES = {
    "og:title": "title",
    "title": "title",
    "dc.title": "title",
    "og:site_name": "publisher",
    "author": "publisher",
    "publisher": "publisher",
    "dc.publisher": "publisher",
    "article:published_time": "date",
    "date": "date",
    "pubdate": "date",
    "publishdate": "date",
    "dc.date": "date",
    "og:url": "url",
}


class _MainText(HTMLParser):
    """Collects text outside skipped elements, separately inside <main>/<article> (the main
    text when the page marks it), and the page's meta tags. Open elements are kept on a stack,
    each marked skipped or not, so a skipped <div class="nav"> ends with its own end tag even in
    sloppy HTML (an end tag closes everything opened after its start tag)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # tag, skipped
        self.skipped = 0  # skipped elements open
        self.main = 0
        self.in_title = False
        self.all: list[str] = []
        self.marked: list[str] = []
        self.title: list[str] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key in _META_NAMES and values.get("content"):
                self.meta.setdefault(_META_NAMES[key], values["content"].strip())
            return
        if tag == "link":
            if values.get("rel", "").lower() == "canonical" and values.get("href"):
                self.meta.setdefault("url", values["href"])
            return
        if tag in _VOID:
            if tag in _BLOCKS:
                self._text("\n")
            return
        marks = set(_WORDS.findall(f"{values.get('class', '')} {values.get('id', '')}".lower()))
        skipped = tag in _SKIPPED or bool(marks & _SKIPPED_MARKS)
        self.open.append((tag, skipped))
        self.skipped += skipped
        if tag in ("main", "article"):
            self.main += 1
        elif tag == "title":
            self.in_title = True
        if tag in _BLOCKS:
            self._text("\n")

    def handle_endtag(self, tag: str) -> None:
        if any(name == tag for name, _ in self.open):
            while self.open:
                name, skipped = self.open.pop()
                self.skipped -= skipped
                if name in ("main", "article"):
                    self.main = max(0, self.main - 1)
                if name == tag:
                    break
        if tag == "title":
            self.in_title = False
        if tag in _BLOCKS:
            self._text("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        else:
            self._text(data)

    def _text(self, data: str) -> None:
        if self.skipped:
            return
        self.all.append(data)
        if self.main:
            self.marked.append(data)


def read_html(source: str) -> Extracted:
    parser = _MainText()
    parser.feed(source)
    parser.close()
    chosen = parser.marked if "".join(parser.marked).strip() else parser.all
    lines = (" ".join(line.split()) for line in "".join(chosen).splitlines())
    text = "\n".join(line for line in lines if line)
    meta = dict(parser.meta)
    title = " ".join("".join(parser.title).split())
    if title:
        meta.setdefault("title", title)
    return Extracted(text, meta)


# -- DOCX -----------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"


def read_docx(data: bytes, file: str) -> Extracted:
    """Paragraphs of word/document.xml, tabs and breaks kept; core properties as metadata."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            body = archive.read("word/document.xml")
            core = (
                archive.read("docProps/core.xml")
                if "docProps/core.xml" in archive.namelist()
                else b""
            )
        root = ElementTree.fromstring(body)
        props = ElementTree.fromstring(core) if core else None
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise InputError(f"not a readable DOCX file ({exc})", file=file) from None
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    meta: dict[str, str] = {}
    if props is not None:
        for tag, key in ((f"{_DC}title", "title"), (f"{_DC}creator", "publisher"),
                         (f"{_DCTERMS}created", "date")):  # fmt: skip
            found = props.find(tag)
            if found is not None and found.text and found.text.strip():
                meta[key] = found.text.strip()[:10] if key == "date" else found.text.strip()
    return Extracted("\n".join(paragraphs), meta)
