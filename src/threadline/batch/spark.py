"""`--engine spark`: the same batch function under `DataFrame.mapInArrow`.

pyspark is imported here only, inside functions, so threadline installs and runs without it.
The prepared screening (reference index, rules, gazetteer, facilities, sectors and the relation
graph at the as-of date) is broadcast once; each executor's Python worker unpickles it once. Bills
repeat their parties, so screening runs once per distinct record identity: a first pass reads
every row (bill fields, rejects, the identity's digest), Spark finds the distinct digests, the
second pass screens one row of each, and a join gives every row its identity's screening. The
exposure step runs inside the screening from the broadcast graph; nothing is done per row on the
driver and no row is collected to it. The output is written by Spark; only aggregates (a few
hundred counts) come back to the driver.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threadline.batch.frame import PARTY, PreparedScreening, parties_schema, rows_schema
from threadline.batch.local import REJECT_COLUMNS
from threadline.batch.sources import Inputs
from threadline.batch.summary import DIMENSIONS, TOP_COUNTERPARTS, Aggregates
from threadline.errors import InputError, ThreadlineError
from threadline.pipeline import ScreeningRun

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.broadcast import Broadcast
    from pyspark.sql import DataFrame, SparkSession

    from threadline.batch.spark_read import TextLayout

INSTALL = (
    "--engine spark needs pyspark and a Java runtime (JDK 17 or later): "
    "pip install 'threadline[spark]' and install a JDK (Debian: apt-get install "
    "openjdk-17-jre-headless)"
)


_UTF8 = frozenset({"utf-8", "utf-8-sig"})
_LOG4J = resources.files("threadline.batch").joinpath("log4j2.properties")


class EngineUnavailable(ThreadlineError):
    exit_code = 2


class JobFailed(ThreadlineError):
    exit_code = 1


def check_inputs(inputs: Inputs) -> None:
    """Spark reads CSV, TSV and Parquet, text files in UTF-8 and with one delimiter (one read
    for all); anything else is refused before the session starts."""
    tables = [source.table for source in inputs.sources if source.table is not None]
    for table in tables:
        if not table.codec:
            raise InputError(
                "--engine spark reads CSV, TSV and Parquet, not XLSX; save the sheet as CSV "
                "or use --engine local",
                file=table.file,
            )
        if table.codec not in _UTF8:
            raise InputError(
                f"is {table.codec}; --engine spark reads text files in UTF-8: convert it "
                f"(iconv -f {table.codec} -t utf-8) or use --engine local",
                file=table.file,
            )
        if (table.codec, table.delimiter) != (tables[0].codec, tables[0].delimiter):
            raise InputError(
                f"is {table.codec} with {table.delimiter!r} between cells, unlike {tables[0].file} "
                f"({tables[0].codec}, {tables[0].delimiter!r}); --engine spark reads the text "
                "files of a batch alike: convert them, or use --engine local",
                file=table.file,
            )


def check_available() -> None:
    """One line naming what to install when pyspark or Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise EngineUnavailable(f"pyspark is not installed; {INSTALL}") from None
    java_home = os.environ.get("JAVA_HOME")
    if not (shutil.which("java") or (java_home and Path(java_home, "bin", "java").exists())):
        raise EngineUnavailable(f"no Java runtime found (java on PATH or JAVA_HOME); {INSTALL}")


