"""`screen`, `match` and `algorithms`."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import time
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from threadline.cli.app import app, err
from threadline.cli.paths import check_out_dir, check_out_file, read_good_records
from threadline.data.rules import DEFAULT_ALGORITHM, load_algorithm
from threadline.data.vocab import load_normaliser
from threadline.errors import InputError
from threadline.inputs import read_records_many, read_reference
from threadline.matching import Matcher, Query
from threadline.model import DatasetInfo, ScreenedRow, Tier
from threadline.pipeline import build_screener, ensure_reference_data
from threadline.report import results_document, safe_cell, write_reports
from threadline.settings import Settings
from threadline.store import Store

_FAIL_ON = {"prohibited": Tier.PROHIBITED, "high": Tier.HIGH, "elevated": Tier.ELEVATED}
_PROGRESS_FROM = 1000  # rows; below this, screening takes well under a second


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of: '{value}' is not a date (YYYY-MM-DD)") from None


def _progress(console: Console, total: int, quiet: bool) -> Progress | None:
    if quiet or total < _PROGRESS_FROM:
        return None
    return Progress(
        TextColumn("screening"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


@app.command()
def screen(
    inputs: list[Path] = typer.Argument(
        ..., help="Supplier or shipment files: CSV, TSV or XLSX.", show_default=False
    ),
    reference: list[Path] = typer.Option(
        [],
        "--reference",
        "-r",
        help="Extra list to screen against (CSV like the bundled lists, or FtM JSON lines). Repeatable.",
    ),
    db: str | None = typer.Option(
        None,
        "--db",
        help="Database URL (default: THREADLINE_DB or a SQLite file in the user data directory).",
    ),
    out: Path = typer.Option(
        Path("threadline-out"),
        "--out",
        "-o",
        help="Folder for report.html, results.csv and results.json.",
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Screen as of this date (YYYY-MM-DD): listings made later or removed by then do not count. Default: today.",
    ),
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 when any row reaches this tier: prohibited, high or elevated.",
    ),
    name_col: str | None = typer.Option(
        None, "--name-col", help="Column holding the supplier name (default: guessed)."
    ),
    address_col: str | None = typer.Option(
        None, "--address-col", help="Column holding the address (default: guessed)."
    ),
    country_col: str | None = typer.Option(
        None, "--country-col", help="Column holding the country (default: guessed)."
    ),
    id_col: str | None = typer.Option(
        None,
        "--id-col",
        help="Column holding a registration number such as the USCC (default: guessed).",
    ),
    hops: int | None = typer.Option(
        None,
        "--hops",
        min=0,
        help="How many links (ownership, supply, shipments) to follow from a supplier; 0 turns link exposure off. Default: 2 (data/rules/tiers.yaml).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary table or progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print results.json to stdout as well."),
) -> None:
    """Screen supplier lists against the bundled official lists and the Xinjiang gazetteer."""
    threshold = _FAIL_ON.get(fail_on.lower()) if fail_on else None
    if fail_on and threshold is None:
        raise InputError(f"--fail-on: '{fail_on}' is not a tier (prohibited, high, elevated)")
    screening_date = _as_of(as_of)
    check_out_dir(out, "--out")
    records, refused = read_good_records(
        inputs, name_col=name_col, address_col=address_col, country_col=country_col, id_col=id_col
    )
    extra = [e for path in reference for e in read_reference(path)]
    extra_info = [
        DatasetInfo(id=p.stem, title=p.name, publisher="user-supplied", as_of="", licence="")
        for p in reference
    ]

    store = Store.open(Settings.from_env(db).db_url)
    ensure_reference_data(store)
    screener = build_screener(store, extra, extra_info, max_hops=hops)
    console = Console(stderr=as_json)
    bar = _progress(err, len(records), quiet)
    if bar is None:
        rows = screener.screen(records, screening_date)
    else:
        with bar:
            task = bar.add_task("screen", total=len(records))
            rows = screener.screen(records, screening_date, progress=lambda n: bar.advance(task, n))
    meta = screener.metadata(screening_date, [str(p) for p in inputs])
    paths = write_reports(out, meta, rows)
    if as_json:
        json.dump(
            results_document(meta, rows), sys.stdout, ensure_ascii=False, indent=2, default=str
        )
        sys.stdout.write("\n")
    if not quiet:
        _summary(console, rows, paths["html"], meta.data_version, screening_date)
    if refused:  # the good files are screened and reported; the bad ones are named again last
        for error in refused:
            err.print(f"error: {error}", markup=False)
        raise typer.Exit(2)
    if threshold is not None and any(r.risk.tier.severity >= threshold.severity for r in rows):
        raise typer.Exit(1)


def _summary(
    console: Console, rows: list[ScreenedRow], report: Path, version: str, as_of: dt.date
) -> None:
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
        examples = [r.record.name or r.record.address for r in rows if r.risk.tier is tier][:3]
        table.add_row(
            f"[{styles[tier]}]{tier.value}[/]", str(counts.get(tier, 0)), "; ".join(examples)
        )
    console.print(table)
    console.print(
        f'Report: {report}  ("no signal found" means none in the data available, not that a supplier is clean)',
        markup=False,
    )


@app.command()
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
) -> None:
    """Match names against a reference list; writes query_id,ref_id,score,band,explanation."""
    started = time.perf_counter()
    if out:
        check_out_file(out, "--out")
    records = read_records_many([queries], id_col=None)
    entities = read_reference(reference)
    loaded = time.perf_counter()
    matcher = Matcher(entities, load_normaliser(), load_algorithm(algorithm))
    built = time.perf_counter()
    ids = [r.raw.get("id") or r.raw.get("query_id") or str(r.row) for r in records]
    results = matcher.match(
        [Query(r.name, r.country, r.identifier) for r in records], floor=threshold, top=top
    )
    matched = time.perf_counter()
    handle = open(out, "w", newline="", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
    try:
        writer = csv.writer(handle)
        writer.writerow(["query_id", "ref_id", "score", "band", "explanation"])
        for query_id, found in zip(ids, results, strict=True):
            for result in found:
                writer.writerow(
                    [
                        safe_cell(query_id),
                        safe_cell(result.entity.id),
                        f"{result.score:.4f}",
                        result.band.value,
                        safe_cell(result.explanation.summary()),
                    ]
                )
    finally:
        if out:
            handle.close()
    if stats:
        import resource

        figures = {
            "queries": len(records),
            "reference_entities": len(entities),
            "load_s": round(loaded - started, 3),
            "index_build_s": round(built - loaded, 3),
            "match_s": round(matched - built, 3),
            "queries_per_s": round(len(records) / max(matched - built, 1e-9), 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        err.print(json.dumps(figures), markup=False)


@app.command()
def algorithms(
    name: str = typer.Argument(DEFAULT_ALGORITHM, help="Algorithm to describe."),
) -> None:
    """Describe the matching algorithm: its features, weights and thresholds."""
    algorithm = load_algorithm(name)
    console = Console()
    for heading, text in algorithm.describe():
        console.print(f"[bold]{heading}[/bold]\n  {text}\n", highlight=False)
