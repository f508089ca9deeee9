"""Loader for the certification schemes a supplier may claim (vocab/certifications.yaml)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from threadline.data import parse_yaml
from threadline.data.check import invalid


@lru_cache(maxsize=1)
def certification_schemes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(scheme, spellings) pairs in the file's order."""
    text = (
        resources.files("threadline.data").joinpath("vocab/certifications.yaml").read_text("utf-8")
    )
    try:
        data = parse_yaml(text)
        return tuple(
            (str(item["scheme"]), tuple(str(s) for s in item["spellings"]))
            for item in data["schemes"]
        )
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        raise invalid("vocab/certifications.yaml", exc) from exc
