"""The bundled lists as shipped: row counts, provenance of every source, and what they flag."""

import datetime as dt
from functools import lru_cache

import pytest

from threadline.data.lists import bundled_entities, bundled_lists
from threadline.model import InputRecord, Reliability, ScreenedRow, SourceKind, Tier
from threadline.pipeline import Screener, screen
from threadline.report import render_html


@lru_cache(maxsize=1)
def _screener() -> Screener:
    return Screener(
        entities=bundled_entities(),
        datasets=[meta.info() for meta in bundled_lists()],
        decisions={},
    )


def _screen(name: str, as_of: dt.date = dt.date(2026, 12, 4)) -> ScreenedRow:
    [row] = screen(
        [InputRecord(file="t.csv", row=2, name=name, country="CN")],
        reference=_screener(),
        as_of=as_of,
    )
    return row


def test_the_uflpa_snapshot_has_its_141_rows() -> None:
    meta = {m.id: m for m in bundled_lists()}["uflpa"]
    assert meta.expected_rows == 141
    assert "136 of the 144" in meta.coverage
    rows = [e for e in bundled_entities() if any(x.list_id == "uflpa" for x in e.listings)]
    assert len(rows) >= 141


@pytest.mark.parametrize(
    "name",
    [
        "Hetian Taida Apparel Co., Ltd.",
        "Aksu Huafu Color Spinning Co., Ltd.",
        "Xinjiang Junggar Cotton and Linen Co., Ltd.",
        "Changhong Meiling Co., Ltd.",
        "Hefei Meiling Co., Ltd.",  # the former name, kept as an alias
    ],
)
def test_entities_missing_before_now_screen_prohibited_through_the_uflpa_list(name: str) -> None:
    row = _screen(name)
    assert row.risk.tier is Tier.PROHIBITED
    assert "LISTED_UFLPA" in {reason.code for reason in row.risk.reasons}


def test_a_flag_resting_on_an_inferred_date_says_so_in_its_evidence() -> None:
    row = _screen("Hetian Taida Apparel Co., Ltd.")
    [uflpa] = [r for r in row.risk.reasons if r.code == "LISTED_UFLPA"]
    notes = [e for e in uflpa.evidence if e.kind is SourceKind.LIST_NOTE]
    assert notes and "inferred" in notes[0].fact
    assert notes[0].reliability is Reliability.INFERRED


def test_every_bundled_source_is_classified_by_its_address() -> None:
    kinds = {
        source.url: source.kind
        for entity in bundled_entities()
        for listing in entity.listings
        for source in listing.sources
    }
    assert [url for url, kind in kinds.items() if kind is SourceKind.UNCLASSIFIED] == []
    github = [url for url in kinds if url.startswith("https://github.com/")]
    assert github and {kinds[u] for u in github} == {SourceKind.THIRD_PARTY_TRANSCRIPTION}
    assert kinds["https://www.tuttlelaw.com/newsletters/2024/5-16-24_uflpa_update.html"] is (
        SourceKind.LEGAL_COMMENTARY
    )


def test_evidence_puts_the_official_source_first_with_its_own_date() -> None:
    row = _screen("Aksu Huafu Color Spinning Co., Ltd.")
    [uflpa] = [
        r
        for r in row.risk.reasons
        if r.code == "LISTED_UFLPA" and "Aksu Huafu Color Spinning Co." in r.text
    ]
    first = uflpa.evidence[0]
    assert first.kind is SourceKind.OFFICIAL_PUBLICATION
    assert "govinfo.gov" in first.source_url and first.date == dt.date(2025, 1, 15)
    assert first.publisher  # never blank for a classified source
    transcription = [e for e in uflpa.evidence if "btl-extension" in e.source_url]
    assert transcription[0].kind is SourceKind.THIRD_PARTY_TRANSCRIPTION
    assert transcription[0].publisher == "dvinitsk/btl-extension on GitHub"


def test_a_wro_reason_names_the_order_without_a_stray_comma() -> None:
    row = _screen("Xinjiang Junggar Cotton and Linen Co., Ltd.")
    [wro] = [r for r in row.risk.reasons if r.code == "CBP_WRO"]
    assert "named in a CBP WRO of 2020-09-08" in wro.text


def test_the_html_report_shows_the_inference_and_what_each_source_is() -> None:
    row = _screen("Hetian Taida Apparel Co., Ltd.")
    meta = _screener().run(as_of=dt.date(2026, 12, 4)).metadata(["t.csv"])
    html = render_html(meta, [row])
    assert "Partly inferred: Date: original June 2022 list, inferred" in html
    assert "third-party transcription" in html and "official publication" in html
    assert "dvinitsk/btl-extension on GitHub" in html


def test_the_law_and_other_rule_sources_are_classified_too() -> None:
    row = _screen("Hetian Taida Apparel Co., Ltd.")
    cited = {e.source_url: e for r in row.risk.reasons for e in r.evidence}
    law = next(e for url, e in cited.items() if "congress.gov" in url)
    assert law.kind is SourceKind.OFFICIAL_PUBLICATION and law.publisher
