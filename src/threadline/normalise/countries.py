"""Country names, codes and variants → ISO 3166-1 alpha-2.

`CountryTable` is pure: it is built from rows that threadline.data.countries reads from the
packaged countries.csv. `normalise_country(value)` is the one-argument convenience callers use;
without an explicit table it asks threadline.data.countries for the packaged one (read once,
cached) — the file read itself stays in threadline.data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from threadline.normalise.text import HAN_CHARS, strip_accents

_NOT_KEY = re.compile(f"[^0-9a-z{HAN_CHARS}]+")
_PARENTHESISED = re.compile(r"[(（][^)）]*[)）]")
_LEADING_THE = re.compile(r"^\s*the\s+", re.IGNORECASE)


def country_key(value: str) -> str:
    """Case, accents, punctuation and spaces removed: 'P.R. China' → 'prchina'."""
    plain = strip_accents(unicodedata.normalize("NFKC", value))
    return _NOT_KEY.sub("", _LEADING_THE.sub("", plain).casefold())


def split_names(cell: str) -> list[str]:
    return [n.strip() for n in cell.split("|") if n.strip()]


@dataclass(frozen=True, slots=True)
class Country:
    alpha2: str
    alpha3: str
    name: str
    names: tuple[str, ...]
    names_zh: tuple[str, ...]


class CountryTable:
    """Lookup of every spelling of every country, by `country_key`."""

    def __init__(self, countries: Iterable[Country]) -> None:
        self.countries: dict[str, Country] = {}
        self._by_key: dict[str, str] = {}
        for country in countries:
            self.countries[country.alpha2] = country
            spellings = (country.alpha2, country.alpha3, *country.names, *country.names_zh)
            for spelling in spellings:
                # First country wins a shared spelling; ISO codes are unique, names nearly so.
                self._by_key.setdefault(country_key(spelling), country.alpha2)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> CountryTable:
        """Rows with alpha2, alpha3, name, other_names and names_zh (' | '-separated)."""
        return cls(
            Country(
                alpha2=row["alpha2"].strip().upper(),
                alpha3=row["alpha3"].strip().upper(),
                name=row["name"].strip(),
                names=(row["name"].strip(), *split_names(row.get("other_names", ""))),
                names_zh=tuple(split_names(row.get("names_zh", ""))),
            )
            for row in rows
        )

    def code(self, value: str) -> str:
        """ISO alpha-2 for any known spelling, '' when unknown. A parenthesised remark is
        ignored when the whole value is not known: 'China (PRC)' → 'CN'."""
        found = self._by_key.get(country_key(value))
        if found is None and _PARENTHESISED.search(value):
            found = self._by_key.get(country_key(_PARENTHESISED.sub(" ", value)))
        return found or ""

    def spellings(self) -> dict[str, str]:
        """Every English and Chinese name (not the bare codes) → alpha-2, for reading text."""
        out: dict[str, str] = {}
        for country in self.countries.values():
            for name in (*country.names, *country.names_zh):
                out.setdefault(name, country.alpha2)
        return out


def normalise_country(value: str, table: CountryTable) -> str:
    """'China', 'P.R.C.', '中国', 'CHN', 'cn' → 'CN'; 'HKSAR' → 'HK'; unknown → ''."""
    return table.code(value)
