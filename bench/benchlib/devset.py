"""Read a screening set (dev or synthetic) and write the inputs each tool takes."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[1]
DEV_DIR = BENCH_DIR / "matching-dev"
SHARED_DEV_DIR = BENCH_DIR.parent.parent / "shared" / "bench" / "matching-dev"
ALIAS_SEPARATOR = "|"
THREADLINE_REF_COLUMNS = ("id", "name", "aliases", "name_zh", "country", "address")
THREADLINE_QUERY_COLUMNS = ("id", "name", "country", "address")


@dataclass(frozen=True, slots=True)
class Query:
    query_id: str
    name: str
    country: str
    address: str
    expected_ref_id: str
    variant_kind: str


@dataclass(frozen=True, slots=True)
class RefEntity:
    ref_id: str
    name: str
    aliases: tuple[str, ...]
    name_zh: str
    country: str
    address: str

    @property
    def all_names(self) -> tuple[str, ...]:
        """Primary name, aliases, then the Chinese name: every string a query may match."""
        names = (self.name, *self.aliases, self.name_zh)
        return tuple(n for n in names if n)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One scored (query, reference) pair, the unit every tool's output is reduced to."""

    query_id: str
    ref_id: str
    score: float


def dev_dir() -> Path:
    """bench/matching-dev, or the shared copy when a checkout lacks it."""
    if (DEV_DIR / "queries.csv").exists():
        return DEV_DIR
    return SHARED_DEV_DIR


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def load_queries(path: Path) -> list[Query]:
    return [
        Query(
            query_id=row["query_id"].strip(),
            name=row["name"].strip(),
            country=row.get("country", "").strip(),
            address=row.get("address", "").strip(),
            expected_ref_id=row.get("expected_ref_id", "").strip(),
            variant_kind=row.get("variant_kind", "").strip(),
        )
        for row in _rows(path)
    ]


def load_reference(path: Path) -> list[RefEntity]:
    return [
        RefEntity(
            ref_id=row["ref_id"].strip(),
            name=row["name"].strip(),
            aliases=tuple(
                a.strip() for a in row.get("aliases", "").split(ALIAS_SEPARATOR) if a.strip()
            ),
            name_zh=row.get("name_zh", "").strip(),
            country=row.get("country", "").strip(),
            address=row.get("address", "").strip(),
        )
        for row in _rows(path)
    ]


def write_threadline_reference(entities: Iterable[RefEntity], path: Path) -> None:
    """REF for `threadline match`: id,name,aliases,name_zh,country,address (aliases ' | ')."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(THREADLINE_REF_COLUMNS)
        for e in entities:
            aliases = f" {ALIAS_SEPARATOR} ".join(e.aliases)
            writer.writerow((e.ref_id, e.name, aliases, e.name_zh, e.country, e.address))


def write_threadline_queries(queries: Iterable[Query], path: Path) -> None:
    """QUERIES for `threadline match`, without the expected answers."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(THREADLINE_QUERY_COLUMNS)
        for q in queries:
            writer.writerow((q.query_id, q.name, q.country, q.address))


def write_candidates(candidates: Iterable[Candidate], path: Path) -> None:
    """The scorer's candidates file: query_id, ref_id, score."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(("query_id", "ref_id", "score"))
        for c in candidates:
            writer.writerow((c.query_id, c.ref_id, f"{c.score:.6f}"))


def write_decisions(decisions: dict[str, str], queries: Iterable[Query], path: Path) -> None:
    """The scorer's predictions file: one row per query, blank ref = no match."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(("query_id", "predicted_ref_id"))
        for q in queries:
            writer.writerow((q.query_id, decisions.get(q.query_id, "")))
