"""`import lists|ftm|shipments|relations`, `export ftm|csv` and `entity ID`."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from threadline.cli.console import stderr
from threadline.cli.monitoring import FAIL_ON_CHANGE, check_monitors
from threadline.cli.options import DB, DateOrderName, FailOn, ReliabilityName, open_store
from threadline.data.lists import same_company, same_company_ids
from threadline.errors import InputError, NotFound, cannot_write, one_line
from threadline.model import ListEffect

if TYPE_CHECKING:  # each command imports what it runs (see cli/commands.py)
    from rich.progress import Progress

    from threadline.importing import ImportReport
    from threadline.lookup import EntityHit
    from threadline.store import EntityRecord

import_app = typer.Typer(
    help="Add lists, FollowTheMoney data, bills of lading or relations to the store.",
    no_args_is_help=True,
)
export_app = typer.Typer(help="Write the store out as FollowTheMoney or CSV.", no_args_is_help=True)
_REJECTS = typer.Option(
    None, "--rejects", help="Where to write rejected rows (default: FILE.rejects.csv beside it)."
)
_QUIET = typer.Option(False, "--quiet", "-q", help="Print nothing but errors.")
_JSON = typer.Option(False, "--json", help="Print the counts as one JSON object.")
_RELIABILITY = typer.Option(
    ReliabilityName.USER_SUPPLIED,
    "--reliability",
    case_sensitive=False,
    help="Source reliability tier.",
)
_ENTITY_JSON = typer.Option(
    False,
    "--json",
    help="Print the entity as one JSON object: every statement, listing and relation.",
)
_EXPORT_TABLES = (
    "entities",
    "statements",
    "listings",
    "relations",
    "shipments",
    "candidate_links",
    "documents",
    "document_mentions",
    "document_findings",
    "finding_reviews",  # every verdict on a finding, with who and when: the audit trail
)


class _Bar:
    """Rich progress on stderr, one bar per phase; nothing at all when stderr is not a terminal."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: Any = None

    def phase(self, name: str, total: int | None) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(name, total=total)

    def advance(self, steps: int) -> None:
        self.progress.advance(self.task, steps)


def _report(report: ImportReport, rejects: Path | None, quiet: bool, as_json: bool) -> None:
    written = _write_rejects(report, rejects) if report.rejected else None
    c = report.counts
    figures = {
        "file": report.file,
        "dataset": report.dataset,
        "added": c.added,
        "changed": c.changed,
        "unchanged": c.unchanged,
        "rejected": len(report.rejected),
        "rejects_file": str(written) if written else None,
        "notes": report.notes,
    }
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False))
        return
    if quiet:
        return
    typer.echo(
        f"{report.file}: added {c.added}, changed {c.changed}, unchanged {c.unchanged}, "
        f"rejected {len(report.rejected)} (dataset {report.dataset})"
    )
    for note in report.notes:
        typer.echo(f"  {note}")
    for rejected in report.rejected[:5]:
        column = f", column '{one_line(rejected.column)}'" if rejected.column else ""
        typer.echo(f"  rejected row {rejected.row}{column}: {one_line(rejected.message, 500)}")
    if written:
        typer.echo(f"  all {len(report.rejected)} rejected rows, with reasons: {written}")


def _after_import(db: str | None, report: ImportReport, fail_on_change: FailOn | None) -> None:
    """New data may change monitored suppliers: screen their inputs again and say so."""
    if report.counts.added or report.counts.changed:
        with open_store(db) as store:
            check_monitors(store, fail_on_change)


def _write_rejects(report: ImportReport, rejects: Path | None) -> Path:
    from threadline.report import safe_cell

    source = Path(report.file)
    path = rejects or source.with_name(f"{source.stem}.rejects.csv")
    header = report.header or list(report.rejected[0].cells)
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            # Every text cell, header names and column names included, comes from the file.
            writer.writerow(["row", "column", "error", *map(safe_cell, header)])
            for r in report.rejected:
                cells = [r.cells.get(h, "") for h in header]
                writer.writerow([r.row, *(safe_cell(v) for v in (r.column, r.message, *cells))])
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return path


