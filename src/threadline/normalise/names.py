"""Company names → comparable keys, across scripts.

A name is read as a sequence of pieces: legal forms, business concepts (服饰 ≡ apparel ≡ fushi),
places (和田 ≡ Hetian ≡ Hotan) and what is left — the distinctive part. Chinese characters and
joined or spaced pinyin are both turned into pinyin syllables, and runs of syllables are joined,
so 泰达, "Tai Da", "TAIDA" and "Taida" give the same token.

Everything here is pure: the vocabularies come in as loaded data (see threadline.data.vocab).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from threadline.normalise.text import fold, tokens

T = TypeVar("T")
# (kind, id) with kind in {"legal", "brand", "pinyin_brand", "concept", "weak", "place"}; a
# "weak" concept is read and then forgotten (see glossary.yaml); a brand's id is the token it
# stands for; a "pinyin_brand" is a brand read from its pinyin (Yida → Esquel), which other
# characters spell as well (亿达, 一达), so the key records that it was only read so.
_Term = tuple[str, str]
# A business word read from Chinese (or its pinyin) carries its pinyin after the concept id:
# "apparel|fushi" (服饰) and "apparel|fuzhuang" (服装); read from English, just "apparel".
_WRITTEN = "|"
# Phrases one atom a level: atom → (the term of the phrase that ends there, if one does; the
# atoms that continue a phrase).
_Trie = dict[str, tuple[_Term | None, "_Trie"]]
_Letters = dict[str, "_Letters"]
# Where a piece belongs in a registered name: place, brand (or a word not read), business.
_ZONE = {"place": 0, "brand": 1, "pinyin_brand": 1, "concept": 2, "weak": 2, "legal": 2}

_LEVEL_RANK = {"region": 0, "province": 1, "prefecture": 2, "xpcc_city": 3, "county": 4}
_MAX_SYLLABLE = 6
# "Lop County", "Aksu Prefecture": with its admin word even a short spelling is a place.
_LATIN_ADMIN_WORDS = {
    "county": ("county", "xian"),
    "prefecture": ("prefecture", "city", "diqu", "shi"),
    "xpcc_city": ("city", "shi"),
}
# Names kept per cache generation; a full generation becomes the old one (see `key`).
_CACHE_LIMIT = 200_000
# Words remembered by the word-level caches before they start afresh: a million-name
# reference has hundreds of thousands of brand words, read once each.
_WORD_CACHE_LIMIT = 100_000
# Pinyin's apostrophe before a syllable starting with a, o or e (Xi'an, Ku'erle) separates
# syllables: read as a space, or XI'AN would fold to the one syllable xian.
_SYLLABLE_APOSTROPHE = re.compile(r"(?<=[A-Za-z])['’`´](?=[aeoAEO])")


@dataclass(frozen=True, slots=True)
class PlaceSpelling:
    id: str
    level: str
    parent_id: str
    name_zh: str
    latin: tuple[str, ...]
    # The Chinese name without its administrative suffix and ethnic designation, as the
    # gazetteer strips them (PlaceRules.bare_zh): a company name usually drops them.
    bare_zh: str = ""


@dataclass(frozen=True, slots=True)
class NameKey:
    """What the matcher compares. `tokens` are the distinctive tokens in order."""

    text: str
    tokens: tuple[str, ...]
    concepts: frozenset[str]
    places: frozenset[str]
    legal_forms: frozenset[str]
    # The distinctive part's Chinese characters, when the name has them: 远达 and 源达 share
    # their pinyin (the tokens) and not their characters.
    han: str = ""
    # Brand tokens read only from pinyin.
    pinyin_brands: frozenset[str] = frozenset()
    # The business words as written in Chinese (their pinyin, sorted), when every one of them
    # was read from characters or pinyin: 服饰 and 服装 are one concept, two registered names.
    trade_words: str = ""
    # The concepts in the order the name gives them: a manifest cuts a name's end only.
    concept_order: tuple[str, ...] = ()

    @property
    def distinctive(self) -> str:
        return "".join(self.tokens)


class Atomizer:
    """Turns folded Latin text into atoms: English words stay words, anything that reads as
    pinyin becomes syllables, abbreviations are expanded and noise words dropped."""

    def __init__(
        self,
        *,
        abbreviations: Mapping[str, str],
        english_words: frozenset[str],
        noise: frozenset[str],
        syllables: frozenset[str],
    ) -> None:
        self._abbr = abbreviations
        self._english = english_words
        self._noise = noise
        self._syllables = syllables
        # The syllables one letter a level ("" where one ends), for the syllable search.
        self._syllable_trie: _Letters = {}
        for syllable in syllables:
            if len(syllable) <= _MAX_SYLLABLE:
                level = self._syllable_trie
                for letter in syllable:
                    level = level.setdefault(letter, {})
                level[""] = {}
        self.vocabulary = sorted(english_words)
        # Company names reuse a small set of words: each word is read once.
        self._word_atoms: dict[str, tuple[tuple[str, bool], ...]] = {}
        self._known: dict[str, bool] = {}
        self._segments: dict[str, tuple[str, ...] | None] = {}
        # Places not spelled in pinyin (Hohhot, Ordos, Urumqi), which manifests run into the
        # pinyin after them (HOHHOTXINJIAKUANGYE): set once the place names are known.
        self._heads: frozenset[str] = frozenset()
        self._head_sizes: tuple[int, ...] = ()

    def set_heads(self, heads: Iterable[str]) -> None:
        self._heads = frozenset(heads)
        self._head_sizes = tuple(sorted({len(h) for h in self._heads}, reverse=True))
        self._word_atoms.clear()

    def expand(self, word: str) -> str:
        return self._abbr.get(word, word)

    def known(self, word: str) -> bool:
        found = self._known.get(word)
        if found is None:
            expanded = self.expand(word)
            found = (
                expanded in self._english
                or expanded.isdigit()
                or self.segment(expanded) is not None
            )
            _remember(self._known, word, found)
        return found

    def atoms(self, text: str) -> list[tuple[str, bool]]:
        """Latin words of folded text as atoms: (word, False) or pinyin (syllable, True)."""
        return self.word_atoms(text.split())

    def word_atoms(self, words: Iterable[str]) -> list[tuple[str, bool]]:
        """`atoms` of text already split into words."""
        out: list[tuple[str, bool]] = []
        for word in words:
            atoms = self._word_atoms.get(word)
            if atoms is None:
                atoms = _remember(self._word_atoms, word, self._read_word(word))
            out.extend(atoms)
        return out

    def _read_word(self, word: str) -> tuple[tuple[str, bool], ...]:
        word = self.expand(word)
        if word in self._noise:
            return ()
        if word in self._english or word.isdigit():
            return ((word, False),)
        syllables = self.segment(word)
        if syllables:
            return tuple((s, True) for s in syllables)
        for size in self._head_sizes:
            if size < len(word) and word[:size] in self._heads:
                rest = self.segment(word[size:])
                if rest:
                    return ((word[:size], False), *((s, True) for s in rest))
        return ((word, False),)

    def segment(self, word: str) -> tuple[str, ...] | None:
        """Split joined pinyin into the fewest syllables; None when it is not pinyin."""
        if word in self._segments:
            return self._segments[word]
        n = len(word)
        # cost[end]: the best spelling of word[:end], least syllables first, then least
        # syllables after the first that begin with a vowel (-1: none), as one number: syllables
        # * (n + 1) + those syllables, which order alike as there are at most n of each.
        # start[end]: where its last syllable begins. Pinyin writes an apostrophe before such
        # a syllable (jin'eng), so without one the reading that avoids it (ji neng) is the one
        # meant. The shortest last syllable (the later start) wins a tie.
        weight = n + 1
        cost = [0] + [-1] * n
        start = [0] * (n + 1)
        for head in range(n):
            if cost[head] < 0:
                continue
            here = cost[head] + weight + (head > 0 and word[head] in "aeo")
            level = self._syllable_trie
            for end in range(head + 1, min(head + _MAX_SYLLABLE, n) + 1):
                below = level.get(word[end - 1])
                if below is None:
                    break
                level = below
                if "" in level and (cost[end] < 0 or here <= cost[end]):
                    cost[end], start[end] = here, head
        found: tuple[str, ...] | None = None
        if cost[n] >= 0:
            pieces: list[str] = []
            end = n
            while end > 0:
                pieces.append(word[start[end] : end])
                end = start[end]
            found = tuple(reversed(pieces))
        return _remember(self._segments, word, found)


class NameNormaliser:
    """Holds the compiled vocabularies; `key(name)` is the one entry point."""

    def __init__(
        self,
        *,
        atomizer: Atomizer,
        han_phrases: dict[str, _Term],
        latin_phrases: dict[tuple[str, ...], _Term],
        place_parents: Mapping[str, str],
        legal_families: Mapping[str, str],
    ) -> None:
        self._atomizer = atomizer
        self._han = han_phrases
        self._latin = latin_phrases
        # Phrase lengths by first character, longest first: the greedy phrase search tries
        # only lengths some phrase has. Latin phrases are searched atom by atom in tries, from
        # the start of a run and from its end.
        self._han_sizes = _sizes_by_head(han_phrases)
        self._latin_trie = _trie(latin_phrases.items())
        self._latin_tail_trie = _trie((p[::-1], term) for p, term in latin_phrases.items())
        self._parents = dict(place_parents)
        self.legal_families = dict(legal_families)
        self._cache: dict[str, NameKey] = {}
        self._old_cache: dict[str, NameKey] = {}
        self._spelled: dict[str, str] = {}
        self._completed: dict[str, str] = {}

    # -- public -------------------------------------------------------------------------------

    def key(self, name: str) -> NameKey:
        """The name's key, cached: recent names stay in two generations of the cache, so a
        full cache forgets only the names not asked for since the last turnover."""
        cached = self._cache.get(name)
        if cached is None:
            cached = self._old_cache.get(name) or self._compute(name)
            if len(self._cache) >= _CACHE_LIMIT:
                self._old_cache, self._cache = self._cache, {}
            self._cache[name] = cached
        return cached

    def compute(self, name: str) -> NameKey:
        """The name's key, uncached: for names read once, such as a reference list."""
        return self._compute(name)

    def ancestors(self, place_id: str) -> tuple[str, ...]:
        """The place and every place containing it, nearest first."""
        chain = [place_id]
        while (parent := self._parents.get(chain[-1])) and parent not in chain:
            chain.append(parent)
        return tuple(chain)

    # -- internals ----------------------------------------------------------------------------

    def _compute(self, name: str) -> NameKey:
        apostrophes = "'" in name or "’" in name or "`" in name or "´" in name
        folded = fold(_SYLLABLE_APOSTROPHE.sub(" ", name) if apostrophes else name)
        pieces: list[_Term | tuple[str, bool]] = []
        latin: list[str] = []
        han: list[str] = []
        for token in tokens(folded):
            if token[0] > "z":  # a Han run: the others are ASCII letters and digits
                pieces.extend(self._latin_pieces(latin, final=False))
                latin = []
                pieces.extend(self._han_pieces(token, han))
            else:
                latin.append(token)
        pieces.extend(self._latin_pieces(latin, final=True, whole=folded))
        return self._assemble(name, pieces, "".join(han))

    def _han_pieces(self, run: str, han: list[str]) -> list[_Term | tuple[str, bool]]:
        """The run's pieces; its distinctive characters (brands included) go to `han`."""
        out: list[_Term | tuple[str, bool]] = []
        phrases = self._han
        sizes = self._han_sizes
        n = len(run)
        unread = i = 0  # run[unread:i] is not a phrase
        while i < n:
            for size in sizes.get(run[i], ()):
                if i + size <= n and (term := phrases.get(run[i : i + size])) is not None:
                    if unread < i:
                        _read_unread(run[unread:i], out, han)
                    if term[0] == "brand":
                        han.append(run[i : i + size])
                    out.append(term)
                    i += size
                    unread = i
                    break
            else:
                i += 1
        if unread < n:
            _read_unread(run[unread:], out, han)
        return out

    def _latin_pieces(
        self, words: list[str], *, final: bool, whole: str = ""
    ) -> list[_Term | tuple[str, bool]]:
        if not words:
            return []
        if final:
            words = self._repair_tail(words, truncated=len(whole) >= 30)
        atoms = self._atomizer.word_atoms(words)
        return self._parse(atoms)

    def _parse(self, atoms: Sequence[tuple[str, bool]]) -> list[_Term | tuple[str, bool]]:
        """The run cut into phrases as a registered name is built: places, then the brand,
        then business words and legal form. Phrases are matched from the start; when that
        reading breaks the order, also from the end, and the reading of least cost wins: two
        per atom left unread, three per place after a brand or business word, one per return
        from business words to unread atoms. So FUFU WULIU is 孚福 物流 (not FU 服务 LIU),
        XINJIANG ZIJIN XINYE stays 新疆 紫金 锌业 (not XIN 江孜 JIN), and Dahua Technology
        (Zhejiang) still names its province."""
        keys = [a for a, _ in atoms]
        forward = self._greedy(atoms, keys)
        cost, late = _cost(forward)
        if not late:
            return forward
        backward = self._greedy(atoms, keys, from_end=True)
        return backward if _cost(backward)[0] < cost else forward

    def _greedy(
        self, atoms: Sequence[tuple[str, bool]], keys: list[str], *, from_end: bool = False
    ) -> list[_Term | tuple[str, bool]]:
        """Longest phrases first, from the start of the run or from its end."""
        if not from_end:
            return _longest_phrases(atoms, keys, self._latin_trie)
        out = _longest_phrases(atoms[::-1], keys[::-1], self._latin_tail_trie)
        out.reverse()
        return out

    def _repair_tail(self, words: list[str], *, truncated: bool) -> list[str]:
        """Manifests cut names at a field width and carry typos: mend the words we know."""
        spelled = self._spelled  # most words: short, or met before
        repaired = [w if len(w) < 5 else spelled.get(w) or self._spell(w) for w in words]
        last = repaired[-1]
        # A letter or two left at the cut is a word cut off (SHOES C, IMPORT A), even one that
        # reads as something, unless it is a legal form (CO), a number, or a pinyin syllable
        # among others (GONG SI).
        cut = (
            len(repaired) > 1
            and len(last) <= 2
            and not last.isdigit()
            and (self._atomizer.expand(last),) not in self._latin
            and not (self._atomizer.segment(last) and self._atomizer.segment(repaired[-2]))
        )
        if truncated and cut:
            return repaired[:-1]
        if self._atomizer.known(last):
            # At the cut, an English word cut off (INDUSTRY LIMITE, NEW ENER, JINGYONG CHEMICA)
            # is that word, even where its letters also spell pinyin (li mi te, en er): after
            # another English word, or when five letters or more are left.
            english = len(repaired) > 1 and self._atomizer.segment(repaired[-2]) is None
            if truncated and len(last) >= 3 and (english or len(last) >= 5):
                completed = self._complete(last)
                if self._atomizer.segment(completed) is None:
                    repaired[-1] = completed
            return repaired
        if len(last) >= 3:
            repaired[-1] = self._complete(last)
        return repaired

    def _complete(self, stem: str) -> str:
        """The shortest vocabulary word a cut-off word begins (TEXTI → textile), else itself."""
        found = self._completed.get(stem)
        if found is None:
            completions = [v for v in self._atomizer.vocabulary if v.startswith(stem)]
            found = min(completions, key=lambda v: (len(v), v)) if completions else stem
            _remember(self._completed, stem, found)
        return found

    def _spell(self, word: str) -> str:
        """One-edit typos of vocabulary words (CHEMICSL → chemical, GRUOP → group: a swap of
        neighbours counts as one edit) in words of 5+ letters."""
        if len(word) < 5:
            return word
        found = self._spelled.get(word)
        if found is None:
            found = word
            if not self._atomizer.known(word):
                near = process.extractOne(
                    word, self._atomizer.vocabulary, scorer=OSA.distance, score_cutoff=1
                )
                found = str(near[0]) if near else word
            _remember(self._spelled, word, found)
        return found

    def _assemble(self, name: str, pieces: Sequence[_Term | tuple[str, bool]], han: str) -> NameKey:
        tokens_out: list[str] = []
        pinyin_brands: set[str] = set()
        spelled_brands: set[str] = set()  # in Chinese or in the brand's English spelling
        concepts: dict[str, None] = {}  # ordered
        trade_words: list[str] = []
        translated = False  # a business word read from English: its Chinese is not known
        places: set[str] = set()
        legal: set[str] = set()
        run = ""
        for value, flag in pieces:
            if flag is True:  # a pinyin syllable: runs of them join
                run += value
                continue
            if run:
                tokens_out.append(run)
                run = ""
            if flag is False:  # a word not read
                tokens_out.append(value)
            elif value == "concept" or value == "weak":
                concept, _, written = flag.partition(_WRITTEN)
                if value == "concept":
                    concepts[concept] = None
                trade_words.append(written)
                translated = translated or not written
            elif value == "place":
                places.add(flag)
            elif value == "legal":
                legal.add(flag)
            elif value == "brand":
                tokens_out.append(flag)
                spelled_brands.add(flag)
            elif value == "pinyin_brand":
                tokens_out.append(flag)
                pinyin_brands.add(flag)
        if run:
            tokens_out.append(run)
        return NameKey(
            text=name,
            tokens=tuple(tokens_out),
            concepts=frozenset(concepts),
            concept_order=tuple(concepts),
            places=frozenset(places),
            legal_forms=frozenset(legal),
            han=han,
            pinyin_brands=frozenset(pinyin_brands - spelled_brands),
            trade_words="" if translated else " ".join(sorted(trade_words)),
        )


