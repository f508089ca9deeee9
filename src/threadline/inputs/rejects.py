"""Rows an import leaves out, each with the reason, so good rows can land while bad ones wait."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from threadline.errors import InputError


@dataclass(frozen=True, slots=True)
class Rejected:
    """One row (or FtM line) not imported: where it is, what is wrong, and what it held."""

    row: int
    message: str
    column: str = ""
    cells: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_error(cls, error: InputError, cells: Mapping[str, str]) -> Rejected:
        return cls(row=error.row or 0, message=error.reason, column=error.column or "", cells=cells)
