"""Script-level folding: Unicode forms, case, punctuation, traditional → simplified Chinese."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Han runs and Latin/digit runs; everything else (punctuation, symbols) separates tokens.
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def strip_accents(text: str) -> str:
    """Ü → U, ç → c: Uyghur Latin and European spellings meet their ASCII forms."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """NFKC (full-width forms → ASCII), simplified Chinese, lower case, no accents, no apostrophes."""
    if text.isascii():  # most names: nothing to compose, convert or strip
        return _APOSTROPHES.sub("", text.lower())
    text = unicodedata.normalize("NFKC", text)
    if has_han(text):
        text = _t2s().convert(text)
    return _APOSTROPHES.sub("", strip_accents(text).casefold())


def tokens(text: str) -> list[str]:
    """Han runs and ASCII alphanumeric words of already folded text."""
    return _TOKEN.findall(text)


def is_han(token: str) -> bool:
    return _HAN.match(token) is not None