def _longest_phrases(
    atoms: Sequence[tuple[str, bool]], keys: Sequence[str], trie: _Trie
) -> list[_Term | tuple[str, bool]]:
    """The atoms read left to right, each time as the longest phrase of `trie` starting there,
    else as the atom itself."""
    out: list[_Term | tuple[str, bool]] = []
    n = len(keys)
    i = 0
    while i < n:
        found: _Term | None = None
        size = 0
        level = trie
        j = i
        while j < n and (node := level.get(keys[j])) is not None:
            j += 1
            if node[0] is not None:
                found, size = node[0], j - i
            level = node[1]
        if found is None:
            out.append(atoms[i])
            i += 1
        else:
            out.append(found)
            i += size
    return out


def _trie(phrases: Iterable[tuple[tuple[str, ...], _Term]]) -> _Trie:
    root: _Trie = {}
    for phrase, term in phrases:
        level = root
        for depth, atom in enumerate(phrase, 1):
            below = level.get(atom)
            if below is None or depth == len(phrase):
                below = level[atom] = (
                    term if depth == len(phrase) else None,
                    below[1] if below is not None else {},
                )
            level = below[1]
    return root


def _cost(pieces: Sequence[_Term | tuple[str, bool]]) -> tuple[int, bool]:
    """A reading's cost (see NameNormaliser._parse), and whether it breaks the order."""
    cost = 0
    late = False
    zone = 0
    for value, flag in pieces:
        if isinstance(flag, bool):  # an atom not read as a phrase
            here = 1
            cost += 2 + (zone == 2)
        else:
            here = _ZONE.get(value, 1)
            if here == 0 and zone > 0:
                cost += 3
        late = late or here < zone
        zone = here
    return cost, late


