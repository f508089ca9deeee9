"""Migration 0005_ids: a store written with the older id recipes (run here as they were) is
rewritten to model/ids.py's, and nothing stored stops applying: a reviewer's verdict on a
document finding, a review decision, and re-importing the same facts still adds nothing."""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, func, insert, select

from threadline.decide import Verdict, decision_key
from threadline.model import DatasetInfo, Source
from threadline.model.documents import DocumentFinding, DocumentKind, Span
from threadline.model.ids import digest, document_id, finding_id, statement_id
from threadline.store import Store, repository
from threadline.store.document_tables import document_findings, documents, finding_reviews
from threadline.store.tables import datasets, entities, review_decisions, statements

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
TEXT = "Mill Co received surplus labour transferred from Hotan under the programme."
DOC = document_id(TEXT)
CITED = Source("https://example.org/doc", "Report", "NGO", dt.date(2024, 5, 1), "", 3)
PLACE = Source("https://example.org/bol", "Bills", "user", None, "", 6)


def _finding(start: int, terms: str, label: str) -> DocumentFinding:
    quote = TEXT[start : start + 30]
    return DocumentFinding(
        entity_id="mill",
        document_id=DOC,
        category="labour_transfer",
        label=label,
        terms=terms,
        region="XUAR",
        source=Source(CITED.url, CITED.title, CITED.publisher, CITED.date, quote, 3),
        quote_span=Span(start, start + 30),
    )


REJECTED = _finding(0, "surplus labour", "surplus")
ACCEPTED = _finding(17, "transferred", "transfer")


def _old_finding_id(f: DocumentFinding) -> str:
    """The recipe of 0004: where the quote starts, not what it found."""
    return digest(f.document_id, f.entity_id, f.category, f.label, f.quote_span.start)


def _source_columns(source: Source) -> dict[str, object]:
    return {
        "source_url": source.url,
        "source_title": source.title,
        "source_publisher": source.publisher,
        "source_date": source.date,
        "source_excerpt": source.excerpt,
        "reliability": int(source.reliability),
    }


def _store_at_0004(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(repository._MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0004_harden")
        connection.execute(
            insert(datasets).values(
                id="docs", title="Imported documents", version="1", loaded_at=NOW
            )
        )
        connection.execute(
            insert(entities).values(
                id="mill", schema="Company", caption="Mill Co", dataset_id="docs"
            )
        )
        # Beside an import: hashed without its citation.
        connection.execute(
            insert(statements).values(
                id=digest("docs", "mill", "located_in", "Aksu"),
                entity_id="mill",
                prop="located_in",
                value="Aksu",
                dataset_id="docs",
                first_seen=NOW,
                **_source_columns(PLACE),
            )
        )
        connection.execute(
            insert(documents).values(
                id=DOC, title="Report", kind=DocumentKind.RESEARCH.value, chars=len(TEXT),
                text=TEXT, url=CITED.url, publisher="NGO", date=CITED.date, dataset_id="docs",
                first_seen=NOW,
            )
        )  # fmt: skip
        for found, verdict in ((REJECTED, "rejected"), (ACCEPTED, "accepted")):
            old = _old_finding_id(found)
            connection.execute(
                insert(document_findings).values(
                    id=old, document_id=DOC, entity_id="mill", category=found.category,
                    label=found.label, terms=found.terms, region=found.region,
                    quote=found.source.excerpt, quote_start=found.quote_span.start,
                    quote_end=found.quote_span.end, first_seen=NOW,
                )
            )  # fmt: skip
            connection.execute(
                insert(statements).values(
                    id=digest("docs", old, "document_finding"),
                    entity_id="mill",
                    prop="document_finding",
                    value=f"{found.category}: {found.terms}",
                    dataset_id="docs",
                    first_seen=NOW,
                    **_source_columns(found.source),
                )
            )
            connection.execute(
                insert(finding_reviews).values(
                    finding_id=old, verdict=verdict, user_name="ana", comment="", decided_at=NOW
                )
            )
        connection.execute(
            insert(review_decisions).values(
                query_key=decision_key("MILL CO.", "mill")[0], query_name="MILL CO.", entity_id="mill",
                verdict="same", user_name="ana", decided_at=NOW, comment="",
            )
        )  # fmt: skip
    engine.dispose()


def test_upgrade_rewrites_old_ids_and_every_verdict_still_applies(db_url: str) -> None:
    _store_at_0004(db_url)
    with Store.open(db_url) as store:
        findings = store.document_findings()["mill"]
        # The rejected finding still gives no reason; the accepted one keeps its verdict.
        assert [(f.id, f.review) for f in findings] == [(finding_id(ACCEPTED), "accepted")]
        with store.engine.connect() as connection:
            stated = set(connection.execute(select(statements.c.id)).scalars())
            reviews = connection.execute(select(func.count()).select_from(finding_reviews))
            assert reviews.scalar_one() == 2
        assert stated == {
            statement_id("docs", "mill", "located_in", "Aksu", PLACE),
            *(
                statement_id(
                    "docs", "mill", "document_finding", f"{f.category}: {f.terms}", f.source
                )
                for f in (REJECTED, ACCEPTED)
            ),
        }
        # The same fact added again is known by its new id: nothing is added.
        info = DatasetInfo(
            id="docs", title="Imported documents", publisher="", as_of="", licence=""
        )
        assert store.add_statements(info, [("mill", "located_in", "Aksu", PLACE)]) == 0
        # A decision on the entity applies to the supplier however its name is written.
        assert store.decisions()[decision_key("Mill Co", "mill")].verdict is Verdict.SAME
