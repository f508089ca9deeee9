"""Sentences of a document → mentions of organisations, facilities, places and indicators, and
the links the sentences state between them. Pure: the vocabularies come in built.

Organisations are names that end in a legal or organisational form (有限公司, 集团, 厂,
"Co., Ltd.", "Group" …); facilities are camps, detention centres and prisons, with the place
written before them; places come from the gazetteer; indicators from the reviewed vocabulary.
People are never looked for: a name without such an ending is not a mention.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from threadline.model.documents import Findings, Mention, MentionKind, Span, StatedRelation
from threadline.normalise.places import Gazetteer
from threadline.normalise.text import HAN_CHARS

_NAME_CHARS = re.compile(f"[{HAN_CHARS}（）()·]")
# Sentence ends: Chinese stops, ! ? ; and line breaks; a full stop before a space and a
# capital, a Han character or the end, except after the abbreviations below.
_SENTENCE_END = re.compile(
    r"[。！？；!?;]+[”」』\"']?|\n+|\.(?=\s+[A-Z\"“" + HAN_CHARS + r"]|\s*$)"
)
_NO_STOP_AFTER = re.compile(
    r"(?:\b(?:Co|No|Mr|Ms|Dr|St|vs|Nos|Ltd|Inc|Corp|U\.S|e\.g|i\.e)|\b[A-Z])$"
)
_LABEL = re.compile(r"\s*([^:：\n]{2,30}?)\s*[:：]")
_LATIN_WORD = re.compile(r"[A-Za-z][\w'&.\-]*|\([A-Z][\w .\-]*\)|&|\d[\w\-]*")


@dataclass(frozen=True, slots=True)
class Indicator:
    """A reviewed indicator: each term is a phrase, or words a sentence must all hold."""

    id: str
    category: str
    strength: str
    rationale: str
    terms: tuple[tuple[str, ...], ...]


_CATEGORIES = frozenset({"camp_labour", "organised_transfer", "programme"})
_STRENGTHS = frozenset({"strong", "moderate", "weak"})


def indicators_from_mapping(data: Mapping[str, Any]) -> tuple[Indicator, ...]:
    """The indicator vocabulary, checked: known category and strength, a rationale, terms."""
    out = []
    seen: set[str] = set()
    for entry in data["indicators"]:
        ident = str(entry["id"])
        if ident in seen:
            raise ValueError(f"indicator {ident} is listed twice")
        seen.add(ident)
        if entry["category"] not in _CATEGORIES:
            raise ValueError(f"indicator {ident}: unknown category {entry['category']!r}")
        if entry["strength"] not in _STRENGTHS:
            raise ValueError(f"indicator {ident}: unknown strength {entry['strength']!r}")
        rationale = " ".join(str(entry["rationale"]).split())
        if not rationale:
            raise ValueError(f"indicator {ident} has no rationale")
        terms = tuple(
            tuple(str(w).strip() for w in term) if isinstance(term, list) else (str(term).strip(),)
            for term in entry["terms"]
        )
        if not terms or any(not all(term) for term in terms):
            raise ValueError(f"indicator {ident} has an empty term")
        out.append(Indicator(ident, entry["category"], entry["strength"], rationale, terms))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: str
    forward: bool
    gap: re.Pattern[str]
    after: re.Pattern[str] | None


def _alternation(phrases: Sequence[str], *, latin: bool) -> str:
    """Longest first; in Latin phrases '.' and ',' are optional and spacing is free."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        escaped = re.escape(phrase)
        if latin:
            escaped = escaped.replace(r"\.", r"\.?").replace(",", ",?").replace(r"\ ", r"\s*")
        parts.append(escaped)
    return "|".join(parts)


