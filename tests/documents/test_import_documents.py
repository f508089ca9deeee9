"""`import documents` into the store (SQLite and PostgreSQL), then screening with the findings:
reasons citing the document with the quote, stated links in the exposure graph, FtM export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from doc_factory import GOLDEN, NEGATIVE, make_pdf
from ftm_validation import ftm_problems

from threadline.importing_documents import import_documents
from threadline.model import InputRecord, RelationKind, Tier
from threadline.pipeline import build_screener, ensure_reference_data, screen
from threadline.report import render_html, results_document
from threadline.report.ftm_documents import document_records
from threadline.store import Store

PEOPLE = ("李明", "阿依古丽", "买买提", "王强")
TIANMIAN = "uflpa-xinjiang-tianmian-foundation-textile"


def _bad_files(folder: Path) -> list[Path]:
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(make_pdf([]))
    (folder / "locked.pdf").write_bytes(make_pdf(["Text that needs a password"], encrypted=True))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    return sorted(folder.iterdir())


@pytest.fixture
def imported(store: Store, tmp_path: Path) -> Store:
    ensure_reference_data(store)
    bad = _bad_files(tmp_path / "bad")
    report = import_documents(store, [GOLDEN, NEGATIVE, tmp_path / "bad"])
    assert (report.added, report.unchanged) == (7, 0)
    assert sorted(Path(f).name for f, _ in report.failed) == [p.name for p in bad]
    assert all(why and "\n" not in why for _, why in report.failed)
    return store


def test_documents_land_once_with_findings_and_stated_links(imported: Store) -> None:
    again = import_documents(imported, [GOLDEN, NEGATIVE])
    assert (again.added, again.unchanged, again.findings, again.relations) == (0, 7, 0, 0)

    findings = imported.document_findings()
    by_name = {f.entity_name: f for items in findings.values() for f in items}
    contract = by_name["和田华源纺织有限公司"]
    assert (contract.category, contract.source.excerpt) == (
        "camp_contract",
        "成交供应商：和田华源纺织有限公司",
    )
    assert contract.source.url.startswith("document:") and contract.source.date == dt.date(
        2018, 11, 20
    )
    record = imported.document(contract.document_id)
    assert record is not None
    span = contract.quote_span
    assert record.document.text[span.start : span.end] == contract.source.excerpt
    assert {f.category for f in findings[contract.entity_id]} == {"camp_contract"}
    # No finding from the negatives, and nobody named in a document became an entity.
    assert "上海华美服饰有限公司" not in by_name
    names = " ".join(e.name for e in imported.load_entities())
    assert not any(person in names for person in PEOPLE)

    # The CSR report's stated supply: the listed yarn maker supplies the brand (the publisher).
    supply = [
        r
        for r in imported.load_relations()
        if r.kind is RelationKind.SUPPLIES and r.source_id == TIANMIAN
    ]
    assert len(supply) == 1
    (source,) = supply[0].sources
    assert source.title == "Northwind Apparel Ltd. Sustainability Report 2022"
    assert source.excerpt.startswith("We purchased cotton yarn from Xinjiang Tianmian")
    brand = imported.entity_statements(supply[0].target_id)
    assert brand is not None and brand.caption == "Northwind Apparel Ltd."

    # Findings are statements on the entity too, citing the document with the quote.
    entity = imported.entity_statements(contract.entity_id)
    assert entity is not None
    cited = [s for s in entity.statements if s.prop == "document_finding"]
    assert [s.source.excerpt for s in cited] == ["成交供应商：和田华源纺织有限公司"]

    records = [r for d, _, _ in imported.documents() if (r := imported.document(d.id)) is not None]
    exported = list(document_records(records))
    assert {r["schema"] for r in exported} == {"Document", "Mention", "Documentation"}
    assert ftm_problems(exported) == []
    # An exported finding carries its stored id (model/ids.py), so no two findings share one.
    documentation = [r["id"] for r in exported if r["schema"] == "Documentation"]
    assert documentation == [f"documentation-{f.id}" for r in records for f in r.findings]
    assert len(set(documentation)) == len(documentation)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_screening_cites_the_document_with_its_quote(imported: Store) -> None:
    screener = build_screener(imported)
    records = [
        InputRecord("s.csv", 2, "Hotan Huayuan Textile Co., Ltd.", country="CN"),
        InputRecord("s.csv", 3, "Northwind Apparel Ltd.", country="GB"),
        InputRecord("s.csv", 4, "Lhasa Xueyu Garment Co., Ltd.", country="CN"),
        InputRecord("s.csv", 5, "上海华美服饰有限公司", country="CN"),
    ]
    rows = screen(records, reference=screener, as_of=dt.date(2025, 6, 30))
    reasons = [{r.code: r for r in row.risk.reasons} for row in rows]

    # Named in Chinese in a tender, screened in English: the camp's contract, quoted.
    contract = reasons[0]["DOCUMENT_CAMP_CONTRACT"]
    assert contract.tier is Tier.HIGH
    (evidence,) = contract.evidence
    assert evidence.excerpt == "成交供应商：和田华源纺织有限公司"
    assert evidence.title == "墨玉县职业技能教育培训中心被服采购项目成交公告"
    assert (
        evidence.publisher == "墨玉县财政局" and evidence.reliability.label == "government document"
    )

    # The brand is exposed through the supply its own report states.
    link = reasons[1]["SUPPLY_LINK"]
    (path,) = link.paths
    assert path.edges[0].relation.sources[0].url.startswith("document:")
    assert rows[1].risk.tier is Tier.HIGH

    # Organised transfer in Tibet: high; the pairing programme alone: elevated.
    assert reasons[2]["DOCUMENT_LABOUR_TRANSFER"].tier is Tier.HIGH
    assert reasons[2]["DOCUMENT_PROGRAMME"].tier is Tier.ELEVATED
    assert rows[3].risk.tier is Tier.NO_SIGNAL

    meta = screener.run(as_of=dt.date(2025, 6, 30)).metadata(["s.csv"])
    said = dict(meta.methodology)["Documents"]
    assert said.startswith(f"{sum(map(len, screener.findings.values()))} findings about")
    doc = results_document(meta, rows)
    item = next(
        e
        for r in doc["results"][0]["risk"]["reasons"]
        if r["code"] == "DOCUMENT_CAMP_CONTRACT"
        for e in r["evidence"]
    )
    assert set(item) >= {"source_url", "title", "date", "publisher", "reliability", "excerpt"}
    assert item["excerpt"] == "成交供应商：和田华源纺织有限公司"
    html = render_html(meta, rows)
    assert "“成交供应商：和田华源纺织有限公司”" in html


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_rejected_finding_stops_counting(imported: Store) -> None:
    findings = imported.document_findings()
    (contract,) = [f for items in findings.values() for f in items if f.category == "camp_contract"]
    assert not imported.review_finding("no-such-finding", "rejected", "ana")
    assert imported.review_finding(contract.id, "rejected", "ana", "the tender is for a school")
    assert contract.entity_id not in imported.document_findings()
    record = imported.document(contract.document_id)
    assert record is not None and [f.review for f in record.findings] == ["rejected"]
    screener = build_screener(imported)
    (row,) = screen(
        [InputRecord("s.csv", 2, "和田华源纺织有限公司")],
        reference=screener,
        as_of=dt.date(2025, 6, 30),
    )
    assert "DOCUMENT_CAMP_CONTRACT" not in {r.code for r in row.risk.reasons}
    # Verdicts are appended: a later acceptance brings the finding back.
    assert imported.review_finding(contract.id, "accepted", "ben")
    assert [f.review for f in imported.document_findings()[contract.entity_id]] == ["accepted"]


def test_the_migration_makes_the_tables_the_code_declares(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from threadline.store.tables import metadata

    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_document_finding_and_a_link_path_are_dispositioned_like_any_flag(
    imported: Store,
) -> None:
    from threadline.model import DispositionDecision
    from threadline.store.dispositions import Dispositions

    records = [
        InputRecord("s.csv", 2, "Hotan Huayuan Textile Co., Ltd.", country="CN"),
        InputRecord("s.csv", 3, "Northwind Apparel Ltd.", country="GB"),
    ]
    for supplier, code, decision in (
        (
            "Hotan Huayuan Textile Co., Ltd.",
            "DOCUMENT_CAMP_CONTRACT",
            DispositionDecision.CONFIRMED,
        ),
        ("Northwind Apparel Ltd.", "SUPPLY_LINK", DispositionDecision.CLEARED),
    ):
        Dispositions(imported).record(
            supplier=supplier, code=code, decision=decision, user="ana", comment="checked"
        )
    hotan, brand = screen(records, reference=build_screener(imported), as_of=dt.date(2025, 6, 30))
    finding = next(r for r in hotan.risk.reasons if r.code == "DOCUMENT_CAMP_CONTRACT")
    assert finding.disposition is not None and finding.disposition.user == "ana"
    assert hotan.risk.tier is not Tier.NO_SIGNAL  # confirmed: it still counts
    (link,) = [r for r in brand.risk.reasons if r.code == "SUPPLY_LINK"]
    assert link.disposition is not None and link.paths  # the path stays shown, marked
    assert brand.risk.tier is not Tier.HIGH  # cleared: it no longer sets the tier
