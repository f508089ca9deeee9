"""Which row is which across two screenings of a supplier file.

The user's own id column when the file has one (a vendor number or supplier code, guessed from
the headers by columns.yaml `records.key`, or named with --key-col), else the registration-number
column (USCC) the reader found; a row with an empty id falls back to its name and country,
keyed as the import resolver keys a party (threadline.model.ids.party_id), so "the same name"
means the same thing everywhere in threadline.
"""

from __future__ import annotations

from collections.abc import Sequence

from threadline.data.input_vocab import load_column_vocabulary
from threadline.inputs.columns import find_column, match_headers
from threadline.model import InputRecord
from threadline.model.changes import RowKeys
from threadline.model.ids import party_id

NAME_AND_COUNTRY = "name + country"


def row_keys(
    records: Sequence[InputRecord], *, key_col: str | None = None, id_col: str | None = None
) -> RowKeys:
    """One key per record, unique within the screening (a repeated key gets '#2', '#3', …)."""
    columns: dict[str, str | None] = {}
    for record in records:
        if record.file not in columns:
            columns[record.file] = key_column(
                list(record.raw), file=record.file, key_col=key_col, id_col=id_col
            )
    used = {c for c in columns.values() if c}
    keys: list[str] = []
    seen: dict[str, int] = {}
    for record in records:
        column = columns[record.file]
        value = record.raw.get(column, "").strip() if column else ""
        if value:
            key = f"id:{value.casefold()}"
        elif record.name:
            key = f"name:{party_id(record.name, record.country)}"
        else:
            key = f"address:{party_id(record.address, record.country)}"
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    if len(used) == 1:
        return RowKeys(kind="column", column=used.pop(), keys=tuple(keys))
    if used:
        return RowKeys(kind="column", column=" / ".join(sorted(used)), keys=tuple(keys))
    return RowKeys(kind=NAME_AND_COUNTRY, column="", keys=tuple(keys))


def key_column(
    header: Sequence[str], *, file: str, key_col: str | None = None, id_col: str | None = None
) -> str | None:
    """The header of the file's own supplier id, else of its registration number; None if none."""
    if key_col is not None:
        return find_column(header, key_col, what="--key-col", file=file)
    found = match_headers(header, load_column_vocabulary().records)
    if found.get("key") is not None:
        return found["key"]
    if id_col is not None:
        return find_column(header, id_col, what="--id-col", file=file)
    return found.get("identifier")
