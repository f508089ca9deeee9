"""Supplier and shipment tables → InputRecord, one per row that has a name or an address."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

from threadline.data.certifications import certification_schemes
from threadline.data.countries import normalise_country
from threadline.data.input_vocab import load_column_vocabulary
from threadline.errors import InputError
from threadline.inputs.columns import (
    NamedColumns,
    RecordColumns,
    contains_phrase,
    guess_record_columns,
)
from threadline.inputs.tables import Table, read_table
from threadline.model.records import CertificationClaim, InputRecord


@dataclass(frozen=True, slots=True)
class RecordsRead:
    """A file's records and what was read: the sheet, header row and columns used."""

    records: list[InputRecord]
    table: Table
    columns: RecordColumns

    @property
    def report(self) -> str:
        """One line saying which sheet, header row and columns were used."""
        where = Path(self.table.file).name
        if self.table.sheet:
            where += (
                f": sheet '{self.table.sheet}' ({self.table.sheet_position} of "
                f"{self.table.sheet_count})"
            )
        unscreenable = sum(1 for r in self.records if r.unscreenable)
        tail = f"; {unscreenable} row(s) cannot be screened (see results)" if unscreenable else ""
        return (
            f"{where}, header row {self.table.header_row}, {len(self.records)} rows; "
            f"{self.columns.describe()}{tail}"
        )


class ReadOptions(NamedColumns, total=False):
    """How to read a table: the columns named by the user (else guessed), the sheet, the size cap."""

    sheet: str | None
    max_bytes: int | None


def read_records_with_report(path: Path, **options: Unpack[ReadOptions]) -> RecordsRead:
    """Read a CSV/TSV/XLSX of suppliers or shipments; columns guessed unless named."""
    table = read_table(path, max_bytes=options.get("max_bytes"), sheet=options.get("sheet"))
    columns = record_columns(table.header, table.file, options)
    return RecordsRead(records_from_table(table, columns), table, columns)


def record_columns(header: Sequence[str], file: str, named: NamedColumns) -> RecordColumns:
    """The columns a table's records are read from: those the user named, else guessed from the
    header with the packaged vocabulary. Shared by the whole-file and the streamed readers."""
    return guess_record_columns(header, load_column_vocabulary().records, named, file=file)


def read_records(path: Path, **options: Unpack[ReadOptions]) -> list[InputRecord]:
    """Read a CSV/TSV/XLSX of suppliers or shipments; columns guessed unless named."""
    return read_records_with_report(path, **options).records


def read_records_many(paths: Iterable[Path], **options: Unpack[ReadOptions]) -> list[InputRecord]:
    """Records of several files, in the order given; each file's columns are guessed on its own."""
    return [record for path in paths for record in read_records(path, **options)]


def records_from_table(table: Table, columns: RecordColumns) -> list[InputRecord]:
    """One record per data row. A row with an address but no name is screened on its address;
    a row with neither is kept, marked unscreenable with the reason, so no row goes missing."""
    records: list[InputRecord] = []
    for number, cells in table.rows:
        raw = dict(zip(table.header, cells, strict=True))
        records.append(record_from_row(raw, columns, table.file, number))
    return records


def record_from_row(
    raw: dict[str, str], columns: RecordColumns, file: str, number: int
) -> InputRecord:
    """One row's record; a row with neither name nor address is kept, marked unscreenable with
    the reason. InputError for a bad HS code or coordinates. Shared by `screen` and the batch
    engines, so both read alike."""
    names = list(dict.fromkeys(raw[c] for c in columns.names if raw[c]))
    address = _join_address([raw[c] for c in columns.address_parts])
    unscreenable = ""
    if not names and not address:
        looked = " or ".join(f"'{c}'" for c in (*columns.names, *columns.address_parts))
        unscreenable = f"no name or address to screen (empty: {looked})"
    country_raw = raw[columns.country] if columns.country else ""
    lat, lon = _coordinates(raw, columns, file, number)
    return InputRecord(
        file=file,
        row=number,
        name=names[0] if names else "",
        address=address,
        country=normalise_country(country_raw) if country_raw else "",
        identifier=raw[columns.identifier] if columns.identifier else "",
        country_raw=country_raw,
        raw=raw,
        product=raw[columns.product] if columns.product else "",
        hs_code=_hs_code(raw, columns.hs_code, file, number),
        lat=lat,
        lon=lon,
        key=raw[columns.key] if columns.key else "",
        certifications=claims(raw[columns.certification]) if columns.certification else (),
        other_names=tuple(names[1:]),
        unscreenable=unscreenable,
    )


def claims(cell: str) -> tuple[CertificationClaim, ...]:
    """'WRAP 1234 (2025-2026); BSCI C: 2024' → one claim per ';' with its scheme recognised."""
    out = []
    for part in (p.strip() for p in cell.replace("；", ";").split(";")):
        if part:
            scheme = next(
                (
                    name
                    for name, spellings in certification_schemes()
                    if any(contains_phrase(part, spelling) for spelling in spellings)
                ),
                "",
            )
            out.append(CertificationClaim(scheme, part))
    return tuple(out)


def _join_address(parts: Sequence[str]) -> str:
    """Street, then city, province: a part the text so far already holds is not repeated."""
    joined = ""
    for part in parts:
        if part and part.casefold() not in joined.casefold():
            joined = f"{joined}, {part}" if joined else part
    return joined


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
