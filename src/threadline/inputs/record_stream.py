"""Supplier and shipment tables read row by row into InputRecords, for commands that need one
chunk of rows at a time (`match` queries): memory holds a row, not the file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from threadline.errors import InputError
from threadline.inputs.columns import RecordColumns
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


def stream_records(
    path: Path,
    *,
    name_col: str | Sequence[str] | None = None,
    address_col: str | Sequence[str] | None = None,
    country_col: str | None = None,
    id_col: str | None = None,
    sheet: str | None = None,
) -> RecordStream:
    """Open a CSV/TSV/XLSX of suppliers or shipments; columns guessed unless named."""
    table = open_table(path, sheet=sheet)
    columns = record_columns(
        table.header,
        table.file,
        name_col=name_col,
        address_col=address_col,
        country_col=country_col,
        id_col=id_col,
    )
    return RecordStream(table, columns)
