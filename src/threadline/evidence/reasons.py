"""Signals → reasons with cited evidence → the row's risk assessment.

Each signal words its own reason and cites its own evidence (exposure/signals.py); this step
only combines them, by the rule of the tiers (data/rules/tiers.yaml): the worst tier of any
reason is the row's tier, reasons are listed worst first, and the same reason found twice (same
code, same words) is shown once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from threadline.exposure import Signal
from threadline.model import Reason, RiskAssessment, Tier


def assess(signals: Sequence[Signal], as_of: dt.date) -> RiskAssessment:
    reasons: list[Reason] = []
    seen: set[tuple[str, str]] = set()
    for signal in signals:
        reason = signal.reason(as_of)
        key = (reason.code, reason.text)
        if key in seen:
            continue
        seen.add(key)
        reasons.append(reason)
    reasons.sort(key=lambda r: -r.tier.severity)
    tier = max((r.tier for r in reasons), key=lambda t: t.severity, default=Tier.NO_SIGNAL)
    return RiskAssessment(tier=tier, reasons=tuple(reasons))
