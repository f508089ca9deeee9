"""The batch function: an Arrow record batch of input rows → a batch of screened rows.

`PreparedScreening` holds everything a batch needs — the Screener (reference index, rules,
gazetteer, facilities, sectors, the relation graph at the as-of date) and the input's columns —
built once on the driver. It pickles, so Spark broadcasts it; `screen_batch` is the same call
in-process (`--engine local`) and inside `mapInArrow` (`--engine spark`). Exposure (link walk,
facilities, sectors) runs inside it too: it needs only the broadcast graph, no join.

Input batches carry every column of the file as text (nulls read as empty) plus three columns
the readers add: the file, the row number where the reader knows it, and the first cell past
the header's width (a sign of a broken delimiter or quoting). One output row per input row: a
screened row, or a rejected one with `rejected` saying why; blank rows are dropped as `screen`
drops them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from threadline.errors import InputError
from threadline.inputs.columns import RecordColumns
from threadline.inputs.dates import date_problem, parse_date
from threadline.inputs.records import record_from_row
from threadline.inputs.tables import clean_cell
from threadline.model import InputRecord, ScreenedRow
from threadline.pipeline import Screener
from threadline.report.common import ranked

FILE = "__threadline_file"
ROW = "__threadline_row"
EXTRA = "__threadline_extra"
READER_COLUMNS = (FILE, ROW, EXTRA)

_STRINGS = pa.list_(pa.string())
_REASON = pa.struct([("code", pa.string()), ("tier", pa.string()), ("text", pa.string())])
_MATCH = pa.struct(
    [
        ("entity_id", pa.string()),
        ("name", pa.string()),
        ("score", pa.float64()),
        ("band", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class BillColumns:
    """Headers of the bill-of-lading fields the summary groups by; None where absent."""

    bill_number: str | None = None
    date: str | None = None
    port_of_lading: str | None = None
    port_of_unlading: str | None = None


def input_schema(header: Sequence[str]) -> pa.Schema:
    """What the readers hand the batch function: the file's columns as text, then theirs."""
    fields: list[pa.Field[Any]] = [pa.field(name, pa.string()) for name in header]
    fields += [pa.field(FILE, pa.string()), pa.field(ROW, pa.int64()), pa.field(EXTRA, pa.string())]
    return pa.schema(fields)


def output_schema(header: Sequence[str]) -> pa.Schema:
    return pa.schema(
        [
            ("input", pa.struct([(name, pa.string()) for name in header])),
            ("file", pa.string()),
            ("row", pa.int64()),
            ("name", pa.string()),
            ("country", pa.string()),
            ("bill_number", pa.string()),
            ("month", pa.string()),
            ("port", pa.string()),
            ("hs_code", pa.string()),
            ("sectors", _STRINGS),
            ("tier", pa.string()),
            ("reasons", pa.list_(_REASON)),
            ("matches", pa.list_(_MATCH)),
            ("evidence_ids", _STRINGS),
            ("path_ids", _STRINGS),
            ("rejected", pa.string()),
        ]
    )


@dataclass
class PreparedScreening:
    """A screener and the input's columns, ready to screen batches anywhere (it pickles)."""

    screener: Screener
    as_of: dt.date
    header: tuple[str, ...]
    columns: RecordColumns
    bills: BillColumns

    def __post_init__(self) -> None:
        self.screener.graph(self.as_of)  # built here once, not in every executor
        self.schema = output_schema(self.header)
        # Bills repeat a few hundred products: their sectors are looked up once per batch.
        self._sectors: dict[tuple[str, str], list[str]] = {}

    def screen_batch(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """Screen one batch; rows that cannot be read come back rejected, with the reason."""
        cells = {name: batch.column(name).to_pylist() for name in self.header}
        files: list[str | None] = batch.column(FILE).to_pylist()
        numbers: list[int | None] = batch.column(ROW).to_pylist()
        extras: list[str | None] = batch.column(EXTRA).to_pylist()
        self._sectors.clear()
        out: list[dict[str, Any]] = []
        records: list[InputRecord] = []
        pending: list[dict[str, Any]] = []  # output rows awaiting their screening, in order
        for i, number in enumerate(numbers):
            raw = {name: clean_cell(cells[name][i] or "") for name in self.header}
            extra = clean_cell(extras[i] or "")
            if not extra and not any(raw.values()):
                continue
            file = files[i] or ""
            row: dict[str, Any] = {"input": raw, "file": file, "row": number}
            out.append(row)
            try:
                record = self._record(raw, extra, file, number)
                row.update(self._bill_fields(raw, file, number, record))
            except InputError as exc:
                row["rejected"] = exc.reason
                continue
            records.append(record)
            pending.append(row)
        for row, screened in zip(pending, self.screener.screen(records, self.as_of), strict=True):
            row.update(_screened_fields(screened))
        return pa.RecordBatch.from_pylist(out, schema=self.schema)

    def _record(
        self, raw: dict[str, str], extra: str, file: str, number: int | None
    ) -> InputRecord:
        if extra:
            raise InputError(
                f"has more cells than the header's {len(self.header)} columns; "
                "check the delimiter and quoting",
                file=file,
                row=number,
            )
        record = record_from_row(raw, self.columns, file, number or 0)
        if record.unscreenable:
            raise InputError(f"has {record.unscreenable}", file=file, row=number)
        return record

    def _bill_fields(
        self, raw: dict[str, str], file: str, number: int | None, record: InputRecord
    ) -> dict[str, Any]:
        bills = self.bills
        date = raw[bills.date] if bills.date else ""
        try:
            day = parse_date(date, None) if date else None
        except ValueError as exc:
            raise InputError(
                date_problem(date, exc),
                file=file,
                row=number,
                column=bills.date,
            ) from None
        # The port of lading says where goods came from; the port of unlading stands in.
        ports = (bills.port_of_lading, bills.port_of_unlading)
        port = next((raw[p] for p in ports if p and raw[p]), "")
        goods = (record.hs_code, record.product)
        sectors = self._sectors.get(goods)
        if sectors is None:
            found = self.screener.sectors.find(*goods, self.as_of)
            sectors = self._sectors[goods] = [hit.sector.id for hit in found]
        return {
            "name": record.name,
            "country": record.country,
            "bill_number": raw[bills.bill_number] if bills.bill_number else "",
            "month": day.strftime("%Y-%m") if day else "",
            "port": port,
            "hs_code": record.hs_code,
            "sectors": sectors,
        }


def _screened_fields(screened: ScreenedRow) -> dict[str, Any]:
    reasons = screened.risk.reasons
    return {
        "tier": screened.risk.tier.value,
        "reasons": [{"code": r.code, "tier": r.tier.value, "text": r.text} for r in reasons],
        "matches": [
            {
                "entity_id": m.entity.id,
                "name": m.entity.name,
                "score": round(m.score, 4),
                "band": m.band.value,
            }
            for m in screened.matches
        ],
        # Each reason's sources in the order results.json lists them (official first).
        "evidence_ids": list(
            dict.fromkeys(e.source_url for r in reasons for e in ranked(r.evidence))
        ),
        # A path is its relations in order, from the screened row to the flagged entity.
        "path_ids": list(
            dict.fromkeys(
                ">".join(edge.relation.id for edge in path.edges)
                for r in reasons
                for path in r.paths
            )
        ),
    }
