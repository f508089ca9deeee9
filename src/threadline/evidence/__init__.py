"""Evidence: turn signals into reasons that cite their sources, and the row's tier."""

from threadline.evidence.reasons import assess, listing_evidence

__all__ = ["assess", "listing_evidence"]
