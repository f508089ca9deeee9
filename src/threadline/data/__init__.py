"""Packaged reference data (lists, gazetteer, vocabularies, rules, algorithms) and validating loaders."""

from typing import Any

import yaml

# libyaml's C loader reads the packaged files several times faster than the pure-Python one
# (PyYAML's wheels ship it; screening one row spent a fifth of its time in YAML); the pure
# loader stands in where libyaml was not built. Both are safe loaders.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """One packaged YAML file's content, as `yaml.safe_load` would give it."""
    return yaml.load(text, Loader=_LOADER)
