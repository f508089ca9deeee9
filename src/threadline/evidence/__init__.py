"""Evidence: turn signals into reasons that cite their sources, and the row's tier."""

from threadline.evidence.reasons import assess

__all__ = ["assess"]
