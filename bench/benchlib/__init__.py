"""Helpers for threadline's benchmarks (bench/): data sets, peer tools, scoring, tables."""
