"""FollowTheMoney validation for tests, run in a child process: importing followthemoney raises
the csv module's global field size limit, which would change what the table reader refuses in
every later test of this process."""

import json
import subprocess
import sys
from collections.abc import Iterable
from typing import Any

_CHECK = """
import json, sys
from followthemoney import model
for line in sys.stdin:
    record = json.loads(line)
    cleaned = model.get_proxy(record, cleaned=False).to_dict()["properties"]
    if cleaned != record["properties"]:
        print(json.dumps({"id": record["id"], "sent": record["properties"], "kept": cleaned}))
"""


def ftm_problems(records: Iterable[dict[str, Any]]) -> list[str]:
    """Records followthemoney does not accept as written (unknown schema, property or value)."""
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    result = subprocess.run(
        [sys.executable, "-c", _CHECK], input=lines, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        return [result.stderr.strip().splitlines()[-1]]
    return result.stdout.splitlines()
