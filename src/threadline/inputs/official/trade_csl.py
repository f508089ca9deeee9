"""trade.gov's Consolidated Screening List, CSV or JSON (`{"results": [...]}`).

Kept: BIS Entity List rows (export controls) and OFAC SDN rows (effect by programme: GLOMAG is
an SDN designation). Other lists of the CSL (Denied Persons, Unverified, MEU, non-SDN …) are
counted and left out, and so are persons (`type` Individual): threadline screens entities.
CSV cells join several values with '; '; JSON has lists, and addresses as objects.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from threadline.data.countries import normalise_country
from threadline.data.official import OfficialList
from threadline.errors import InputError
from threadline.inputs.official import tables
from threadline.inputs.official.base import (
    FileInput,
    ParsedFile,
    ParsedList,
    file_source,
    make_entity,
    merge_same_name,
    official,
)
from threadline.inputs.values import iso_date
from threadline.model import Listing, ReferenceEntity, Source

SOURCE_CSV = "trade_csl_csv"
SOURCE_JSON = "trade_csl_json"
_WHAT = "the Consolidated Screening List (consolidated.csv)"
_REQUIRED = ("source", "name", "type", "programs")
# Notes the CSL writes into names: "…, and any successor, sub-unit, or subsidiary thereof".
_NAME_NOTE = re.compile(r",?\s*(?:and any successors?,?|affiliated entity:).*$", re.I)
_PERSON_TYPES = frozenset({"individual"})
_KEPT_TYPES = frozenset({"", "entity"})


def looks_like_csv(head: bytes) -> bool:
    first = tables.key(tables.decode(head, "utf-8").splitlines()[0] if head else "")
    return first.startswith(("_id,source", "id,source")) or (
        "source" in first and "entity_number" in first and "programs" in first
    )


def looks_like_json(head: bytes) -> bool:
    text = head.decode("utf-8", "replace").lstrip("\ufeff \r\n\t")
    return text.startswith("{") and '"results"' in text[:2000]


def parse_csv(item: FileInput) -> ParsedFile:
    lines = tables.rows(tables.decode(item.data, "utf-8"))
    if not lines:
        raise InputError("file is empty", file=item.name)
    header = [tables.key(h) for h in lines[0]]
    for column in _REQUIRED:
        tables.find(header, item.name, _WHAT, column)
    records = []
    for number, row in enumerate(lines[1:], start=2):
        if len(row) != len(header):
            raise InputError(
                f"row {number} has {len(row)} cells where the header has {len(header)} "
                "(truncated file?)",
                file=item.name,
            )
        records.append((number, dict(zip(header, row, strict=True))))
    return _parse(records, item, SOURCE_CSV)


def parse_json(item: FileInput) -> ParsedFile:
    try:
        doc = json.loads(item.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"is not JSON ({exc}); expected {_WHAT} as JSON", file=item.name) from exc
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(results, list):
        raise InputError(
            'expected a JSON object with a "results" list (consolidated.json)', file=item.name
        )
    records = []
    for number, entry in enumerate(results, start=1):
        if not isinstance(entry, dict) or any(k not in entry for k in _REQUIRED):
            raise InputError(
                f"result {number} lacks one of {', '.join(_REQUIRED)} (layout changed?)",
                file=item.name,
            )
        records.append((number, _flatten(entry)))
    return _parse(records, item, SOURCE_JSON)


def _flatten(entry: Mapping[str, Any]) -> dict[str, str]:
    """JSON values as the CSV writes them: lists joined with '; ', addresses as text."""
    out: dict[str, str] = {}
    for name, value in entry.items():
        if name == "addresses" and isinstance(value, list):
            out[name] = "; ".join(
                ", ".join(
                    str(a.get(k) or "")
                    for k in ("address", "city", "state", "postal_code", "country")
                    if a.get(k)
                )
                for a in value
                if isinstance(a, dict)
            )
        elif name == "ids" and isinstance(value, list):
            out[name] = "; ".join(
                ", ".join(str(i.get(k) or "") for k in ("type", "number", "country") if i.get(k))
                for i in value
                if isinstance(i, dict)
            )
        elif isinstance(value, list):
            out[name] = "; ".join(str(v) for v in value if v is not None)
        else:
            out[name] = "" if value is None else str(value)
    out.setdefault("_id", out.get("id", ""))
    return out


def _parse(records: list[tuple[int, dict[str, str]]], item: FileInput, source: str) -> ParsedFile:
    bis, sdn = official("bis_entity_list"), official("ofac_sdn")
    when = item.fetched
    found: dict[str, list[ReferenceEntity]] = {bis.id: [], sdn.id: []}
    skipped: dict[str, int] = {}
    for number, record in records:
        label = record.get("source", "")
        meta = bis if "entity list" in label.lower() else sdn if _is_sdn(label) else None
        kind = record.get("type", "").strip().lower()
        why = _left_out(meta, kind)
        if why or meta is None:
            skipped[why] = skipped.get(why, 0) + 1
            continue
        found[meta.id].append(_entity(record, number, meta, item.name, when))
    if not any(found.values()):
        raise InputError(
            f"no BIS Entity List or OFAC SDN entries in {_WHAT} (truncated file?)", file=item.name
        )
    lists = tuple(
        ParsedList(meta, merge_same_name(found[meta.id])) for meta in (bis, sdn) if found[meta.id]
    )
    return ParsedFile(source, item.name, when, lists, skipped)


def _left_out(meta: OfficialList | None, kind: str) -> str:
    """Why a row is not imported ("" when it is): another list of the CSL, or not an entity."""
    if meta is None:
        return "other lists of the CSL"
    if kind in _PERSON_TYPES:
        return "persons"
    return "" if kind in _KEPT_TYPES else f"{kind}s"


def _is_sdn(label: str) -> bool:
    text = label.lower()
    return "specially designated nationals" in text or "(sdn)" in text


def _entity(
    record: dict[str, str], number: int, meta: OfficialList, file: str, when: dt.date
) -> ReferenceEntity:
    name = _NAME_NOTE.sub("", record.get("name", "")).strip()
    if not name:
        raise InputError(f"row {number}: name is empty", file=file)
    programs = [p.strip() for p in record.get("programs", "").split(";") if p.strip()]
    citations = record.get("federal_register_notice", "")
    sources = [file_source(meta, file, when, excerpt=citations)]
    url = record.get("source_list_url", "") or record.get("source_information_url", "")
    if url.startswith("http") and url != meta.url:
        sources.insert(
            0, Source(url=url, title=record.get("source", meta.title), excerpt=citations)
        )
    listing = Listing(
        list_id=meta.id,
        list_name=meta.title,
        effect=meta.effect,
        entry_id="",
        program="; ".join(programs),
        date_listed=_date(record.get("start_date", ""), number, file),
        date_removed=_date(record.get("end_date", ""), number, file),
        sources=tuple(sources),
    )
    addresses = [a.strip() for a in record.get("addresses", "").split(";") if a.strip()]
    country = next(
        (c for a in addresses if (c := normalise_country(a.rsplit(",", 1)[-1].strip()))), ""
    )
    ids = [_id_number(i) for i in record.get("ids", "").split(";") if i.strip()]
    return make_entity(
        meta,
        name,
        [listing],
        aliases=[a for a in record.get("alt_names", "").split(";") if a.strip()],
        country=country,
        address=" | ".join(addresses),
        identifiers=[i for i in ids if i],
    )


def _id_number(text: str) -> str:
    parts = [p.strip() for p in text.split(",")]
    return parts[1] if len(parts) >= 2 else parts[0]


def _date(text: str, number: int, file: str) -> dt.date | None:
    try:
        return iso_date(text.strip()[:10])
    except ValueError:
        raise InputError(f"row {number}: date '{text}' is not YYYY-MM-DD", file=file) from None
