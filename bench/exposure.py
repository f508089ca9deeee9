"""Exposure walk: threadline's sparse-matrix walk beside a networkx BFS per supplier.

    bench/.venv/bin/python bench/exposure.py                           # 10k suppliers, 1M edges
    bench/.venv/bin/python bench/exposure.py --edges 100000 --suppliers 1000   # quick run

Both sides get the same seeded synthetic graph (random relations of every kind, a share of
listed targets) and the same rules: goods expose the receiver only, control both ways, sites
their occupants; at most `--hops` links; targets are reached but not walked through. Each side
runs in its own child process, so its peak RSS is its own; the graph is generated inside the
child before the clock starts. threadline also rebuilds every shortest path (capped at 20 per
supplier, as the Screener does); the baseline only finds (target, distance) pairs, which the
parent checks are identical on both sides.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np
from threadline.exposure import RelationGraph
from threadline.model import Relation, RelationKind

AS_OF = dt.date(2025, 6, 30)
KINDS = list(RelationKind)
# Shares of relation kinds, roughly as trade and registry data would give them.
KIND_SHARES = {
    RelationKind.SHIPPED_TO: 0.45,
    RelationKind.SUPPLIES: 0.25,
    RelationKind.OWNS: 0.1,
    RelationKind.SUBSIDIARY_OF: 0.1,
    RelationKind.LOCATED_AT: 0.07,
    RelationKind.OPERATES: 0.03,
}
MAX_PATHS = 20
BATCH = 2000  # the Screener's batch size
OUT_DIR = Path(__file__).resolve().parent / "out"


def synthetic(edges: int, nodes: int, targets: float, seed: int) -> tuple[list[Relation], set[str]]:
    """Relations (5% ended before the as-of date) and the ids of listed entities."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(len(KINDS), size=edges, p=[KIND_SHARES[k] for k in KINDS])
    # Mildly skewed endpoints: some firms trade far more than others.
    sources = (rng.pareto(2.5, size=edges) * nodes / 20).astype(np.int64) % nodes
    dests = rng.integers(0, nodes, size=edges)
    ended = rng.random(edges) < 0.05
    relations = [
        Relation(
            f"r{n}",
            KINDS[k],
            f"e{a}",
            f"e{b}",
            end=dt.date(2024, 1, 1) if gone else None,
        )
        for n, (k, a, b, gone) in enumerate(
            zip(kinds.tolist(), sources.tolist(), dests.tolist(), ended.tolist(), strict=True)
        )
    ]
    listed = {f"e{i}" for i in rng.choice(nodes, size=int(nodes * targets), replace=False).tolist()}
    return relations, listed


def suppliers(count: int, nodes: int, listed: set[str], seed: int) -> list[str]:
    rng = np.random.default_rng(seed + 1)
    out: list[str] = []
    for i in rng.permutation(nodes).tolist():
        if f"e{i}" not in listed:
            out.append(f"e{i}")
        if len(out) == count:
            break
    return out


def run_threadline(
    relations: list[Relation], listed: set[str], starts: list[str], hops: int
) -> tuple[dict[str, Any], list[list[tuple[str, int]]]]:
    began = time.perf_counter()
    graph = RelationGraph(relations, AS_OF)
    built = time.perf_counter()
    found: list[list[tuple[str, int]]] = []
    paths = 0
    for first in range(0, len(starts), BATCH):
        batch = [{s} for s in starts[first : first + BATCH]]
        for hits in graph.walk(batch, listed, hops, MAX_PATHS):
            found.append(sorted((h.hops, h.target_id) for h in hits))
            paths += sum(len(h.paths) for h in hits)
    walked = time.perf_counter()
    return {
        "build_s": built - began,
        "walk_s": walked - built,
        "total_s": walked - began,
        "paths": paths,
    }, found


