"""Relations between entities (CSV, TSV, XLSX): `from,to,relation,share,start,end,source`.

`from` and `to` hold entity ids or names; the importer resolves them. Each row cites its
`source` (a URL or document id, with optional title, date, publisher, excerpt and reliability),
or else the file and row it was read from. Bad rows are rejected with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from threadline.data.input_vocab import load_relation_vocabulary
from threadline.errors import InputError, listed
from threadline.inputs.columns import header_key, match_headers
from threadline.inputs.rejects import Rejected
from threadline.inputs.stream import StreamedTable, open_table
from threadline.inputs.values import iso_date
from threadline.model.graph import RelationKind
from threadline.model.provenance import Reliability, Source

REQUIRED = ("from", "to", "relation")
_KINDS = {header_key(kind.value): kind for kind in RelationKind}
_RELIABILITY = {header_key(level.label): level for level in Reliability}


@dataclass(frozen=True, slots=True)
class RelationRow:
    """A relation as written: its ends are still ids or names."""

    row: int
    source_ref: str
    target_ref: str
    kind: RelationKind
    share: float | None
    start: dt.date | None
    end: dt.date | None
    source: Source


@dataclass(frozen=True, slots=True)
class RelationFile:
    """The file's header and columns; `rows()` reads its rows from the file, one at a time."""

    table: StreamedTable
    columns: Mapping[str, str]

    def rows(self) -> Iterator[RelationRow | Rejected]:
        for number, cells in self.table.rows():
            values = dict(zip(self.table.header, cells, strict=True))
            try:
                yield self._read(number, values)
            except InputError as exc:
                yield Rejected.from_error(exc, values)

    def _read(self, number: int, values: Mapping[str, str]) -> RelationRow:
        def get(field: str) -> str:
            column = self.columns.get(field)
            return values[column] if column else ""

        for field in REQUIRED:
            if not get(field):
                raise self._error(number, field, f"'{field}' is empty")
        kind = _KINDS.get(header_key(get("relation")))
        if kind is None:
            raise self._error(
                number,
                "relation",
                f"relation '{get('relation')}' is not one of "
                + ", ".join(k.value for k in RelationKind),
            )
        start, end = (
            self._date(number, "start", get("start")),
            self._date(number, "end", get("end")),
        )
        if start and end and end < start:
            raise self._error(number, "end", f"ends ({end}) before it starts ({start})")
        return RelationRow(
            row=number,
            source_ref=get("from"),
            target_ref=get("to"),
            kind=kind,
            share=self._share(number, get("share")),
            start=start,
            end=end,
            source=Source(
                url=get("source"),
                title=get("source_title") or f"{Path(self.table.file).name}, row {number}",
                publisher=get("publisher"),
                date=self._date(number, "source_date", get("source_date")),
                excerpt=get("excerpt"),
                reliability=self._reliability(number, get("reliability")),
            ),
        )

    def _share(self, number: int, value: str) -> float | None:
        if not value:
            return None
        try:
            share = float(value.rstrip("%").strip())
        except ValueError:
            share = -1.0
        if not 0 <= share <= 100:
            raise self._error(number, "share", f"share '{value}' is not a percentage (0-100)")
        return share

    def _date(self, number: int, field: str, value: str) -> dt.date | None:
        try:
            return iso_date(value)
        except ValueError:
            raise self._error(number, field, f"date '{value}' is not YYYY-MM-DD") from None

    def _reliability(self, number: int, value: str) -> Reliability:
        if not value:
            return Reliability.USER_SUPPLIED
        level = _RELIABILITY.get(header_key(value))
        if level is None:
            raise self._error(
                number,
                "reliability",
                f"reliability '{value}' is not one of " + ", ".join(r.label for r in Reliability),
            )
        return level

    def _error(self, number: int, field: str, message: str) -> InputError:
        return InputError(message, file=self.table.file, row=number, column=self.columns.get(field))


def open_relations(path: Path) -> RelationFile:
    table = open_table(path)
    columns = match_headers(table.header, load_relation_vocabulary())
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        raise InputError(
            f"no {', '.join(missing)} column found; columns are: {listed(table.header)}; "
            "expected from,to,relation[,share,start,end,source]",
            file=table.file,
        )
    return RelationFile(table=table, columns=columns)