def _read_unread(chars: str, out: list[_Term | tuple[str, bool]], han: list[str]) -> None:
    """Chinese characters not read as a phrase: pinyin syllables, and distinctive characters."""
    out.extend([(s, True) for s in _pinyin(chars)])
    han.append(chars)


def _remember(cache: dict[str, T], word: str, value: T) -> T:
    if len(cache) >= _WORD_CACHE_LIMIT:
        cache.clear()
    cache[word] = value
    return value


def load_pinyin() -> None:
    """Load pypinyin's tables now (a fifth of a second): processes forked after this share
    them, rather than each loading its own when it first reads Chinese."""
    _pinyin("中文")


@lru_cache(maxsize=65_536)
def _pinyin(han: str) -> tuple[str, ...]:
    # Imported when Chinese is first read: loading pypinyin's phrase table is a quarter of a
    # one-row screening of Latin names against a normaliser from the cache (built_cache.py).
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import RE_HANS
    from pypinyin.seg.mmseg import seg

    # pypinyin cuts Chinese into its dictionary's words and reads each word on its own, so a
    # run is read as the words of that same cut, each read once: brand runs rarely repeat,
    # their words and characters do (and reading is most of pypinyin's time).
    if RE_HANS.match(han):
        words = list(seg.cut(han))
        if len(words) > 1:
            return tuple(s for word in words for s in _pinyin(word))
    return tuple(s for s in lazy_pinyin(han, style=Style.NORMAL, v_to_u=False) if s.isalpha())


