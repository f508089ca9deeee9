"""Which column holds what: headers matched against the synonyms of data/columns.yaml.

Exact matches (ignoring case, spaces and punctuation) come first; then synonyms found inside a
longer header, field by field in the vocabulary's priority order. Each header serves one field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

from threadline.data.input_vocab import FieldSynonyms, HeaderVocabulary
from threadline.errors import InputError, listed

_WORD = re.compile(r"[^\W_]+")
_SCRIPT_RUN = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


class NamedColumns(TypedDict, total=False):
    """The columns a user named (`--name-col`, `--address-col`, `--country-col`, `--id-col`),
    for every reader of supplier and shipment tables; the others are guessed."""

    name_col: str | Sequence[str] | None
    address_col: str | Sequence[str] | None
    country_col: str | None
    id_col: str | None


@dataclass(frozen=True, slots=True)
class RecordColumns:
    """The header of each field in a supplier or shipment table; None where there is none.

    `more_names` are further name columns (a Chinese name beside the English one), screened as
    other names of the row; `more_addresses` and `places` (city, province, region) are joined to
    the address in header order."""

    name: str
    address: str | None = None
    country: str | None = None
    identifier: str | None = None
    product: str | None = None
    hs_code: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    key: str | None = None  # the user's own row key (Vendor No.)
    certification: str | None = None  # certificates claimed (WRAP, BSCI …)
    more_names: tuple[str, ...] = ()
    more_addresses: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.more_names)

    @property
    def address_parts(self) -> tuple[str, ...]:
        first = (self.address,) if self.address else ()
        return (*first, *self.more_addresses, *self.places)

    def describe(self) -> str:
        """'name: Vendor Name + 供应商名称; address: Street + City; country: Country' — what was used."""
        parts = [
            ("name", self.names),
            ("address", self.address_parts),
            ("country", (self.country,) if self.country else ()),
            ("id", (self.identifier,) if self.identifier else ()),
            ("key", (self.key,) if self.key else ()),
            ("certifications", (self.certification,) if self.certification else ()),
            ("product", (self.product,) if self.product else ()),
            ("HS code", (self.hs_code,) if self.hs_code else ()),
            ("site", tuple(c for c in (self.latitude, self.longitude) if c)),
        ]
        return "; ".join(f"{label}: {' + '.join(columns)}" for label, columns in parts if columns)


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


def all_matching(
    header: Sequence[str], synonyms: FieldSynonyms, used: Collection[str]
) -> tuple[str, ...]:
    """Every header, in header order, that names the field (exact or contained synonym)."""
    exact = {header_key(s) for s in synonyms.exact}
    return tuple(
        column
        for column in header
        if column not in used
        and (
            header_key(column) in exact
            or (
                any(contains_phrase(column, s) for s in synonyms.contains)
                and not any(contains_phrase(column, w) for w in synonyms.excludes)
            )
        )
    )


def _given(
    header: Sequence[str], value: str | Sequence[str] | None, flag: str, file: str
) -> list[str]:
    values = [value] if isinstance(value, str) else list(value or ())
    return list(dict.fromkeys(find_column(header, v, what=flag, file=file) for v in values))


def guess_record_columns(
    header: Sequence[str],
    vocabulary: HeaderVocabulary,
    named: NamedColumns | None = None,
    *,
    file: str,
) -> RecordColumns:
    """Columns of a supplier/shipment table: the user's overrides (`named`), then guesses.

    Several name or address columns may be given; without `name_col`, every header that names
    a name is used (English and Chinese name columns together), and every city, province or
    region column joins the address."""
    named = named or {}
    name_col = named.get("name_col")
    names = _given(header, name_col, "--name-col", file)
    addresses = _given(header, named.get("address_col"), "--address-col", file)
    given = {
        field: columns[0]
        for field, columns in (
            ("name", names),
            ("address", addresses),
            ("country", _given(header, named.get("country_col"), "--country-col", file)),
            ("identifier", _given(header, named.get("id_col"), "--id-col", file)),
        )
        if columns
    }
    found = match_headers(header, vocabulary, given=given)
    name = found.get("name")
    if name is None:
        raise InputError(
            f"no name column found; columns are: {listed(list(header))}; use --name-col", file=file
        )
    used = {*found.values(), *names, *addresses}
    if not name_col and "name" in vocabulary:
        names = [name, *all_matching(header, vocabulary["name"], used)]
        used.update(names)
    # match_headers gave the first place column the "place" field; all_matching takes them all.
    used.discard(found.get("place", ""))
    places = all_matching(header, vocabulary["place"], used) if "place" in vocabulary else ()
    return RecordColumns(
        name=name,
        address=found.get("address"),
        country=found.get("country"),
        identifier=found.get("identifier"),
        product=found.get("product"),
        hs_code=found.get("hs_code"),
        latitude=found.get("latitude"),
        longitude=found.get("longitude"),
        key=found.get("key"),
        certification=found.get("certification"),
        more_names=tuple(names[1:]),
        more_addresses=tuple(addresses[1:]),
        places=places,
    )
