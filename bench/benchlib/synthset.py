"""Build a seeded synthetic screening set in the dev set's shapes (reference.csv, queries.csv)."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from benchlib import variants
from benchlib.synth import Company, address_of, make_company, pick_industries, translated_alias
from benchlib.vocab import Vocabulary, load_vocabulary

REFERENCE_COLUMNS = (
    "ref_id",
    "name",
    "aliases",
    "name_zh",
    "country",
    "address",
    "list",
    "source_url",
    "notes",
)
QUERY_COLUMNS = (
    "query_id",
    "name",
    "country",
    "address",
    "expected_ref_id",
    "variant_kind",
    "source_note",
)
ALIAS_SHARE = 0.2
NAME_ZH_SHARE = 0.5
ADDRESS_SHARE = 0.4
DISTRACTOR_SHARE = 0.5
"""Of the no-match queries: share that reuse a listed company's place and brand."""

POSITIVE_KIND_WEIGHTS = {
    "exact": 5,
    "alias": 5,
    "manifest": 20,
    "typo": 10,
    "pinyin": 10,
    "zh": 10,
    "translation": 15,
    "place_variant": 5,
    "reordered": 10,
}
COUNTRY_SPELLINGS = ("CN", "China", "PRC", "CHN", "")
COUNTRY_WEIGHTS = (6, 1, 1, 1, 1)

Renderer = Callable[[random.Random, Company], tuple[str, str]]
RENDERERS: dict[str, Renderer] = {
    "exact": lambda rng, c: variants.exact(c),
    "manifest": variants.manifest,
    "typo": variants.typo,
    "pinyin": variants.pinyin,
    "zh": lambda rng, c: variants.chinese(c),
    "translation": variants.translation,
    "place_variant": variants.place_variant,
    "reordered": variants.reordered,
}


@dataclass(slots=True)
class Reference:
    companies: list[Company]
    aliases: dict[int, str]
    taken_zh: set[str]
    taken_en: set[str]


def build_reference(rng: random.Random, vocab: Vocabulary, size: int) -> Reference:
    """Distinct companies: no two share a Chinese name, an English name or an alias."""
    ref = Reference([], {}, set(), set())
    while len(ref.companies) < size:
        company = make_company(rng, vocab)
        english = company.english().lower()
        if company.name_zh in ref.taken_zh or english in ref.taken_en:
            continue
        ref.taken_zh.add(company.name_zh)
        ref.taken_en.add(english)
        if rng.random() < ALIAS_SHARE:
            alias = translated_alias(rng, company)
            if alias and alias.lower() not in ref.taken_en:
                ref.taken_en.add(alias.lower())
                ref.aliases[len(ref.companies)] = alias
        ref.companies.append(company)
    return ref


def reference_rows(rng: random.Random, ref: Reference) -> Iterator[dict[str, str]]:
    for i, company in enumerate(ref.companies):
        yield {
            "ref_id": ref_id(i),
            "name": company.english(),
            "aliases": ref.aliases.get(i, ""),
            "name_zh": company.name_zh if rng.random() < NAME_ZH_SHARE else "",
            "country": "CN",
            "address": address_of(company),
            "list": "synthetic",
            "source_url": "",
            "notes": "synthetic company (bench/synthetic.py)",
        }


def ref_id(index: int) -> str:
    return f"S{index + 1:07d}"


def _positive(rng: random.Random, ref: Reference, pools: dict[str, list[int]]) -> dict[str, str]:
    kinds = list(POSITIVE_KIND_WEIGHTS)
    kind = rng.choices(kinds, weights=[POSITIVE_KIND_WEIGHTS[k] for k in kinds])[0]
    index = rng.choice(pools.get(kind) or pools["all"])
    company = ref.companies[index]
    if kind == "alias" and index in ref.aliases:
        name, note = ref.aliases[index], "alias as listed in reference"
    elif kind == "alias" or (kind == "place_variant" and not company.place.variants):
        kind = "manifest"  # the pool was empty: fall back to the commonest noise
        name, note = variants.manifest(rng, company)
    else:
        name, note = RENDERERS[kind](rng, company)
    return _query_row(rng, company, name, ref_id(index), kind, note)


def _negative(rng: random.Random, vocab: Vocabulary, ref: Reference) -> dict[str, str]:
    while True:
        if rng.random() < DISTRACTOR_SHARE:
            kind = "distractor"
            listed = rng.choice(ref.companies)
            industries = pick_industries(rng, vocab)
            company = Company(
                listed.place, listed.xinjiang_prefix, listed.brand, industries, listed.form
            )
        else:
            kind = "unrelated"
            company = make_company(rng, vocab)
        if company.name_zh not in ref.taken_zh and company.english().lower() not in ref.taken_en:
            break
    style = rng.choice(("exact", "manifest", "zh", "pinyin"))
    name, note = RENDERERS[style](rng, company)
    note = f"unlisted company ({kind}): {note}"
    return _query_row(rng, company, name, "", kind, note)


def _query_row(
    rng: random.Random, company: Company, name: str, expected: str, kind: str, note: str
) -> dict[str, str]:
    address = address_of(company) if rng.random() < ADDRESS_SHARE else ""
    return {
        "name": name,
        "country": rng.choices(COUNTRY_SPELLINGS, weights=COUNTRY_WEIGHTS)[0],
        "address": address.upper() if kind == "manifest" else address,
        "expected_ref_id": expected,
        "variant_kind": kind,
        "source_note": note,
    }


def query_rows(
    rng: random.Random, vocab: Vocabulary, ref: Reference, count: int, positive_share: float
) -> list[dict[str, str]]:
    pools = {
        "all": list(range(len(ref.companies))),
        "alias": sorted(ref.aliases),
        "place_variant": [i for i, c in enumerate(ref.companies) if c.place.variants],
    }
    rows = []
    for i in range(count):
        if rng.random() < positive_share:
            row = _positive(rng, ref, pools)
        else:
            row = _negative(rng, vocab, ref)
        rows.append({"query_id": f"SQ{i + 1:07d}", **row})
    return rows


def write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write_synthetic_set(
    out_dir: Path, entities: int, queries: int, seed: int = 7, positive_share: float = 0.5
) -> tuple[Path, Path]:
    """Write out_dir/reference.csv and out_dir/queries.csv; reuse them if already made alike."""
    params = {
        "entities": entities,
        "queries": queries,
        "seed": seed,
        "positive_share": positive_share,
        "generator": 1,
    }
    reference_path, queries_path = out_dir / "reference.csv", out_dir / "queries.csv"
    params_path = out_dir / "params.json"
    made = reference_path.exists() and queries_path.exists() and params_path.exists()
    if made and json.loads(params_path.read_text(encoding="utf-8")) == params:
        return reference_path, queries_path
    out_dir.mkdir(parents=True, exist_ok=True)
    vocab = load_vocabulary()
    rng = random.Random(seed)
    ref = build_reference(rng, vocab, entities)
    write_csv(reference_path, REFERENCE_COLUMNS, reference_rows(rng, ref))
    write_csv(queries_path, QUERY_COLUMNS, query_rows(rng, vocab, ref, queries, positive_share))
    params_path.write_text(json.dumps(params), encoding="utf-8")
    return reference_path, queries_path
