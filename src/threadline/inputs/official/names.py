"""Names as official lists write them: aliases, former names and scope in prose around the name.

DHS writes `X (and one alias: Y)`, `X (including three aliases: A; B; and C)`, `X (formerly
known as Y)`, `X and subsidiaries`; CBP writes `X a/k/a Y a/k/a Z`. A bracket that is none of
these stays part of the name: "Hoshine Silicon Industry (Shanshan) Co., Ltd.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from threadline.inputs.official.base import tidy

_ALIAS_INTRO = re.compile(
    r"^(?:and|including|with)?\s*(?:its\s+)?(?:(?P<count>\w+)\s+)?alias(?:es)?\s*:\s*(?P<names>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_FORMER = re.compile(
    r"^(?:formerly\s+known\s+as|f/k/a|fka|previously\s+known\s+as)\s*:?\s*(?P<names>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_ALSO = re.compile(
    r"^(?:also\s+known\s+as|a/k/a|aka)\s*:?\s*(?P<names>.+)$", re.IGNORECASE | re.DOTALL
)
# Scope written after the name: the entity and its subsidiaries or subordinate bodies.
_SCOPE = re.compile(
    r"(?:,\s*|\s+)and\s+(?:its\s+|their\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:subsidiaries|subordinate\s+and\s+affiliated\s+entities|affiliates)\b.*$",
    re.IGNORECASE | re.DOTALL,
)
_COUNTS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_AKA = re.compile(r"\s+(?:a/k/a|aka|f/k/a|fka|d/b/a|dba)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ParsedName:
    name: str
    aliases: tuple[str, ...] = ()
    former: tuple[str, ...] = ()  # former names: still matched, kept apart for the record
    scope: str = ""  # "and subsidiaries" and the like, as written


def parse_listed_name(cell: str) -> ParsedName:
    """A DHS name cell → the name, its aliases and former names, and the scope written after it."""
    text = tidy(cell)
    aliases: list[str] = []
    former: list[str] = []
    kept: list[str] = []
    position = 0
    for start, end in _brackets(text):
        inner = text[start + 1 : end]
        found = _bracket_names(inner)
        if found is None:
            continue
        kind, names = found
        kept.append(text[position:start])
        position = end + 1
        (former if kind == "former" else aliases).extend(names)
    kept.append(text[position:])
    name = tidy(" ".join(kept))
    scope = ""
    match = _SCOPE.search(name)
    if match and match.start() > 0:
        scope = tidy(match.group(0)).removeprefix("and ").strip()
        name = tidy(name[: match.start()])
    return ParsedName(name=name, aliases=tuple(aliases), former=tuple(former), scope=scope)


def split_aka(cell: str) -> tuple[str, tuple[str, ...]]:
    """`X a/k/a Y a/k/a Z` → X and its aliases."""
    parts = [tidy(p) for p in _AKA.split(tidy(cell)) if tidy(p)]
    return (parts[0], tuple(parts[1:])) if parts else ("", ())


def _bracket_names(inner: str) -> tuple[str, list[str]] | None:
    inner = tidy(inner)
    if (match := _ALIAS_INTRO.match(inner)) is not None:
        return "alias", _name_list(match.group("names"), match.group("count"))
    if (match := _FORMER.match(inner)) is not None:
        return "former", _name_list(match.group("names"), None)
    if (match := _ALSO.match(inner)) is not None:
        return "alias", _name_list(match.group("names"), None)
    return None


def _name_list(text: str, count: str | None) -> list[str]:
    """`A; B; and C` (or `A and B` when the count says two and no semicolon splits them)."""
    parts = [tidy(re.sub(r"^and\s+", "", p.strip(), flags=re.IGNORECASE)) for p in text.split(";")]
    parts = [p for p in parts if p]
    expected = _COUNTS.get((count or "").lower())
    if expected and len(parts) < expected and len(parts) == 1:
        pieces = re.split(r",?\s+and\s+", parts[0])
        if len(pieces) == expected:
            parts = [tidy(p) for p in pieces]
    return parts


def _brackets(text: str) -> list[tuple[int, int]]:
    """Top-level (start, end) index pairs of balanced parentheses."""
    out: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, index))
    return out
