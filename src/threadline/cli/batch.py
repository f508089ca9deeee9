"""`batch screen`: very large record sets, in-process (`--engine local`) or on Apache Spark."""

from __future__ import annotations

from pathlib import Path

import typer

from threadline.cli.app import app, err
from threadline.cli.commands import _as_of
from threadline.cli.options import AS_OF, HOPS, REFERENCE, extra_references

batch_app = typer.Typer(
    help="Screen very large record sets (a year of bills of lading) in batches, in this "
    "process or on Apache Spark, with the same code and the same answers as `screen`.",
    no_args_is_help=True,
)
app.add_typer(batch_app, name="batch")


@batch_app.command("screen")
def batch_screen(
    inputs: list[str] = typer.Argument(
        ...,
        help="Bills of lading or supplier tables: CSV, TSV or Parquet files, globs or folders "
        "(XLSX with --engine local); with --engine spark also any URI Spark reads "
        "(s3a://bucket/bills/, hdfs://…). Files of one batch share one layout.",
        show_default=False,
    ),
    out: Path = typer.Option(
        ...,
        "--out",
        "-o",
        help="Output folder: results/ and rejects/ (Parquet), summary.json, summary.html, "
        "_SUCCESS. Replaced only once the new output is complete.",
        show_default=False,
    ),
    engine: str = typer.Option("local", "--engine", help="local (this process) or spark."),
    master: str | None = typer.Option(
        None,
        "--master",
        help="Spark master URL (local[4], spark://host:7077, yarn). Default: spark-submit's, "
        "else local[*].",
    ),
    reference: list[Path] = REFERENCE,
    db: str | None = typer.Option(
        None,
        "--db",
        help="Database whose lists, entities and relations are screened against (default: THREADLINE_DB or the user's SQLite file).",
    ),
    as_of: str | None = AS_OF,
    hops: int | None = HOPS,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary line."),
) -> None:
    """Screen bills of lading or supplier tables in batches; Parquet results and a summary."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from threadline.batch import check_engine, read_inputs, screen_batch_files
    from threadline.pipeline import build_screener, ensure_reference_data
    from threadline.settings import Settings
    from threadline.store import Store

    screening_date = _as_of(as_of)
    check_engine(engine)
    batch_inputs = read_inputs(inputs, engine)
    extra, extra_info = extra_references(reference)
    store = Store.open(Settings.from_env(db).db_url)
    ensure_reference_data(store)
    screener = build_screener(store, extra, extra_info, max_hops=hops)
    bar = None
    if engine == "local" and not quiet:
        bar = Progress(
            TextColumn("screening"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
    if bar is None:
        doc = screen_batch_files(
            screener, batch_inputs, out, as_of=screening_date, engine=engine, master=master
        )
    else:
        with bar:
            task = bar.add_task("screen", total=None)
            doc = screen_batch_files(
                screener,
                batch_inputs,
                out,
                as_of=screening_date,
                engine=engine,
                master=master,
                progress=lambda n: bar.advance(task, n),
            )
    if not quiet:
        tiers = ", ".join(f"{tier} {count}" for tier, count in doc["tiers"].items())
        err.print(
            f"{doc['rows']} rows screened, {doc['rejected']} rejected ({tiers}); output in {out}",
            markup=False,
        )
