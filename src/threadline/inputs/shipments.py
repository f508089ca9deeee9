"""Bills of lading (CSV, TSV, XLSX) → Shipment, streamed; a bad row is rejected, not fatal.

Columns are guessed from English or Chinese headers (data/shipment_columns.yaml) or named by the
user (`--column shipper_name="Exporter (EN)"`). A file without a bill number, shipper or consignee
column is refused as a whole; a row missing one of them, or with a date or HS code that cannot be
read, is rejected with the reason while the other rows are read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from threadline.data.countries import normalise_country
from threadline.data.input_vocab import load_shipment_vocabulary
from threadline.errors import InputError
from threadline.inputs.columns import find_column, match_headers
from threadline.inputs.rejects import Rejected
from threadline.inputs.stream import StreamedTable, open_table
from threadline.inputs.values import iso_date
from threadline.model.graph import Shipment

REQUIRED = ("bill_number", "shipper_name", "consignee_name")
_HS_SEPARATORS = re.compile(r"[\s.\-]")
_HS = re.compile(r"\d{2,10}")
_SLASHED_DATE = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")


@dataclass(frozen=True, slots=True)
class ShipmentRow:
    """A bill as read, with the party countries that only the file's own columns tell."""

    shipment: Shipment
    shipper_country: str = ""
    consignee_country: str = ""


@dataclass(frozen=True, slots=True)
class ShipmentFile:
    table: StreamedTable
    columns: Mapping[str, str]  # field → header

    def rows(self) -> Iterator[ShipmentRow | Rejected]:
        """Every data row, read afresh from the file: a ShipmentRow, or why it was rejected."""
        header = self.table.header
        # field → cell position; a field without a column reads the empty cell added at the end
        where = {field: header.index(column) for field, column in self.columns.items()}
        fields = list(load_shipment_vocabulary())
        pick = itemgetter(*(where.get(field, len(header)) for field in fields))
        for number, cells in self.table.rows():
            try:
                values = dict(zip(fields, pick([*cells, ""]), strict=True))
                yield self._read(number, values)
            except InputError as exc:
                yield Rejected.from_error(exc, dict(zip(header, cells, strict=True)))

    def _read(self, number: int, values: Mapping[str, str]) -> ShipmentRow:
        get = values.__getitem__  # field → its cell

        for field in REQUIRED:
            if not get(field):
                raise self._error(number, field, f"{field.replace('_', ' ')} is empty")
        origin = get("country_of_origin")
        shipment = Shipment(
            bill_number=get("bill_number"),
            date=self._date(number, get("date")),
            shipper_name=get("shipper_name"),
            consignee_name=get("consignee_name"),
            shipper_address=get("shipper_address"),
            consignee_address=get("consignee_address"),
            notify_party=get("notify_party"),
            product=get("product"),
            hs_code=self._hs_code(number, get("hs_code")),
            quantity=get("quantity"),
            weight=get("weight"),
            port_of_lading=get("port_of_lading"),
            port_of_unlading=get("port_of_unlading"),
            country_of_origin=_country(origin),
            file=self.table.path.name,
            row=number,
        )
        return ShipmentRow(
            shipment=shipment,
            shipper_country=_country(get("shipper_country")),
            consignee_country=_country(get("consignee_country")),
        )

    def _date(self, number: int, value: str) -> dt.date | None:
        slashed = _SLASHED_DATE.fullmatch(value)
        if slashed:
            value = "-".join(f"{int(part):02d}" for part in slashed.groups())
        try:
            return iso_date(value[:10] if "T" in value else value)
        except ValueError:
            raise self._error(
                number, "date", f"date '{value}' is not YYYY-MM-DD (or YYYY/MM/DD)"
            ) from None

    def _hs_code(self, number: int, value: str) -> str:
        """HS codes as digits only: '5208.12' and '5208 12' are both 520812."""
        digits = _HS_SEPARATORS.sub("", value)
        if value and not _HS.fullmatch(digits):
            raise self._error(number, "hs_code", f"HS code '{value}' is not 2 to 10 digits")
        return digits

    def _error(self, number: int, field: str, message: str) -> InputError:
        return InputError(message, file=self.table.file, row=number, column=self.columns.get(field))


def open_shipments(path: Path, overrides: Mapping[str, str] | None = None) -> ShipmentFile:
    """Read the header and decide the columns; the rows are read by `ShipmentFile.rows()`."""
    table = open_table(path)
    vocabulary = load_shipment_vocabulary()
    given: dict[str, str] = {}
    for field, header in (overrides or {}).items():
        if field not in vocabulary:
            raise InputError(
                f"--column {field}=…: unknown field; fields are: {', '.join(vocabulary)}"
            )
        given[field] = find_column(table.header, header, what=f"--column {field}", file=table.file)
    columns = match_headers(table.header, vocabulary, given=given)
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        raise InputError(
            f"no {', '.join(missing)} column found; columns are: {', '.join(table.header)}; "
            f"name them with --column {missing[0]}=HEADER",
            file=table.file,
        )
    return ShipmentFile(table=table, columns=columns)


@lru_cache(maxsize=4096)
def _country(value: str) -> str:
    """ISO code, or the text as written when the country table does not know it."""
    return (normalise_country(value) or value) if value else ""
