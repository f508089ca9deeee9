"""The name keys are pinned: the normaliser is tuned for speed, and a faster one must read every
name exactly as before, or matching changes under the benchmark's feet.

name_keys.json holds 589 names with their keys: synthetic dense Chinese company names from
bench/dense.py (English, Chinese, aliases, and queries: manifest upper case cut at a field
width, joined or spaced pinyin), and shapes that set lacks (apostrophes, accents, full-width
and traditional forms, typos). When a change to the keys is meant, rewrite it with
`.venv/bin/python tests/normalise/test_name_keys.py` and say why in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from threadline.data.vocab import load_normaliser
from threadline.normalise import names as names_module
from threadline.normalise.names import NameKey

PINNED = Path(__file__).with_name("name_keys.json")


def _plain(key: NameKey) -> dict[str, Any]:
    return {
        "tokens": list(key.tokens),
        "concepts": sorted(key.concepts),
        "places": sorted(key.places),
        "legal_forms": sorted(key.legal_forms),
        "han": key.han,
        "pinyin_brands": sorted(key.pinyin_brands),
    }


def _pinned() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(PINNED.read_text(encoding="utf-8"))
    return entries


def test_every_pinned_name_keeps_its_key() -> None:
    normaliser = load_normaliser()
    pinned = _pinned()
    assert len(pinned) > 500
    changed = [
        (entry["name"], entry["key"], got)
        for entry in pinned
        if (got := _plain(normaliser.compute(entry["name"]))) != entry["key"]
    ]
    assert changed == []


def test_a_cached_key_is_the_computed_key() -> None:
    normaliser = load_normaliser()
    for entry in _pinned()[:50]:
        assert normaliser.key(entry["name"]) == normaliser.compute(entry["name"])


# Characters of the pinned Chinese names (so runs form pypinyin's dictionary words) and
# characters read differently inside words (银行 hang, 重庆 chong, 长春 chang).
_HAN = sorted(
    {c for entry in _pinned() for c in entry["name"] if "\u4e00" <= c <= "\u9fff"}
    | set("银行重庆长春乐都会单于朝阳")
)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(_HAN), min_size=1, max_size=10))
def test_chinese_reads_as_pypinyin_reads_the_whole_run(run: str) -> None:
    # The normaliser reads a run word by word from pypinyin's own cut (see _pinyin).
    whole = lazy_pinyin(run, style=Style.NORMAL, v_to_u=False)
    assert names_module._pinyin(run) == tuple(s for s in whole if s.isalpha())


def _rewrite() -> None:
    normaliser = load_normaliser()
    rows = [
        json.dumps(
            {"name": e["name"], "key": _plain(normaliser.compute(e["name"]))}, ensure_ascii=False
        )
        for e in _pinned()
    ]
    PINNED.write_text("[\n" + ",\n".join(rows) + "\n]\n", encoding="utf-8")


if __name__ == "__main__":
    _rewrite()
