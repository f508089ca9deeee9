"""The batch function: an Arrow record batch of input rows → a batch of screened rows.

`PreparedScreening` holds everything a batch needs — the screening run (reference index, rules,
gazetteer, facilities, sectors, the relation graph at the as-of date, the run's decisions and
algorithm) and the input's columns —
built once on the driver. It pickles, so Spark broadcasts it; `screen_batch` is the same call
in-process (`--engine local`) and inside `mapInArrow` (`--engine spark`). Exposure (link walk,
facilities, sectors) runs inside it too: it needs only the broadcast graph, no join.

Input batches carry every column of the file as text (nulls read as empty) plus three columns
the readers add: the file, the row number where the reader knows it, and the first cell past
the header's width (a sign of a broken delimiter or quoting). One output row per input row: a
screened row, or a rejected one with `rejected` saying why; blank rows are dropped as `screen`
drops them.

Bills repeat their parties: a shipper ships the same goods from the same place many times. A
row's answer is a function of its record's identity (what screening reads of it: every field of
the normalised `InputRecord` but where it came from), so each identity is screened once — per
run in-process (`screen_batch`, a bounded cache), once overall on Spark (`prepare_batch` gives
each row its identity's digest, Spark finds the distinct ones, `screen_parties` screens those).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import pyarrow as pa

from threadline.errors import InputError
from threadline.inputs.columns import RecordColumns
from threadline.inputs.dates import date_problem, parse_date
from threadline.inputs.records import record_from_row
from threadline.inputs.tables import clean_cell
from threadline.model import InputRecord, ScreenedRow
from threadline.pipeline import ScreeningRun
from threadline.report.common import ranked

FILE = "__threadline_file"
ROW = "__threadline_row"
EXTRA = "__threadline_extra"
READER_COLUMNS = (FILE, ROW, EXTRA)
PARTY = "party"  # the digest of a row's record identity, in Spark's intermediate rows
SCREENED_COLUMNS = ("tier", "reasons", "matches", "evidence_ids", "path_ids")

# Where a record came from, which screening never reads; every other field is its identity.
_PROVENANCE = frozenset({"file", "row", "raw", "key"})
_IDENTITY_FIELDS = tuple(f.name for f in fields(InputRecord) if f.name not in _PROVENANCE)
# Identities remembered per run in-process: two generations of this many (bounded memory).
_CACHE_LIMIT = 50_000

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


def identity(record: InputRecord) -> tuple[object, ...]:
    """What screening reads of a record: records with equal identities get equal answers."""
    return tuple(getattr(record, name) for name in _IDENTITY_FIELDS)


def identity_digest(key: tuple[object, ...]) -> bytes:
    """A fixed-size stand-in for an identity that Spark can group and join on (its repr is
    the same in every process: strings, numbers, tuples and frozen dataclasses)."""
    return hashlib.blake2b(repr(key).encode("utf-8"), digest_size=16).digest()


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


def rows_schema(header: Sequence[str]) -> pa.Schema:
    """Spark's intermediate rows: the output row less its screening, plus the identity digest."""
    schema = output_schema(header)
    kept = [field for field in schema if field.name not in SCREENED_COLUMNS]
    return pa.schema([*kept, pa.field(PARTY, pa.binary())])


def parties_schema(header: Sequence[str]) -> pa.Schema:
    """Spark's screened identities: the digest and the screening of every row that has it."""
    schema = output_schema(header)
    return pa.schema([pa.field(PARTY, pa.binary()), *(schema.field(c) for c in SCREENED_COLUMNS)])


@dataclass
class PreparedScreening:
    """A screening run and the input's columns, ready to screen batches anywhere (it pickles)."""

    run: ScreeningRun
    header: tuple[str, ...]
    columns: RecordColumns
    bills: BillColumns

    def __post_init__(self) -> None:
        self.run.reference.graph(self.run.as_of)  # built here once, not in every executor
        self.schema = output_schema(self.header)
        # Bills repeat a few hundred products: their sectors are looked up once per batch.
        self._sectors: dict[tuple[str, str], list[str]] = {}
        self._answers: dict[tuple[object, ...], dict[str, Any]] = {}
        self._older: dict[tuple[object, ...], dict[str, Any]] = {}

    def __getstate__(self) -> dict[str, Any]:
        """What Spark broadcasts: the screening, not what this process has remembered."""
        state = dict(self.__dict__)
        state["_sectors"], state["_answers"], state["_older"] = {}, {}, {}
        return state

    def screen_batch(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """Screen one batch; rows that cannot be read come back rejected, with the reason."""
        out, pending = self._read_rows(batch)
        answers = self._answers_for([record for _, record in pending])
        for (row, _), answer in zip(pending, answers, strict=True):
            row.update(answer)
        return pa.RecordBatch.from_pylist(out, schema=self.schema)

    def prepare_batch(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """Spark's first step: each row read (or rejected), with its identity's digest."""
        out, pending = self._read_rows(batch)
        for row, record in pending:
            row[PARTY] = identity_digest(identity(record))
        return pa.RecordBatch.from_pylist(out, schema=rows_schema(self.header))

    def screen_parties(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """Spark's second step: one row per distinct identity (its digest and one row that has
        it, as `prepare_batch` read it) → the screening every row with that identity gets."""
        parties: list[Any] = batch.column(PARTY).to_pylist()
        inputs: list[Any] = batch.column("input").to_pylist()
        files: list[Any] = batch.column("file").to_pylist()
        numbers: list[Any] = batch.column("row").to_pylist()
        records = [
            record_from_row(raw, self.columns, file, number or 0)
            for raw, file, number in zip(inputs, files, numbers, strict=True)
        ]
        out = [
            {PARTY: party, **_screened_fields(screened)}
            for party, screened in zip(parties, self.run.screen(records), strict=True)
        ]
        return pa.RecordBatch.from_pylist(out, schema=parties_schema(self.header))

    def _read_rows(
        self, batch: pa.RecordBatch
    ) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], InputRecord]]]:
        """Each non-blank row's output fields (or why it is rejected), and the rows to screen
        with their records, in order."""
        cells = {name: batch.column(name).to_pylist() for name in self.header}
        files: list[str | None] = batch.column(FILE).to_pylist()
        numbers: list[int | None] = batch.column(ROW).to_pylist()
        extras: list[str | None] = batch.column(EXTRA).to_pylist()
        self._sectors.clear()
        out: list[dict[str, Any]] = []
        pending: list[tuple[dict[str, Any], InputRecord]] = []
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
            pending.append((row, record))
        return out, pending

    def _answers_for(self, records: Sequence[InputRecord]) -> list[dict[str, Any]]:
        """Each record's screening; an identity seen lately in this run is not screened again."""
        keys = [identity(record) for record in records]
        found: dict[tuple[object, ...], dict[str, Any]] = {}
        missing: dict[tuple[object, ...], InputRecord] = {}
        for key, record in zip(keys, records, strict=True):
            if key in found or key in missing:
                continue
            answer = self._answers.get(key) or self._older.get(key)
            if answer is None:
                missing[key] = record
            else:
                found[key] = answer
        screened = self.run.screen(list(missing.values()))
        for key, row in zip(missing, screened, strict=True):
            found[key] = _screened_fields(row)
        for key, answer in found.items():
            if len(self._answers) >= _CACHE_LIMIT:  # the older generation is forgotten
                self._older, self._answers = self._answers, {}
            self._answers[key] = answer
        return [found[key] for key in keys]

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
            found = self.run.reference.sectors.find(*goods, self.run.as_of)
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
