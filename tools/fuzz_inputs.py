"""Coverage-guided fuzzing of every input reader with atheris (not run in CI).

Each input's first byte picks the reader (suppliers CSV/TSV/XLSX, reference list, FtM JSON lines,
bills of lading, relations); the rest is the file. A reader must return, or raise InputError with
a one-line message; anything else, a time-out or memory past the limit is a finding (atheris
writes the input as crash-*/timeout-*/oom-*).

    .venv/bin/pip install atheris
    .venv/bin/python tools/fuzz_inputs.py -max_total_time=600 -timeout=20 -rss_limit_mb=2048 [CORPUS_DIR]
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["threadline"]):
    from threadline.errors import InputError
    from threadline.inputs import read_records, read_reference
    from threadline.inputs.ftm import read_ftm
    from threadline.inputs.record_stream import stream_records
    from threadline.inputs.relations import open_relations
    from threadline.inputs.shipments import open_shipments


def _drain(rows: object) -> None:
    for _ in rows:  # type: ignore[attr-defined]
        pass


READERS: list[tuple[str, Callable[[Path], object]]] = [
    (".csv", read_records),
    (".tsv", read_records),
    (".xlsx", read_records),
    (".csv", lambda p: _drain(stream_records(p).records())),
    (".xlsx", lambda p: _drain(stream_records(p).records())),
    (".csv", read_reference),
    (".jsonl", lambda p: read_ftm(p, rejects=[])),
    (".csv", lambda p: _drain(open_shipments(p).rows())),
    (".csv", lambda p: _drain(open_relations(p).rows())),
]
_TMP = Path(tempfile.mkdtemp(prefix="threadline-fuzz-"))


def test_one_input(data: bytes) -> None:
    if not data:
        return
    suffix, reader = READERS[data[0] % len(READERS)]
    path = _TMP / f"input{suffix}"
    path.write_bytes(data[1:])
    try:
        reader(path)
    except InputError as exc:
        message = str(exc)
        if "\n" in message or "\r" in message:
            raise AssertionError(f"error message spans lines: {message[:200]!r}") from exc


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
