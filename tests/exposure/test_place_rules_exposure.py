"""The place rules exposure owns (exposure/places.py), read directly rather than through a run."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from threadline.data.geo import gazetteer_citation, load_gazetteer
from threadline.exposure import FacilityIndex, place_signals, site
from threadline.model import InputRecord
from threadline.pipeline import ReferenceData, Screener, packaged_reference, screen


def _record(**fields: str) -> InputRecord:
    return InputRecord(file="suppliers.csv", row=2, **fields)  # type: ignore[arg-type]


def test_an_xuar_address_outweighs_the_name() -> None:
    gazetteer = load_gazetteer()
    named_only = place_signals(gazetteer, _record(name="Hotan Textile Co., Ltd."))
    assert [(s.region, s.in_name) for s in named_only] == [("XUAR", True)]
    both = place_signals(
        gazetteer, _record(name="Hotan Textile Co., Ltd.", address="Moyu County, Hotan, Xinjiang")
    )
    assert [(s.region, s.in_name) for s in both] == [("XUAR", False)]


def test_a_county_seat_stands_in_for_a_site_and_a_prefecture_does_not() -> None:
    gazetteer = load_gazetteer()
    county = site(gazetteer, _record(name="X", address="Moyu County, Hotan, Xinjiang"))
    assert county is not None and county.approximate and "Moyu" in county.county_seat
    assert site(gazetteer, _record(name="X", address="Hotan Prefecture, Xinjiang")) is None
    placed = InputRecord(file="f.csv", row=2, name="X", address="Moyu County", lat=37.2, lon=79.9)
    given = site(gazetteer, placed)
    assert given is not None and (given.lat, given.lon, given.approximate) == (37.2, 79.9, False)


def test_place_evidence_cites_the_gazetteer_as_its_data_file_says() -> None:
    gazetteer = load_gazetteer()
    cited = gazetteer_citation()
    [signal] = place_signals(gazetteer, _record(name="X", address="Moyu County, Hotan, Xinjiang"))
    evidence = signal.evidence[0]
    assert evidence.source_url.startswith("threadline-data:geo/gazetteer.csv#adm-")
    assert (evidence.date, evidence.publisher) == (cited.as_of, cited.publisher)
    assert cited.file_of("cn-110000") == "china_admin.csv"


def test_a_screener_reads_the_reference_data_it_is_given() -> None:
    # At a documented facility (facilities.csv, aspi-xjdp-v1-001).
    record = InputRecord(file="f.csv", row=2, name="Site Co", lat=41.79631457, lon=85.89292251)
    packaged = packaged_reference()
    without = replace(packaged, facilities=FacilityIndex([], sources=()))
    as_of = dt.date(2025, 1, 1)

    def codes(reference: ReferenceData) -> set[str]:
        screener = Screener(entities=(), datasets=(), decisions={}, reference=reference)
        return {
            reason.code
            for reason in screen([record], reference=screener, as_of=as_of)[0].risk.reasons
        }

    near = codes(packaged)
    assert near and near.isdisjoint(codes(without))