class MentionFinder:
    """Built once from the vocabularies; `find` reads one document."""

    def __init__(
        self,
        indicators: Sequence[Indicator],
        patterns: Mapping[str, Any],
        zh_legal_forms: Sequence[str],
        gazetteer: Gazetteer,
    ) -> None:
        self.indicators = tuple(indicators)
        self.gazetteer = gazetteer
        orgs = patterns["organisations"]
        not_before = "".join(map(re.escape, orgs["zh_not_before"]))
        self.zh_org = re.compile(
            f"(?:{_alternation([*zh_legal_forms, *orgs['zh_forms']], latin=False)})(?![{not_before}])"
        )
        self.zh_boundaries = sorted(orgs["zh_boundaries"], key=len, reverse=True)
        self.zh_and = str(orgs["zh_and"])
        self.zh_and_places = tuple(orgs["zh_and_places"])
        self.zh_min = int(orgs["zh_min_chars"])
        self.zh_generic = frozenset(orgs["zh_generic"])
        self.zh_generic_endings = tuple(orgs["zh_generic_endings"])
        self.en_org = re.compile(
            rf"(?<![A-Za-z])(?:{_alternation(orgs['en_forms'], latin=True)})(?![A-Za-z])"
        )
        self.en_leading = frozenset(w.casefold() for w in orgs["en_leading"])
        self.en_connectors = frozenset(w.casefold() for w in orgs["en_connectors"])
        self.en_generic = frozenset(w.casefold() for w in orgs["en_generic"])
        self.facility_kind: dict[str, str] = {}
        zh_fac: list[str] = []
        en_fac: list[str] = []
        for group in patterns["facilities"]:
            for term in group.get("zh", []):
                zh_fac.append(term)
                self.facility_kind[term] = group["kind"]
            for term in group.get("en", []):
                en_fac.append(term)
                self.facility_kind[_term_key(term)] = group["kind"]
        self.zh_facility = re.compile(_alternation(zh_fac, latin=False))
        self.en_facility = re.compile(
            rf"(?<![A-Za-z])(?:{_alternation(en_fac, latin=True)})s?(?![A-Za-z])", re.IGNORECASE
        )
        pronouns = patterns["publisher_pronouns"]
        self.pronoun = re.compile(
            rf"(?:{_alternation(pronouns['zh'], latin=False)})|"
            rf"(?<![A-Za-z])(?:{_alternation(pronouns['en'], latin=True)})(?![A-Za-z])",
            re.IGNORECASE,
        )
        relations = patterns["relations"]
        self.max_gap = int(relations["max_gap"])
        self.cues = tuple(
            _Cue(
                kind=str(c["kind"]),
                forward=c["direction"] == "forward",
                gap=re.compile(c["gap"], re.IGNORECASE),
                after=re.compile(c["after"]) if c.get("after") else None,
            )
            for c in relations["cues"]
        )
        self.buyer_labels = frozenset(x.casefold() for x in relations["buyer_labels"])
        self.winner_labels = frozenset(x.casefold() for x in relations["winner_labels"])
        words = {w.lower() for i in self.indicators for term in i.terms for w in term}
        self.indicator_words = re.compile(_alternation(sorted(words), latin=False))
        # A word found also stands for the shorter words inside it (结业学员 holds 学员).
        self.within = {w: frozenset(v for v in words if v in w) for w in words}

    # -- reading ----------------------------------------------------------------------------

    def find(self, text: str, publisher: str = "") -> Findings:
        sentences = split_sentences(text)
        starts = [s.start for s in sentences]
        mentions: list[Mention] = []
        for index, sentence in enumerate(sentences):
            named = self._organisations(text, sentence, index)
            named += self._facilities(text, sentence, index, named)
            if publisher:
                named += self._pronouns(text, sentence, index, named, publisher)
            mentions += sorted(named, key=lambda m: m.span.start)
        mentions += self._indicators(text, sentences, starts)
        near = {
            m.sentence + step
            for m in mentions
            for step in ((-1, 0, 1) if m.kind is MentionKind.INDICATOR else (0,))
        }
        mentions += self._places(text, sentences, sorted(near & set(range(len(sentences)))))
        relations = self._relations(text, sentences, mentions)
        return Findings(tuple(sentences), tuple(mentions), tuple(relations))

    def _organisations(self, text: str, sentence: Span, index: int) -> list[Mention]:
        out: list[Mention] = []
        for match in self.zh_org.finditer(text, sentence.start, sentence.end):
            start = self._zh_name_start(text, sentence.start, match.start())
            name = text[start : match.end()]
            if (
                match.start() - start >= self.zh_min
                and name not in self.zh_generic
                and not name.endswith(self.zh_generic_endings)
            ):
                out.append(self._mention(MentionKind.ORGANISATION, text, start, match.end(), index))
        for match in self.en_org.finditer(text, sentence.start, sentence.end):
            begin = self._en_name_start(text, sentence.start, match.start())
            if begin is None or text[begin : match.end()].casefold() in self.en_generic:
                continue
            out.append(self._mention(MentionKind.ORGANISATION, text, begin, match.end(), index))
        return _without_overlaps(out)

    def _facilities(
        self, text: str, sentence: Span, index: int, named: Sequence[Mention]
    ) -> list[Mention]:
        out: list[Mention] = []
        for match in self.zh_facility.finditer(text, sentence.start, sentence.end):
            # A facility's name starts after any organisation named before it (X集团运营Y中心).
            floor = max(
                (m.span.end for m in named if m.span.end <= match.start()), default=sentence.start
            )
            start = self._zh_name_start(text, floor, match.start())
            # A facility is named by its place (墨玉县…): the name starts at the first place.
            placed = self.gazetteer.find(text[start : match.start()])
            if placed:
                start += placed[0].start
            kind = self.facility_kind[match.group()]
            out.append(self._mention(MentionKind.FACILITY, text, start, match.end(), index, kind))
        for match in self.en_facility.finditer(text, sentence.start, sentence.end):
            named_from = self._en_name_start(text, sentence.start, match.start())
            term = _term_key(match.group())
            kind = self.facility_kind.get(term) or self.facility_kind[term.removesuffix("s")]
            begin = match.start() if named_from is None else named_from
            out.append(self._mention(MentionKind.FACILITY, text, begin, match.end(), index, kind))
        taken = [m.span for m in named]
        return [m for m in _without_overlaps(out) if not _overlaps(m.span, taken)]

    def _pronouns(
        self, text: str, sentence: Span, index: int, named: Sequence[Mention], publisher: str
    ) -> list[Mention]:
        taken = [m.span for m in named]
        return [
            Mention(
                MentionKind.ORGANISATION, publisher, Span(m.start(), m.end()), index, "publisher"
            )
            for m in self.pronoun.finditer(text, sentence.start, sentence.end)
            if not _overlaps(Span(m.start(), m.end()), taken)
        ]

    def _places(self, text: str, sentences: Sequence[Span], wanted: Sequence[int]) -> list[Mention]:
        """Places in the sentences that name an organisation, facility or indicator, and either
        side of an indicator's (where a finding's region is read): the gazetteer is the costly
        step, and places elsewhere say nothing about a finding."""
        out: list[Mention] = []
        for first, last in _runs(wanted):
            start, end = sentences[first].start, sentences[last].end
            starts = [s.start for s in sentences[first : last + 1]]
            for m in self.gazetteer.find(text[start:end]):
                if m.qualified or not m.ambiguous:
                    at = Span(start + m.start, start + m.end)
                    index = first + bisect_right(starts, at.start) - 1
                    out.append(Mention(MentionKind.PLACE, m.text, at, index, m.place.id))
        return out

    def _indicators(
        self, text: str, sentences: Sequence[Span], starts: Sequence[int]
    ) -> list[Mention]:
        folded = text.lower()
        if len(folded) != len(text):  # a rare letter whose lower case is longer
            folded = text
        found: dict[int, dict[str, Span]] = {}
        for match in self.indicator_words.finditer(folded):
            index = bisect_right(starts, match.start()) - 1
            if index < 0 or match.start() >= sentences[index].end:
                continue
            at = found.setdefault(index, {})
            for word in self.within[match.group()]:
                at.setdefault(word, Span(match.start(), match.end()))
        out: list[Mention] = []
        for index, words in sorted(found.items()):
            for indicator in self.indicators:
                for term in indicator.terms:
                    spans = [words.get(w.lower()) for w in term]
                    if all(spans):
                        first = min((s for s in spans if s), key=lambda s: s.start)
                        last = max((s for s in spans if s), key=lambda s: s.end)
                        shown = " … ".join(term)
                        span = Span(first.start, last.end)
                        out.append(Mention(MentionKind.INDICATOR, shown, span, index, indicator.id))
                        break
        return self._widest(out)

    def _widest(self, found: list[Mention]) -> list[Mention]:
        """Of two terms of one category where one lies within the other (转移就业 in
        农牧民转移就业), the wider is the finding."""
        category = {i.id: i.category for i in self.indicators}

        def size(m: Mention) -> tuple[int, int]:
            return (m.span.end - m.span.start, len(m.text))

        def within(inner: Mention, outer: Mention) -> bool:
            return (
                inner.sentence == outer.sentence
                and category[inner.label] == category[outer.label]
                and outer.span.start <= inner.span.start
                and inner.span.end <= outer.span.end
                and size(outer) > size(inner)
            )

        return [m for m in found if not any(within(m, other) for other in found)]

    # -- names ------------------------------------------------------------------------------

    def _zh_name_start(self, text: str, floor: int, end: int) -> int:
        """Where a Chinese name ending at `end` starts: back over name characters, then after
        the last word that never belongs to a name."""
        start = end
        while start > floor and end - start < 30 and _NAME_CHARS.match(text, start - 1):
            start -= 1
        run = text[start:end]
        cut = 0
        for word in self.zh_boundaries:
            at = run.rfind(word)
            while at >= 0 and len(word) == 1 and end - (start + at + 1) < 4 and at > 0:
                # A one-character word close to the ending may be part of the name (华为).
                at = run.rfind(word, 0, at)
            if at >= 0 and (len(word) > 1 or end - (start + at + 1) >= 4):
                cut = max(cut, at + len(word))
        at = run.rfind(self.zh_and)
        while at >= 0:
            if not run.startswith(self.zh_and_places, at + 1):
                cut = max(cut, at + 1)
                break
            at = run.rfind(self.zh_and, 0, at)
        begin = start + cut
        while begin < end and text[begin] in "（）()·":
            begin += 1
        return begin

    def _en_name_start(self, text: str, floor: int, end: int) -> int | None:
        """Where a Latin name ending before `end` (its legal form) starts: back over
        capitalised words and connectors; None when no such word precedes it."""
        words = list(_LATIN_WORD.finditer(text, floor, end))
        kept: list[re.Match[str]] = []
        for word in reversed(words):
            between = text[word.end() : (kept[-1].start() if kept else end)]
            if between.strip(" ") or "\n" in between:
                break
            token = word.group()
            if (
                token[0].isupper()
                or token[0].isdigit()
                or token.startswith("(")
                or (token.casefold() in self.en_connectors and kept)
            ):
                kept.append(word)
            else:
                break
        while kept and (
            kept[-1].group().casefold() in self.en_leading
            or kept[-1].group().casefold() in self.en_connectors
        ):
            kept.pop()
        return kept[-1].start() if kept else None

    @staticmethod
    def _mention(
        kind: MentionKind, text: str, start: int, end: int, index: int, label: str = ""
    ) -> Mention:
        name = text[start:end].strip().rstrip(",")
        return Mention(kind, name, Span(start, start + len(name)), index, label)

    # -- stated relations -------------------------------------------------------------------

    def _relations(
        self, text: str, sentences: Sequence[Span], mentions: Sequence[Mention]
    ) -> list[StatedRelation]:
        parties = [
            (i, m)
            for i, m in enumerate(mentions)
            if m.kind in (MentionKind.ORGANISATION, MentionKind.FACILITY)
        ]
        by_sentence: dict[int, list[tuple[int, Mention]]] = {}
        for item in parties:
            by_sentence.setdefault(item[1].sentence, []).append(item)
        out: list[StatedRelation] = []
        buyers: list[int] = []
        winners: list[int] = []
        for index, items in by_sentence.items():
            items.sort(key=lambda x: x[1].span.start)
            label = _LABEL.match(text, sentences[index].start, sentences[index].end)
            if label:
                said = label.group(1).strip().casefold()
                if said in self.buyer_labels:
                    buyers.append(items[0][0])
                elif said in self.winner_labels:
                    winners.extend(i for i, _ in items)
            for (a, first), (b, second) in itertools.pairwise(items):
                gap = text[first.span.end : second.span.start]
                if len(gap) > self.max_gap:
                    continue
                after = text[second.span.end : second.span.end + 12]
                for cue in self.cues:
                    if cue.gap.search(gap) and (cue.after is None or cue.after.search(after)):
                        subject, obj = (a, b) if cue.forward else (b, a)
                        out.append(StatedRelation(cue.kind, subject, obj, index, gap.strip()))
                        break
        for winner in winners:
            for buyer in buyers:
                if mentions[winner].text != mentions[buyer].text:
                    said = "tender: buyer and winning supplier"
                    sentence = mentions[winner].sentence
                    out.append(StatedRelation("awarded_contract", winner, buyer, sentence, said))
        return out


def _runs(indexes: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted indexes as runs of consecutive ones: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def split_sentences(text: str) -> list[Span]:
    """Sentences as spans of the text, blank ones left out."""
    out: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group() == "." and _NO_STOP_AFTER.search(
            text, max(0, match.start() - 6), match.start()
        ):
            continue
        _add_sentence(out, text, start, match.end())
        start = match.end()
    _add_sentence(out, text, start, len(text))
    return out


def _add_sentence(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end))


def _overlaps(span: Span, others: Sequence[Span]) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)


def _without_overlaps(mentions: Sequence[Mention]) -> list[Mention]:
    """Longest first where two overlap ("新疆中泰（集团）有限责任公司" over its "集团")."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: -(m.span.end - m.span.start)):
        if not _overlaps(m.span, [k.span for k in kept]):
            kept.append(m)
    return kept


def _term_key(term: str) -> str:
    """A Latin term as looked up: case, stops, commas and spacing ignored."""
    return " ".join(term.casefold().replace(".", "").replace(",", "").split())
