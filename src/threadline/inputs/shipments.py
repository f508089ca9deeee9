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
from threadline.errors import InputError, listed
from threadline.inputs.columns import find_column, match_headers
from threadline.inputs.dates import DateOrder, date_problem, parse_date
from threadline.inputs.rejects import Rejected
from threadline.inputs.stream import StreamedTable, open_table
from threadline.model.graph import Shipment

REQUIRED = ("bill_number", "shipper_name", "consignee_name")
# The order ShipmentFile._read takes its cells in; every field of data/import_columns.yaml.
_FIELDS = (
    "bill_number",
    "date",
    "shipper_name",
    "consignee_name",
    "shipper_address",
    "consignee_address",
    "notify_party",
    "product",
    "hs_code",
    "quantity",
    "weight",
    "port_of_lading",
    "port_of_unlading",
    "country_of_origin",
    "shipper_country",
    "consignee_country",
)
_HS_SEPARATORS = re.compile(r"[\s.\-]")
_HS = re.compile(r"\d{2,10}")


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
    date_order: DateOrder | None = None  # how to read 03/02/2026: None refuses it as ambiguous

    def rows(self) -> Iterator[ShipmentRow | Rejected]:
        """Every data row, read afresh from the file: a ShipmentRow, or why it was rejected."""
        header = self.table.header
        # field → cell position; a field without a column reads the empty cell added at the end
        where = {field: header.index(column) for field, column in self.columns.items()}
        pick = itemgetter(*(where.get(field, len(header)) for field in _FIELDS))
        file = self.table.path.name
        for number, cells in self.table.rows():
            values: tuple[str, ...] = pick([*cells, ""])
            try:
                yield self._read(number, file, *values)
            except InputError as exc:
                yield Rejected.from_error(exc, dict(zip(header, cells, strict=True)))

    def _read(  # one parameter per field: the row is unpacked into them in C
        self,
        number: int,
        file: str,
        bill_number: str,
        date: str,
        shipper_name: str,
        consignee_name: str,
        shipper_address: str,
        consignee_address: str,
        notify_party: str,
        product: str,
        hs_code: str,
        quantity: str,
        weight: str,
        port_of_lading: str,
        port_of_unlading: str,
        country_of_origin: str,
        shipper_country: str,
        consignee_country: str,
    ) -> ShipmentRow:
        if not (bill_number and shipper_name and consignee_name):
            required = (bill_number, shipper_name, consignee_name)
            field = REQUIRED[required.index("")]
            raise self._error(number, field, f"{field.replace('_', ' ')} is empty")
        try:
            day = _date(date, self.date_order) if date else None
        except ValueError as exc:
            raise self._error(number, "date", date_problem(date, exc)) from None
        digits = _hs_digits(hs_code) if hs_code else ""
        if digits is None:
            raise self._error(number, "hs_code", f"HS code '{hs_code}' is not 2 to 10 digits")
        shipment = Shipment(
            bill_number,
            day,
            shipper_name,
            consignee_name,
            shipper_address,
            consignee_address,
            notify_party,
            product,
            digits,
            quantity,
            weight,
            port_of_lading,
            port_of_unlading,
            _country(country_of_origin),
            file,
            number,
        )
        return ShipmentRow(shipment, _country(shipper_country), _country(consignee_country))

    def _error(self, number: int, field: str, message: str) -> InputError:
        return InputError(message, file=self.table.file, row=number, column=self.columns.get(field))


def open_shipments(
    path: Path, overrides: Mapping[str, str] | None = None, date_order: DateOrder | None = None
) -> ShipmentFile:
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
            f"no {', '.join(missing)} column found; columns are: {listed(table.header)}; "
            f"name them with --column {missing[0]}=HEADER",
            file=table.file,
        )
    return ShipmentFile(table=table, columns=columns, date_order=date_order)


# Bills repeat the same few hundred dates, codes and countries: each is read once per import.
@lru_cache(maxsize=8192)
def _date(value: str, order: DateOrder | None) -> dt.date:
    """The common forms of `inputs.dates`; ValueError for anything else or an ambiguous one."""
    return parse_date(value, order)


@lru_cache(maxsize=8192)
def _hs_digits(value: str) -> str | None:
    """HS codes as digits only ('5208.12' and '5208 12' are both 520812); None if not one."""
    digits = _HS_SEPARATORS.sub("", value)
    return digits if _HS.fullmatch(digits) else None


@lru_cache(maxsize=4096)
def _country(value: str) -> str:
    """ISO code, or the text as written when the country table does not know it."""
    return (normalise_country(value) or value) if value else ""
