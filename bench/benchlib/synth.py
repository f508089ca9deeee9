"""Synthetic Chinese company names: legal names, pinyin, English renderings.

A company is a place, a two-syllable brand (bench/dense.py: two or three), one or two industry words and a legal form, as
PRC company names are built (新疆 + 阿克苏 + 华孚 + 纺织 + 有限公司). Every rendering is derived
from those parts, so each query variant has an exact ground truth.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from benchlib.vocab import Place, Syllable, Term, Vocabulary

XINJIANG_SHARE = 0.2
XINJIANG_PREFIX_SHARE = 0.5
TWO_INDUSTRY_SHARE = 0.25
# Weights of 有限公司, 股份有限公司, 有限责任公司, 集团有限公司 in vocabulary order.
LEGAL_FORM_WEIGHTS = (0.6, 0.15, 0.15, 0.1)


@dataclass(frozen=True, slots=True)
class Company:
    place: Place
    xinjiang_prefix: Syllable | None
    brand: tuple[Syllable, ...]
    industries: tuple[Term, ...]
    form: Term

    @property
    def name_zh(self) -> str:
        prefix = self.xinjiang_prefix.zh if self.xinjiang_prefix else ""
        brand = "".join(s.zh for s in self.brand)
        return (
            prefix + self.place.zh + brand + "".join(t.zh for t in self.industries) + self.form.zh
        )

    @property
    def brand_latin(self) -> str:
        return "".join(s.pinyin for s in self.brand).capitalize()

    def place_words(self, spelling: str | None = None) -> list[str]:
        words = [self.xinjiang_prefix.pinyin] if self.xinjiang_prefix else []
        words.append(spelling or self.place.pinyin)
        return words

    def pinyin_words(self) -> list[str]:
        """The Chinese name read out in pinyin, one capitalised word per part."""
        parts = [*self.place_words(), self.brand_latin]
        parts += [t.pinyin for t in self.industries]
        parts.append(self.form.pinyin)
        return [w.capitalize() for part in parts for w in part.split()]

    def english(
        self,
        industry_words: Sequence[str] | None = None,
        form: str | None = None,
        place: str | None = None,
        place_in_parentheses: bool = False,
    ) -> str:
        """English rendering; by default the first rendering of every part."""
        industry = list(industry_words or [t.en[0] for t in self.industries])
        place_text = " ".join(self.place_words(place))
        form_text = form or self.form.en[0]
        if place_in_parentheses:
            return " ".join([self.brand_latin, *industry, f"({place_text})", form_text])
        return " ".join([place_text, self.brand_latin, *industry, form_text])


def make_company(rng: random.Random, vocab: Vocabulary) -> Company:
    in_xinjiang = rng.random() < XINJIANG_SHARE
    place = rng.choice(vocab.xinjiang_places if in_xinjiang else vocab.places)
    prefix = vocab.xinjiang if in_xinjiang and rng.random() < XINJIANG_PREFIX_SHARE else None
    brand = (rng.choice(vocab.brand_syllables), rng.choice(vocab.brand_syllables))
    industries = pick_industries(rng, vocab)
    form = rng.choices(vocab.legal_forms, weights=LEGAL_FORM_WEIGHTS)[0]
    return Company(place, prefix, brand, industries, form)


def pick_industries(rng: random.Random, vocab: Vocabulary) -> tuple[Term, ...]:
    """One business word, or a sector word followed by a general one (纺织 + 科技)."""
    if rng.random() < TWO_INDUSTRY_SHARE:
        return (rng.choice(vocab.sectors), rng.choice(vocab.general_words))
    return (rng.choice(vocab.industries),)


def address_of(company: Company) -> str:
    place, province = company.place.pinyin, company.place.province
    return province if place == province else f"{place}, {province}"


def translated_alias(rng: random.Random, company: Company) -> str | None:
    """Another English name the company uses: a different rendering of one industry word."""
    choices = [i for i, t in enumerate(company.industries) if len(t.en) > 1]
    if not choices:
        return None
    pick = rng.choice(choices)
    words = [t.en[0] for t in company.industries]
    words[pick] = rng.choice(company.industries[pick].en[1:])
    return company.english(words)
