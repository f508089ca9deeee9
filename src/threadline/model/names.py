"""When two names are the same name: the one identity key for names.

It decides every "same name" question threadline asks — which stored review decision and which
flag disposition applies to a supplier, which graph entities a supplier's links start from, the
id a shipment party or a documented facility gets — so they can never disagree. Two names are
the same when they differ only in letter case, character width (NFKC), traditional vs simplified
Chinese, accents, apostrophes, punctuation and spacing: the differences the matcher ignores too.
Anything more (a legal form, a word) makes a different name: similar names are the matcher's
business, never identity's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from threadline.normalise.text import fold

_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """'Hotan  Textile Co.,Ltd' and 'HOTAN TEXTILE CO LTD' → 'hotan textile co ltd'."""
    return _NON_WORD.sub(" ", fold(name)).strip()
