import csv
import random
from pathlib import Path

from benchlib.synth import make_company
from benchlib.synthset import QUERY_COLUMNS, REFERENCE_COLUMNS, write_synthetic_set
from benchlib.variants import MANIFEST_WIDTH
from benchlib.vocab import load_vocabulary


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    a_ref, a_q = write_synthetic_set(tmp_path / "a", 300, 200, seed=3)
    b_ref, b_q = write_synthetic_set(tmp_path / "b", 300, 200, seed=3)
    c_ref, _ = write_synthetic_set(tmp_path / "c", 300, 200, seed=4)
    assert a_ref.read_bytes() == b_ref.read_bytes()
    assert a_q.read_bytes() == b_q.read_bytes()
    assert a_ref.read_bytes() != c_ref.read_bytes()


def test_files_have_the_dev_set_columns(tmp_path: Path) -> None:
    ref, queries = write_synthetic_set(tmp_path, 200, 100, seed=1)
    assert tuple(_rows(ref)[0]) == REFERENCE_COLUMNS
    assert tuple(_rows(queries)[0]) == QUERY_COLUMNS
    assert len(_rows(ref)) == 200
    assert len(_rows(queries)) == 100


def test_reference_names_are_distinct(tmp_path: Path) -> None:
    ref, _ = write_synthetic_set(tmp_path, 3000, 0, seed=2)
    rows = _rows(ref)
    names = [r["name"].lower() for r in rows] + [r["aliases"].lower() for r in rows if r["aliases"]]
    assert len(names) == len(set(names))


def test_ground_truth_is_consistent(tmp_path: Path) -> None:
    ref, queries = write_synthetic_set(tmp_path, 2000, 1500, seed=5)
    by_id = {r["ref_id"]: r for r in _rows(ref)}
    listed = {r["name"] for r in by_id.values()} | {r["name_zh"] for r in by_id.values()}
    kinds = set()
    for q in _rows(queries):
        kinds.add(q["variant_kind"])
        if not q["expected_ref_id"]:
            assert q["variant_kind"] in {"distractor", "unrelated"}
            assert q["name"] not in listed
            continue
        target = by_id[q["expected_ref_id"]]
        if q["variant_kind"] == "exact":
            assert q["name"] == target["name"]
        elif q["variant_kind"] == "alias":
            assert q["name"] == target["aliases"]
        elif q["variant_kind"] == "zh" and target["name_zh"]:
            assert q["name"] == target["name_zh"]
        elif q["variant_kind"] == "manifest":
            assert q["name"] == q["name"].upper()
            assert len(q["name"]) <= MANIFEST_WIDTH
    assert {"exact", "manifest", "pinyin", "zh", "translation", "distractor"} <= kinds


def test_pinyin_and_english_follow_the_chinese_parts() -> None:
    vocab = load_vocabulary()
    company = make_company(random.Random(11), vocab)
    pinyin = "".join(company.pinyin_words()).lower()
    assert pinyin.startswith(company.place.pinyin.lower().replace(" ", "")) or pinyin.startswith(
        "xinjiang"
    )
    assert pinyin.endswith("gongsi")
    assert company.brand_latin in company.english()
    assert company.name_zh.endswith(company.form.zh)


def test_xinjiang_places_come_from_the_gazetteer_with_variants() -> None:
    vocab = load_vocabulary()
    by_pinyin = {p.pinyin: p for p in vocab.xinjiang_places}
    assert by_pinyin["Hetian"].zh == "和田"
    assert "Hotan" in by_pinyin["Hetian"].variants
    assert all(p.in_xinjiang for p in vocab.xinjiang_places)
