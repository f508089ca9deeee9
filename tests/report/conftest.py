"""Hand-built screened rows covering every tier, a review-band match and hostile input."""

from __future__ import annotations

from datetime import date

import pytest

from threadline.model import (
    Band,
    DatasetInfo,
    Evidence,
    ExposurePath,
    FeatureScore,
    InputRecord,
    ListEffect,
    Listing,
    MatchExplanation,
    MatchResult,
    PathEdge,
    PathNode,
    Reason,
    ReferenceEntity,
    Relation,
    RelationKind,
    Reliability,
    RiskAssessment,
    RunMetadata,
    ScreenedRow,
    Source,
    Tier,
)

HOSTILE_NAME = '=HYPERLINK("x") <script>alert(1)</script> Trading'
UFLPA_URL = "https://www.dhs.gov/uflpa-entity-list"
FR_URL = "https://www.federalregister.gov/d/2022-13370?a=1&b=2"
WRO_NEWS_URL = "https://example.org/news/hoshine?x=1"
BIS_URL = "https://www.bis.gov/entity-list"


def _explanation(query: str, candidate: str, name_score: float) -> MatchExplanation:
    return MatchExplanation(
        algorithm="name-v1",
        query_name=query,
        candidate_name=candidate,
        features=(
            FeatureScore("name_token_set", name_score, 0.7, query.lower(), candidate.lower()),
            FeatureScore("country", 1.0, 0.2, "CN", "CN"),
            FeatureScore("legal_form_conflict", 0.0, -0.1, "co ltd", "co ltd"),
        ),
        note="legal forms removed before comparison",
    )


def _no_signal_row() -> ScreenedRow:
    record = InputRecord(
        file="suppliers.csv",
        row=2,
        name="Acme Knitting Mills 针织厂",
        address="12 Harbour Road, Ningbo",
        country="CN",
        raw={"Supplier": "Acme Knitting Mills 针织厂", "City": "Ningbo"},
    )
    return ScreenedRow(record, (), RiskAssessment(Tier.NO_SIGNAL))


def _elevated_row() -> ScreenedRow:
    entity = ReferenceEntity(
        id="uflpa-xinjiang-daqo-new-energy",
        schema="Company",
        name="Xinjiang Daqo New Energy Co., Ltd.",
        listings=(
            Listing(
                list_id="uflpa",
                list_name="UFLPA Entity List",
                effect=ListEffect.UFLPA,
                entry_id="uflpa-xinjiang-daqo-new-energy",
                date_listed=date(2022, 6, 21),
            ),
        ),
    )
    match = MatchResult(entity, 0.81, Band.REVIEW, _explanation("Daqo Energy", entity.name, 0.74))
    reason = Reason(
        code="possible_match",
        tier=Tier.ELEVATED,
        text="Possible match to a UFLPA-listed entity; needs review.",
        evidence=(Evidence(UFLPA_URL, "DHS: UFLPA Entity List", date(2025, 1, 15)),),
    )
    record = InputRecord(file="suppliers.csv", row=3, name="Daqo Energy", country="CN")
    return ScreenedRow(record, (match,), RiskAssessment(Tier.ELEVATED, (reason,)))


def _prohibited_row() -> ScreenedRow:
    listing = Listing(
        list_id="uflpa",
        list_name="UFLPA Entity List",
        effect=ListEffect.UFLPA,
        entry_id="uflpa-hoshine-silicon-industry-shanshan",
        section="2(d)(2)(B)(i)",
        date_listed=date(2022, 6, 21),
        sources=(Source(FR_URL, "Federal Register notice", "DHS", date(2022, 6, 21)),),
    )
    entity = ReferenceEntity(
        id="uflpa-hoshine-silicon-industry-shanshan",
        schema="Company",
        name="Hoshine Silicon Industry (Shanshan) Co., Ltd.",
        names_zh=("合盛硅业(鄯善)有限公司",),
        listings=(listing,),
    )
    match = MatchResult(
        entity, 0.97, Band.MATCH, _explanation("Hoshine Silicon Shanshan", entity.name, 0.96)
    )
    reason = Reason(
        code="uflpa_listed",
        tier=Tier.PROHIBITED,
        text="Confident match to an entity on the UFLPA Entity List, active at the as-of date.",
        evidence=(
            Evidence(
                WRO_NEWS_URL,
                "Trade press on Hoshine",
                date(2021, 6, 24),
                fact="reported as listed",
                publisher="Example News",
                reliability=Reliability.MEDIA,
            ),
            Evidence(
                UFLPA_URL,
                "DHS: UFLPA Entity List",
                date(2022, 6, 21),
                fact="listed under section 2(d)(2)(B)(i)",
                publisher="US Department of Homeland Security",
                reliability=Reliability.OFFICIAL_LIST,
            ),
        ),
    )
    record = InputRecord(
        file="suppliers.csv",
        row=4,
        name="Hoshine Silicon Shanshan",
        address="Shanshan County, Turpan, Xinjiang",
        country="CN",
        raw={"Supplier": "Hoshine Silicon Shanshan", "Address": "Shanshan County, Turpan"},
    )
    return ScreenedRow(record, (match,), RiskAssessment(Tier.PROHIBITED, (reason,)))


