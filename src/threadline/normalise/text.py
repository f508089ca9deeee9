"""The text toolkit every step reads text with: Chinese-character detection, traditional ↔
simplified Chinese (OpenCC), accent folding and the folding of names. Pure functions; the
OpenCC converters are built once each."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# Han characters: CJK Unified Ideographs, Extension A, and the Compatibility Ideographs (a
# dozen of which NFKC leaves as they are, e.g. 﨑). For use inside a character class.
HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{HAN_CHARS}]")
# Han runs and Latin/digit runs; everything else (punctuation, symbols) separates tokens.
_TOKEN = re.compile(f"[{HAN_CHARS}]+|[a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´]")
# Unified ideographs only: folding leaves them as they are (compatibility ideographs decompose).
_UNIFIED_ONLY = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")
# Letters that are not a base letter plus an accent, so NFKD leaves them: folded by hand.
_PLAIN_LETTERS: dict[int, str] = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
    }
)


_UNACCENTED_LIMIT = 65_536


class _Unaccented(dict[int, int | str | None]):
    """The translation table of `strip_accents`, filled as characters are first met: a
    combining mark goes, a letter of _PLAIN_LETTERS is spelled plain, others stay."""

    def __missing__(self, code: int) -> int | str | None:
        found = None if unicodedata.combining(chr(code)) else _PLAIN_LETTERS.get(code, code)
        if len(self) < _UNACCENTED_LIMIT:  # text of every script must not grow it for ever
            self[code] = found
        return found


_UNACCENTED = _Unaccented()


@lru_cache(maxsize=2)
def _opencc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """烏魯木齊 → 乌鲁木齐."""
    return str(_opencc("t2s").convert(text))


def to_traditional(text: str) -> str:
    """乌鲁木齐 → 烏魯木齊."""
    return str(_opencc("s2t").convert(text))


def has_han(text: str) -> bool:
    """Whether the text holds a Chinese character anywhere."""
    return _HAN.search(text) is not None


def is_han(token: str) -> bool:
    """Whether a token (a run `tokens` gave) is Chinese: its first character is."""
    return _HAN.match(token) is not None


def strip_accents(text: str) -> str:
    """Ü → U, ç → c, ø → o, æ → ae: Uyghur Latin and European spellings meet their ASCII forms.
    Characters other than letters with accents are left as they are."""
    return unicodedata.normalize("NFKD", text).translate(_UNACCENTED)


def fold(text: str) -> str:
    """NFKC (full-width forms → ASCII), simplified Chinese, lower case, no accents, no apostrophes."""
    if text.isascii():  # most names: nothing to compose, convert or strip
        text = text.lower()
        return _APOSTROPHES.sub("", text) if "'" in text or "`" in text else text
    text = unicodedata.normalize("NFKC", text)
    if has_han(text):
        text = to_simplified(text)
        if _UNIFIED_ONLY.fullmatch(text):  # most Chinese names: nothing else to fold
            return text
    return _APOSTROPHES.sub("", strip_accents(text).casefold())


def tokens(text: str) -> list[str]:
    """Han runs and ASCII alphanumeric words of already folded text."""
    return _TOKEN.findall(text)
