"""Sites near documented detention facilities: great-circle distances, vectorised with numpy.

A batch of sites against the ~500 facilities is one (sites × facilities) haversine matrix, so
the cost per batch is a few array operations rather than a Python loop per pair.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from threadline.model import Evidence, Reliability

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
Floats = npt.NDArray[np.float64]

# OSM rows name the ASPI row they duplicate in `notes`; the pair is one site, reported once.
_SAME_SITE = re.compile(r"likely same site as (\S+) \(")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_KIND_LABELS = {
    "vtc": "re-education facility",
    "detention_facility": "detention centre",
    "prison": "prison",
}


def _int_or_none(value: str) -> int | None:
    return int(value) if value.strip() else None


@dataclass(frozen=True, slots=True)
class Facility:
    """One row of data/geo/facilities.csv: a suspected facility and the dataset it comes from."""

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    county: str
    source_dataset: str
    source_url: str
    name_zh: str = ""
    aspi_tier: int | None = None
    factories_in_complex: int | None = None
    same_site_as: str = ""
    publisher: str = ""  # who published the dataset the row comes from

    @classmethod
    def from_row(cls, row: Mapping[str, str], publisher: str = "") -> Facility:
        return cls(
            id=row["id"],
            name=row["name"],
            kind=row["kind"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            county=row.get("county", ""),
            source_dataset=row["source_dataset"],
            source_url=row["source_url"],
            name_zh=row.get("name_zh", ""),
            aspi_tier=_int_or_none(row.get("aspi_tier", "")),
            factories_in_complex=_int_or_none(row.get("aspi_factories_in_complex", "")),
            same_site_as=same.group(1) if (same := _SAME_SITE.search(row.get("notes", ""))) else "",
            publisher=publisher,
        )

    @property
    def label(self) -> str:
        return f"{self.name} ({self.name_zh})" if self.name_zh else self.name

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind.replace("_", " "))

    def details(self) -> tuple[str, ...]:
        """What the dataset records of the site beyond its kind, as the reason and the evidence
        both word it."""
        found: list[str] = []
        if self.aspi_tier is not None:
            found.append(f"ASPI security tier {self.aspi_tier}")
        count = self.factories_in_complex
        if count is not None:
            factories = {0: "no factories", 1: "1 factory"}.get(count, f"{count} factories")
            found.append(f"{factories} inside the complex")
        return tuple(found)

    def evidence(self) -> Evidence:
        fact = "; ".join(
            (f"{self.label}: {self.kind_label} at {self.lat:.5f}, {self.lon:.5f}", *self.details())
        )
        dated = _ISO_DATE.search(self.source_dataset)
        return Evidence(
            source_url=self.source_url,
            title=self.source_dataset,
            date=dt.date.fromisoformat(dated.group()) if dated else None,
            fact=fact,
            publisher=self.publisher,
            reliability=Reliability.INVESTIGATIVE_RESEARCH,
        )


@dataclass(frozen=True, slots=True)
class Site:
    """Where a screened row is taken to be: its own coordinates, or a county seat standing in."""

    lat: float
    lon: float
    county_seat: str = ""  # the county's label when the position is its seat's

    @property
    def approximate(self) -> bool:
        return bool(self.county_seat)


@dataclass(frozen=True, slots=True)
class FacilityHit:
    facility: Facility
    distance_km: float
    site: Site


class FacilityIndex:
    """Facilities as coordinate arrays, for batch distance queries; `sources` names the
    datasets they come from, as the methodology states them."""

    def __init__(self, facilities: Sequence[Facility], sources: Sequence[str] = ()) -> None:
        self.facilities = tuple(facilities)
        self.sources = tuple(sources)
        self._lat = np.radians(np.array([f.lat for f in facilities], dtype=np.float64))
        self._lon = np.radians(np.array([f.lon for f in facilities], dtype=np.float64))

    def __len__(self) -> int:
        return len(self.facilities)

    def distances_km(self, lats: Sequence[float], lons: Sequence[float]) -> Floats:
        """(sites × facilities) great-circle distances by the haversine formula."""
        lat = np.radians(np.asarray(lats, dtype=np.float64))[:, None]
        lon = np.radians(np.asarray(lons, dtype=np.float64))[:, None]
        half = (
            np.sin((self._lat - lat) / 2) ** 2
            + np.cos(lat) * np.cos(self._lat) * np.sin((self._lon - lon) / 2) ** 2
        )
        distances: Floats = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0)))
        return distances

    def near(
        self, sites: Sequence[Site | None], radius_km: float, limit: int
    ) -> list[list[FacilityHit]]:
        """For each site, the facilities within `radius_km`, nearest first, at most `limit`."""
        out: list[list[FacilityHit]] = [[] for _ in sites]
        placed = [(n, s) for n, s in enumerate(sites) if s is not None]
        if not placed or not self.facilities:
            return out
        km = self.distances_km([s.lat for _, s in placed], [s.lon for _, s in placed])
        for row, (n, site) in enumerate(placed):
            within = np.flatnonzero(km[row] <= radius_km)
            nearest = within[np.argsort(km[row, within], kind="stable")]
            found = {self.facilities[i].id for i in nearest}
            hits = [
                FacilityHit(self.facilities[i], float(km[row, i]), site)
                for i in nearest
                if self.facilities[i].same_site_as not in found
            ]
            out[n] = hits[:limit]
        return out
