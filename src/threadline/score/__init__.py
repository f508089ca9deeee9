"""Scoring: named features over candidate pairs and versioned algorithms that weigh them."""

from threadline.score.algorithm import Algorithm
from threadline.score.features import DESCRIPTIONS, FEATURES, PairContext, feature_matrix

__all__ = ["DESCRIPTIONS", "FEATURES", "Algorithm", "PairContext", "feature_matrix"]
