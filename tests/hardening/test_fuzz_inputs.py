"""Property-based fuzzing of every input reader (issue 16, build item 6): bytes near valid CSV,
TSV, XLSX, FtM, relations and bills of lading → read, or refused with one line; never another
exception. Bounded to a few seconds per format; tools/fuzz_inputs.py runs longer (atheris)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fuzzing import SEEDS, check_reader, mutate, xlsx_seed, zip_members_mutated
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_EDITS = st.lists(
    st.tuples(
        st.integers(0, 4096),
        st.integers(0, 8),
        st.one_of(
            st.binary(max_size=12),
            st.sampled_from(
                [
                    b'"',
                    b"\x00",
                    b"\xff\xfe",
                    b"\xef\xbb\xbf",
                    b"\r\n",
                    b",",
                    b"\t",
                    b"=cmd|",
                    b"\\ud800",
                    b"[[[[",
                    b"{",
                    b"9" * 5000,
                    b"\xe5\x9b\xbd",
                    b"\n\n\n",
                ]
            ),
        ),
    ),
    max_size=6,
)
_FUZZ = settings(
    # THREADLINE_FUZZ_EXAMPLES raises it for a longer run outside CI.
    max_examples=int(os.environ.get("THREADLINE_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def _run(kind: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        check_reader(kind, data, Path(tmp))


@_FUZZ
@given(kind=st.sampled_from(sorted(SEEDS)), edits=_EDITS)
def test_text_inputs_are_read_or_refused_in_one_line(kind: str, edits: list) -> None:  # type: ignore[type-arg]
    _run(kind, mutate(SEEDS[kind], edits))


@_FUZZ
@given(kind=st.sampled_from(sorted(SEEDS)), data=st.binary(max_size=2048))
def test_random_bytes_are_read_or_refused_in_one_line(kind: str, data: bytes) -> None:
    _run(kind, data)


@_FUZZ
@given(cells=st.lists(st.text(max_size=40), max_size=5), edits=_EDITS, repack=st.booleans())
def test_workbooks_are_read_or_refused_in_one_line(
    cells: list[str], edits: list, repack: bool
) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        seed = xlsx_seed(Path(tmp), cells)
        data = zip_members_mutated(seed, edits) if repack else mutate(seed, edits)
        check_reader("suppliers_xlsx", data, Path(tmp))
        check_reader("queries_xlsx", data, Path(tmp))  # streamed, as `match` reads it
