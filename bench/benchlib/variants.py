"""Query renderings of a synthetic company, as a supplier master or a manifest shows it.

Each function returns (text, note); the note says which rule made the text, like the
dev set's source_note column.
"""

from __future__ import annotations

import random
import re
import string

from benchlib.synth import Company

MANIFEST_WIDTH = 35
"""Bill-of-lading party fields are often cut at 35 characters."""

_PUNCTUATION = re.compile(r"[.,()&']+")
_SPACES = re.compile(r"\s+")


def exact(company: Company) -> tuple[str, str]:
    return company.english(), "reference name as listed"


def manifest(rng: random.Random, company: Company) -> tuple[str, str]:
    abbreviation = rng.choice(company.form.manifest)
    text = company.english(form=abbreviation).upper()
    steps = ["upper", f"legal:{abbreviation}"]
    if rng.random() < 0.5:
        text = _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()
        steps.append("punct-drop")
    if len(text) > MANIFEST_WIDTH:
        text = text[:MANIFEST_WIDTH].rstrip()
        steps.append(f"trunc{MANIFEST_WIDTH}")
    return text, f"manifest rendering ({','.join(steps)})"


def typo(rng: random.Random, company: Company) -> tuple[str, str]:
    text = company.english()
    letters = [i for i, ch in enumerate(text) if ch.isalpha() and i > 0]
    pos = rng.choice(letters)
    operation = rng.choice(("swap", "delete", "substitute", "insert"))
    if operation == "swap" and pos + 1 < len(text) and text[pos + 1] != text[pos]:
        text = text[:pos] + text[pos + 1] + text[pos] + text[pos + 2 :]
    elif operation == "delete":
        text = text[:pos] + text[pos + 1 :]
    elif operation == "insert":
        text = text[:pos] + rng.choice(string.ascii_lowercase) + text[pos:]
    else:
        operation = "substitute"
        replacement = rng.choice([c for c in string.ascii_lowercase if c != text[pos].lower()])
        text = text[:pos] + replacement + text[pos + 1 :]
    return text, f"one-character typo ({operation}@{pos})"


def pinyin(rng: random.Random, company: Company) -> tuple[str, str]:
    words = company.pinyin_words()
    if rng.random() < 0.5:
        return "".join(words).upper(), "pinyin of the Chinese name, unspaced upper"
    return " ".join(words), "pinyin of the Chinese name, spaced"


def chinese(company: Company) -> tuple[str, str]:
    return company.name_zh, "Chinese legal name"


def translation(rng: random.Random, company: Company) -> tuple[str, str]:
    """Business words rendered differently: another English word, or left in pinyin."""
    words: list[str] = []
    swaps: list[str] = []
    for term in company.industries:
        options = [*term.en[1:], term.pinyin.title()]
        choice = rng.choice(options)
        words.append(choice)
        swaps.append(f"{term.en[0]}->{choice}")
    form = None
    if rng.random() < 0.3 and len(company.form.en) > 1:
        form = rng.choice(company.form.en[1:])
        swaps.append(f"{company.form.en[0]}->{form}")
    return company.english(words, form=form), f"business words re-translated ({'; '.join(swaps)})"


def place_variant(rng: random.Random, company: Company) -> tuple[str, str]:
    spelling = rng.choice(company.place.variants)
    note = f"place spelled differently ({company.place.pinyin}->{spelling})"
    return company.english(place=spelling), note


def reordered(rng: random.Random, company: Company) -> tuple[str, str]:
    if rng.random() < 0.5:
        return company.english(place_in_parentheses=True), "place moved into parentheses"
    place = " ".join(company.place_words())
    industry = " ".join(t.en[0] for t in company.industries)
    text = f"{company.brand_latin} {industry} {place} {company.form.en[0]}"
    return text, "place moved after the business words"
