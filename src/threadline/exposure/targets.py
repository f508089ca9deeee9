"""Targets: entities with a prohibited signal of their own, where exposure paths end.

An entity is a target when one of its listings is active at the as-of date and its tier rule is
`prohibited` (UFLPA, an active WRO, SDN), or when the caller knows it produces in the XUAR (an
address the gazetteer places there, a documented facility). Listings not yet made or already
removed at the as-of date make nothing a target, so delistings carry through the graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.model import Evidence


@dataclass(frozen=True, slots=True)
class Target:
    """The end of an exposure path: who it is, why it is prohibited, and the proof."""

    id: str
    name: str
    why: str
    evidence: tuple[Evidence, ...] = ()