@import_app.command("lists")
def lists_command(
    file: Path = typer.Argument(
        ..., help="CSV/TSV/XLSX list: id,name,aliases,…,date_listed,date_removed,source_url,…"
    ),
    list_id: str | None = typer.Option(None, "--list-id", help="Dataset id (default: file name)."),
    list_name: str | None = typer.Option(None, "--list-name", help="List title shown in reports."),
    effect: ListEffect | None = typer.Option(
        None, "--effect", case_sensitive=False, help="Default legal effect."
    ),
    reliability: ReliabilityName = _RELIABILITY,
    db: str | None = DB,
    rejects: Path | None = _REJECTS,
    quiet: bool = _QUIET,
    as_json: bool = _JSON,
    fail_on_change: FailOn | None = FAIL_ON_CHANGE,
) -> None:
    """Import a restricted-party list (the bundled lists' columns; dated listings and removals)."""
    from threadline.importing import import_lists

    with open_store(db) as store:
        report = import_lists(
            store,
            file,
            list_id=list_id,
            list_name=list_name,
            effect=effect,
            reliability=reliability.reliability,
        )
    _report(report, rejects, quiet, as_json)
    _after_import(db, report, fail_on_change)


@import_app.command("ftm")
def ftm_command(
    file: Path = typer.Argument(
        ..., help="FollowTheMoney JSON lines, e.g. an OpenSanctions export."
    ),
    dataset: str | None = typer.Option(None, "--dataset", help="Dataset id (default: file name)."),
    reliability: ReliabilityName = _RELIABILITY,
    db: str | None = DB,
    rejects: Path | None = _REJECTS,
    quiet: bool = _QUIET,
    as_json: bool = _JSON,
    fail_on_change: FailOn | None = FAIL_ON_CHANGE,
) -> None:
    """Import FtM entities, sanctions (as listings) and links (as relations)."""
    from threadline.importing import import_ftm

    with open_store(db) as store:
        report = import_ftm(store, file, dataset=dataset, reliability=reliability.reliability)
    _report(report, rejects, quiet, as_json)
    _after_import(db, report, fail_on_change)


