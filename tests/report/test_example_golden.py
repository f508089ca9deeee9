"""The README's example, screened at a fixed date, writes the same results.csv and results.json as
the copies kept in tests/report/golden/: a refactoring of signals, reasons or wording must not
change a byte the user sees. Only what depends on the day or the run is masked (when it ran, the
lists' age, the screening id, the data version, which hashes the packaged files).

After an intended change of output, rewrite the copies with THREADLINE_REGOLD=1 and review the
diff like any other change."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from cli_run import threadline

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
_AGE = re.compile(r"\b\d+ days old\b")
_VOLATILE = {"generated_at", "screening_id", "data_version", "age_days"}


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "…" if k in _VOLATILE else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, str):
        return _AGE.sub("N days old", value)
    return value


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("example")
    # Module-scoped, so set up before the autouse fixture that keeps tests off the user's
    # database and cache: isolate this run the same way.
    env = {
        "THREADLINE_DB": f"sqlite:///{folder / 'threadline.db'}",
        "THREADLINE_CACHE_DIR": str(folder / "cache"),
    }
    out = folder / "out"
    ran = threadline(
        "screen",
        "examples/suppliers.csv",
        "--no-store",
        "--as-of",
        "2026-03-01",
        "--out",
        str(out),
        cwd=ROOT,
        env=env,
    )
    assert ran.returncode == 0, ran.stderr
    return out


def _compare(name: str, produced: str) -> None:
    kept = GOLDEN / name
    if os.environ.get("THREADLINE_REGOLD") == "1":
        kept.write_bytes(produced.encode("utf-8"))
    assert produced == kept.read_bytes().decode("utf-8")


def test_results_csv_is_unchanged(out: Path) -> None:
    _compare("example_results.csv", (out / "results.csv").read_bytes().decode("utf-8"))


def test_results_json_is_unchanged_but_for_the_day_and_the_run(out: Path) -> None:
    produced = _masked(json.loads((out / "results.json").read_text(encoding="utf-8")))
    text = json.dumps(produced, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    _compare("example_results.json", text)
