"""One batch screening, either engine: inputs checked, screener prepared, output staged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from threadline.batch.frame import PreparedScreening
from threadline.batch.local import run_local
from threadline.batch.output import staged
from threadline.batch.sources import Inputs, expand, open_inputs
from threadline.batch.summary import summary_document, write_summary
from threadline.errors import InputError
from threadline.pipeline import ScreeningRun

ENGINES = ("local", "spark")


def check_engine(engine: str) -> None:
    """Refuse an unknown engine, and Spark where pyspark or Java is missing, before any work."""
    if engine not in ENGINES:
        raise InputError(f"--engine: '{engine}' is not an engine (local or spark)")
    if engine == "spark":
        from threadline.batch.spark import check_available

        check_available()


def read_inputs(arguments: Sequence[str], engine: str = "local") -> Inputs:
    """Every local input's header read and checked: one line and no work when something is
    wrong. URIs (`s3a://…`) go to Spark unchecked here: only Spark's file systems reach them."""
    from threadline.batch.spark_read import is_uri

    remote = [argument for argument in arguments if is_uri(argument)]
    if remote and engine != "spark":
        raise InputError(
            "--engine local reads local files; read URIs with --engine spark", file=remote[0]
        )
    local = [argument for argument in arguments if not is_uri(argument)]
    return open_inputs(expand(local) if local else [], remote)


def screen_batch_files(
    run: ScreeningRun,
    inputs: Inputs,
    out: Path,
    *,
    engine: str = "local",
    master: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Screen the inputs into `out` (results/, rejects/, summary.json, summary.html, _SUCCESS);
    returns the summary document. `run` says the date, decisions and algorithm."""
    check_engine(engine)
    meta = run.metadata([])
    about = {
        "tool_version": meta.tool_version,
        "data_version": meta.data_version,
        "algorithm": meta.algorithm,
        "thresholds": {"match": meta.match_threshold, "review": meta.review_threshold},
        "hops": run.hops,
    }
    labels = {sector.id: sector.label for sector in run.reference.sectors.sectors}
    with staged(out) as staging:
        if engine == "local":
            prepared = PreparedScreening(run, inputs.header, inputs.columns, inputs.bills)
            aggregates = run_local(prepared, inputs, staging, progress)
        else:
            from threadline.batch.spark import check_inputs, run_spark, session

            check_inputs(inputs)
            spark, made = session(master)
            try:
                aggregates = run_spark(spark, run, inputs, staging)
            finally:
                if made:
                    spark.stop()
        doc = summary_document(
            aggregates,
            engine=engine if engine == "local" else f"spark ({master or 'default master'})",
            as_of=run.as_of,
            inputs=[*(str(source.path) for source in inputs.sources), *inputs.remote],
            meta=about,
            sector_labels=labels,
        )
        write_summary(staging, doc)
    return doc
