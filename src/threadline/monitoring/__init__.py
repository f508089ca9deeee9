"""Screenings kept and compared: row keys, the compare-and-store step of `screen`, monitors."""
