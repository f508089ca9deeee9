"""A supplier's dossier for a detention or an audit: everything threadline holds about it,
gathered from the store and a fresh screening, organised along the evidence CBP's UFLPA guidance
asks importers for (supply-chain tracing, due diligence, proof of origin outside the XUAR).

The subject is a stored entity (id or name) or a row of a screening's results.json. Either way
the subject is screened again with today's data, so paths, dispositions and decisions are the
current ones; the dossier says so. Rendering is `report.dossier`; this module only gathers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threadline.decide import ReviewDecision, decision_key
from threadline.errors import InputError, NotFound
from threadline.lookup import confident, find_entities
from threadline.model import (
    LOCATED_IN,
    CertificationClaim,
    InputRecord,
    RunMetadata,
    ScreenedRow,
    Source,
)
from threadline.model.ids import supplier_key
from threadline.pipeline import build_screener, ensure_reference_data
from threadline.report.common import path_label
from threadline.report.graph_svg import paths_svg
from threadline.store import EntityRecord, Store
from threadline.store.dispositions import DispositionLogEntry, Dispositions

_LOCATION_PROPS = ("address", LOCATED_IN, "country")


@dataclass(frozen=True, slots=True)
class Dossier:
    origin: str  # what the subject was taken from
    row: ScreenedRow
    meta: RunMetadata
    entities: tuple[EntityRecord, ...]  # the stored entities the subject is or may be
    linked: tuple[EntityRecord, ...]  # the entities its exposure paths pass through
    names: dict[str, str]  # entity id → name, for relation ends
    decisions: tuple[ReviewDecision, ...]
    dispositions: tuple[DispositionLogEntry, ...]


def build_dossier(
    store: Store,
    subject: str,
    *,
    results: Path | None = None,
    as_of: dt.date | None = None,
    record: InputRecord | None = None,
) -> Dossier:
    """`subject`: a row number of `results` (a results.json), else an entity id or name; or,
    with `record`, that record (a stored screening's row) and `subject` says where it is from."""
    ensure_reference_data(store)
    if record is not None:
        origin = subject
    elif results is not None:
        record, origin, as_of = _row_record(results, subject, as_of)
    else:
        record, origin = _entity_record(store, subject)
    when = as_of or dt.date.today()
    screener = build_screener(store)
    run = screener.run(as_of=when)
    (row,) = run.screen([record])
    meta = run.metadata([origin])
    ids = [m.entity.id for m in row.matches] + [
        n
        for n in screener.start_nodes(record, row.matches)
        if n not in {m.entity.id for m in row.matches}
    ]
    found = [e for e in (store.entity_statements(i) for i in dict.fromkeys(ids)) if e is not None]
    on_paths = [n.id for r in row.risk.reasons for p in r.paths for n in p.nodes if n.id not in ids]
    linked = [e for e in map(store.entity_statements, dict.fromkeys(on_paths)) if e is not None]
    names = {e.id: e.name for e in screener.lookup.values()}
    all_names = (record.name, *record.other_names)
    decisions = tuple(
        d
        for (name_key, entity_id), d in store.decisions().items()
        if any(decision_key(n, entity_id)[0] == name_key for n in all_names if n)
    )
    keys = {supplier_key(n) for n in (*all_names, record.address) if n}
    logged = tuple(
        e for e in Dispositions(store).log() if supplier_key(e.disposition.supplier) in keys
    )
    return Dossier(origin, row, meta, tuple(found), tuple(linked), names, decisions, logged)


def _entity_record(store: Store, subject: str) -> tuple[InputRecord, str]:
    stored = store.entity_statements(subject)
    if stored is None:
        hits = find_entities(store.load_entities(), subject)
        best = confident(hits)
        if best is None:
            if not hits:
                raise NotFound(f"no entity with id or name like '{subject}' in the store")
            listed = "; ".join(f"{h.entity.id} ({h.entity.name})" for h in hits[:5])
            raise InputError(f"'{subject}' is not one entity; name one by id: {listed}")
        stored = store.entity_statements(best.entity.id)
        assert stored is not None
    values = {s.prop: s.value for s in stored.statements}
    record = InputRecord(
        file="threadline store",
        row=0,
        name=stored.caption,
        address=values.get("address", ""),
        country=values.get("country", ""),
        identifier=values.get("identifier", ""),
        key=stored.id,
    )
    return record, f"entity {stored.id}"


def _row_record(
    results: Path, subject: str, as_of: dt.date | None
) -> tuple[InputRecord, str, dt.date]:
    try:
        document: dict[str, Any] = json.loads(results.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot be read as results.json: {exc}", file=str(results)) from exc
    if not subject.isdigit():
        raise InputError(f"'{subject}' is not a row number of {results.name}")
    found = next((r for r in document.get("results", []) if str(r.get("row")) == subject), None)
    if found is None:
        raise NotFound(f"{results}: has no row {subject}")
    record = record_of_result(found)
    when = as_of or dt.date.fromisoformat(document.get("as_of", dt.date.today().isoformat()))
    return record, f"{results.name}, row {subject} ({Path(record.file).name})", when


def record_of_result(found: Mapping[str, Any]) -> InputRecord:
    """The input record a results.json row object was screened from."""
    screened = found.get("screened") or {}
    return InputRecord(
        file=str(found.get("file", "")),
        row=int(found["row"]),
        name=screened.get("name", ""),
        address=screened.get("address", ""),
        country=screened.get("country", ""),
        key=screened.get("key", ""),
        product=screened.get("product", ""),
        hs_code=screened.get("hs_code", ""),
        other_names=tuple(screened.get("other_names", ())),
        certifications=tuple(
            CertificationClaim(c.get("scheme", ""), c.get("claim", ""))
            for c in screened.get("certifications", ())
        ),
        raw=found.get("input", {}),
    )


def official_first(sources: Sequence[Source]) -> list[Source]:
    """Official lists before government documents, research, media, inferred, user-supplied."""
    return sorted(sources, key=lambda s: int(s.reliability))


def location_facts(entities: Sequence[EntityRecord]) -> list[tuple[str, str, str, Source]]:
    """(entity, property, value, source) of every address or location statement."""
    return [
        (e.caption, s.prop, s.value, s.source)
        for e in entities
        for s in e.statements
        if s.prop in _LOCATION_PROPS
    ]


def dossier_context(dossier: Dossier) -> dict[str, Any]:
    """What the dossier template shows, in the order of CBP's evidence categories."""
    row = dossier.row
    record = row.record
    relations = {r.id: r for e in dossier.entities for r in e.relations}
    flagged = frozenset(p.end.id for reason in row.risk.reasons for p in reason.paths)
    paths = [p for reason in row.risk.reasons for p in reason.paths]
    return {
        "origin": dossier.origin,
        "meta": dossier.meta,
        "row": row,
        "record": record,
        "entities": dossier.entities,
        "names": dossier.names,
        "relations": sorted(
            relations.values(),
            key=lambda r: min((int(s.reliability) for s in r.sources), default=9),
        ),
        "graph": paths_svg(paths[:12], flagged),
        "paths": [path_label(p) for p in paths],
        "locations": location_facts([*dossier.entities, *dossier.linked]),
        "quotes": [
            (e.caption, s) for e in dossier.entities for s in e.statements if s.source.excerpt
        ],
        "decisions": dossier.decisions,
        "dispositions": dossier.dispositions,
        "official_first": official_first,
    }