@import_app.command("shipments")
def shipments_command(
    file: Path = typer.Argument(..., help="Bills of lading: CSV, TSV or XLSX."),
    column: list[str] = typer.Option(
        [], "--column", help="FIELD=Header, e.g. shipper_name='Exporter (EN)'. Repeatable."
    ),
    dataset: str = typer.Option("shipments", "--dataset", help="Dataset id."),
    date_order: DateOrderName | None = typer.Option(
        None,
        "--date-order",
        case_sensitive=False,
        help="How to read dates like 03/02/2026: mdy (US, 2 March) or dmy (3 February). Without it such a date is rejected as ambiguous; 31/01/2026 and ISO dates need none.",
    ),
    db: str | None = DB,
    rejects: Path | None = _REJECTS,
    quiet: bool = _QUIET,
    as_json: bool = _JSON,
    fail_on_change: FailOn | None = FAIL_ON_CHANGE,
) -> None:
    """Import bills of lading; shippers and consignees are resolved to entities."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from threadline.importing import import_shipments

    order = date_order.order if date_order else None
    overrides: dict[str, str] = {}
    for item in column:
        field, sep, header = item.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise InputError(f"--column '{item}': expected FIELD=Header")
        overrides[field.strip()] = header.strip()
    with open_store(db) as store:
        if quiet or as_json or not stderr().is_terminal:
            report = import_shipments(
                store, file, columns=overrides, dataset=dataset, date_order=order
            )
        else:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
            with Progress(*columns, TimeElapsedColumn(), console=stderr(), transient=True) as bar:
                report = import_shipments(
                    store,
                    file,
                    columns=overrides,
                    dataset=dataset,
                    progress=_Bar(bar),
                    date_order=order,
                )
    _report(report, rejects, quiet, as_json)
    _after_import(db, report, fail_on_change)


@import_app.command("relations")
def relations_command(
    file: Path = typer.Argument(..., help="CSV/TSV/XLSX: from,to,relation,share,start,end,source."),
    dataset: str = typer.Option("relations", "--dataset", help="Dataset id."),
    db: str | None = DB,
    rejects: Path | None = _REJECTS,
    quiet: bool = _QUIET,
    as_json: bool = _JSON,
    fail_on_change: FailOn | None = FAIL_ON_CHANGE,
) -> None:
    """Import relations between entities named by id or name."""
    from threadline.importing import import_relations

    with open_store(db) as store:
        report = import_relations(store, file, dataset=dataset)
    _report(report, rejects, quiet, as_json)
    _after_import(db, report, fail_on_change)


@export_app.command("ftm")
def export_ftm_command(
    out: Path = typer.Option(..., "--out", "-o", help="Output file ('-' for stdout)."),
    db: str | None = DB,
) -> None:
    """Write every entity, listing (as Sanction), relation and imported document (Document,
    Mention, Documentation) as FtM JSON lines."""
    from threadline.report.ftm_documents import document_records
    from threadline.report.ftm_export import write_ftm

    with open_store(db) as store:
        entities, relations = store.load_entities(), store.load_relations()
        documents = [
            record
            for document, _, _ in store.documents()
            if (record := store.document(document.id)) is not None
        ]
    if str(out) == "-":
        write_ftm(sys.stdout, entities, relations, document_records(documents))
        return
    try:
        with out.open("w", encoding="utf-8") as handle:
            count = write_ftm(handle, entities, relations, document_records(documents))
    except OSError as exc:
        raise cannot_write(out, exc) from exc
    stderr().print(f"{count} FtM entities written to {out}", markup=False)


@export_app.command("csv")
def export_csv_command(
    out: Path = typer.Option(..., "--out", "-o", help="Folder for one CSV per table."),
    db: str | None = DB,
) -> None:
    """Write each table of statements as CSV (spreadsheet-safe), every column as stored;
    relations.csv holds every link as screening follows it, bills of lading included."""
    from threadline.store import RELATION_COLUMNS, relation_rows

    with open_store(db) as store:
        try:
            out.mkdir(parents=True, exist_ok=True)
            for name in _EXPORT_TABLES:
                rows = relation_rows(store) if name == "relations" else store.table_rows(name)
                columns = RELATION_COLUMNS if name == "relations" else store.table_columns(name)
                with (out / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
                    writer = csv.DictWriter(handle, fieldnames=list(columns))
                    writer.writeheader()  # an empty table still says what it would hold
                    for row in rows:
                        writer.writerow({k: _cell(v) for k, v in row.items()})
        except OSError as exc:
            raise cannot_write(out, exc) from exc
    stderr().print(f"tables written to {out}/", markup=False)


def _cell(value: object) -> str:
    from threadline.report import safe_cell

    return "" if value is None else safe_cell(str(value))


def entity_command(
    entity_id: str = typer.Argument(
        ...,
        help="An entity id (see results.json or export csv), or a name in any script: one "
        "confident match is shown, otherwise the best matches are listed.",
    ),
    db: str | None = DB,
    as_json: bool = _ENTITY_JSON,
) -> None:
    """Show one entity: every statement with its source, its listings and its relations."""
    from threadline.lookup import confident, find_entities

    # The entries of other lists that are the same company (screening reports them together):
    # their listings are shown with this entity's, each with its own entry id and sources.
    links = same_company(entity_id)
    with open_store(db) as store:
        record = store.entity_statements(entity_id)
        hits: list[EntityHit] = []
        if record is None:
            hits = find_entities(store.load_entities(), entity_id)
            best = confident(hits)
            if best is not None:
                record = store.entity_statements(best.entity.id)
                stderr().print(
                    f"'{entity_id}' matches {best.entity.name} ({best.entity.id}, "
                    f"score {best.score:.2f})",
                    markup=False,
                )
        if record is not None:
            others = [store.entity_statements(i) for i in same_company_ids(entity_id)]
            others = [o for o in others if o is not None and o.id != entity_id]
            listed = [lst for o in others if o is not None for lst in o.listings]
            record = replace(record, listings=(*record.listings, *listed))
    if record is None:
        if not hits:
            raise NotFound(f"no entity with id or name like '{entity_id}' in the store")
        _print_hits(entity_id, hits, as_json)
        return
    if as_json:
        doc = {
            **_as_json(record),
            "same_company": [
                {"kept": x.id, "id": x.other_id, "why": x.why, "source": x.source} for x in links
            ],
        }
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return
    # Piped output has no window to fit: a wide table beats one folded into 80 columns.
    console = Console(width=None if sys.stdout.isatty() else _PIPED_WIDTH)
    _print_record(console, record)
    if links:
        console.print(
            f"Same company (data/lists/same_as.csv), screened as {links[0].id}: "
            + ", ".join(x.other_id for x in links)
        )


_PIPED_WIDTH = 200


def _print_hits(text: str, hits: list[EntityHit], as_json: bool) -> None:
    from rich.table import Table

    rows = [
        {
            "id": h.entity.id,
            "name": h.entity.name,
            "country": h.entity.country,
            "score": None if h.score is None else round(h.score, 3),
            "lists": list(dict.fromkeys(x.list_name for x in h.entity.listings)),
        }
        for h in hits
    ]
    if as_json:
        json.dump({"query": text, "candidates": rows}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    table = Table(title=f"no single entity is '{text}'; the best matches")
    for heading in ("id", "name", "country", "score", "lists"):
        table.add_column(heading, overflow="fold")
    for hit in hits:
        score = "name contains" if hit.score is None else f"{hit.score:.3f}"
        lists = ", ".join(dict.fromkeys(x.list_name for x in hit.entity.listings))
        table.add_row(hit.entity.id, hit.entity.name, hit.entity.country, score, lists)
    Console(width=None if sys.stdout.isatty() else _PIPED_WIDTH).print(table)
    stderr().print("show one with: threadline entity ID", markup=False)


def _as_json(record: EntityRecord) -> dict[str, Any]:
    def source(s: Any) -> dict[str, Any]:
        return {
            "url": s.url,
            "title": s.title,
            "publisher": s.publisher,
            "date": s.date,
            "excerpt": s.excerpt,
            "reliability": s.reliability.label,
        }

    return {
        "id": record.id,
        "schema": record.schema,
        "caption": record.caption,
        "dataset": record.dataset_id,
        "statements": [
            {"prop": s.prop, "value": s.value, "dataset": s.dataset_id, "source": source(s.source)}
            for s in record.statements
        ],
        "listings": [
            {
                "list": lst.list_name,
                "entry": lst.entry_id,
                "effect": lst.effect.value,
                "section": lst.section,
                "date_listed": lst.date_listed,
                "date_removed": lst.date_removed,
                "sources": [source(s) for s in lst.sources],
            }
            for lst in record.listings
        ],
        "relations": [
            {
                "id": r.id,
                "kind": r.kind.value,
                "from": r.source_id,
                "to": r.target_id,
                "start": r.start,
                "end": r.end,
                "share": r.share,
                "quantity": r.quantity,
                "description": r.description,
                "sources": [source(s) for s in r.sources],
            }
            for r in record.relations
        ],
        "candidate_links": [
            {k: v for k, v in link.items() if k in ("entity_id", "candidate_id", "name", "score")}
            for link in record.candidate_links
        ],
    }


_SHOWN = 50  # rows per table; --json has them all


def _print_record(console: Console, record: EntityRecord) -> None:
    from rich.table import Table

    console.print(
        f"[bold]{record.caption}[/] ({record.schema}, {record.id}, from {record.dataset_id})"
    )
    facts = Table(title="statements")
    for heading in ("property", "value", "source", "date", "reliability"):
        facts.add_column(heading, overflow="fold")
    for s in record.statements[:_SHOWN]:
        facts.add_row(
            s.prop,
            s.value,
            s.source.url or s.source.title,
            str(s.source.date or ""),
            s.source.reliability.label,
        )
    console.print(facts)
    if record.listings:
        listed = Table(title="listings")
        for heading in ("list", "effect", "listed", "removed", "source"):
            listed.add_column(heading, overflow="fold")
        for lst in record.listings:
            first = lst.sources[0] if lst.sources else None
            listed.add_row(
                lst.list_name,
                lst.effect.value,
                str(lst.date_listed or ""),
                str(lst.date_removed or ""),
                (first.url or first.title) if first else "",
            )
        console.print(listed)
    if record.relations:
        linked = Table(title=f"relations ({len(record.relations)})")
        # Ids and URLs are long: fold them onto more lines, never cut them at the window's edge.
        for heading in ("kind", "from", "to", "start", "end", "detail", "source"):
            linked.add_column(heading, overflow="fold")
        for r in record.relations[:_SHOWN]:
            first = r.sources[0] if r.sources else None
            detail = " ".join(
                p
                for p in (f"{r.share:g}%" if r.share is not None else "", r.quantity, r.description)
                if p
            )
            linked.add_row(
                r.kind.value,
                r.source_id,
                r.target_id,
                str(r.start or ""),
                str(r.end or ""),
                detail,
                (first.url or first.title) if first else "",
            )
        console.print(linked)
    for link in record.candidate_links:
        console.print(
            f"possible match, awaiting review: '{link['name']}' ({link['entity_id']}) ~ "
            f"{link['candidate_id']}, score {link['score']:.2f}",
            markup=False,
        )