def _hostile_row() -> ScreenedRow:
    entity = ReferenceEntity(
        id="bis-<b>bold</b>",
        schema="Company",
        name="<img src=x onerror=alert(2)> Surveillance Co",
        listings=(
            Listing(
                list_id="bis_xinjiang",
                list_name="BIS Entity List (Xinjiang)",
                effect=ListEffect.EXPORT_CONTROL,
                entry_id="bis-1",
                date_listed=date(2019, 10, 9),
                date_removed=date(2024, 1, 1),
                sources=(Source("javascript:alert(3)", "Injected source"),),
            ),
        ),
    )
    match = MatchResult(entity, 0.93, Band.MATCH, _explanation(HOSTILE_NAME, entity.name, 0.9))
    reason = Reason(
        code="bis_listed",
        tier=Tier.HIGH,
        text="Match to an entity on the BIS Entity List on Xinjiang human-rights grounds.",
        evidence=(
            Evidence(BIS_URL, "BIS Entity List", date(2019, 10, 9), publisher="BIS"),
            Evidence("javascript:alert(4)", "Injected evidence", None),
        ),
    )
    record = InputRecord(
        file="suppliers.csv", row=5, name=HOSTILE_NAME, address="+86 Road", country="CN"
    )
    return ScreenedRow(record, (match,), RiskAssessment(Tier.HIGH, (reason,)))


@pytest.fixture
def rows() -> list[ScreenedRow]:
    """Input order deliberately differs from severity order."""
    return [_no_signal_row(), _elevated_row(), _prohibited_row(), _hostile_row()]


@pytest.fixture
def meta() -> RunMetadata:
    return RunMetadata(
        tool_version="0.1.0",
        data_version="2025.06-test",
        data_as_of={"uflpa": "2025-01-15", "cbp_wro": "2025-12-01"},
        as_of=date(2025, 6, 1),
        algorithm="name-v1",
        match_threshold=0.9,
        review_threshold=0.75,
        generated_at="2025-06-01T10:00:00+00:00",
        inputs=("suppliers.csv",),
        datasets=(
            DatasetInfo(
                id="uflpa",
                title="UFLPA Entity List",
                publisher="Forced Labor Enforcement Task Force (DHS)",
                as_of="2025-01-15",
                licence="US government work, public domain",
                url="https://www.dhs.gov/uflpa-entity-list",
                rows=144,
                attribution="Compiled from DHS Federal Register notices.",
            ),
        ),
        methodology=(
            ("Name matching", "Names are normalised and compared feature by feature."),
            ("Tier rules", "Each tier rule cites the listing or fact it rests on."),
        ),
    )


SHIPMENT_URL = "https://example.org/bills/BL-1"  # test_report_paths.py checks these two
HOSTILE_RELATION_SOURCE = "javascript:alert(5)"


@pytest.fixture
def exposure_row() -> ScreenedRow:
    """A supplier two links away from a listed shipper, one link with a hostile source."""
    shipped = Relation(
        "r1",
        RelationKind.SHIPPED_TO,
        "listed",
        "middle",
        start=date(2024, 3, 1),
        sources=(
            Source(SHIPMENT_URL, "Bill of lading BL-1", "Example Trade Data", date(2024, 3, 2)),
        ),
    )
    owned = Relation(
        "r2",
        RelationKind.OWNS,
        "middle",
        "supplier",
        share=60.0,
        sources=(Source(HOSTILE_RELATION_SOURCE, "<b>registry</b>"),),
    )
    path = ExposurePath(
        (
            PathEdge(owned, PathNode("supplier", "=Supplier Co"), PathNode("middle", "Middle Ltd")),
            PathEdge(
                shipped, PathNode("middle", "Middle Ltd"), PathNode("listed", "Listed Cotton")
            ),
        )
    )
    reason = Reason(
        code="INDIRECT_LINK",
        tier=Tier.ELEVATED,
        text="Indirect link (2 links) to Listed Cotton.",
        evidence=(Evidence(SHIPMENT_URL, "Bill of lading BL-1", date(2024, 3, 2)),),
        paths=(path,),
    )
    record = InputRecord(file="suppliers.csv", row=9, name="=Supplier Co", country="CN")
    return ScreenedRow(record, (), RiskAssessment(Tier.ELEVATED, (reason,)))
