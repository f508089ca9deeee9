"""Places of China in any script: the gazetteer, name resolution and place mentions in text.

和田 ≡ Hetian ≡ Hotan ≡ Khotan ≡ Xoten: every spelling of a place resolves to it, ignoring case,
accents, spaces and the Chinese administrative suffix. `find` reads addresses and names for
place mentions; `xuar_signal`/`tibet_signal` (rules in threadline.normalise.place_signals) decide
whether they put the text in XUAR or TAR. Pure: rows and rules arrive loaded
(threadline.data.geo.load_gazetteer builds the packaged gazetteer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from threadline.errors import DataError
from threadline.normalise.place_rules import (
    PlaceRules,
    fold_with_offsets,
    latin_key,
    latin_words,
    zh_key,
)
from threadline.normalise.place_signals import RegionSignal, decide_region
from threadline.normalise.place_types import GazetteerCitation, Place, PlaceMention
from threadline.normalise.text import has_han, to_traditional

__all__ = [
    "REGIONS",
    "TIBET",
    "XUAR",
    "Gazetteer",
    "Place",
    "PlaceMention",
    "PlaceRules",
    "RegionSignal",
    "XuarSignal",
    "latin_key",
    "zh_key",
]

XUAR = "XUAR"
TIBET = "TIBET"
REGIONS = (XUAR, TIBET)  # the regions of concern, as `Place.region` names them
_REGION_OF_ADCODE = {"65": XUAR, "54": TIBET}
LEVEL_RANK = {"region": 0, "province": 0, "prefecture": 1, "xpcc_city": 1, "county": 2}

XuarSignal = RegionSignal

_JOINABLE_GAP = re.compile(r"[\s'\-]+")  # "Wu Lu Mu Qi", "Ala'er", "Lo-p'u" join into one name
_MAX_WORDS = 8


@dataclass(frozen=True, slots=True)
class _Entry:
    places: tuple[Place, ...]
    caution: str
    country: str
    bare: bool  # a Chinese name without its administrative suffix


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    entry: _Entry
    latin: bool


def _row_names(row: Mapping[str, str], extra: Sequence[str]) -> tuple[str, ...]:
    cells = [row.get("name_zh", ""), row.get("name_pinyin", ""), row.get("name_uyghur_latin", "")]
    cells += row.get("other_names", "").split("|")
    ordered = sorted(
        (c.strip() for c in [*cells, *extra] if c.strip()), key=lambda n: not has_han(n)
    )
    return tuple(dict.fromkeys(ordered))


def _coordinate(value: str) -> float | None:
    try:
        return float(value) if value.strip() else None
    except ValueError:
        return None


def _places_from_rows(rows: Iterable[Mapping[str, str]], rules: PlaceRules) -> list[Place]:
    places: dict[str, Place] = {}
    for row in rows:
        place_id = row.get("id", "").strip()
        if not place_id or place_id in places:
            raise DataError(f"gazetteer row with missing or duplicate id {place_id!r}")
        adcode = row.get("adcode", "").strip()
        places[place_id] = Place(
            id=place_id,
            level=row.get("level", "").strip(),
            name_zh=row.get("name_zh", "").strip(),
            name_pinyin=row.get("name_pinyin", "").strip(),
            names=_row_names(row, rules.extra_names.get(place_id, ())),
            parent_id=row.get("parent_id", "").strip(),
            adcode=adcode,
            lat=_coordinate(row.get("lat", "")),
            lon=_coordinate(row.get("lon", "")),
            region=_REGION_OF_ADCODE.get(adcode[:2], ""),
            province_id="",
        )
    resolved = {}
    for place in places.values():
        current, seen = place, {place.id}
        while not current.is_provincial:
            parent = places.get(current.parent_id)
            if parent is None or parent.id in seen:
                raise DataError(f"gazetteer place {place.id} has no provincial ancestor")
            current = parent
            seen.add(parent.id)
        resolved[place.id] = replace(place, province_id=current.id)
    return list(resolved.values())


class Gazetteer:
    """All places with every spelling, and the tables for reading them in free text."""

    def __init__(
        self,
        places: Iterable[Place],
        rules: PlaceRules,
        country_names: Mapping[str, str],
        citation: GazetteerCitation | None = None,
    ) -> None:
        self.rules = rules
        self.citation = citation or GazetteerCitation()
        ordered = sorted(places, key=lambda p: (LEVEL_RANK.get(p.level, 9), p.adcode, p.id))
        self.places: dict[str, Place] = {p.id: p for p in ordered}
        self._resolve: dict[str, list[Place]] = {}
        self._spaced: set[str] = set()  # multi-word Latin spellings as written ("Kona Sheher")
        latin: dict[str, list[Place]] = {}
        han: dict[str, tuple[list[Place], bool]] = {}
        for place in ordered:
            for name in place.names:
                for key in self._resolve_keys(name):
                    _add_unique(self._resolve.setdefault(key, []), place)
                self._index_for_text(name, place, latin, han)
        for place_id, markers in rules.region_markers.items():
            for marker in markers:
                self._index_for_text(marker, self.places[place_id], latin, han)
        self._latin = {k: self._latin_entry(k, ps) for k, ps in latin.items()}
        self._han = {
            variant: _Entry(tuple(ps), self._han_caution(k, ps), "", bare)
            for k, (ps, bare) in han.items()
            for variant in {k, to_traditional(k)}
        }
        self._add_countries(country_names)
        # Compiled on the first text with Han characters: a tenth of a second that loading a kept
        # gazetteer (built_cache.py) or reading Latin-script addresses never needs.
        self._han_pattern: re.Pattern[str] | None = None
        # xuar_signal and tibet_signal of one address read it once.
        self._read = lru_cache(maxsize=4096)(self._read_text)

    # Pickled to reach Spark executors: the per-instance cache is dropped and made anew.
    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_read", "_han_pattern")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._han_pattern = None
        self._read = lru_cache(maxsize=4096)(self._read_text)

    @classmethod
    def from_rows(
        cls,
        xuar_rows: Iterable[Mapping[str, str]],
        china_rows: Iterable[Mapping[str, str]],
        *,
        rules: PlaceRules,
        country_names: Mapping[str, str] | None = None,
        citation: GazetteerCitation | None = None,
    ) -> Gazetteer:
        """Rows of gazetteer.csv (XUAR, TAR) and china_admin.csv (the rest of China)."""
        places = _places_from_rows([*xuar_rows, *china_rows], rules)
        return cls(places, rules, country_names or {}, citation)

    # -- building -------------------------------------------------------------------------

    def _bare(self, name: str) -> str:
        return self.rules.bare_zh(name)

    def _resolve_keys(self, name: str) -> set[str]:
        if has_han(name):
            key = zh_key(name)
            return {key, self._bare(key)} - {""}
        return {latin_key(name)} - {""}

    def _index_for_text(
        self,
        name: str,
        place: Place,
        latin: dict[str, list[Place]],
        han: dict[str, tuple[list[Place], bool]],
    ) -> None:
        if not has_han(name):
            key = latin_key(name)
            if key and key not in self.rules.excluded_latin:
                _add_unique(latin.setdefault(key, []), place)
                self._note_spacing(name)
            return
        full = zh_key(name)
        bare = self._bare(full)
        for key, is_bare in ((full, full == bare), (bare, True)):
            if len(key) < 2 or (is_bare and key in self.rules.excluded_zh_bare):
                continue
            places, was_bare = han.setdefault(key, ([], is_bare))
            _add_unique(places, place)
            han[key] = (places, was_bare and is_bare)

    def _note_spacing(self, name: str) -> None:
        words = _spaced(latin_words(fold_with_offsets(name)[0]))
        if " " in words:
            self._spaced.add(words)

    def _latin_entry(self, key: str, places: list[Place]) -> _Entry:
        rules = self.rules
        # Short spellings of XUAR/TAR places are words in too many languages ("Toli", "Moyu").
        short = len(key) <= rules.short_name_letters and all(
            p.region and not p.is_provincial for p in places
        )
        if len({p.region for p in places}) > 1:
            caution = "common"  # names places in different regions (拜城 Baicheng, 白城 Baicheng)
        elif key in rules.foreign_latin:
            caution = "foreign"
        elif key in rules.common_latin or short:
            caution = "common"
        else:
            caution = ""
        return _Entry(tuple(places), caution, "", bare=False)

    def _han_caution(self, key: str, places: list[Place]) -> str:
        if len({p.region for p in places}) > 1 or key in self.rules.common_zh:
            return "common"
        return ""

    def _add_countries(self, country_names: Mapping[str, str]) -> None:
        """Country names share the tables so that the longest reading wins ('Inner Mongolia')."""
        for name, code in country_names.items():
            if has_han(name):
                key = zh_key(name)
                # Two-character names hide inside words (华美国际 holds 美国); China is kept.
                if len(key) >= 3 or code == "CN":
                    self._han[key] = _with_country(self._han.get(key), code)
            else:
                key = latin_key(name)
                if len(key) >= 3 and key not in self.rules.not_country_words:
                    self._latin[key] = _with_country(self._latin.get(key), code)
                    self._note_spacing(name)

    # -- reading ----------------------------------------------------------------------------

    def get(self, place_id: str) -> Place | None:
        return self.places.get(place_id)

    def resolve(self, name: str) -> Place | None:
        """Any spelling in any script → the place; the higher level wins a shared spelling
        ('Hotan' → 和田地区; '和田市' → 和田市)."""
        for key in sorted(self._resolve_keys(name), key=len, reverse=True):
            found = self._resolve.get(key)
            if found:
                return found[0]
        return None

    def find(self, text: str) -> list[PlaceMention]:
        """Place mentions, in order, longest reading first and never overlapping. Street names
        (和田路, 'Kashi Road') and phrases such as 和田玉 (jade) are not mentions."""
        return list(self._read(text)[0])

    def countries_named(self, text: str) -> frozenset[str]:
        """ISO codes of the countries a text names ('…, Almaty, Kazakhstan' → {'KZ'})."""
        return self._read(text)[1]

    def province_of(self, text: str) -> Place | None:
        """The province of the first place outside XUAR that the text names unambiguously."""
        for mention in self.find(text):
            if mention.place.region != XUAR and (mention.qualified or not mention.ambiguous):
                return self.places[mention.place.province_id]
        return None

    def xuar_signal(self, text: str, country: str = "") -> RegionSignal | None:
        """The evidence that `text` (an address or name) is in XUAR, or None. `country` is the
        declared ISO alpha-2 country ('' when unknown); any other than CN means no signal."""
        mentions, countries = self._read(text)
        return decide_region(XUAR, mentions, countries, country)

    def tibet_signal(self, text: str, country: str = "") -> RegionSignal | None:
        """As `xuar_signal`, for the Tibet Autonomous Region."""
        mentions, countries = self._read(text)
        return decide_region(TIBET, mentions, countries, country)

    def _read_text(self, text: str) -> tuple[tuple[PlaceMention, ...], frozenset[str]]:
        folded, origin = fold_with_offsets(text)
        blocked = [m.span() for m in self.rules.blocking_pattern.finditer(folded)]
        mentions: list[PlaceMention] = []
        countries: set[str] = set()
        consumed = 0  # the admin word of the last mention ("Moyu Xian": Xian is not Xi'an)
        for hit in sorted(self._hits(folded), key=lambda h: h.start):
            if hit.start < consumed or self._is_street(folded, hit):
                continue
            if any(start < hit.end and hit.start < end for start, end in blocked):
                continue
            admin = self.rules.latin_admin_after.match(folded, hit.end) if hit.latin else None
            consumed = admin.end() if admin else hit.end
            if hit.entry.country:
                countries.add(hit.entry.country)
            if hit.entry.places:
                start, end = origin[hit.start], origin[hit.end - 1] + 1
                mentions.append(
                    PlaceMention(
                        place=hit.entry.places[0],
                        text=text[start:end],
                        start=start,
                        end=end,
                        caution=hit.entry.caution,
                        qualified=admin is not None if hit.latin else not hit.entry.bare,
                        alternatives=hit.entry.places[1:],
                    )
                )
        return tuple(mentions), frozenset(countries)

    def _han_regex(self) -> re.Pattern[str] | None:
        if self._han_pattern is None:
            self._han_pattern = _alternation(self._han)
        return self._han_pattern

    def _hits(self, folded: str) -> Iterable[_Hit]:
        if has_han(folded) and (pattern := self._han_regex()) is not None:
            for match in pattern.finditer(folded):
                yield _Hit(match.start(), match.end(), self._han[match.group()], latin=False)
        words = latin_words(folded)
        joinable = [
            _JOINABLE_GAP.fullmatch(folded, words[k][1], words[k + 1][0]) is not None
            for k in range(len(words) - 1)
        ]
        i = 0
        while i < len(words):
            reach = i + 1
            while reach < len(words) and reach - i < _MAX_WORDS and joinable[reach - 1]:
                reach += 1
            for j in range(reach, i, -1):
                entry = self._latin.get("".join(w for _, _, w in words[i:j]))
                if entry is not None:
                    if j - i == 2 and _spaced(words[i:j]) not in self._spaced:
                        entry = _syllable_pair(entry)
                    yield _Hit(words[i][0], words[j - 1][1], entry, latin=True)
                    i = j
                    break
            else:
                i += 1

    def _is_street(self, folded: str, hit: _Hit) -> bool:
        if hit.latin:
            return self.rules.latin_street_after.match(folded, hit.end) is not None
        return hit.entry.bare and self.rules.zh_street_after.match(folded, hit.end) is not None


def _spaced(words: Sequence[tuple[int, int, str]]) -> str:
    return " ".join(w for _, _, w in words)


def _syllable_pair(entry: _Entry) -> _Entry:
    """Two syllables joined into a name ("He Tian", "Chang Ji") are as likely other characters
    of a spaced-pinyin company name (合天, 长吉): a common spelling, unless a region is named
    ("Xin Jiang")."""
    if entry.caution == "common" or not entry.places or all(p.is_provincial for p in entry.places):
        return entry
    return replace(entry, caution="common")


def _add_unique(places: list[Place], place: Place) -> None:
    if place not in places:
        places.append(place)


def _with_country(entry: _Entry | None, code: str) -> _Entry:
    if entry is None:
        return _Entry((), "", code, bare=False)
    return replace(entry, country=entry.country or code)


def _alternation(table: Mapping[str, _Entry]) -> re.Pattern[str] | None:
    if not table:
        return None
    # Longest first, so that 和田地区 wins over 和田 at the same position.
    return re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
