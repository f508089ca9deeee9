"""Load the synthetic-name vocabulary: bench/data/synth_vocab.yaml plus Xinjiang places.

Xinjiang prefectures and counties come from the package's own gazetteer, so the synthetic set
uses the same spellings (and alternative spellings) that threadline's data knows about.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

BENCH_DIR = Path(__file__).resolve().parents[1]
VOCAB_PATH = BENCH_DIR / "data" / "synth_vocab.yaml"
GAZETTEER_PATH = BENCH_DIR.parent / "src" / "threadline" / "data" / "geo" / "gazetteer.csv"

# Administrative suffixes dropped from a place name inside a company name (阿克苏地区 -> 阿克苏).
_ADMIN_SUFFIX = re.compile(
    r"(?:(?:回族|蒙古|柯尔克孜|哈萨克|锡伯|塔吉克|维吾尔)?自治(?:州|县)|地区|市|县)$"
)
_LATIN_SPELLING = re.compile(r"^[A-Za-z][A-Za-z' -]*$")
_MAX_PLACE_VARIANTS = 3


@dataclass(frozen=True, slots=True)
class Syllable:
    zh: str
    pinyin: str


@dataclass(frozen=True, slots=True)
class Place:
    zh: str
    pinyin: str
    province: str
    """English/pinyin name of the province, used for addresses ("Aksu, Xinjiang")."""
    variants: tuple[str, ...]
    """Other Latin spellings of the place (Hotan for Hetian), empty when none is known."""
    in_xinjiang: bool


@dataclass(frozen=True, slots=True)
class Term:
    """An industry word or a legal form, in Chinese, pinyin and its English renderings."""

    zh: str
    pinyin: str
    en: tuple[str, ...]
    manifest: tuple[str, ...]
    general: bool
    """A business-scope word that may follow a sector word (纺织科技, 食品进出口)."""


@dataclass(frozen=True, slots=True)
class Vocabulary:
    places: tuple[Place, ...]
    xinjiang_places: tuple[Place, ...]
    xinjiang: Syllable
    brand_syllables: tuple[Syllable, ...]
    industries: tuple[Term, ...]
    sectors: tuple[Term, ...]
    general_words: tuple[Term, ...]
    legal_forms: tuple[Term, ...]


def _term(raw: dict[str, Any]) -> Term:
    return Term(
        zh=str(raw["zh"]),
        pinyin=str(raw["pinyin"]),
        en=tuple(str(e) for e in raw["en"]),
        manifest=tuple(str(m) for m in raw.get("manifest", ())),
        general=bool(raw.get("general", False)),
    )


def _provinces(raw: list[dict[str, Any]]) -> list[Place]:
    places: list[Place] = []
    for prov in raw:
        name = str(prov["pinyin"])
        places.append(Place(str(prov["zh"]), name, name, (), in_xinjiang=False))
        for city in prov["cities"]:
            places.append(Place(str(city["zh"]), str(city["pinyin"]), name, (), in_xinjiang=False))
    return places


def load_xinjiang_places(path: Path = GAZETTEER_PATH) -> list[Place]:
    """Prefectures, counties and XPCC cities of XUAR that have a pinyin spelling."""
    places: list[Place] = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row["id"].startswith("adm-65") or row["level"] == "region":
                continue
            pinyin = row["name_pinyin"].strip()
            if not pinyin or not _ADMIN_SUFFIX.search(row["name_zh"]):
                continue  # urban districts (区) rarely lead a company name
            spellings = [s.strip() for s in row["other_names"].split("|")]
            spellings.append(row["name_uyghur_latin"].strip())
            variants: list[str] = []
            for spelling in spellings:
                usable = _LATIN_SPELLING.match(spelling) and spelling.lower() != pinyin.lower()
                if usable and spelling not in variants:
                    variants.append(spelling)
            places.append(
                Place(
                    zh=_ADMIN_SUFFIX.sub("", row["name_zh"]),
                    pinyin=pinyin,
                    province="Xinjiang",
                    variants=tuple(variants[:_MAX_PLACE_VARIANTS]),
                    in_xinjiang=True,
                )
            )
    return places


def load_vocabulary(
    vocab_path: Path = VOCAB_PATH, gazetteer_path: Path = GAZETTEER_PATH
) -> Vocabulary:
    with vocab_path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    xinjiang = raw["xinjiang"]
    industries = tuple(_term(t) for t in raw["industries"])
    return Vocabulary(
        places=tuple(_provinces(raw["provinces"])),
        xinjiang_places=tuple(load_xinjiang_places(gazetteer_path)),
        xinjiang=Syllable(str(xinjiang["zh"]), str(xinjiang["pinyin"])),
        brand_syllables=tuple(
            Syllable(str(s["zh"]), str(s["pinyin"])) for s in raw["brand_syllables"]
        ),
        industries=industries,
        sectors=tuple(t for t in industries if not t.general),
        general_words=tuple(t for t in industries if t.general),
        legal_forms=tuple(_term(t) for t in raw["legal_forms"]),
    )
