"""Exposure: which signals fire for a screened row, under the tier rules, at the as-of date."""

from threadline.exposure.rules import ReasonRule, TierRules
from threadline.exposure.tiers import PlaceSignal, Signal, signals

__all__ = ["PlaceSignal", "ReasonRule", "Signal", "TierRules", "signals"]