def run_networkx(
    relations: list[Relation], listed: set[str], starts: list[str], hops: int
) -> tuple[dict[str, Any], list[list[tuple[str, int]]]]:
    import networkx as nx

    began = time.perf_counter()
    graph = nx.DiGraph()
    for r in relations:
        if not r.active_on(AS_OF):
            continue
        if r.kind.carries_goods:
            graph.add_edge(r.target_id, r.source_id)
        elif r.kind.is_control:
            graph.add_edge(r.source_id, r.target_id)
            graph.add_edge(r.target_id, r.source_id)
        else:
            graph.add_edge(r.source_id, r.target_id)
    built = time.perf_counter()
    found: list[list[tuple[str, int]]] = []
    for start in starts:
        hits: list[tuple[str, int]] = []
        if start in graph:
            seen, queue = {start}, deque([(start, 0)])
            while queue:
                node, depth = queue.popleft()
                if depth == hops or node in listed:
                    continue
                for nxt in graph.successors(node):
                    if nxt not in seen:
                        seen.add(nxt)
                        if nxt in listed:
                            hits.append((depth + 1, nxt))
                        queue.append((nxt, depth + 1))
        found.append(sorted(hits))
    walked = time.perf_counter()
    return {
        "build_s": built - began,
        "walk_s": walked - built,
        "total_s": walked - began,
        "paths": None,
    }, found


def worker(args: argparse.Namespace) -> None:
    generated = time.perf_counter()
    relations, listed = synthetic(args.edges, args.nodes, args.targets, args.seed)
    starts = suppliers(args.suppliers, args.nodes, listed, args.seed)
    generate_s = time.perf_counter() - generated
    run = run_threadline if args.worker == "threadline" else run_networkx
    figures, found = run(relations, listed, starts, args.hops)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / f"exposure-{args.worker}.json").write_text(json.dumps(found))
    figures.update(
        tool=args.worker,
        generate_s=generate_s,
        exposed=sum(1 for hits in found if hits),
        pairs=sum(len(hits) for hits in found),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    sys.stdout.write(json.dumps(figures) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--nodes", type=int, default=250_000)
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--targets", type=float, default=0.01, help="share of entities listed")
    parser.add_argument("--hops", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tools", default="threadline,networkx")
    parser.add_argument("--worker", choices=["threadline", "networkx"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    common = [
        f"--{k}={getattr(args, k)}"
        for k in ("edges", "nodes", "suppliers", "targets", "hops", "seed")
    ]
    results = []
    for tool in args.tools.split(","):
        done = subprocess.run(
            [sys.executable, __file__, f"--worker={tool}", *common],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"{tool} failed: {done.stderr.strip().splitlines()[-1:]}")
        results.append(json.loads(done.stdout))
    lines = [
        f"{args.edges:,} relations over {args.nodes:,} entities ({args.targets:.1%} listed), "
        f"{args.suppliers:,} suppliers, {args.hops} hops",
        f"{'tool':<11} {'build s':>8} {'walk s':>8} {'total s':>8} {'peak RSS MB':>12} "
        f"{'exposed':>8} {'pairs':>8} {'paths':>8}",
    ]
    for r in results:
        paths = "-" if r["paths"] is None else f"{r['paths']:,}"
        lines.append(
            f"{r['tool']:<11} {r['build_s']:>8.2f} {r['walk_s']:>8.2f} {r['total_s']:>8.2f} "
            f"{r['peak_rss_mb']:>12,.0f} {r['exposed']:>8,} {r['pairs']:>8,} {paths:>8}"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    if len(results) > 1:
        sys.stdout.write(_agreement(results) + "\n")


def _agreement(results: list[dict[str, Any]]) -> str:
    """threadline must find, for every supplier, the baseline's nearest targets in the same
    (hops, id) order: all of them, or a prefix where the supplier's paths reached the cap."""
    found = {
        r["tool"]: json.loads((OUT_DIR / f"exposure-{r['tool']}.json").read_text()) for r in results
    }
    ours, theirs = found["threadline"], found["networkx"]
    capped = 0
    for mine, baseline in zip(ours, theirs, strict=True):
        if mine != baseline[: len(mine)]:
            sys.exit("the tools disagree on which targets a supplier reaches")
        capped += len(mine) < len(baseline)
    return (
        "same (hops, target) pairs for every supplier on both sides"
        if not capped
        else f"same pairs on both sides, except {capped:,} suppliers whose nearest targets used "
        f"up the {MAX_PATHS}-path cap (a prefix of the baseline's, nearest first)"
    )


if __name__ == "__main__":
    main()
