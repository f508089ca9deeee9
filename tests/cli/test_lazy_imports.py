"""`threadline --help` and `--version` load no more than the commands' signatures need."""

import json
import subprocess
import sys

# Modules each command loads only when it runs: together they took 1.5-2 s of every start.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "numpy",
    "scipy",
    "pypinyin",
    "opencc",
    "openpyxl",
    "rapidfuzz",
    "fastapi",
    "argon2",
    "threadline.store",
    "threadline.matching",
    "threadline.pipeline",
    "threadline.decide",
    "threadline.server",
)


def test_registering_the_commands_imports_none_of_the_heavy_modules() -> None:
    # A fresh interpreter: this one has long imported everything for other tests.
    code = (
        "import json, sys\n"
        "from threadline.cli.app import app\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []
