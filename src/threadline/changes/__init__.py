"""What changed between two screenings of the same input. Pure: no files, no database."""

from threadline.changes.diff import compare
from threadline.changes.facts import (
    facts_digest,
    facts_from_json,
    facts_to_json,
    input_hash,
    row_facts,
)

__all__ = [
    "compare",
    "facts_digest",
    "facts_from_json",
    "facts_to_json",
    "input_hash",
    "row_facts",
]
