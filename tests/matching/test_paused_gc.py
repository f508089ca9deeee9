import gc
import pickle
from pathlib import Path

import pytest

from threadline import built_cache
from threadline.built_cache import paused_gc


def test_the_collector_is_paused_and_restored_as_it_was() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause does not end the outer one
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()


def test_a_cached_build_is_loaded_with_the_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(built_cache.CACHE_ENV, str(tmp_path))
    assert built_cache.cached_build("probe", list, lambda: [1, 2]) == [1, 2]  # built, kept
    seen: list[bool] = []

    def load(handle: object) -> object:
        seen.append(gc.isenabled())
        return pickle.loads(handle.read())  # type: ignore[attr-defined]

    monkeypatch.setattr(built_cache.pickle, "load", load)
    assert built_cache.cached_build("probe", list, lambda: []) == [1, 2]  # loaded
    assert seen == [False]
    assert gc.isenabled()
