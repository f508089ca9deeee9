"""Unified Social Credit Code (统一社会信用代码, GB 32100-2015): the 18-character identifier of
every Chinese company and organisation.

Layout: registration authority (1), entity type (1), administrative division code (6), the
organisation code (9, GB 11714) and a check character (1). Characters come from a 31-symbol
alphabet — digits and capitals without I, O, S, V, Z — and the check character makes the
weighted sum (weights 3^i mod 31) a multiple of 31: python-stdnum's `stdnum.cn.uscc` computes it.
Its `is_valid` is not used: it wants the first eight characters to be digits, which refuses
codes that begin with a letter — N for the farmers' cooperatives (农民专业合作社) of Xinjiang's
cotton, Y for "other" registries — and it folds case and separators, which `normalise_uscc` does.
"""

from __future__ import annotations

import re
import unicodedata

from stdnum.cn import uscc as _stdnum_uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")
# Candidates in running text: 18 code characters not touching other letters or digits.
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])")


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters (already upper-case, in the alphabet)."""
    return _stdnum_uscc.calc_check_digit(first17)


def is_valid_uscc(code: str) -> bool:
    """Exactly 18 characters of the alphabet with a correct check character. Strict: no case
    folding or separator removal here (see `normalise_uscc`)."""
    if len(code) != 18 or any(char not in USCC_ALPHABET for char in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def normalise_uscc(text: str) -> str | None:
    """The code as written on a licence or in a spreadsheet ('9144 0300-1922 0382 16', lower
    case, full-width digits) → the canonical 18 characters, or None when it is not a valid code.
    Letters outside the alphabet (O for 0, I for 1) are rejected, never guessed."""
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    return compact if is_valid_uscc(compact) else None


def find_usccs(text: str) -> list[str]:
    """Every valid code in running text, in order, without repeats."""
    found = (
        normalise_uscc(m.group()) for m in _CANDIDATE.finditer(unicodedata.normalize("NFKC", text))
    )
    return list(dict.fromkeys(code for code in found if code))
