#!/usr/bin/env bash
# Creates bench/.venv with the peer tools and threadline (editable) for the benchmarks.
# Usage: bash bench/setup.sh   (any working directory; needs Python >= 3.11 as python3)
set -euo pipefail
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python_bin="${PYTHON:-python3}"

if ! "$python_bin" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "bench/setup.sh: needs Python >= 3.11 (set PYTHON=/path/to/python3.11)" >&2
    exit 2
fi
if [ ! -x "$bench_dir/.venv/bin/python" ]; then
    "$python_bin" -m venv "$bench_dir/.venv"
fi
pip=("$bench_dir/.venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install -r "$bench_dir/requirements.txt"
"${pip[@]}" install -e "$bench_dir/.."
"$bench_dir/.venv/bin/python" - <<'PY'
from importlib.metadata import version
for name in ("threadline", "nomenklatura", "followthemoney", "splink", "duckdb", "rapidfuzz", "pypinyin", "networkx"):
    print(f"{name:15} {version(name)}")
PY
