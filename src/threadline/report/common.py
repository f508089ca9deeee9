"""Small helpers every output format shares, so JSON, CSV and HTML count and order alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from threadline.model import (
    Evidence,
    ExposurePath,
    MatchResult,
    PathEdge,
    ScreenedRow,
    Source,
    SourceKind,
    Tier,
)

TIERS_BY_SEVERITY: tuple[Tier, ...] = tuple(sorted(Tier, key=lambda t: -t.severity))


def is_web_url(value: object) -> bool:
    """Only http(s) sources become links: a cell from an untrusted file must never yield a
    `javascript:` or `data:` link."""
    return isinstance(value, str) and value.lower().startswith(("https://", "http://"))


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def tier_counts(rows: Sequence[ScreenedRow]) -> dict[Tier, int]:
    """Counts for every tier, worst first, zeros included: an auditor wants to see them."""
    counts = dict.fromkeys(TIERS_BY_SEVERITY, 0)
    for row in rows:
        counts[row.risk.tier] += 1
    return counts


def worst_first(rows: Sequence[ScreenedRow]) -> list[ScreenedRow]:
    """Worst tier first; within a tier the input order is kept (the sort is stable)."""
    return sorted(rows, key=lambda row: -row.risk.tier.severity)


def top_match(row: ScreenedRow) -> MatchResult | None:
    """The best-scoring match; the first one wins a tie, as upstream ranks best first."""
    return max(row.matches, key=lambda match: match.score, default=None)


def ranked(evidence: Sequence[Evidence]) -> list[Evidence]:
    """Most reliable first; the order given is kept among equals (the sort is stable)."""
    return sorted(evidence, key=lambda item: item.reliability)


def ranked_sources(sources: Sequence[Source]) -> list[Source]:
    return sorted(sources, key=lambda source: source.reliability)


def evidence_urls(row: ScreenedRow) -> list[str]:
    """Every source a reason cites, once each, in the order the reasons cite them (the most
    reliable of each reason's first: an official publication before commentary on it)."""
    seen: dict[str, None] = {}
    for reason in row.risk.reasons:
        for item in ranked(reason.evidence):
            if item.source_url:
                seen.setdefault(item.source_url, None)
    return list(seen)


def evidence_lines(row: ScreenedRow) -> list[str]:
    """Each cited source once, as 'what it is, publisher, its own date: address', in the order
    the reasons cite them (official publications first within a reason); a note in the list
    data gives its text instead of an address."""
    seen: dict[str, None] = {}
    for reason in row.risk.reasons:
        for item in ranked(reason.evidence):
            where = (
                item.fact if item.kind is SourceKind.LIST_NOTE else item.source_url or item.title
            )
            head = ", ".join(
                part for part in (item.label, item.publisher, iso_date(item.date)) if part
            )
            seen.setdefault(f"{head}: {where}", None)
    return list(seen)


def edge_label(edge: PathEdge) -> str:
    """'-[owns]->' along the relation as recorded, '<-[owns]-' against it, with its id."""
    kind = f"[{edge.relation.kind.value} {edge.relation.id}]"
    return f"-{kind}->" if edge.along else f"<-{kind}-"


def path_label(path: ExposurePath) -> str:
    """'Acme <-[shipped_to r1]- Redstone Cotton': the path on one line, names and relations."""
    return path.start.label + "".join(f" {edge_label(e)} {e.to_node.label}" for e in path.edges)


def exposure_paths(row: ScreenedRow) -> list[str]:
    """Every exposure path the row's reasons carry, once each, in the reasons' order."""
    return list(dict.fromkeys(path_label(p) for reason in row.risk.reasons for p in reason.paths))
