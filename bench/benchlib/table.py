"""The side-by-side accuracy table printed by bench/accuracy.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from benchlib.scoring import Score

KIND_ORDER = (
    "alias",
    "zh",
    "pinyin",
    "place_variant",
    "manifest",
    "translation",
    "reordered",
    "subsidiary_vs_parent",
)
KIND_HEADERS = {
    "alias": "alias",
    "zh": "zh",
    "pinyin": "pinyin",
    "place_variant": "place",
    "manifest": "manif",
    "translation": "transl",
    "reordered": "reord",
    "subsidiary_vs_parent": "sub/p",
}


@dataclass(frozen=True, slots=True)
class Row:
    tool: str
    threshold: str
    score: Score | None
    queries_per_s: float | None
    problem: str = ""
    """Why the tool gave no figures (shown instead of them)."""


def kinds_in(rows: Iterable[Row]) -> list[str]:
    """Kinds with positives in any scored row: the dev set's order first, then the rest."""
    seen = {k for r in rows if r.score for k in r.score.at_default.recall_by_kind}
    return [k for k in KIND_ORDER if k in seen] + sorted(seen - set(KIND_ORDER))


def _num(value: float | None, width: int = 6) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.3f}"


def _rate(value: float | None) -> str:
    if value is None:
        return f"{'-':>8}"
    return f"{value:>8.0f}" if value >= 100 else f"{value:>8.1f}"


def render(rows: Sequence[Row]) -> str:
    kinds = kinds_in(rows)
    head = f"{'tool':<18} {'thresh':>8} {'P':>6} {'R':>6} {'F1':>6} |"
    head += "".join(f"{KIND_HEADERS.get(k, k[:6]):>7}" for k in kinds)
    head += f" | {'FA d/u':>6} {'q/s':>8} | {'tuned':>7} {'F1':>6}"
    lines = [head, "-" * len(head)]
    for row in rows:
        line = f"{row.tool:<18} {row.threshold:>8} "
        if row.score is None:
            lines.append(line + f"(no figures: {row.problem})")
            continue
        m = row.score.at_default
        line += f"{_num(m.precision)} {_num(m.recall)} {_num(m.f1)} |"
        line += "".join(f"{_num(m.recall_by_kind.get(k), 7)}" for k in kinds)
        best_t = row.score.best_threshold
        line += f" | {_num(m.false_alarm)} {_rate(row.queries_per_s)} |"
        line += f" {_num(best_t, 7)} {_num(row.score.best_f1)}"
        lines.append(line)
    return "\n".join(lines)


LEGEND = """\
P, R, F1: precision, recall, F1 of each tool's top candidate at its own default threshold
  (threadline: its own band, a query counts as matched only when its best row is `match`).
alias … sub/p: recall per variant kind. FA d/u: false-alarm rate on distractor + unrelated
  queries (share that got any match). q/s: queries per second over the whole run, setup
  included (threadline: the whole `threadline match` process).
tuned, F1: the best-F1 threshold and the F1 there - tuned on dev, for reference only."""
