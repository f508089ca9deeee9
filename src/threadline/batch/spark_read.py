"""How `--engine spark` reads a batch's inputs, numbering rows as the in-process readers do.

Text files are read by Spark as lines (files, globs, folders and any URI Spark's file systems
read: `s3a://`, `hdfs://`, `gs://`, where the user's Spark has the connector). Spark does not
number lines, so a first, cheap job counts each file split's lines and finds each file's first
non-blank line (its header): a line's number is the lines of its file's earlier splits plus its
place in its split. That job also checks every file's header before any screening starts. The
lines are then split into cells in the batch function's worker, with Python's csv module as the
in-process reader does; a line is a row (a quoted cell cannot run onto the next line, as it may
with `--engine local`). Parquet rows are numbered by Spark (`_metadata.row_index`).

pyspark is imported inside functions only.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

import pyarrow as pa

from threadline.batch.frame import EXTRA, FILE, ROW, PreparedScreening, input_schema
from threadline.batch.sources import PARQUET, Inputs, columns_of
from threadline.errors import InputError
from threadline.inputs.tables import clean_cell, header_names, sniff_delimiter

if TYPE_CHECKING:
    from pyspark.broadcast import Broadcast
    from pyspark.sql import DataFrame, SparkSession

_START = "__threadline_split"  # where a line's file split starts (bytes)
_AT = "__threadline_at"  # a line's id: increasing within a partition, so within a split


@dataclass(frozen=True)
class TextLayout:
    """What a worker needs to turn a batch of lines into numbered rows of cells (it pickles)."""

    delimiter: str
    width: int
    # (file, split start) → (the split's first line id, lines of the file before the split)
    splits: dict[tuple[str, int], tuple[int, int]]
    headers: dict[str, int]  # file → its header's line number; lines up to it are not rows
    names: dict[str, str]  # local file's absolute path → the path as the user named it

    def rows(self, lines: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
        """Lines → the batch function's input rows (cells as text, file, row, extra cell)."""
        columns: list[list[str]] = [[] for _ in range(self.width)]
        files: list[str] = []
        numbers: list[int] = []
        extras: list[str | None] = []
        values: list[Any] = lines.column("value").to_pylist()
        names: list[Any] = lines.column(FILE).to_pylist()
        starts: list[Any] = lines.column(_START).to_pylist()
        ats: list[Any] = lines.column(_AT).to_pylist()
        rows = zip(values, names, starts, ats, strict=True)
        named: dict[str, str] = {}
        for value, file, start, at in rows:
            first, before = self.splits[(file, start)]
            number = before + at - first + 1
            if number <= self.headers[file]:
                continue
            cells = next(csv.reader([value or ""], delimiter=self.delimiter), [])
            for position, column in enumerate(columns):
                column.append(cells[position] if position < len(cells) else "")
            if file not in named:
                named[file] = user_name(self.names, file)
            files.append(named[file])
            numbers.append(number)
            extras.append(next((c for c in cells[self.width :] if c.strip()), None))
        return pa.RecordBatch.from_arrays(
            [
                *(pa.array(column, pa.string()) for column in columns),
                pa.array(files, pa.string()),
                pa.array(numbers, pa.int64()),
                pa.array(extras, pa.string()),
            ],
            schema=schema,
        )


def is_uri(argument: str) -> bool:
    """A location for Spark's file systems (`s3a://bucket/bills/`), not a local path."""
    parsed = urlparse(argument)
    return len(parsed.scheme) > 1 and "://" in argument


def resolve(spark: SparkSession, inputs: Inputs) -> tuple[Inputs, TextLayout | None]:
    """Every text file's lines counted and header checked (one line and no screening when a
    file's columns differ); for inputs named only by URI, their header and columns."""
    from pyspark.sql import functions as F

    texts, parquets = _locations(inputs)
    header = inputs.header
    if not header and parquets:  # URIs only: the header is the data's
        header = tuple(spark.read.parquet(*parquets).columns)
    layout = None
    if texts:
        lines = _lines(spark, texts)
        blank = F.regexp_replace(F.col("value"), r"[\s,;|\"]", "") == ""
        found = (
            lines.groupBy(FILE, _START)
            .agg(
                F.min(_AT).alias("first"),
                F.count(F.lit(1)).alias("lines"),
                F.min(F.when(~blank, F.struct(_AT, "value"))).alias("head"),
            )
            .collect()
        )
        names = _local_names(inputs)
        delimiter = next((s.table.delimiter for s in inputs.sources if s.table), "")
        splits: dict[tuple[str, int], tuple[int, int]] = {}
        heads: dict[str, tuple[int, str]] = {}
        before: dict[str, int] = {}
        for split in sorted(found, key=lambda r: (r[FILE], r[_START])):
            file = split[FILE]
            counted = before.get(file, 0)
            splits[(file, split[_START])] = (split["first"], counted)
            if file not in heads and split["head"] is not None:
                at, text = split["head"]
                heads[file] = (counted + at - split["first"] + 1, text.lstrip("\ufeff"))
            before[file] = counted + split["lines"]
        for file in sorted(set(before) - set(heads)):
            raise InputError("file is empty", file=user_name(names, file))
        first = min(heads)
        delimiter = delimiter or sniff_delimiter(heads[first][1])
        for file in sorted(heads, key=lambda f: f != first):
            number, text = heads[file]
            cells = [clean_cell(c) for c in next(csv.reader([text], delimiter=delimiter), [])]
            named = tuple(header_names(cells, user_name(names, file), number))
            if not header:
                header = named
            elif named != header:
                raise InputError(
                    f"its columns differ from the batch's ({', '.join(header)}); a batch reads "
                    "files of one layout",
                    file=user_name(names, file),
                )
        layout = TextLayout(
            delimiter,
            len(header),
            splits,
            {file: number for file, (number, _) in heads.items()},
            names,
        )
    if not inputs.header:
        columns, bills = columns_of(header, (texts or parquets)[0])
        inputs = replace(inputs, header=header, columns=columns, bills=bills)
    return inputs, layout


