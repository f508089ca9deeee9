"""Supplier and shipment tables → InputRecord, one per row that has a name or an address."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from threadline.data.countries import normalise_country
from threadline.data.input_vocab import load_column_vocabulary
from threadline.inputs.columns import RecordColumns, guess_record_columns
from threadline.inputs.files import DEFAULT_MAX_BYTES
from threadline.inputs.tables import Table, read_table
from threadline.model.records import InputRecord


def read_records(
    path: Path,
    *,
    name_col: str | None = None,
    address_col: str | None = None,
    country_col: str | None = None,
    id_col: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[InputRecord]:
    """Read a CSV/TSV/XLSX of suppliers or shipments; columns guessed unless named."""
    table = read_table(path, max_bytes=max_bytes)
    columns = guess_record_columns(
        table.header,
        load_column_vocabulary().records,
        file=table.file,
        name_col=name_col,
        address_col=address_col,
        country_col=country_col,
        id_col=id_col,
    )
    return records_from_table(table, columns)


def read_records_many(
    paths: Iterable[Path],
    *,
    name_col: str | None = None,
    address_col: str | None = None,
    country_col: str | None = None,
    id_col: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[InputRecord]:
    """Records of several files, in the order given; each file's columns are guessed on its own."""
    return [
        record
        for path in paths
        for record in read_records(
            path,
            name_col=name_col,
            address_col=address_col,
            country_col=country_col,
            id_col=id_col,
            max_bytes=max_bytes,
        )
    ]


def records_from_table(table: Table, columns: RecordColumns) -> list[InputRecord]:
    """A row with an address but no name is kept (addresses alone can be screened)."""
    records: list[InputRecord] = []
    for number, cells in table.rows:
        raw = dict(zip(table.header, cells, strict=True))
        name = raw[columns.name]
        address = raw[columns.address] if columns.address else ""
        if not name and not address:
            continue
        country_raw = raw[columns.country] if columns.country else ""
        records.append(
            InputRecord(
                file=table.file,
                row=number,
                name=name,
                address=address,
                country=normalise_country(country_raw) if country_raw else "",
                identifier=raw[columns.identifier] if columns.identifier else "",
                country_raw=country_raw,
                raw=raw,
            )
        )
    return records
