"""What users hand in, after reading: one record per input row, keeping where it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class InputRecord:
    """A supplier or shipment row. `row` is the 1-based line/row number in the file (header = 1)."""

    file: str
    row: int
    name: str
    address: str = ""
    country: str = ""
    identifier: str = ""
    country_raw: str = ""
    raw: Mapping[str, str] = field(default_factory=dict)
    product: str = ""  # product description, as written
    hs_code: str = ""  # HS / HTS code, as written
    lat: float | None = None  # site coordinates (WGS84 degrees), where the row gives them
    lon: float | None = None
    key: str = ""  # the user's own key for the row (ERP vendor number), never screened
    other_names: tuple[str, ...] = ()  # the row's names in further name columns (e.g. Chinese)
    # Why the row cannot be screened ('' when it can); the row stays in every output with it.
    unscreenable: str = ""
