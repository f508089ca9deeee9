"""`batch screen`: very large record sets, in-process (`--engine local`) or on Apache Spark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from threadline.cli.console import stderr
from threadline.cli.options import (
    AS_OF,
    DB,
    HOPS,
    REFERENCE,
    Engine,
    date_option,
    extra_references,
    open_store,
)

batch_app = typer.Typer(
    help="Screen very large record sets (a year of bills of lading) in batches, in this "
    "process or on Apache Spark, with the same code and the same answers as `screen`.",
    no_args_is_help=True,
)


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
    engine: Engine = typer.Option(
        Engine.LOCAL, "--engine", case_sensitive=False, help="This process (local) or Apache Spark."
    ),
    master: str | None = typer.Option(
        None,
        "--master",
        help="Spark master URL (local[4], spark://host:7077, yarn). Default: spark-submit's, "
        "else local[*].",
    ),
    reference: list[Path] = REFERENCE,
    db: str | None = DB,
    as_of: str | None = AS_OF,
    hops: int | None = HOPS,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary line."),
) -> None:
    """Screen bills of lading or supplier tables in batches; Parquet results and a summary."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from threadline.batch import check_engine, read_inputs, screen_batch_files
    from threadline.pipeline import build_screener

    screening_date = date_option(as_of, "--as-of") or dt.date.today()
    check_engine(engine.value)
    batch_inputs = read_inputs(inputs, engine.value)
    extra, extra_info = extra_references(reference)
    with open_store(db) as store:
        run = build_screener(store, extra, extra_info).run(as_of=screening_date, max_hops=hops)
    bar = None
    if engine is Engine.LOCAL and not quiet:
        bar = Progress(
            TextColumn("screening"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=stderr(),
            transient=True,
        )
    if bar is None:
        doc = screen_batch_files(run, batch_inputs, out, engine=engine.value, master=master)
    else:
        with bar:
            task = bar.add_task("screen", total=None)
            doc = screen_batch_files(
                run,
                batch_inputs,
                out,
                engine=engine.value,
                master=master,
                progress=lambda n: bar.advance(task, n),
            )
    if not quiet:
        tiers = ", ".join(f"{tier} {count}" for tier, count in doc["tiers"].items())
        stderr().print(
            f"{doc['rows']} rows screened, {doc['rejected']} rejected ({tiers}); output in {out}",
            markup=False,
        )
