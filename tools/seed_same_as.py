"""Propose same-company links across the bundled lists, for a person to review.

Every entity of each bundled list is matched, under each of its names, against every other
bundled entity (of any list: CBP lists an order and its later Finding as two entries); pairs scoring at least --threshold (default 0.95, stricter than the match band)
are printed as CSV rows `id,id,score,names` with both entities' names, Chinese names and
locations side by side. Nothing is written into the package: a reviewer copies the pairs they
can justify into src/threadline/data/lists/same_as.csv with a `why` and a `source` per row.

Run: python tools/seed_same_as.py [--threshold 0.95] > proposals.csv
"""

from __future__ import annotations

import argparse
import csv
import sys

from threadline.data.lists import bundled_entities
from threadline.data.rules import load_algorithm
from threadline.data.vocab import load_normaliser
from threadline.matching import Matcher, Query
from threadline.model import ReferenceEntity

_SCREENED = frozenset({"Company", "Organization", "LegalEntity", "PublicBody", "Facility"})


def _describe(entity: ReferenceEntity) -> str:
    parts = [" / ".join(entity.all_names), entity.address or entity.country]
    return " | ".join(part for part in parts if part)


def proposals(threshold: float) -> list[tuple[str, str, float, str]]:
    entities = [e for e in bundled_entities() if e.schema in _SCREENED]
    matcher = Matcher(entities, load_normaliser(), load_algorithm())
    queries = [(e, name) for e in entities for name in e.all_names]
    found: dict[tuple[str, str], tuple[float, str]] = {}
    results = matcher.match([Query(name, e.country) for e, name in queries], floor=threshold)
    for (entity, _), matches in zip(queries, results, strict=True):
        for match in matches:
            other = match.entity
            if other.id == entity.id:
                continue  # (one list may name a firm twice: a CBP order and a later Finding)
            pair = tuple(sorted((entity.id, other.id)))
            key = (pair[0], pair[1])
            if key not in found or found[key][0] < match.score:
                names = f"{_describe(entity)}  <>  {_describe(other)}"
                found[key] = (match.score, names)
    return sorted(((a, b, s, n) for (a, b), (s, n) in found.items()), key=lambda r: r[:2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.95)
    args = parser.parse_args()
    writer = csv.writer(sys.stdout)
    writer.writerow(["id", "other_id", "score", "names"])
    for a, b, score, names in proposals(args.threshold):
        writer.writerow([a, b, f"{score:.3f}", names])


if __name__ == "__main__":
    main()
