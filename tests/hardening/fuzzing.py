"""What every input reader promises, for the fuzz tests and tools/fuzz_inputs.py: given any bytes
it returns, or raises InputError with one line — nothing else, in bounded time."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from hostile import row, workbook

from threadline.errors import InputError
from threadline.inputs import read_records, read_reference
from threadline.inputs.ftm import read_ftm
from threadline.inputs.record_stream import stream_records
from threadline.inputs.rejects import Rejected
from threadline.inputs.relations import open_relations
from threadline.inputs.shipments import open_shipments


def _records(path: Path) -> None:
    read_records(path)


def _streamed_records(path: Path) -> None:
    for record in stream_records(path).records():
        assert record.file == str(path)


def _reference(path: Path) -> None:
    read_reference(path)


def _ftm(path: Path) -> None:
    read_ftm(path, rejects=[])


def _shipments(path: Path) -> None:
    for item in open_shipments(path).rows():
        assert isinstance(item, Rejected) or item is not None


def _relations(path: Path) -> None:
    for item in open_relations(path).rows():
        assert isinstance(item, Rejected) or item is not None


READERS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "suppliers": (".csv", _records),
    "suppliers_tsv": (".tsv", _records),
    "suppliers_xlsx": (".xlsx", _records),
    "queries": (".csv", _streamed_records),
    "queries_xlsx": (".xlsx", _streamed_records),
    "reference": (".csv", _reference),
    "ftm": (".jsonl", _ftm),
    "bills": (".csv", _shipments),
    "relations": (".csv", _relations),
}

SEEDS: dict[str, bytes] = {
    "suppliers": b'name,address,country\nAcme Ltd,"1 Road, Urumqi",CN\nB,,DE\n',
    "suppliers_tsv": "供应商\t地址\t国家\n和田泰达服饰有限公司\t新疆和田\t中国\n".encode(),
    "queries": b'id,name,country\nq1,"Acme Ltd, Urumqi",CN\nq2,B,DE\n',
    "reference": b"id,name,aliases,country,date_listed\nx1,Hoshine Silicon,HSI,CN,2023-06-09\n",
    "ftm": (
        json.dumps(
            {
                "id": "e1",
                "schema": "Company",
                "properties": {"name": ["Acme"], "country": ["cn"], "alias": ["A", "B"]},
            }
        )
        + "\n"
        + json.dumps(
            {
                "id": "s1",
                "schema": "Sanction",
                "properties": {"entity": ["e1"], "startDate": ["2023-01-01"]},
            }
        )
        + "\n"
    ).encode(),
    "bills": b"bill_number,date,shipper,consignee,product,hs_code\nB1,2024-05-01,Acme,Buyer,cotton,520100\n",
    "relations": b"from,to,relation,share,start,end,source\nAcme,Beta,owns,51,2020-01-01,,doc1\n",
}


def xlsx_seed(tmp: Path, cells: list[str]) -> bytes:
    rows = row(1, "name", "country") + "".join(
        row(i + 2, _xml_text(cell), "CN") for i, cell in enumerate(cells)
    )
    return workbook(tmp / "seed.xlsx", rows).read_bytes()


def _xml_text(text: str) -> str:
    clean = "".join(ch for ch in text if ch in "\t\n\r" or (ch >= " " and ch not in "\ufffe\uffff"))
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, bytes removed, bytes inserted) edits, positions wrapped to the data."""
    out = bytearray(data)
    for position, removed, inserted in edits:
        at = position % (len(out) + 1)
        out[at : at + removed] = inserted
    return bytes(out)


def zip_members_mutated(data: bytes, member_edits: list[tuple[int, int, bytes]]) -> bytes:
    """A workbook whose XML parts are mutated, then packed again (valid ZIP, hostile XML)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for index, name in enumerate(source.namelist()):
            content = source.read(name)
            mine = [e for i, e in enumerate(member_edits) if i % len(source.namelist()) == index]
            target.writestr(name, mutate(content, mine))
    return out.getvalue()


def check_reader(kind: str, data: bytes, tmp: Path) -> str:
    """Run the reader of `kind` on `data`; 'ok' or 'refused'. Anything else fails the caller."""
    suffix, reader = READERS[kind]
    path = tmp / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        reader(path)
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message, message
        assert len(message) < 4000, message[:200]
        return "refused"
    return "ok"
