"""Dispositions of flags other than name candidates — an address or Tibet signal, a sector, a
link path — applied to a row's risk: the flag stays, marked with who decided what and why; a
cleared one no longer sets the tier. Certifications are never dispositions (they clear nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from threadline.model import Disposition, DispositionDecision, RiskAssessment, Tier
from threadline.model.ids import disposition_key

FlagKey = tuple[str, str]


def apply_dispositions(
    supplier: str, risk: RiskAssessment, dispositions: Mapping[FlagKey, Disposition]
) -> RiskAssessment:
    """Mark each flag with its latest disposition; the tier is the worst flag not cleared."""
    if not dispositions or not risk.reasons:
        return risk
    reasons = tuple(
        replace(reason, disposition=found)
        if (found := dispositions.get(disposition_key(supplier, reason.code))) is not None
        else reason
        for reason in risk.reasons
    )
    counting = [
        r.tier
        for r in reasons
        if r.disposition is None or r.disposition.decision is not DispositionDecision.CLEARED
    ]
    tier = max(counting, key=lambda t: t.severity, default=Tier.NO_SIGNAL)
    return RiskAssessment(tier=tier, reasons=reasons)