def prepared_rows(
    spark: SparkSession,
    inputs: Inputs,
    layout: TextLayout | None,
    shared: Broadcast[PreparedScreening],
    schema: Any,
) -> DataFrame:
    """Every input row read by the batch function's first step (`prepare_batch`), as a
    DataFrame of `schema` (the intermediate rows)."""
    from pyspark.sql import functions as F

    texts, parquets = _locations(inputs)
    header = list(inputs.header)
    frames: list[DataFrame] = []
    rows = input_schema(header)
    if texts and layout is not None:
        lines = _lines(spark, texts)
        frames.append(lines.mapInArrow(_prepare(shared, layout.rows, rows), schema))
    if parquets:
        frame = spark.read.parquet(*parquets).select(
            *(_col(name).cast("string").alias(name) for name in header),
            F.col("_metadata.file_path").alias(FILE),
            (F.col("_metadata.row_index") + 1).alias(ROW),
            F.lit(None).cast("string").alias(EXTRA),
        )
        names = _local_names(inputs)

        def named(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
            spark_names: list[Any] = batch.column(FILE).to_pylist()
            named = {f: user_name(names, f) for f in set(spark_names)}
            files = [named[f] for f in spark_names]
            at = schema.get_field_index(FILE)
            return batch.set_column(at, FILE, pa.array(files, pa.string()))

        frames.append(frame.mapInArrow(_prepare(shared, named, rows), schema))
    result = frames[0]
    for other in frames[1:]:
        result = result.unionByName(other)
    return result


def _prepare(
    shared: Broadcast[PreparedScreening],
    read: Callable[[pa.RecordBatch, pa.Schema], pa.RecordBatch],
    rows: pa.Schema,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        prepared = shared.value
        for batch in batches:
            yield prepared.prepare_batch(read(batch, rows))

    return run


def _locations(inputs: Inputs) -> tuple[list[str], list[str]]:
    """Text and Parquet locations as Spark reads them: local files, then URIs (a URI is
    Parquet when it ends in a Parquet suffix: a file, or a glob such as `…/*.parquet`)."""
    texts = [str(s.path) for s in inputs.sources if s.kind == "text"]
    parquets = [str(s.path) for s in inputs.sources if s.kind == "parquet"]
    for uri in inputs.remote:
        (parquets if Path(urlparse(uri).path).suffix.lower() in PARQUET else texts).append(uri)
    return texts, parquets


def _lines(spark: SparkSession, locations: list[str]) -> DataFrame:
    """Each line with its file, its split and an id increasing within its split; the same
    files read twice give the same ids (one job counts, the next reads)."""
    from pyspark.sql import functions as F

    return spark.read.text(locations).select(
        F.col("value"),
        F.col("_metadata.file_path").alias(FILE),
        F.col("_metadata.file_block_start").alias(_START),
        F.monotonically_increasing_id().alias(_AT),
    )


def _local_names(inputs: Inputs) -> dict[str, str]:
    """Each local file's absolute path → the path as the user gave it."""
    return {str(Path(s.path).resolve()): str(s.path) for s in inputs.sources}


def user_name(names: dict[str, str], file: str) -> str:
    """A file as Spark names it (`file:/tmp/my%20bills/a.csv`) → as the user named it; a URI
    stays as it is."""
    if not file.startswith("file:"):
        return file
    path = unquote(urlparse(file).path)
    return names.get(path, names.get(str(Path(path).resolve()), file))


def _col(name: str) -> Any:
    from pyspark.sql import functions as F

    return F.col("`" + name.replace("`", "``") + "`")
