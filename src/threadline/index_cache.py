"""The name index of a `threadline match --reference FILE` run, or of the store's reference
set that `screen` matches against, kept for the next run.

Reading and indexing a large reference is most of a match run (100k entities: 10-40 s), and
the same file gives the same index. So the index is pickled once into the user cache directory
under a key made of the file's content hash, the code and vocabularies that build an index
(their own content hash) and the algorithm, and loaded while all of them stay the same; any
change makes a new key. A cache that cannot be read or written only costs the time it would
have saved. The store's set is keyed by what the index reads of its entities instead of a
file (in a one-row `screen`, the pinyin of its Chinese names was a third of the run). It is
the `index` folder of the one cache directory (built_cache.cache_dir): THREADLINE_CACHE_DIR
moves it, "" keeps none.

The cache directory is the user's own (platformdirs), written only by threadline: a pickle is
loaded only from there.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from threadline.built_cache import cache_dir, keep_pickle, package_digest, paused_gc
from threadline.data.vocab import load_normaliser
from threadline.matching import Matcher, MatcherState
from threadline.model import ReferenceEntity
from threadline.score import Algorithm

_FOLDER = "index"  # in the cache directory built_cache.py names
_KEPT = 4  # indexes kept; the oldest go first
_CHUNK = 1 << 20
# What an index is built from besides the reference: changing any of these changes the key.
_BUILT_FROM = ("normalise", "candidates", "data/vocab", "data/geo")
_BUILT_BY = ("matching.py", "data/vocab.py", "data/geo.py", "inputs/reference.py")


def cached_matcher(
    reference: Path, algorithm: Algorithm, build: Callable[[], Matcher]
) -> tuple[Matcher, bool]:
    """The matcher for `reference`: from the cache when it holds this file's index, else
    built (and kept). The flag says whether it came from the cache."""
    folder = cache_dir(_FOLDER)
    if folder is None:
        with paused_gc():  # reading the reference builds objects with no cycles, too
            return build(), False
    return _cached(folder / f"{_key(reference, algorithm)}.pickle", algorithm, build)


def cached_reference_matcher(
    entities: Sequence[ReferenceEntity], algorithm: Algorithm, build: Callable[[], Matcher]
) -> tuple[Matcher, bool]:
    """The matcher over entities already in memory (what the store holds, for `screen`): kept
    under a key made of what an index reads of each entity — id, names, country, identifiers,
    in order. The matcher carries the caller's entities, so their listings are always today's."""
    folder = cache_dir(_FOLDER)
    if folder is None:
        with paused_gc():  # reading the reference builds objects with no cycles, too
            return build(), False
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"entities\0{algorithm.label}\0{_code_fingerprint()}".encode())
    for entity in entities:
        fields = (entity.id, entity.country, *entity.all_names, "\x1e", *entity.identifiers)
        digest.update("\x1f".join(fields).encode())
        digest.update(b"\x1d")
    return _cached(folder / f"{digest.hexdigest()}.pickle", algorithm, build, tuple(entities))


def _cached(
    path: Path,
    algorithm: Algorithm,
    build: Callable[[], Matcher],
    entities: tuple[ReferenceEntity, ...] | None = None,
) -> tuple[Matcher, bool]:
    try:
        with path.open("rb") as handle, paused_gc():
            state = pickle.load(handle)
        if isinstance(state, MatcherState):
            os.utime(path)  # recently used: pruned last
            if entities is not None:
                state = replace(state, entities=entities)
            return Matcher.from_state(state, load_normaliser(), algorithm), True
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        pass  # absent, or from another version: rebuilt below
    with paused_gc():
        matcher = build()
    keep_pickle(path, matcher.state(), siblings="*.pickle", kept=_KEPT)
    return matcher, False


def _key(reference: Path, algorithm: Algorithm) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(algorithm.label.encode())
    with reference.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    digest.update(_code_fingerprint().encode())
    return digest.hexdigest()


def _code_fingerprint() -> str:
    return package_digest((*_BUILT_BY, *_BUILT_FROM))
