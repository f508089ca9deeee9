"""Which column holds what: headers matched against the synonyms of data/columns.yaml.

Exact matches (ignoring case, spaces and punctuation) come first; then synonyms found inside a
longer header, field by field in the vocabulary's priority order. Each header serves one field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from threadline.data.input_vocab import FieldSynonyms, HeaderVocabulary
from threadline.errors import InputError, listed

_WORD = re.compile(r"[^\W_]+")
_SCRIPT_RUN = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


@dataclass(frozen=True, slots=True)
class RecordColumns:
    """The header of each field in a supplier or shipment table; None where there is none."""

    name: str
    address: str | None = None
    country: str | None = None
    identifier: str | None = None
    product: str | None = None
    hs_code: str | None = None
    latitude: str | None = None
    longitude: str | None = None


def header_key(text: str) -> str:
    """'Supplier Name (EN)' → 'suppliernameen': case, width, spaces and punctuation ignored."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def header_words(text: str) -> list[str]:
    """Words of a header; a run of Chinese is one word, split from Latin letters it touches."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [run for word in _WORD.findall(folded) for run in _SCRIPT_RUN.findall(word)]


def contains_phrase(text: str, phrase: str) -> bool:
    """Latin phrases must appear as whole words; Chinese ones anywhere (no word breaks)."""
    if not phrase.isascii():
        return header_key(phrase) in header_key(text)
    wanted, words = header_words(phrase), header_words(text)
    span = len(wanted)
    return span > 0 and any(words[i : i + span] == wanted for i in range(len(words) - span + 1))


def match_headers(
    header: Sequence[str],
    vocabulary: HeaderVocabulary,
    *,
    given: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """field → header for each field recognised; `given` fields are kept and their headers taken."""
    found = dict(given or {})
    used = set(found.values())
    keys = {column: header_key(column) for column in header}
    for field, synonyms in vocabulary.items():
        if field not in found:
            hit = _exact(header, keys, synonyms, used)
            if hit is not None:
                found[field] = hit
                used.add(hit)
    for field, synonyms in vocabulary.items():
        if field not in found:
            hit = _contained(header, synonyms, used)
            if hit is not None:
                found[field] = hit
                used.add(hit)
    return found


def _exact(
    header: Sequence[str], keys: Mapping[str, str], synonyms: FieldSynonyms, used: set[str]
) -> str | None:
    for synonym in synonyms.exact:
        wanted = header_key(synonym)
        for column in header:
            if column not in used and keys[column] == wanted:
                return column
    return None


def _contained(header: Sequence[str], synonyms: FieldSynonyms, used: set[str]) -> str | None:
    for synonym in synonyms.contains:
        for column in header:
            if (
                column not in used
                and contains_phrase(column, synonym)
                and not any(contains_phrase(column, word) for word in synonyms.excludes)
            ):
                return column
    return None


def find_column(header: Sequence[str], wanted: str, *, what: str, file: str) -> str:
    """The header a user named (case-insensitive), or an InputError listing the real ones."""
    folded = wanted.strip().casefold()
    for column in header:
        if column.casefold() == folded:
            return column
    raise InputError(
        f"column '{wanted}' given for {what} is not in the file; columns are: {listed(list(header))}",
        file=file,
    )


def guess_record_columns(
    header: Sequence[str],
    vocabulary: HeaderVocabulary,
    *,
    file: str,
    name_col: str | None = None,
    address_col: str | None = None,
    country_col: str | None = None,
    id_col: str | None = None,
) -> RecordColumns:
    """Columns of a supplier/shipment table: the user's overrides, then guesses."""
    overrides = {
        "name": (name_col, "--name-col"),
        "address": (address_col, "--address-col"),
        "country": (country_col, "--country-col"),
        "identifier": (id_col, "--id-col"),
    }
    given = {
        field: find_column(header, value, what=flag, file=file)
        for field, (value, flag) in overrides.items()
        if value is not None
    }
    found = match_headers(header, vocabulary, given=given)
    name = found.get("name")
    if name is None:
        raise InputError(
            f"no name column found; columns are: {listed(list(header))}; use --name-col", file=file
        )
    return RecordColumns(
        name=name,
        address=found.get("address"),
        country=found.get("country"),
        identifier=found.get("identifier"),
        product=found.get("product"),
        hs_code=found.get("hs_code"),
        latitude=found.get("latitude"),
        longitude=found.get("longitude"),
    )
