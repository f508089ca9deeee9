"""Readers of the official list files `threadline data update` loads, one module per format.

`read_official` detects the format from the file's content (or takes `source`), and hands back
the entities each list holds according to that file. Nothing here touches the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from threadline.errors import InputError
from threadline.inputs.official import (
    cbp_wro,
    dhs_uflpa,
    ofac_sdn,
    opensanctions,
    trade_csl,
    uk_fcdo,
)
from threadline.inputs.official.base import FileInput, ParsedFile, ParsedList

Parser = Callable[[FileInput], ParsedFile]

# In detection order: the most specific signatures first.
PARSERS: dict[str, tuple[Callable[[bytes], bool], Parser]] = {
    trade_csl.SOURCE_JSON: (trade_csl.looks_like_json, trade_csl.parse_json),
    opensanctions.SOURCE_FTM: (opensanctions.looks_like_ftm, opensanctions.parse_ftm),
    opensanctions.SOURCE_SIMPLE: (opensanctions.looks_like_simple, opensanctions.parse_simple),
    trade_csl.SOURCE_CSV: (trade_csl.looks_like_csv, trade_csl.parse_csv),
    cbp_wro.SOURCE: (cbp_wro.looks_like, cbp_wro.parse),
    uk_fcdo.SOURCE: (uk_fcdo.looks_like, uk_fcdo.parse),
    ofac_sdn.SOURCE: (ofac_sdn.looks_like, ofac_sdn.parse),
    dhs_uflpa.SOURCE: (dhs_uflpa.looks_like, dhs_uflpa.parse),
}
SOURCES = tuple(PARSERS)
_HEAD = 64 * 1024


def detect(item: FileInput) -> str:
    head = item.data[:_HEAD]
    for name, (looks_like, _) in PARSERS.items():
        if looks_like(head):
            return name
    raise InputError(
        "not a recognised official list file; expected one of: the DHS UFLPA Entity List page "
        "saved as HTML, CBP's WRO/Findings CSV, the trade.gov Consolidated Screening List "
        "(CSV or JSON), OFAC's SDN.CSV, the UK Sanctions List CSV, an OpenSanctions FtM or "
        "targets.simple.csv export — or name the format with --source",
        file=item.name,
    )


def read_official(
    files: Sequence[FileInput], source: str | None = None, file_date: dt.date | None = None
) -> list[ParsedFile]:
    """Each file read in its format; `file_date` overrides the date a file states or was
    fetched on (the date removals found in it take effect)."""
    if source is not None and source not in PARSERS:
        raise InputError(f"--source: '{source}' is not one of {', '.join(SOURCES)}")
    dated = [
        item if file_date is None else FileInput(item.data, item.name, file_date) for item in files
    ]
    # OFAC's ALT.CSV and ADD.CSV are read together with the SDN.CSV they complete.
    side = [i for i in dated if source is None and ofac_sdn.kind(i.data[:_HEAD]) in ("alt", "add")]
    main = [i for i in dated if i not in side]
    if side and not any(ofac_sdn.kind(i.data[:_HEAD]) == "sdn" for i in main):
        raise InputError(
            "OFAC's ALT.CSV and ADD.CSV need their SDN.CSV: pass it with --from", file=side[0].name
        )
    out = []
    for item in main:
        name = source or detect(item)
        parsed = ofac_sdn.parse(item, side) if name == ofac_sdn.SOURCE else PARSERS[name][1](item)
        if file_date is not None:
            parsed = ParsedFile(parsed.source, parsed.file, file_date, parsed.lists, parsed.skipped)
        out.append(parsed)
    return out


__all__ = ["SOURCES", "FileInput", "ParsedFile", "ParsedList", "detect", "read_official"]
