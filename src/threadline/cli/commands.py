"""`screen`, `match` and `algorithms`."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from threadline.cli.console import stderr
from threadline.cli.options import (
    AS_OF,
    DB,
    HOPS,
    MAX_AGE,
    REFERENCE,
    FailOn,
    date_option,
    extra_references,
    open_store,
)
from threadline.data.rules import DEFAULT_ALGORITHM
from threadline.errors import cannot_write
from threadline.model import InputRecord, ScreenedRow, Tier

if TYPE_CHECKING:
    from rich.progress import Progress

# Each command imports what it runs when it runs: `threadline --help` and `--version` must not
# pay for SQLAlchemy, numpy, pypinyin's phrase table or openpyxl (tests/cli/test_lazy_imports.py).

_PROGRESS_FROM = 1000  # rows; below this, screening takes well under a second
_MATCH_CHUNK = 10_000  # queries read, matched and written together by `match`


def _progress(console: Console, total: int, quiet: bool) -> Progress | None:
    if quiet or total < _PROGRESS_FROM:
        return None
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("screening"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


def screen(
    inputs: list[Path] = typer.Argument(
        ..., help="Supplier or shipment files: CSV, TSV or XLSX.", show_default=False
    ),
    reference: list[Path] = REFERENCE,
    db: str | None = DB,
    out: Path = typer.Option(
        Path("threadline-out"),
        "--out",
        "-o",
        help="Folder for report.html, results.csv and results.json.",
    ),
    as_of: str | None = AS_OF,
    fail_on: FailOn | None = typer.Option(
        None, "--fail-on", case_sensitive=False, help="Exit 1 when any row reaches this tier."
    ),
    name_col: list[str] = typer.Option(
        [],
        "--name-col",
        help="Column holding the supplier name; repeat for more (an English and a Chinese name). Default: guessed.",
    ),
    address_col: list[str] = typer.Option(
        [],
        "--address-col",
        help="Column holding the address; repeat for more (joined in order). City, province and region columns are added. Default: guessed.",
    ),
    sheet: str | None = typer.Option(
        None,
        "--sheet",
        help="XLSX worksheet to read, by name or number (default: the first with a header row).",
    ),
    country_col: str | None = typer.Option(
        None, "--country-col", help="Column holding the country (default: guessed)."
    ),
    id_col: str | None = typer.Option(
        None,
        "--id-col",
        help="Column holding a registration number such as the USCC (default: guessed).",
    ),
    hops: int | None = HOPS,
    max_age: int | None = MAX_AGE,
    key_col: str | None = typer.Option(
        None,
        "--key-col",
        help="Column holding your own supplier id, which says which row is which across screenings (default: guessed, e.g. 'Vendor No.'; else the registration number, else name + country).",
    ),
    compare_to: str = typer.Option(
        "last",
        "--compare-to",
        help="Earlier screening to compare with: 'last' (the latest stored screening you ran of a file with the same name; monitor re-screens do not count), a stored screening id, a results.json, or 'none'.",
    ),
    no_store: bool = typer.Option(
        False, "--no-store", help="Do not keep this screening in the store (a one-off check)."
    ),
    pdf: bool = typer.Option(
        False,
        "--pdf",
        help="Also write report.pdf, laid out for print (needs Pango: Debian libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-noto-cjk).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary table or progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print results.json to stdout as well."),
) -> None:
    """Screen supplier lists against the bundled official lists and the Xinjiang gazetteer."""
    from threadline.cli.changes import print_changes
    from threadline.cli.paths import check_out_dir, read_good_records
    from threadline.monitoring.keys import row_keys
    from threadline.monitoring.session import (
        ScreenSettings,
        assemble,
        baseline,
        keep,
        new_screening_id,
    )
    from threadline.pipeline import build_screener
    from threadline.report import REPORT_FILES, write_reports
    from threadline.settings import Settings
    from threadline.store.history import InputFile, ScreeningHistory, inputs_label

    screening_date = date_option(as_of, "--as-of") or dt.date.today()
    if pdf:
        from threadline.extras import require

        require("pdf", "--pdf")
    check_out_dir(out, "--out")
    read, refused = read_good_records(
        inputs,
        name_col=name_col,
        address_col=address_col,
        country_col=country_col,
        id_col=id_col,
        sheet=sheet,
    )
    records: list[InputRecord] = [r for file in read for r in file.records]
    read_lines = [file.report for file in read]
    extra, extra_info = extra_references(reference)

    files = [InputFile(Path(f.table.file).name, Path(f.table.file).read_bytes()) for f in read]
    settings = Settings.from_env(db, max_age)
    with open_store(settings.db_url) as store:
        history = ScreeningHistory(store)
        previous = baseline(history, compare_to, inputs_label(f.name for f in files))
        # Which sheet, header row and columns were used: on every run, so a wrong guess shows (once
        # the options are known good, so that a refusal stays one line).
        for line in read_lines:
            stderr().print(f"Read {line}", markup=False, highlight=False, soft_wrap=True)
        run = build_screener(store, extra, extra_info).run(as_of=screening_date, max_hops=hops)
        console = Console(stderr=as_json)
        bar = _progress(stderr(), len(records), quiet)
        if bar is None:
            rows = run.screen(records)
        else:
            with bar:
                task = bar.add_task("screen", total=len(records))
                rows = run.screen(records, progress=lambda n: bar.advance(task, n))
        meta = run.metadata([str(p) for p in inputs], settings.max_data_age_days, read_lines)
        keys = row_keys(records, key_col=key_col, id_col=id_col)
        given: dict[str, str | list[str] | None] = {
            "name": list(name_col),
            "address": list(address_col),
            "country": country_col,
            "identifier": id_col,
            "sheet": sheet,
        }
        screen_settings = ScreenSettings(
            hops=run.hops,
            key=keys.label,
            columns={f: c for f, c in {**given, "key": key_col}.items() if c},
            references=tuple(p.name for p in reference),
        )
        compared = assemble(
            screening_id=new_screening_id(),
            meta=meta,
            rows=rows,
            keys=keys,
            settings=screen_settings,
            previous=previous,
            stored=not no_store,
        )
        paths = write_reports(
            out, meta, rows, document=compared.document, keys=keys, changes=compared.changes
        )
        if not no_store:
            reports = {fmt: paths[fmt].read_bytes() for fmt in REPORT_FILES}
            keep(history, compared, rows, files, origin="cli", reports=reports)
        if pdf:
            from threadline.report.pdf import write_pdf

            paths["pdf"] = out / "report.pdf"
            write_pdf(paths["pdf"], meta, rows)
        if as_json:
            json.dump(compared.document, sys.stdout, ensure_ascii=False, indent=2, default=str)
            sys.stdout.write("\n")
        if not quiet:
            if compared.changes is not None:
                print_changes(console, compared.changes)
            _summary(console, rows, paths["html"], meta.data_version, screening_date)
            stored = (
                f"stored as screening {compared.screening_id}" if not no_store else "not stored"
            )
            console.print(f"Rows keyed by {keys.label}; {stored}.", markup=False)
            dated = [f"{d.id} {d.as_of}" for d in meta.datasets if d.as_of]
            console.print(f"Lists as of: {'; '.join(dated)}", markup=False, highlight=False)
        for warning in meta.data_warnings:  # on stderr, so they reach a user even with --json
            stderr().print(f"warning: {warning}", markup=False)
        if refused:  # the good files are screened and reported; the bad ones are named again last
            for error in refused:
                stderr().print(f"error: {error}", markup=False)
            raise typer.Exit(2)
        if fail_on is not None and any(r.risk.tier.severity >= fail_on.tier.severity for r in rows):
            raise typer.Exit(1)


def _summary(
    console: Console, rows: list[ScreenedRow], report: Path, version: str, as_of: dt.date
) -> None:
    from rich.table import Table

    counts = Counter(r.risk.tier for r in rows)
    table = Table(title=f"threadline screening — {len(rows)} rows, as of {as_of}, data {version}")
    table.add_column("tier")
    table.add_column("rows", justify="right")
    table.add_column("examples")
    styles = {
        Tier.PROHIBITED: "bold red",
        Tier.HIGH: "red",
        Tier.ELEVATED: "yellow",
        Tier.NO_SIGNAL: "dim",
    }
    for tier in sorted(Tier, key=lambda t: -t.severity):
        examples = [
            r.record.name or r.record.address or f"row {r.record.row} (not screened)"
            for r in rows
            if r.risk.tier is tier
        ][:3]
        table.add_row(
            f"[{styles[tier]}]{tier.value}[/]", str(counts.get(tier, 0)), "; ".join(examples)
        )
    console.print(table)
    console.print(
        f'Report: {report}  ("no signal found" means none in the data available, not that a supplier is clean)',
        markup=False,
    )


def match(
    queries: Path = typer.Argument(
        ..., help="CSV with id,name[,country,address,...].", show_default=False
    ),
    reference: Path = typer.Option(
        ...,
        "--reference",
        "-r",
        help="CSV with id,name[,aliases,name_zh,country,address] or FtM JSON lines.",
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output CSV (default: stdout)."),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Lowest score kept (default: the algorithm's review threshold)."
    ),
    top: int = typer.Option(5, "--top", min=1, help="Most candidates kept per query."),
    algorithm: str = typer.Option(
        DEFAULT_ALGORITHM, "--algorithm", help="Matching algorithm (see `threadline algorithms`)."
    ),
    stats: bool = typer.Option(
        False, "--stats", help="Print timing and memory figures as one JSON line on stderr."
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        help="Processes matching a large file while results are written (default: one per "
        "idle core; 1 matches in this process only).",
        show_default=False,
    ),
) -> None:
    """Match names against a reference list; writes query_id,ref_id,score,band,explanation."""
    from collections import deque
    from collections.abc import Iterator
    from itertools import islice

    from threadline.cli.paths import check_out_file
    from threadline.data.rules import load_algorithm
    from threadline.data.vocab import load_normaliser
    from threadline.index_cache import cached_matcher
    from threadline.inputs import read_reference
    from threadline.inputs.record_stream import stream_records
    from threadline.matching import Matcher, Query, idle_cores
    from threadline.report import safe_cell

    started = time.perf_counter()
    if out:
        check_out_file(out, "--out")
    queried = stream_records(queries, id_col=None)
    loaded = time.perf_counter()
    chosen = load_algorithm(algorithm)
    matcher, from_cache = cached_matcher(
        reference,
        chosen,
        lambda: Matcher(read_reference(reference, listings=False), load_normaliser(), chosen),
    )
    built = time.perf_counter()
    # Queries are read, matched and written a chunk at a time: memory does not grow with the
    # file. Into a file beside --out, renamed when all is written: an error in a late row
    # leaves no half-written results.
    partial = out.with_name(f".{out.name}.partial") if out else None
    try:
        handle = open(partial, "w", newline="", encoding="utf-8") if partial else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise cannot_write(out, exc) from exc
    count = 0
    try:
        writer = csv.writer(handle)
        writer.writerow(["query_id", "ref_id", "score", "band", "explanation"])
        rows = queried.records()
        chunks: deque[list[InputRecord]] = deque()  # read, not yet written

        def batches() -> Iterator[list[Query]]:
            while chunk := list(islice(rows, _MATCH_CHUNK)):
                chunks.append(chunk)
                yield [Query(r.name, r.country, r.identifier) for r in chunk]

        # Worker processes on a large file: the next chunk is matched while one is written.
        processes = workers or idle_cores()
        for results in matcher.line_stream(
            batches(), floor=threshold, top=top, processes=processes
        ):
            chunk = chunks.popleft()
            count += len(chunk)
            for record, found in zip(chunk, results, strict=True):
                if not found:
                    continue
                query_id = record.raw.get("id") or record.raw.get("query_id") or str(record.row)
                query_cell = safe_cell(query_id)
                writer.writerows(
                    [
                        query_cell,
                        safe_cell(line.entity.id),
                        f"{line.score:.4f}",
                        line.band.value,
                        safe_cell(line.summary),
                    ]
                    for line in found
                )
    except BaseException:
        if partial:
            handle.close()
            partial.unlink(missing_ok=True)
        raise
    if partial and out:
        handle.close()
        partial.replace(out)
    matched = time.perf_counter()
    if stats:
        import resource

        figures = {
            "queries": count,
            "reference_entities": len(matcher.entities),
            "load_s": round(loaded - started, 3),
            # Reading the reference and building its index, or loading it from the cache.
            "index_build_s": round(built - loaded, 3),
            "index_from_cache": from_cache,
            "match_s": round(matched - built, 3),
            "queries_per_s": round(count / max(matched - built, 1e-9), 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        stderr().print(json.dumps(figures), markup=False)


def algorithms(
    name: str = typer.Argument(DEFAULT_ALGORITHM, help="Algorithm to describe."),
) -> None:
    """Describe the matching algorithm: its features, weights and thresholds."""
    from threadline.data.rules import load_algorithm

    algorithm = load_algorithm(name)
    console = Console()
    for heading, text in algorithm.describe():
        console.print(f"[bold]{heading}[/bold]\n  {text}\n", highlight=False)
