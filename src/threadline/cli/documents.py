"""`import documents PATH...` and `documents [list|show ID]`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from threadline.cli.console import stderr
from threadline.cli.imports import _JSON, _QUIET, _Bar
from threadline.cli.options import DB, open_store
from threadline.errors import InputError, NotFound
from threadline.model.documents import DocumentKind, MentionKind

if TYPE_CHECKING:  # each command imports what it runs (see cli/commands.py)
    from threadline.importing_documents import DocumentImportReport
    from threadline.model.documents import DocumentRecord


class FindingVerdict(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"


_AS_JSON = typer.Option(False, "--json", help="Print JSON instead of tables.")
documents_app = typer.Typer(
    help="Imported documents and what was found in them.", invoke_without_command=True
)

_STYLES = {
    MentionKind.ORGANISATION: "bold cyan",
    MentionKind.FACILITY: "bold red",
    MentionKind.PLACE: "green",
    MentionKind.INDICATOR: "bold yellow on grey23",
}


def import_documents_command(
    paths: list[Path] = typer.Argument(
        ..., help="PDF, HTML, DOCX, TXT or Markdown files, or folders (read recursively)."
    ),
    url: str = typer.Option("", "--url", help="URL of the document (overrides the file's own)."),
    title: str = typer.Option("", "--title", help="Title (overrides the file's own)."),
    publisher: str = typer.Option("", "--publisher", help="Publisher (overrides the file's)."),
    date: str = typer.Option("", "--date", help="Publication date, YYYY-MM-DD."),
    kind: str = typer.Option(
        "", "--kind", help="Who published it: " + ", ".join(map(str, DocumentKind))
    ),
    dataset: str = typer.Option("documents", "--dataset", help="Dataset id."),
    db: str | None = DB,
    quiet: bool = _QUIET,
    as_json: bool = _JSON,
) -> None:
    """Read documents, find organisations, facilities, places, forced-labour indicators and
    stated links sentence by sentence, and store each finding with its quote."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from threadline.importing_documents import import_documents
    from threadline.inputs.documents import Given, collect, document_kind
    from threadline.inputs.documents.header import parse_date

    if date and parse_date(date) is None:
        raise InputError(f"--date: '{date}' is not a date (YYYY-MM-DD)")
    if kind:
        document_kind(kind)
    given = Given(title=title, publisher=publisher, date=date, url=url, kind=kind)
    found = collect(paths)
    if not found.files and not found.missing:
        names = ", ".join(map(str, paths))
        raise InputError(f"no documents (PDF, HTML, DOCX, TXT, Markdown) in {names}")
    with open_store(db) as store:
        if quiet or as_json or not stderr().is_terminal:
            report = import_documents(store, paths, given, dataset=dataset)
        else:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
            with Progress(*columns, TimeElapsedColumn(), console=stderr(), transient=True) as bar:
                report = import_documents(store, paths, given, dataset=dataset, progress=_Bar(bar))
    _print_report(report, quiet, as_json)
    if report.failed and not (report.added or report.unchanged):
        raise typer.Exit(2)  # nothing could be read: each file's reason is printed above


def _print_report(report: DocumentImportReport, quiet: bool, as_json: bool) -> None:
    if as_json:
        figures = {
            "dataset": report.dataset,
            "files": report.files,
            "added": report.added,
            "unchanged": report.unchanged,
            "failed": [{"file": f, "error": why} for f, why in report.failed],
            "skipped": report.skipped,
            "entities": report.entities,
            "findings": report.findings,
            "relations": report.relations,
            "notes": report.notes,
        }
        typer.echo(json.dumps(figures, ensure_ascii=False))
        return
    for file, why in report.failed:  # one line each, on stderr, whatever --quiet says
        stderr().print(f"{file}: {why}", markup=False)
    if quiet:
        return
    typer.echo(
        f"documents: added {report.added}, unchanged {report.unchanged}, "
        f"failed {len(report.failed)}, skipped {len(report.skipped)} (dataset {report.dataset})"
    )
    typer.echo(
        f"  {report.findings} findings, {report.relations} stated relations, "
        f"{report.entities} new entities"
    )
    for note in report.notes:
        typer.echo(f"  {note}")


@documents_app.callback()
def _documents(ctx: typer.Context, db: str | None = DB, as_json: bool = _AS_JSON) -> None:
    """List the imported documents (or `show ID` for one)."""
    if ctx.invoked_subcommand is None:
        _list(db, as_json)


@documents_app.command("list")
def list_command(db: str | None = DB, as_json: bool = _AS_JSON) -> None:
    """Every imported document: id, date, kind, title, mentions and findings."""
    _list(db, as_json)


