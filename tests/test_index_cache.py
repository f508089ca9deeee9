"""The `match --reference` index kept between runs."""

from pathlib import Path

import pytest

from threadline import built_cache
from threadline.built_cache import CACHE_ENV
from threadline.data.rules import load_algorithm
from threadline.data.vocab import load_normaliser
from threadline.index_cache import cached_matcher
from threadline.inputs import read_reference
from threadline.matching import Matcher, Query

REFERENCE = "id,name,name_zh,country\nT1,Hetian Taida Apparel Co. Ltd.,和田泰达服饰有限公司,CN\n"
QUERIES = [Query("HOTAN TAIDA GARMENT CO LTD"), Query("和田泰达服饰有限公司", "CN")]


def build(path: Path) -> Matcher:
    return Matcher(read_reference(path), load_normaliser(), load_algorithm())


def test_the_same_file_is_indexed_once_and_matches_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    reference = tmp_path / "ref.csv"
    reference.write_text(REFERENCE, encoding="utf-8")
    built, cached = cached_matcher(reference, load_algorithm(), lambda: build(reference))
    again, from_cache = cached_matcher(reference, load_algorithm(), lambda: build(reference))
    assert (cached, from_cache) == (False, True)
    assert again.match(QUERIES) == built.match(QUERIES)
    assert [r.entity.id for r in again.match(QUERIES)[1]] == ["T1"]

    # Another content under the same path is another index.
    reference.write_text(REFERENCE.replace("T1", "T2"), encoding="utf-8")
    changed, from_cache = cached_matcher(reference, load_algorithm(), lambda: build(reference))
    assert not from_cache
    assert [r.entity.id for r in changed.match(QUERIES)[1]] == ["T2"]


def test_an_unreadable_cache_only_costs_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    reference = tmp_path / "ref.csv"
    reference.write_text(REFERENCE, encoding="utf-8")
    cached_matcher(reference, load_algorithm(), lambda: build(reference))
    [kept] = (folder / "index").glob("*.pickle")
    kept.write_bytes(b"not a pickle")
    matcher, from_cache = cached_matcher(reference, load_algorithm(), lambda: build(reference))
    assert not from_cache
    assert [r.entity.id for r in matcher.match(QUERIES)[0]] == ["T1"]
    monkeypatch.setenv(CACHE_ENV, "")  # no cache at all
    assert not cached_matcher(reference, load_algorithm(), lambda: build(reference))[1]


@pytest.mark.parametrize("configured", [True, False])
def test_one_cache_directory_holds_indexes_and_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: bool
) -> None:
    root = tmp_path / "cache"
    if configured:
        monkeypatch.setenv(CACHE_ENV, str(root))
    else:  # the platform's user cache directory
        monkeypatch.delenv(CACHE_ENV, raising=False)
        monkeypatch.setattr(built_cache.platformdirs, "user_cache_dir", lambda app: str(root))
    reference = tmp_path / "ref.csv"
    reference.write_text(REFERENCE, encoding="utf-8")
    cached_matcher(reference, load_algorithm(), lambda: build(reference))
    built_cache.cached_build("probe", list, lambda: [1])
    kept = sorted(p.relative_to(root).parent.as_posix() for p in root.rglob("*.pickle"))
    assert kept == ["built", "index"]
