"""What users hand in, after reading: one record per input row, keeping where it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CertificationClaim:
    """A social-compliance certificate the file claims for the supplier, as written. A claim,
    never a clearance: it changes no tier and dispositions no flag."""

    scheme: str  # the recognised scheme ('WRAP', 'amfori BSCI'), '' when none is recognised
    text: str  # the claim as written: id, dates, scope


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
    certifications: tuple[CertificationClaim, ...] = ()
    # Why the row cannot be screened ('' when it can); the row stays in every output with it.
    unscreenable: str = ""
