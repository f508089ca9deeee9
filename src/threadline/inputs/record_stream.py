"""Supplier and shipment tables read row by row into InputRecords, for commands that need one
chunk of rows at a time (`match` queries): memory holds a row, not the file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

from threadline.errors import InputError
from threadline.inputs.columns import NamedColumns, RecordColumns
from threadline.inputs.records import record_columns, record_from_row
from threadline.inputs.stream import StreamedTable, open_table
from threadline.model.records import InputRecord


@dataclass(frozen=True, slots=True)
class RecordStream:
    """A table's columns, decided from its header; `records()` reads its rows afresh."""

    table: StreamedTable
    columns: RecordColumns

    def records(self) -> Iterator[InputRecord]:
        """One record per data row, as `read_records` makes them."""
        header, file = self.table.header, self.table.file
        empty = True
        for number, cells in self.table.rows():
            empty = False
            yield record_from_row(dict(zip(header, cells, strict=True)), self.columns, file, number)
        if empty:
            raise InputError(
                f"has a header (row {self.table.header_row}) but no data rows", file=file
            )


class StreamOptions(NamedColumns, total=False):
    """How to read a streamed table: the columns named by the user (else guessed), the sheet."""

    sheet: str | None


def stream_records(path: Path, **options: Unpack[StreamOptions]) -> RecordStream:
    """Open a CSV/TSV/XLSX of suppliers or shipments; columns guessed unless named."""
    table = open_table(path, sheet=options.get("sheet"))
    return RecordStream(table, record_columns(table.header, table.file, options))
