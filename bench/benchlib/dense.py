"""Dense synthetic Chinese company names, with hard negatives, for matching at scale.

Brands are two or three syllables drawn from common trade-name characters with a skewed
(Zipf-like) frequency, so at 100k companies most brand syllables, many whole brands and every
place and trade word are shared by thousands of names — as in a real register. Homophone
characters (远/源/元) give brands that differ in Chinese and not in pinyin.

Queries: half are renderings of a reference row (`exact`, `manifest`, `zh`, `pinyin`,
`translation`); half are new companies, most of them hard negatives built from a reference row:
`brand_changed` (one brand syllable replaced), `brand_added` (one syllable added),
`homophone` (a syllable replaced by a homophone; Chinese script only, since its pinyin is the
listed company's), `other_trade` (same place and brand, another trade word), `other_place`
(same brand and trade in another place: a sister company or subsidiary), `parent` (the brand
and trade without a place: the group, not its regional company), and `unrelated`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from benchlib import variants
from benchlib.synth import Company, address_of, pick_industries
from benchlib.synthset import (
    COUNTRY_SPELLINGS,
    COUNTRY_WEIGHTS,
    QUERY_COLUMNS,
    REFERENCE_COLUMNS,
    ref_id,
    write_csv,
)
from benchlib.vocab import BENCH_DIR, Place, Syllable, Vocabulary, load_vocabulary

DENSE_VOCAB_PATH = BENCH_DIR / "data" / "dense_vocab.yaml"
THREE_SYLLABLE_SHARE = 0.3
NAME_ZH_SHARE = 0.6
ALIAS_SHARE = 0.1
ZIPF_EXPONENT = 0.8
POSITIVE_KINDS = {"exact": 10, "manifest": 30, "zh": 25, "pinyin": 20, "translation": 15}
NEGATIVE_KINDS = {
    "brand_changed": 20,
    "brand_added": 15,
    "homophone": 10,
    "other_trade": 20,
    "other_place": 10,
    "parent": 10,
    "unrelated": 15,
}
_NO_PLACE = Place("", "", "", (), in_xinjiang=False)


@dataclass(frozen=True, slots=True)
class DenseVocabulary:
    base: Vocabulary
    syllables: tuple[Syllable, ...]
    weights: tuple[float, ...]
    homophones: dict[str, tuple[Syllable, ...]]  # character → the others read alike

    def syllable(self, rng: random.Random) -> Syllable:
        return rng.choices(self.syllables, weights=self.weights)[0]


def load_dense_vocabulary(base: Vocabulary, path: Path = DENSE_VOCAB_PATH) -> DenseVocabulary:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    seen: dict[str, Syllable] = {s.zh: s for s in base.brand_syllables}
    homophones: dict[str, tuple[Syllable, ...]] = {}
    for reading, chars in raw["homophones"].items():
        group = [seen.setdefault(c, Syllable(c, str(reading))) for c in chars]
        for s in group:
            homophones[s.zh] = tuple(o for o in group if o != s)
    syllables = tuple(seen.values())
    # A fixed shuffle decides which characters are common, so the skew is the same every run.
    ranked = list(syllables)
    random.Random(0).shuffle(ranked)
    weights = {s: 1.0 / (rank + 1) ** ZIPF_EXPONENT for rank, s in enumerate(ranked)}
    return DenseVocabulary(base, syllables, tuple(weights[s] for s in syllables), homophones)


@lru_cache(maxsize=1)
def _normaliser() -> Any:
    from threadline.data.vocab import load_normaliser

    return load_normaliser()


@lru_cache(maxsize=200_000)
def reads_as_place(zh: str) -> bool:
    """A brand that is also a place name (新乡, 福海, 阜新) is read as the place by any matcher
    that knows places; real registers avoid it, so the generator does."""
    normaliser = _normaliser()
    return bool(normaliser.key(zh).places or normaliser.key(to_pinyin(zh)).places)


def to_pinyin(zh: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(zh)).capitalize()


def brand(rng: random.Random, dv: DenseVocabulary, size: int) -> tuple[Syllable, ...]:
    while True:
        made = tuple(dv.syllable(rng) for _ in range(size))
        if not reads_as_place("".join(s.zh for s in made)):
            return made


def make_dense_company(rng: random.Random, dv: DenseVocabulary) -> Company:
    vocab = dv.base
    in_xinjiang = rng.random() < 0.2
    place = rng.choice(vocab.xinjiang_places if in_xinjiang else vocab.places)
    prefix = vocab.xinjiang if in_xinjiang and rng.random() < 0.5 else None
    size = 3 if rng.random() < THREE_SYLLABLE_SHARE else 2
    brand_syllables = brand(rng, dv, size)
    form = rng.choices(vocab.legal_forms, weights=(0.6, 0.15, 0.15, 0.1))[0]
    return Company(place, prefix, brand_syllables, pick_industries(rng, vocab), form)


@dataclass(slots=True)
class DenseReference:
    companies: list[Company]
    aliases: dict[int, str]
    taken_zh: set[str]
    taken_en: set[str]
    with_zh: set[int]  # rows that carry their Chinese name

    def is_new(self, company: Company, *, chinese_only: bool = False) -> bool:
        """No reference row has its Chinese name (nor, unless `chinese_only`, its English)."""
        if company.name_zh in self.taken_zh:
            return False
        return chinese_only or _tidy(company.english()).lower() not in self.taken_en


def build_dense_reference(rng: random.Random, dv: DenseVocabulary, size: int) -> DenseReference:
    """Distinct companies: no two share a Chinese or an English name."""
    ref = DenseReference([], {}, set(), set(), set())
    while len(ref.companies) < size:
        company = make_dense_company(rng, dv)
        if not ref.is_new(company):
            continue
        ref.taken_zh.add(company.name_zh)
        ref.taken_en.add(company.english().lower())
        if rng.random() < ALIAS_SHARE:
            alias = variants.translation(rng, company)[0]
            if alias.lower() not in ref.taken_en:
                ref.taken_en.add(alias.lower())
                ref.aliases[len(ref.companies)] = alias
        if rng.random() < NAME_ZH_SHARE:
            ref.with_zh.add(len(ref.companies))
        ref.companies.append(company)
    return ref


def reference_rows(ref: DenseReference) -> list[dict[str, str]]:
    return [
        {
            "ref_id": ref_id(i),
            "name": c.english(),
            "aliases": ref.aliases.get(i, ""),
            "name_zh": c.name_zh if i in ref.with_zh else "",
            "country": "CN",
            "address": address_of(c),
            "list": "dense",
            "source_url": "",
            "notes": "synthetic company (bench/dense.py)",
        }
        for i, c in enumerate(ref.companies)
    ]


def _tidy(text: str) -> str:
    return " ".join(text.split())


def render(rng: random.Random, company: Company, style: str) -> tuple[str, str]:
    if style == "zh":
        return variants.chinese(company)
    if style == "exact":
        name, note = variants.exact(company)
    elif style == "manifest":
        name, note = variants.manifest(rng, company)
    elif style == "pinyin":
        name, note = variants.pinyin(rng, company)
    else:
        name, note = variants.translation(rng, company)
    return _tidy(name), note


def _hard_negative(
    rng: random.Random, dv: DenseVocabulary, listed: Company, kind: str, has_zh: bool
) -> Company | None:
    """A new company built from a listed one; None when this kind cannot be built from it."""
    if kind == "other_trade":
        return replace(listed, industries=pick_industries(rng, dv.base))
    if kind == "other_place":
        return replace(listed, place=rng.choice(dv.base.places), xinjiang_prefix=None)
    if kind == "parent":
        return replace(listed, place=_NO_PLACE, xinjiang_prefix=None)
    brand: Sequence[Syllable] = listed.brand
    if kind == "brand_changed":
        at = rng.randrange(len(brand))
        brand = [*brand[:at], dv.syllable(rng), *brand[at + 1 :]]
    elif kind == "brand_added":
        at = rng.randrange(len(brand) + 1)
        brand = [*brand[:at], dv.syllable(rng), *brand[at:]]
    else:  # homophone
        # Only beside a listed Chinese name: beside a pinyin-only name a homophone brand is the
        # same name, and no matcher can tell them apart.
        options = [i for i, s in enumerate(brand) if s.zh in dv.homophones]
        if not has_zh or not options:
            return None
        at = rng.choice(options)
        brand = [*brand[:at], rng.choice(dv.homophones[brand[at].zh]), *brand[at + 1 :]]
    if reads_as_place("".join(s.zh for s in brand)):
        return None
    return replace(listed, brand=tuple(brand))


def query_rows(
    rng: random.Random, dv: DenseVocabulary, ref: DenseReference, count: int
) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    positive_kinds, negative_kinds = list(POSITIVE_KINDS), list(NEGATIVE_KINDS)
    while len(rows) < count:
        index = rng.randrange(len(ref.companies))
        listed = ref.companies[index]
        if rng.random() < 0.5:
            kind = rng.choices(positive_kinds, weights=list(POSITIVE_KINDS.values()))[0]
            name, note = render(rng, listed, kind)
            company, expected = listed, ref_id(index)
        else:
            kind = rng.choices(negative_kinds, weights=list(NEGATIVE_KINDS.values()))[0]
            made = (
                make_dense_company(rng, dv)
                if kind == "unrelated"
                else _hard_negative(rng, dv, listed, kind, index in ref.with_zh)
            )
            if made is None or not ref.is_new(made, chinese_only=kind == "homophone"):
                continue
            company, expected = made, ""
            style = (
                "zh" if kind == "homophone" else rng.choice(("exact", "manifest", "zh", "pinyin"))
            )
            name, note = render(rng, company, style)
            note = f"new company ({kind}) near {ref_id(index)}: {note}"
        address = address_of(company) if company.place.zh and rng.random() < 0.4 else ""
        rows.append(
            {
                "query_id": f"DQ{len(rows) + 1:07d}",
                "name": name,
                "country": rng.choices(COUNTRY_SPELLINGS, weights=COUNTRY_WEIGHTS)[0],
                "address": address.upper() if kind == "manifest" else address,
                "expected_ref_id": expected,
                "variant_kind": kind,
                "source_note": note,
            }
        )
    return rows


# Seeds: the evaluation set is made from EVAL_SEED only; development sets (for looking at
# errors and for fitting) from DEV_SEEDS, so nothing is ever tuned on the evaluation run.
EVAL_SEED = 20261204
DEV_SEEDS = range(1, 1000)


def write_dense_set(out_dir: Path, entities: int, queries: int, seed: int) -> tuple[Path, Path]:
    """out_dir/reference.csv and out_dir/queries.csv (columns as synthetic.py); reused when
    already made with the same parameters."""
    params = {"entities": entities, "queries": queries, "seed": seed, "generator": "dense-2"}
    reference_path, queries_path = out_dir / "reference.csv", out_dir / "queries.csv"
    params_path = out_dir / "params.json"
    if params_path.exists() and json.loads(params_path.read_text(encoding="utf-8")) == params:
        return reference_path, queries_path
    out_dir.mkdir(parents=True, exist_ok=True)
    dv = load_dense_vocabulary(load_vocabulary())
    rng = random.Random(seed)
    ref = build_dense_reference(rng, dv, entities)
    write_csv(reference_path, REFERENCE_COLUMNS, reference_rows(ref))
    write_csv(queries_path, QUERY_COLUMNS, query_rows(rng, dv, ref, queries))
    params_path.write_text(json.dumps(params), encoding="utf-8")
    return reference_path, queries_path
