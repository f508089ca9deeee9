"""Supplier and shipment tables → InputRecord, one per row that has a name or an address."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from threadline.data.countries import normalise_country
from threadline.data.input_vocab import load_column_vocabulary
from threadline.errors import InputError
from threadline.inputs.columns import RecordColumns, guess_record_columns
from threadline.inputs.tables import Table, read_table
from threadline.model.records import InputRecord


def read_records(
    path: Path,
    *,
    name_col: str | None = None,
    address_col: str | None = None,
    country_col: str | None = None,
    id_col: str | None = None,
    max_bytes: int | None = None,
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
    max_bytes: int | None = None,
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
        lat, lon = _coordinates(raw, columns, table.file, number)
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
                product=raw[columns.product] if columns.product else "",
                hs_code=_hs_code(raw, columns.hs_code, table.file, number),
                lat=lat,
                lon=lon,
            )
        )
    return records


_HS_SEPARATORS = frozenset(" .-")


def _hs_code(raw: dict[str, str], column: str | None, file: str, row: int) -> str:
    """The HS code as written, once checked to be digits with dots, spaces or hyphens."""
    value = raw[column].strip() if column else ""
    digits = sum(ch.isdigit() for ch in value)
    if value and (digits < 2 or any(not ch.isdigit() and ch not in _HS_SEPARATORS for ch in value)):
        raise InputError(
            f"'{value}' is not an HS code (digits, e.g. 6109.10)", file=file, row=row, column=column
        )
    return value


def _coordinates(
    raw: dict[str, str], columns: RecordColumns, file: str, row: int
) -> tuple[float | None, float | None]:
    """Site latitude and longitude in degrees; both or neither, each within its range."""
    cells = {
        column: raw[column].strip()
        for column in (columns.latitude, columns.longitude)
        if column is not None
    }
    if not any(cells.values()):
        return None, None
    values: list[float] = []
    for column, limit in ((columns.latitude, 90.0), (columns.longitude, 180.0)):
        text = cells.get(column, "") if column else ""
        if not text:
            raise InputError(
                "a site needs both latitude and longitude; one is missing",
                file=file,
                row=row,
                column=column,
            )
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not -limit <= value <= limit:
            raise InputError(
                f"'{text}' is not a coordinate in decimal degrees (-{limit:g} to {limit:g})",
                file=file,
                row=row,
                column=column,
            )
        values.append(value)
    return values[0], values[1]
