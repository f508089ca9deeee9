import csv
import random
from collections import Counter
from pathlib import Path

from benchlib.dense import (
    NEGATIVE_KINDS,
    POSITIVE_KINDS,
    build_dense_reference,
    load_dense_vocabulary,
    write_dense_set,
)
from benchlib.vocab import load_vocabulary


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    a = write_dense_set(tmp_path / "a", 400, 300, seed=5)
    b = write_dense_set(tmp_path / "b", 400, 300, seed=5)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_new_names_are_new_and_positives_point_at_their_row(tmp_path: Path) -> None:
    ref_path, queries_path = write_dense_set(tmp_path, 2000, 1500, seed=6)
    ref = {r["ref_id"]: r for r in _rows(ref_path)}
    queries = _rows(queries_path)
    kinds = Counter(q["variant_kind"] for q in queries)
    assert set(kinds) == set(POSITIVE_KINDS) | set(NEGATIVE_KINDS)
    listed_zh = {r["name_zh"] for r in ref.values() if r["name_zh"]}
    listed_en = {r["name"].lower() for r in ref.values()}
    for q in queries:
        if q["expected_ref_id"]:
            assert q["expected_ref_id"] in ref
            if q["variant_kind"] == "exact":
                assert q["name"] == ref[q["expected_ref_id"]]["name"]
        else:
            assert q["name"] not in listed_zh and q["name"].lower() not in listed_en
    # A homophone is only ever written in Chinese: in pinyin it is the listed name itself.
    homophones = [q["name"] for q in queries if q["variant_kind"] == "homophone"]
    assert homophones and all(not n.isascii() for n in homophones)


def test_the_register_is_dense() -> None:
    dv = load_dense_vocabulary(load_vocabulary())
    ref = build_dense_reference(random.Random(7), dv, 3000)
    brands = Counter("".join(s.zh for s in c.brand) for c in ref.companies)
    syllables = Counter(s.zh for c in ref.companies for s in c.brand)
    # Whole brands recur across places and trades; the commonest characters are in hundreds.
    assert sum(n for n in brands.values() if n > 1) > 1000
    assert syllables.most_common(1)[0][1] > 300