def session(master: str | None) -> tuple[SparkSession, bool]:
    """The active session (spark-submit's, a test's), else a new one; True when made here.

    A new local session is quiet and offline: no web UI, scratch space under the temp folder,
    few shuffle partitions, and Python workers that run this interpreter (so they import the
    same threadline)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    # spark-submit starts the JVM and says so through the environment; its --master stands.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    chosen = master or (None if submitted else "local[*]")
    builder = SparkSession.builder.appName("threadline batch screen")
    if chosen is not None:
        builder = builder.master(chosen)
    if chosen is not None and chosen.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("SPARK_LOCAL_DIRS", tempfile.gettempdir())
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile={_LOG4J}")
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark, True


def run_spark(spark: SparkSession, run: ScreeningRun, inputs: Inputs, staging: Path) -> Aggregates:
    """Screen on Spark into staging/results and staging/rejects; the aggregates for the summary."""

    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    from threadline.batch.spark_read import resolve

    try:
        inputs, layout = resolve(spark, inputs)
        prepared = PreparedScreening(run, inputs.header, inputs.columns, inputs.bills)
        return _run(spark, prepared, inputs, layout, staging)
    except (PySparkException, Py4JError) as exc:
        # Spark retried what it could (spark.task.maxFailures); the output is not marked done.
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise JobFailed(f"the Spark job failed, nothing was written: {first}") from exc


def _run(
    spark: SparkSession,
    prepared: PreparedScreening,
    inputs: Inputs,
    layout: TextLayout | None,
    staging: Path,
) -> Aggregates:
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    from threadline.batch.spark_read import prepared_rows

    header = prepared.header
    shared = spark.sparkContext.broadcast(prepared)
    every = str(staging / "_rows")
    schema = from_arrow_schema(rows_schema(header))
    prepared_rows(spark, inputs, layout, shared, schema).write.parquet(every)
    rows = spark.read.parquet(every)
    # One row for each distinct identity stands for all the rows that have it.
    parties = (
        rows.where(F.col(PARTY).isNotNull())
        .select(PARTY, "input", "file", "row")
        .dropDuplicates([PARTY])
    )
    screen = _each_batch(shared, "screen_parties")
    screened = parties.mapInArrow(screen, from_arrow_schema(parties_schema(header)))
    columns = [name for name in prepared.schema.names if name != "rejected"]
    ok = rows.where(F.col("rejected").isNull()).join(screened, PARTY).select(*columns)
    ok.write.parquet(str(staging / "results"))
    bad = rows.where(F.col("rejected").isNotNull()).select(*REJECT_COLUMNS)
    bad.write.parquet(str(staging / "rejects"))
    results = spark.read.parquet(str(staging / "results"))
    aggregates = _aggregate(results)
    aggregates.rejected = spark.read.parquet(str(staging / "rejects")).count()
    shutil.rmtree(every, ignore_errors=True)
    shared.unpersist()
    return aggregates


def _each_batch(
    shared: Broadcast[PreparedScreening], step: str
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """A partition's batches through one step of the broadcast screening (`prepare_batch` or
    `screen_parties`)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        apply = getattr(shared.value, step)
        for batch in batches:
            yield apply(batch)

    return run


def _aggregate(results: DataFrame) -> Aggregates:
    """The counts the summary needs, by group-bys; only the groups reach the driver."""
    from pyspark.sql import functions as F

    keys: dict[str, Any] = {
        "sector": F.explode_outer("sectors"),
        "month": F.col("month"),
        "port": F.col("port"),
    }
    aggregates = Aggregates()
    for row in results.groupBy("tier").count().collect():
        aggregates.tiers[row["tier"]] = row["count"]
    aggregates.rows = sum(aggregates.tiers.values())
    for dimension in DIMENSIONS:
        grouped = (
            results.select(keys[dimension].alias("key"), "tier").groupBy("key", "tier").count()
        )
        aggregates.by[dimension] = Counter(
            {(row["key"] or "", row["tier"]): row["count"] for row in grouped.collect()}
        )
    confident = F.array_distinct(
        F.transform(
            F.filter("matches", lambda m: m["band"] == "match"),
            lambda m: F.struct(m["entity_id"].alias("id"), m["name"].alias("name")),
        )
    )
    counted = (
        results.select(F.explode(confident).alias("m"))
        .groupBy(F.col("m.id").alias("id"), F.col("m.name").alias("name"))
        .count()
        .orderBy(F.desc("count"), "id", "name")  # the summary's order, so the top is the same
        .limit(TOP_COUNTERPARTS)
    )
    aggregates.counterparts = Counter(
        {(row["id"], row["name"]): row["count"] for row in counted.collect()}
    )
    return aggregates