def _sizes_by_head(phrases: Mapping[Any, object]) -> dict[Any, tuple[int, ...]]:
    """Phrase lengths by the phrase's first element (a character, or an atom)."""
    sizes: dict[Any, set[int]] = {}
    for phrase in phrases:
        if phrase:
            sizes.setdefault(phrase[0], set()).add(len(phrase))
    return {head: tuple(sorted(found, reverse=True)) for head, found in sizes.items()}


def build_normaliser(
    *,
    legal_forms: Iterable[Mapping[str, Any]],
    concepts: Mapping[str, Mapping[str, Any]],
    abbreviations: Mapping[str, str],
    stopwords: Mapping[str, Sequence[str]],
    syllables: Iterable[str],
    places: Iterable[PlaceSpelling],
    brands: Iterable[Mapping[str, Sequence[str]]] = (),
) -> NameNormaliser:
    """Compile the vocabularies into phrase tables. Earlier entries win a shared spelling:
    legal forms, then brands, then concepts, then places (higher administrative levels first)."""
    brands = list(brands)
    abbr = {k.lower(): v.lower() for k, v in abbreviations.items()}
    noise = frozenset(w.lower() for w in stopwords.get("noise", ()))
    english: set[str] = {w.lower() for w in stopwords.get("keep_as_words", ())}
    english.update(abbr.values())
    for form in legal_forms:
        for phrase in form.get("en", ()):
            english.update(_expand(phrase, abbr))
    for entry in [*concepts.values(), *brands]:
        for phrase in entry.get("en", ()):
            english.update(_expand(phrase, abbr))
    english -= noise
    atomizer = Atomizer(
        abbreviations=abbr,
        english_words=frozenset(english),
        noise=noise,
        syllables=frozenset(s.lower() for s in syllables),
    )
    han: dict[str, _Term] = {}
    latin: dict[tuple[str, ...], _Term] = {}

    def add_latin(phrase: str, term: _Term, *, place: bool = False) -> None:
        atoms = atomizer.atoms(fold(_SYLLABLE_APOSTROPHE.sub(" ", phrase)))
        if not atoms:
            return
        # A place spelled in three letters ("Bay") or one pinyin syllable ("Jing") is a common
        # word or syllable more often than that place.
        if place and (len("".join(a for a, _ in atoms)) < 4 or (len(atoms) == 1 and atoms[0][1])):
            return
        latin.setdefault(tuple(a for a, _ in atoms), term)

    def add_zh(phrase: str, term: _Term) -> None:
        phrase = fold(phrase)
        han.setdefault(phrase, term)
        syllables_of = _pinyin(phrase)
        # A brand's pinyin is also the pinyin of every homophone brand: read as a pinyin brand.
        spelled = ("pinyin_brand", term[1]) if term[0] == "brand" else term
        if len(syllables_of) >= 2:  # one pinyin syllable is too ambiguous to stand for a word
            latin.setdefault(tuple(syllables_of), spelled)
            # Joined pinyin drops the apostrophe (晶澳: JINGAO), so it is read another way.
            joined = atomizer.segment("".join(syllables_of))
            if joined and len(joined) >= 2:  # 吉安 joined is jian, one syllable: not a place
                latin.setdefault(joined, spelled)

    families: dict[str, str] = {}
    for form in legal_forms:
        term = ("legal", str(form["id"]))
        families[str(form["id"])] = str(form.get("family", form["id"]))
        for phrase in form.get("zh", ()):
            add_zh(phrase, term)
        for phrase in form.get("en", ()):
            add_latin(phrase, term)
    for brand in brands:
        spellings = brand.get("en", ())
        term = ("brand", "".join(a for a, _ in atomizer.atoms(fold(spellings[0]))))
        for phrase in spellings:
            add_latin(phrase, term)
        for phrase in brand.get("zh", ()):
            add_zh(phrase, term)
    for concept_id, entry in concepts.items():
        term = ("weak" if entry.get("weak") else "concept", concept_id)
        for phrase in entry.get("zh", ()):
            written = "".join(_pinyin(fold(phrase)))
            add_zh(phrase, (term[0], f"{concept_id}{_WRITTEN}{written}"))
        for phrase in entry.get("en", ()):
            add_latin(phrase, term)
    parents: dict[str, str] = {}
    ordered = sorted(places, key=lambda p: (_LEVEL_RANK.get(p.level, 9), p.id))
    for place in ordered:
        term = ("place", place.id)
        if place.parent_id:
            parents[place.id] = place.parent_id
        if place.name_zh:
            add_zh(place.name_zh, term)
            if place.bare_zh and place.bare_zh != place.name_zh:
                add_zh(place.bare_zh, term)
        for spelling in place.latin:
            add_latin(spelling, term, place=True)
            for admin_word in _LATIN_ADMIN_WORDS.get(place.level, ()):
                add_latin(f"{spelling} {admin_word}", term)
    heads = set()
    for place in ordered:
        for spelling in place.latin:
            atoms = atomizer.atoms(fold(_SYLLABLE_APOSTROPHE.sub(" ", spelling)))
            if len(atoms) == 1 and not atoms[0][1] and len(atoms[0][0]) >= 4:
                heads.add(atoms[0][0])
    atomizer.set_heads(heads)
    return NameNormaliser(
        atomizer=atomizer,
        han_phrases=han,
        latin_phrases=latin,
        place_parents=parents,
        legal_families=families,
    )


def _expand(phrase: str, abbr: Mapping[str, str]) -> list[str]:
    return [abbr.get(w, w) for w in fold(phrase).split()]
