"""Facility proximity: haversine distances, radius, nearest first, one report per site."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from threadline.data.exposure import load_facility_index, load_sector_map
from threadline.data.geo import facility_rows
from threadline.data.rules import load_tier_rules
from threadline.errors import DataError
from threadline.exposure import (
    Facility,
    FacilityHit,
    FacilityIndex,
    Site,
    describe_exposure,
    facility_signals,
)


def _facility(facility_id: str, lat: float, lon: float, notes: str = "") -> Facility:
    return Facility.from_row(
        {
            "id": facility_id,
            "name": facility_id,
            "kind": "vtc",
            "lat": str(lat),
            "lon": str(lon),
            "source_dataset": "test",
            "source_url": "https://example.org/" + facility_id,
            "notes": notes,
        }
    )


def test_haversine_matches_known_distances() -> None:
    index = FacilityIndex([_facility("a", 0.0, 0.0), _facility("b", 43.8256, 87.6168)])
    km = index.distances_km([1.0, 39.4704], [0.0, 75.9898])  # 1° north; Kashgar → Ürümqi
    assert km[0, 0] == pytest.approx(2 * math.pi * 6371.0088 / 360, rel=1e-9)
    # The spherical law of cosines, computed independently, for the longer pair.
    a, b = (
        (math.radians(39.4704), math.radians(75.9898)),
        (math.radians(43.8256), math.radians(87.6168)),
    )
    central = math.acos(
        math.sin(a[0]) * math.sin(b[0]) + math.cos(a[0]) * math.cos(b[0]) * math.cos(b[1] - a[1])
    )
    assert km[1, 1] == pytest.approx(6371.0088 * central, rel=1e-9)


def test_near_keeps_the_radius_orders_nearest_first_and_caps() -> None:
    index = FacilityIndex(
        [
            _facility("far", 40.05, 80.0),
            _facility("mid", 40.02, 80.0),
            _facility("close", 40.01, 80.0),
        ]
    )
    found = index.near([Site(40.0, 80.0), None, Site(10.0, 10.0)], radius_km=5.0, limit=2)
    assert [[h.facility.id for h in hits] for hits in found] == [["close", "mid"], [], []]
    assert found[0][0].distance_km == pytest.approx(1.11, abs=0.01)


def test_a_site_mapped_twice_is_reported_once() -> None:
    index = FacilityIndex(
        [
            _facility("aspi-1", 40.0, 80.0),
            _facility("osm-1", 40.001, 80.0, notes="likely same site as aspi-1 (0.11 km)"),
        ]
    )
    (hits,) = index.near([Site(40.0, 80.0)], radius_km=5.0, limit=5)
    assert [h.facility.id for h in hits] == ["aspi-1"]


def test_packaged_facilities_load_with_tiers_and_factory_counts() -> None:
    index = load_facility_index()
    assert len(index) == 490
    first = next(f for f in index.facilities if f.id == "aspi-xjdp-v1-001")
    assert (first.aspi_tier, first.factories_in_complex, first.kind_label) == (
        3,
        1,
        "detention centre",
    )
    evidence = first.evidence()
    assert evidence.publisher == "Australian Strategic Policy Institute"
    assert "ASPI security tier 3" in evidence.fact
    osm = next(f for f in index.facilities if f.id.startswith("osm-"))
    assert osm.evidence().publisher == "OpenStreetMap contributors"


def test_facility_datasets_and_publishers_come_from_the_data_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index = load_facility_index()
    assert index.sources == ("ASPI Xinjiang Data Project", "OpenStreetMap")
    method = dict(
        describe_exposure(load_tier_rules(), 2, 0, index, load_sector_map(), dt.date(2025, 1, 1))
    )
    assert "(ASPI Xinjiang Data Project, OpenStreetMap)" in method["Documented facilities"]
    # A row of no listed dataset is refused, naming the row.
    rows = [{**facility_rows()[0], "id": "unknown-1"}]
    monkeypatch.setattr("threadline.data.exposure.facility_rows", lambda: rows)
    load_facility_index.cache_clear()
    try:
        with pytest.raises(DataError, match="row 2: id 'unknown-1'"):
            load_facility_index()
    finally:
        load_facility_index.cache_clear()


@pytest.mark.parametrize(
    ("tier", "factories", "words"),
    [
        ("1", "0", ("ASPI security tier 1", "no factories inside the complex")),
        ("2", "1", ("ASPI security tier 2", "1 factory inside the complex")),
        ("3", "15", ("ASPI security tier 3", "15 factories inside the complex")),
        ("", "", ()),
    ],
)
def test_reason_and_evidence_word_a_facility_alike(
    tier: str, factories: str, words: tuple[str, ...]
) -> None:
    facility = Facility.from_row(
        {
            "id": "aspi-x",
            "name": "Site X",
            "kind": "vtc",
            "lat": "40",
            "lon": "80",
            "source_dataset": "test",
            "source_url": "https://example.org/x",
            "aspi_tier": tier,
            "aspi_factories_in_complex": factories,
        }
    )
    hit = FacilityHit(facility, 1.0, Site(40.0, 80.0))
    (signal,) = facility_signals([hit], load_tier_rules())
    reason = signal.reason(dt.date(2026, 1, 1))
    assert facility.details() == words
    for word in words:
        assert word in reason.text
        assert word in reason.evidence[0].fact
