"""threadline: screen suppliers and shipments for ties to state-imposed forced labour."""

__version__ = "0.1.0"
