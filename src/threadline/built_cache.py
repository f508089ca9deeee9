"""The name normaliser and the gazetteer, built once and kept for the next run.

Compiling the vocabularies and the gazetteer's spelling tables (pinyin of every phrase,
traditional forms of every place) is about a third of screening one row, and every run
builds the same objects from the same packaged files. So each is pickled into the user cache
directory under a key made of the package version, the packaged data's manifest version, the
content of the code that builds it and the Python version, and loaded while all of them stay
the same; any change makes a new key. A cache that cannot be read or written only costs the
time it would have saved. THREADLINE_CACHE_DIR moves the cache directory (its `built` folder
holds these, its `index` folder index_cache.py's indexes), or turns it off when set to "".

The cache directory is the user's own (platformdirs), written only by threadline: a pickle is
loaded only from there.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

import platformdirs

from threadline import __version__
from threadline.data.lists import data_version

CACHE_ENV = "THREADLINE_CACHE_DIR"
_FOLDER = "built"
_KEPT = 3  # builds kept per object; the oldest go first
# The code that builds a normaliser or a gazetteer; the data it reads is in data_version().
_BUILT_BY = ("normalise", "data/vocab.py", "data/geo.py", "data/countries.py", "data/__init__.py")

T = TypeVar("T")


def cache_dir(folder: str = _FOLDER) -> Path | None:
    """`folder` in threadline's one cache directory: THREADLINE_CACHE_DIR, else the user's
    (platformdirs). None when THREADLINE_CACHE_DIR is "": nothing is kept."""
    configured = os.environ.get(CACHE_ENV)
    if configured is None:
        return Path(platformdirs.user_cache_dir("threadline")) / folder
    return Path(configured) / folder if configured.strip() else None


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while many objects that form no cycles are made:
    loading a cached build, building or matching an index. Each collection would rescan every
    object made so far (a third of loading the gazetteer, a fifth of the matching CPU at 100k
    entities), and none of them is garbage. Re-entrant: a caller's own pause is left alone."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cached_build(name: str, kind: type[T], build: Callable[[], T]) -> T:
    """`build()`'s object, from the cache when it holds one built by this very code and data;
    else built and kept."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{cache_key()}.pickle"
    try:
        with path.open("rb") as handle, paused_gc():
            kept = pickle.load(handle)
        if isinstance(kept, kind):
            return kept
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        pass  # absent, truncated or from another version: rebuilt below
    built = build()
    keep_pickle(path, built, siblings=f"{name}-*.pickle", kept=_KEPT)
    return built


@lru_cache(maxsize=1)
def cache_key() -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in (__version__, data_version(), sys.implementation.cache_tag or ""):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(package_digest(_BUILT_BY, suffix=".py").encode())
    return digest.hexdigest()


def package_digest(names: Iterable[str], *, suffix: str = "") -> str:
    """A digest of the package's files `names` (a file, or a folder's files, not recursing)
    whose names end in `suffix`; compiled .pyc files never count. What a cached build was
    made by: any edit makes a new key."""
    digest = hashlib.blake2b(digest_size=16)
    root = resources.files("threadline")
    for name in names:
        item = root.joinpath(name)
        files = sorted(item.iterdir(), key=lambda f: f.name) if item.is_dir() else [item]
        for file in files:
            if file.is_file() and file.name.endswith(suffix) and not file.name.endswith(".pyc"):
                digest.update(file.name.encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def keep_pickle(path: Path, built: object, *, siblings: str, kept: int) -> None:
    """Pickle `built` to `path` whole or not at all (two runs may write at once), then keep only
    the `kept` newest files of its folder matching `siblings`: builds of other code or data, or
    of other references, go oldest first. A cache that cannot be written is skipped."""
    partial = path.with_suffix(f".{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as handle:
            pickle.dump(built, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
        newest = sorted(path.parent.glob(siblings), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in newest[kept:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
