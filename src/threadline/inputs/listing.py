"""What list readers share: the list a file feeds, the effect a programme has in law, and the
sources a listing cites (its own, or else the file and row it was read from)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from threadline.data.input_vocab import load_effect_rules
from threadline.data.source_rules import load_source_rules
from threadline.inputs.columns import contains_phrase
from threadline.model.entities import ListEffect
from threadline.model.provenance import Reliability, Source


class ListOptions(TypedDict, total=False):
    """What a caller may say of a reference file, for every reader of one: the list's id (else
    the file's stem) and name, an effect overriding the entries' own, how reliable it is (else
    user-supplied) and the most bytes to read."""

    list_id: str | None
    list_name: str | None
    effect: ListEffect | None
    reliability: Reliability
    max_bytes: int | None


@dataclass(frozen=True, slots=True)
class ListContext:
    """The list a file's rows are entries of. `effect` None: read each entry's from its text."""

    list_id: str
    list_name: str
    effect: ListEffect | None
    reliability: Reliability
    file: str
    file_name: str


def effect_of(text: str) -> ListEffect:
    """The legal effect a sanction's authority or programme text names (data/list_effects.yaml):
    the first rule with a phrase found in the text as whole words, else the default."""
    rules = load_effect_rules()
    for rule in rules.rules:
        if any(contains_phrase(text, phrase) for phrase in rule.phrases):
            return rule.effect
    return rules.default


def cited_sources(
    cited: Sequence[tuple[str, str]],
    context: ListContext,
    *,
    where: str,
    date: dt.date | None = None,
    excerpt: str = "",
) -> tuple[Source, ...]:
    """One Source per (url, title) cited; with none cited, the file and `where` ('row 7') in it,
    so every listing can still be traced to what it was read from. Each source is classified by
    its address (data/rules/sources.yaml): what it is, its publisher and its own date; one no
    rule knows keeps the list's reliability."""
    rules = load_source_rules()
    pairs = list(cited) or [("", f"{context.file_name}, {where}")]
    out = []
    for url, title in pairs:
        found = rules.classify(url, title)
        if found is None:
            out.append(
                Source(
                    url=url,
                    title=title,
                    date=date,
                    excerpt=excerpt,
                    reliability=context.reliability,
                )
            )
            continue
        out.append(
            Source(
                url=url,
                title=title,
                publisher=found.publisher,
                date=date or found.date,
                excerpt=excerpt,
                reliability=found.reliability,
                kind=found.kind,
            )
        )
    return tuple(out)
