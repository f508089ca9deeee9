"""How text is read for places: folding with offsets, and the reviewed rules (place_rules.yaml)
compiled into lookups and patterns. Pure: the rules arrive as a loaded mapping."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from threadline.errors import DataError
from threadline.normalise.text import has_han, strip_accents, to_simplified, to_traditional

_LATIN_WORD = re.compile(r"[a-z]+")
_APOSTROPHE_FORMS = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return strip_accents(char).casefold().translate(_APOSTROPHE_FORMS)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Lower-case, accent-free, half-width text, and for each of its characters the index of the
    original character it came from, so that mentions can point into the original."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def latin_key(name: str) -> str:
    """'Ürümqi' → 'urumqi', "Ala'er" → 'alaer', 'KASHI' → 'kashi'."""
    return "".join(_LATIN_WORD.findall(fold_with_offsets(name)[0]))


def latin_words(folded: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _LATIN_WORD.finditer(folded)]


def zh_key(name: str) -> str:
    """Simplified characters, no spaces: '烏魯木齊 市' → '乌鲁木齐市'."""
    return "".join(to_simplified(unicodedata.normalize("NFKC", name)).split())


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise DataError(f"place rules: '{key}' must be a list of strings")
    return tuple(value)


def _string_lists(data: Mapping[str, Any], key: str) -> dict[str, tuple[str, ...]]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise DataError(f"place rules: '{key}' must map place ids to lists of names")
    return {str(k): _strings(value, k) for k in value}


def _words(words: Iterable[str]) -> str:
    """An alternation, longest first; one that never matches when there are no words."""
    return (
        "|".join(re.escape(w) for w in sorted({w.casefold() for w in words}, key=len, reverse=True))
        or "(?!)"
    )


def _phrase(phrase: str) -> str:
    folded = fold_with_offsets(phrase)[0]
    if has_han(folded):
        return re.escape(folded)
    body = r"[\s\-]+".join(re.escape(w) for w in folded.split())
    return rf"(?<![a-z]){body}(?![a-z])"


@dataclass(frozen=True)
class PlaceRules:
    """The reviewed vocabulary, compiled. Latin word lists hold `latin_key`s."""

    zh_admin_suffixes: tuple[str, ...]
    zh_ethnic_designations: tuple[str, ...]
    extra_names: Mapping[str, tuple[str, ...]]
    region_markers: Mapping[str, tuple[str, ...]]
    excluded_latin: frozenset[str]
    excluded_zh_bare: frozenset[str]
    foreign_latin: frozenset[str]
    common_latin: frozenset[str]
    common_zh: frozenset[str]
    not_country_words: frozenset[str]
    short_name_letters: int
    latin_street_after: re.Pattern[str]
    zh_street_after: re.Pattern[str]
    latin_admin_after: re.Pattern[str]
    blocking_pattern: re.Pattern[str]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PlaceRules:
        caution = data.get("caution", {})
        if not isinstance(caution, dict):
            raise DataError("place rules: 'caution' must be a mapping")
        short = data.get("short_name_letters", 4)
        if not isinstance(short, int):
            raise DataError("place rules: 'short_name_letters' must be an integer")
        zh_directions = _strings(data, "zh_street_directions")
        zh_streets = _strings(data, "zh_street_words")
        # Simplified and traditional forms: 西藏中路, 烏魯木齊北路.
        zh_dir_chars = "".join(sorted({c for d in zh_directions for c in d + to_traditional(d)}))
        zh_dir = f"[{re.escape(zh_dir_chars)}]?" if zh_dir_chars else ""
        zh_street = _words({*zh_streets, *(to_traditional(w) for w in zh_streets)})
        latin_dir = _words(_strings(data, "latin_street_directions"))
        latin_street = _words(_strings(data, "latin_street_words"))
        ethnic = _words(_strings(data, "latin_ethnic_words"))
        admin = _words(_strings(data, "latin_admin_words"))
        blocking = [_phrase(p) for p in _strings(data, "blocking_phrases")]
        return cls(
            zh_admin_suffixes=tuple(
                sorted(_strings(data, "zh_admin_suffixes"), key=len, reverse=True)
            ),
            zh_ethnic_designations=_strings(data, "zh_ethnic_designations"),
            extra_names=_string_lists(data, "extra_names"),
            region_markers=_string_lists(data, "region_markers"),
            excluded_latin=frozenset(latin_key(n) for n in _strings(caution, "excluded_latin")),
            excluded_zh_bare=frozenset(zh_key(n) for n in _strings(caution, "excluded_zh_bare")),
            foreign_latin=frozenset(latin_key(n) for n in _strings(caution, "foreign_latin")),
            common_latin=frozenset(latin_key(n) for n in _strings(caution, "common_latin")),
            common_zh=frozenset(zh_key(n) for n in _strings(caution, "common_zh")),
            not_country_words=frozenset(latin_key(n) for n in _strings(data, "not_country_words")),
            short_name_letters=short,
            # "Kashi Road", "Urumqi North Road", "Wulumuqi Beilu", "Hetian Rd."
            latin_street_after=re.compile(
                rf"[\s\-]*(?:(?:{latin_dir})\.?[\s\-]*)?(?:{latin_street})(?![a-z])"
            ),
            # 和田路, 西藏中路 (a bare name only: 石河子市北一路 is a road in Shihezi)
            zh_street_after=re.compile(rf"\s*{zh_dir}(?:{zh_street})"),
            # "Aksu Prefecture", "Changji Hui Autonomous Prefecture", "Moyu Xian"
            latin_admin_after=re.compile(rf"[\s\-]+(?:(?:{ethnic})[\s\-]+)*(?:{admin})(?![a-z])"),
            blocking_pattern=re.compile("|".join(blocking) or r"(?!)"),
        )

    def bare_zh(self, name: str) -> str:
        """Without administrative suffix and ethnic designation: 昌吉回族自治州 → 昌吉. Never
        shorter than two characters (内蒙古 stays, 朗县 stays)."""
        for suffix in self.zh_admin_suffixes:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                name = name[: -len(suffix)]
                break
        stripped = True
        while stripped:
            stripped = False
            for ethnic in self.zh_ethnic_designations:
                if name.endswith(ethnic) and len(name) - len(ethnic) >= 2:
                    name, stripped = name[: -len(ethnic)], True
        return name