def _list(db: str | None, as_json: bool) -> None:
    from rich.markup import escape
    from rich.table import Table

    with open_store(db) as store:
        rows = store.documents()
    if as_json:
        out = [
            {
                "id": d.id,
                "title": d.title,
                "publisher": d.publisher,
                "date": d.date.isoformat() if d.date else None,
                "url": d.cite_url,
                "kind": d.kind.value,
                "file": d.file,
                "mentions": mentions,
                "findings": findings,
            }
            for d, mentions, findings in rows
        ]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    table = Table(title=f"documents ({len(rows)})")
    for heading in ("id", "date", "kind", "title", "publisher", "mentions", "findings"):
        table.add_column(heading)
    for d, mentions, findings in rows:
        table.add_row(
            d.id[:12],
            str(d.date or ""),
            d.kind.value,
            escape(d.title),
            escape(d.publisher),
            str(mentions),
            str(findings),
        )
    Console().print(table)


@documents_app.command("show")
def show_command(
    document_id: str = typer.Argument(..., help="A document id (the first 6+ characters do)."),
    db: str | None = DB,
    as_json: bool = _AS_JSON,
) -> None:
    """One document: its text with mentions and indicators highlighted, then its findings."""
    with open_store(db) as store:
        record = store.document(document_id)
    if record is None:
        raise NotFound(f"no document with id '{document_id}' (or the prefix is not unique)")
    if as_json:
        json.dump(_as_json(record), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    _print(Console(), record)


@documents_app.command("review")
def review_command(
    finding_id: str = typer.Argument(..., help="A finding id (see `documents show --json`)."),
    verdict: FindingVerdict = typer.Option(..., "--verdict", case_sensitive=False),
    user: str = typer.Option(..., "--user", help="Who decides (kept with the verdict)."),
    comment: str = typer.Option("", "--comment", help="Why."),
    db: str | None = DB,
) -> None:
    """Accept or reject a finding. Verdicts are appended, never overwritten; the latest counts,
    and a rejected finding gives no reason in later screenings."""
    word = {FindingVerdict.ACCEPT: "accepted", FindingVerdict.REJECT: "rejected"}[verdict]
    if not user.strip():
        raise InputError("--user: say who decides")
    with open_store(db) as store:
        if not store.review_finding(finding_id, word, user.strip(), comment):
            raise NotFound(f"no finding with id '{finding_id}'")
    typer.echo(f"finding {finding_id}: {word} by {user.strip()}")


def _as_json(record: DocumentRecord) -> dict[str, object]:
    d = record.document
    return {
        "id": d.id,
        "title": d.title,
        "publisher": d.publisher,
        "date": d.date.isoformat() if d.date else None,
        "url": d.cite_url,
        "kind": d.kind.value,
        "reliability": d.kind.reliability.label,
        "file": d.file,
        "text": d.text,
        "mentions": [
            {
                "kind": m.mention.kind.value,
                "text": m.mention.text,
                "label": m.mention.label,
                "start": m.mention.span.start,
                "end": m.mention.span.end,
                "entity_id": m.entity_id or None,
            }
            for m in record.mentions
        ],
        "findings": [
            {
                "id": f.id,
                "review": f.review or None,
                "entity_id": f.entity_id,
                "entity": f.entity_name,
                "category": f.category,
                "label": f.label,
                "terms": f.terms,
                "region": f.region,
                "quote": f.source.excerpt,
                "start": f.quote_span.start,
                "end": f.quote_span.end,
            }
            for f in record.findings
        ],
    }


def _print(console: Console, record: DocumentRecord) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    d = record.document
    console.print(Text(d.title, style="bold"))
    facts = [d.publisher, str(d.date or "undated"), d.kind.value, d.cite_url, f"id {d.id}"]
    console.print(Text(" · ".join(f for f in facts if f)))
    body = Text(d.text)
    for stored in record.mentions:
        span = stored.mention.span
        body.stylize(_STYLES[stored.mention.kind], span.start, span.end)
    console.print()
    console.print(body)
    console.print()
    legend = Text("legend: ")
    for kind, style in _STYLES.items():
        legend.append(kind.value, style=style)
        legend.append("  ")
    console.print(legend)
    if not record.findings:
        console.print("no findings about organisations in this document")
        return
    table = Table(title=f"findings ({len(record.findings)})")
    for heading in ("finding", "entity", "category", "terms", "region", "quote"):
        table.add_column(heading, overflow="fold")
    for f in record.findings:
        table.add_row(
            f"{f.id}" + (f" ({f.review})" if f.review else ""),
            escape(f"{f.entity_name} ({f.entity_id})"),
            f.category,
            escape(f.terms),
            f.region,
            escape(f.source.excerpt),
        )
    console.print(table)
    named = [m for m in record.mentions if m.entity_id]
    if named:
        linked = Table(title="names resolved")
        for heading in ("kind", "as written", "entity"):
            linked.add_column(heading)
        for m in dict.fromkeys((m.mention.kind.value, m.mention.text, m.entity_id) for m in named):
            linked.add_row(m[0], escape(m[1]), m[2])
        console.print(linked)
