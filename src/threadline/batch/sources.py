"""Batch inputs: which files, their one shared header, and (in-process) their rows as Arrow.

Everything here runs before any screening starts, so a missing file, an unreadable one, a
missing name column or files whose columns differ stop the run with one line. CSV and TSV are
read by threadline's own readers (encodings, delimiters, cell cleaning and row numbers as
`threadline screen` reads them); XLSX whole; Parquet with pyarrow, every column as text.
"""

from __future__ import annotations

import csv
import glob
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from threadline.batch.frame import BillColumns, input_schema
from threadline.data.input_vocab import load_column_vocabulary, load_shipment_vocabulary
from threadline.errors import InputError
from threadline.inputs.columns import RecordColumns, guess_record_columns, match_headers
from threadline.inputs.stream import StreamedTable, open_table
from threadline.inputs.tables import read_table

PARQUET = frozenset({".parquet", ".parq", ".pq"})
_BATCH_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class Source:
    """One input file: its kind ("text" for CSV/TSV/XLSX, "parquet") and its header."""

    path: Path
    kind: str
    header: tuple[str, ...]
    table: StreamedTable | None = None  # text files only


@dataclass(frozen=True, slots=True)
class Inputs:
    """Local files (checked here) and, for Spark, URIs it reads itself: their header and
    columns come from Spark before the job (`spark_read.resolve`) when no local file has one."""

    sources: tuple[Source, ...]
    header: tuple[str, ...]
    columns: RecordColumns
    bills: BillColumns
    remote: tuple[str, ...] = ()


def expand(arguments: Sequence[str]) -> list[Path]:
    """Files named, matched by a glob or found in a folder (its CSV, TSV, XLSX and Parquet
    files, Spark's part files included), in a stable order."""
    paths: list[Path] = []
    for argument in arguments:
        if glob.has_magic(argument):
            found = sorted(Path(p) for p in glob.glob(argument) if Path(p).is_file())
            if not found:
                raise InputError("no file matches this pattern", file=argument)
            paths.extend(found)
        elif Path(argument).is_dir():
            found = sorted(
                p
                for p in Path(argument).rglob("*")
                if p.is_file() and not p.name.startswith(("_", ".")) and _readable_kind(p)
            )
            if not found:
                raise InputError("folder holds no CSV, TSV, XLSX or Parquet file", file=argument)
            paths.extend(found)
        else:
            paths.append(Path(argument))
    return paths


def _readable_kind(path: Path) -> bool:
    return path.suffix.lower() in {*PARQUET, ".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm"}


def open_inputs(paths: Sequence[Path], remote: Sequence[str] = ()) -> Inputs:
    """Read every file's header, check they agree, and decide which column holds what."""
    if not paths and remote:  # Spark reads the header of what only it can reach
        return Inputs((), (), RecordColumns(name=""), BillColumns(), tuple(remote))
    if not paths:
        raise InputError("no input files")
    sources = [_open(path) for path in paths]
    first = sources[0]
    for source in sources[1:]:
        if source.header != first.header:
            missing = [c for c in first.header if c not in source.header]
            extra = [c for c in source.header if c not in first.header]
            detail = "; ".join(
                part
                for part in (
                    f"lacks {', '.join(missing)}" if missing else "",
                    f"adds {', '.join(extra)}" if extra else "",
                )
                if part
            )
            raise InputError(
                f"its columns differ from {first.path}'s ({detail or 'another order'}); "
                "a batch reads files of one layout",
                file=str(source.path),
            )
    columns, bills = columns_of(first.header, str(first.path))
    return Inputs(tuple(sources), first.header, columns, bills, tuple(remote))


def columns_of(header: Sequence[str], file: str) -> tuple[RecordColumns, BillColumns]:
    """The record columns as `screen` guesses them, and the bill fields the summary uses."""
    columns = guess_record_columns(header, load_column_vocabulary().records, file=file)
    found = match_headers(header, load_shipment_vocabulary())
    bills = BillColumns(
        bill_number=found.get("bill_number"),
        date=found.get("date"),
        port_of_lading=found.get("port_of_lading"),
        port_of_unlading=found.get("port_of_unlading"),
    )
    return columns, bills


def _open(path: Path) -> Source:
    if path.suffix.lower() in PARQUET:
        try:
            schema = pq.read_schema(path)
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"cannot be read as Parquet: {exc}", file=str(path)) from exc
        return Source(path, "parquet", tuple(schema.names))
    table = open_table(path)
    return Source(path, "text", tuple(table.header), table)


def read_batches(inputs: Inputs) -> Iterator[pa.RecordBatch]:
    """Every input row as Arrow batches of the batch function's input schema."""
    schema = input_schema(inputs.header)
    for source in inputs.sources:
        if source.kind == "parquet":
            yield from _parquet_batches(source, schema)
        else:
            yield from _text_batches(source, schema)


def _parquet_batches(source: Source, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    offset = 0
    file = str(source.path)
    for batch in pq.ParquetFile(source.path).iter_batches(batch_size=_BATCH_ROWS):
        columns = [batch.column(name).cast(pa.string()) for name in source.header]
        rows = pa.array(range(offset + 1, offset + batch.num_rows + 1), pa.int64())
        offset += batch.num_rows
        yield pa.RecordBatch.from_arrays(
            [
                *columns,
                pa.array([file] * batch.num_rows, pa.string()),
                rows,
                pa.nulls(batch.num_rows, pa.string()),
            ],
            schema=schema,
        )


def _text_batches(source: Source, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    width = len(source.header)
    chunk: list[list[str | None]] = [[] for _ in range(width)]
    numbers: list[int] = []
    extras: list[str | None] = []
    for number, cells in _text_rows(source):
        for position in range(width):
            chunk[position].append(cells[position] if position < len(cells) else "")
        numbers.append(number)
        # Cells past the header's width: the batch function rejects the row.
        extras.append(next((c for c in cells[width:] if c.strip()), None))
        if len(numbers) == _BATCH_ROWS:
            yield _text_batch(chunk, numbers, extras, str(source.path), schema)
            chunk, numbers, extras = [[] for _ in range(width)], [], []
    if numbers:
        yield _text_batch(chunk, numbers, extras, str(source.path), schema)


def _text_batch(
    chunk: list[list[str | None]],
    numbers: list[int],
    extras: list[str | None],
    file: str,
    schema: pa.Schema,
) -> pa.RecordBatch:
    arrays = [pa.array(column, pa.string()) for column in chunk]
    return pa.RecordBatch.from_arrays(
        [
            *arrays,
            pa.array([file] * len(numbers), pa.string()),
            pa.array(numbers, pa.int64()),
            pa.array(extras, pa.string()),
        ],
        schema=schema,
    )


def _text_rows(source: Source) -> Iterator[tuple[int, list[str]]]:
    """(row number, raw cells) after the header; cells are cleaned by the batch function."""
    table = source.table
    assert table is not None
    if not table.codec:  # XLSX, read whole (a workbook holds at most about a million rows)
        yield from read_table(source.path).rows
        return
    number = 0
    try:
        with source.path.open(encoding=table.codec, newline="") as handle:
            seen_header = False
            for number, cells in enumerate(csv.reader(handle, delimiter=table.delimiter), 1):
                if not seen_header:
                    seen_header = any(cell.strip() for cell in cells)
                    continue
                yield number, cells
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot be decoded as {table.codec} after row {number}", file=table.file
        ) from exc
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", file=table.file, row=number + 1) from exc
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", file=table.file) from exc
