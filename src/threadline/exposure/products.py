"""Products → UFLPA high-priority sectors, by HS code or, failing one, by product words.

An HS code decides alone where it is given: the sector's headings are reviewed data, the words
are a fallback for rows without a code. Headings that also cover unrelated goods count only
with a product word that names the sector. Sectors designated after the as-of date do not count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from threadline.model import Source


def hs_digits(code: str) -> str:
    """'6109.10.0012' → '6109100012': the digits of an HS/HTS code, separators dropped."""
    return "".join(ch for ch in code if ch.isdigit())


@dataclass(frozen=True, slots=True)
class Sector:
    id: str
    label: str
    designated: dt.date
    source: Source
    hs: tuple[str, ...] = ()
    hs_with_words: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    _latin: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        latin = sorted((w.casefold() for w in self.words if w.isascii()), key=len, reverse=True)
        pattern = "|".join(re.escape(w) for w in latin)
        # Whole words, with a plural -s/-es: "tomatoes", "garments", but not "cottonwood".
        compiled = re.compile(rf"(?<![\w])(?:{pattern})(?:e?s)?(?![\w])") if latin else None
        object.__setattr__(self, "_latin", compiled)

    def word_in(self, text: str) -> str:
        """The first sector word the text names, or ''."""
        folded = text.casefold()
        for phrase in self.excludes:
            folded = folded.replace(phrase.casefold(), " ")
        for word in self.words:
            if not word.isascii() and word.casefold() in folded:
                return word
        found = self._latin.search(folded) if self._latin else None
        return found.group() if found else ""


@dataclass(frozen=True, slots=True)
class SectorHit:
    sector: Sector
    basis: str  # what matched, in words: "HS 6109 (heading 61)" or "product words 'cotton'"


class SectorMap:
    def __init__(self, sectors: Sequence[Sector]) -> None:
        self.sectors = tuple(sectors)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SectorMap:
        sources = {
            key: Source.from_mapping(s, f"sources.{key}", date_required=True)
            for key, s in data["sources"].items()
        }

        def codes(entry: Mapping[str, Any], key: str) -> tuple[str, ...]:
            out = tuple(hs_digits(str(c)) for c in entry.get(key, ()))
            if any(len(c) < 2 for c in out):
                raise ValueError(f"sector {entry['id']}: an HS prefix in {key} has < 2 digits")
            return out

        return cls(
            [
                Sector(
                    id=str(entry["id"]),
                    label=str(entry["label"]),
                    designated=dt.date.fromisoformat(str(entry["designated"])),
                    source=sources[str(entry["source"])],
                    hs=codes(entry, "hs"),
                    hs_with_words=codes(entry, "hs_with_words"),
                    words=tuple(str(w) for w in entry.get("words", ())),
                    excludes=tuple(str(w) for w in entry.get("excludes", ())),
                )
                for entry in data["sectors"]
            ]
        )

    def find(self, hs_code: str, product: str, as_of: dt.date) -> list[SectorHit]:
        """Sectors the goods fall in, as designated by `as_of`."""
        digits = hs_digits(hs_code)
        hits: list[SectorHit] = []
        for sector in self.sectors:
            if sector.designated > as_of:
                continue
            word = sector.word_in(product) if product else ""
            if digits:
                prefix = _prefix(digits, sector.hs) or (
                    _prefix(digits, sector.hs_with_words) if word else ""
                )
                if prefix:
                    basis = f"HS {hs_code.strip()}, {_heading(prefix)}"
                    if word:
                        basis += f", product '{word}'"
                    hits.append(SectorHit(sector, basis))
            elif word:
                hits.append(SectorHit(sector, f"product description names '{word}'"))
        return hits


def _prefix(digits: str, prefixes: Sequence[str]) -> str:
    return max((p for p in prefixes if digits.startswith(p)), key=len, default="")


def _heading(prefix: str) -> str:
    """'61' → 'chapter 61', '210320' → 'subheading 2103.20', as HS levels are usually named."""
    if len(prefix) == 2:
        return f"chapter {prefix}"
    if len(prefix) == 4:
        return f"heading {prefix}"
    return f"subheading {prefix[:4]}.{prefix[4:]}"
