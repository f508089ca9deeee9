"""Validate packaged data files against their pydantic models (`threadline.data.schemas`).

`check_all()` is `threadline data check` and the test over every packaged file; `invalid()` is
what a loader raises when it cannot read a file: the models' one line naming the file, row and
field, found only then, so that pydantic stays off the start-up path of a healthy install.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from fnmatch import fnmatch
from importlib import resources
from typing import Any

import yaml

from threadline.data import parse_yaml
from threadline.errors import DataError


def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    from threadline.data.schemas import CSV_SCHEMAS, YAML_SCHEMAS

    return YAML_SCHEMAS, CSV_SCHEMAS


def schema_pattern(name: str) -> str | None:
    """The pattern in the schema tables that covers packaged file `name`, if any."""
    yaml_schemas, csv_schemas = _schemas()
    return next((p for p in [*yaml_schemas, *csv_schemas] if fnmatch(name, p)), None)


def _read(name: str) -> str:
    return resources.files("threadline.data").joinpath(name).read_text(encoding="utf-8")


def check_text(name: str, text: str, columns: dict[str, str] | None = None) -> str | None:
    """What is wrong with `text` as packaged file `name`, in one line; None when it is sound.
    `columns` maps a list's entries.csv columns to the entry fields (its metadata.yaml's)."""
    from pydantic import ValidationError

    yaml_schemas, csv_schemas = _schemas()
    pattern = schema_pattern(name)
    if pattern is None:
        return None
    if pattern in yaml_schemas:
        try:
            data = parse_yaml(text)
        except yaml.YAMLError as exc:
            return f"packaged {name} is not valid YAML: {' '.join(str(exc).split())}"
        try:
            yaml_schemas[pattern].model_validate(data)
        except ValidationError as exc:
            return f"packaged {name}: {_first(exc)}"
        return None
    model = csv_schemas[pattern]
    lines = text.splitlines(keepends=True)
    comments = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    reader = csv.DictReader(io.StringIO("".join(lines[comments:])))
    renamed = {v: k for k, v in (columns or {}).items()}
    for row in reader:
        line = comments + reader.line_num
        if None in row:
            return f"packaged {name} row {line}: more cells than the header has columns"
        cells = {renamed.get(k, k): (v or "").strip() for k, v in row.items()}
        try:
            model.model_validate(cells)
        except ValidationError as exc:
            return f"packaged {name} row {line}: {_first(exc, columns)}"
    return None


def _first(exc: Any, columns: dict[str, str] | None = None) -> str:
    """pydantic's first error as `field.path: message`, naming how many more there are."""
    # A misspelt field is also a missing one: the misspelling is the one to name.
    errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    # Union branches ("str-enum[ListEffect]", "literal['x']") are pydantic's, not the file's.
    path = [str(p) for p in first["loc"] if not (isinstance(p, str) and p.endswith("]"))]
    if first["loc"] and first["loc"][-1] == "[key]":
        path.append("(the key)")
    if columns and path:  # an entries.csv field by its column in the file
        path[0] = columns.get(path[0], path[0])
    where = ".".join(path)
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "not a known field (a typo?)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"


def check_file(name: str) -> str | None:
    """What is wrong with packaged file `name` (a path under data/), or None."""
    columns = None
    if fnmatch(name, "lists/*/entries.csv"):
        metadata = parse_yaml(_read(name.replace("entries.csv", "metadata.yaml")))
        given = metadata.get("columns") if isinstance(metadata, dict) else None
        columns = {str(k): str(v) for k, v in given.items()} if isinstance(given, dict) else {}
    return check_text(name, _read(name), columns)


def check_all(names: Iterable[str]) -> list[str]:
    """One line per broken packaged file of `names` (the manifest's); empty when every YAML and
    CSV file is sound. The caller passes the manifest: the list loader raises `invalid`, so this
    module must not import it."""
    problems = []
    for name in names:
        if name.endswith((".yaml", ".csv")):
            if schema_pattern(name) is None:
                problems.append(f"packaged {name} has no model in threadline.data.schemas")
                continue
            found = check_file(name)
            if found:
                problems.append(found)
    return problems


def invalid(name: str, exc: BaseException) -> DataError:
    """The error for packaged file `name` that a loader could not read (`exc`): the models'
    reading of the file when they find the fault, else the loader's own words."""
    try:
        found = check_file(name)
    except Exception:  # the models' own trouble must not hide the loader's error
        found = None
    return DataError(found or f"packaged {name} is malformed: {exc}")
