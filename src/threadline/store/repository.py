"""The store: open (and migrate) a database, load reference data idempotently, read it back.

SQLite by default, PostgreSQL by URL; dialect differences stay inside SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from threadline.decide import ReviewDecision, Verdict, decision_key
from threadline.errors import StoreBusy, StoreError
from threadline.model import DatasetInfo, Listing, ReferenceEntity, Relation, Source
from threadline.model.documents import Document, DocumentFinding, DocumentRecord
from threadline.model.ids import statement_id
from threadline.store import documents as document_store
from threadline.store import graph
from threadline.store.bulk import BATCH, existing
from threadline.store.current import current_rows, list_counts
from threadline.store.graph import EntityRecord
from threadline.store.loads import (
    ListLoad,
    ListUpdate,
    effective_version,
    latest_loads,
    load_ids,
    write_list_update,
)
from threadline.store.rows import (
    LIST_PROPS,
    SINGLE_PROPS,
    listing_from_row,
    source_columns,
)
from threadline.store.schema_head import at_head
from threadline.store.tables import (
    datasets,
    entities,
    listings,
    metadata,
    review_decisions,
    statements,
    store_generation,
)
from threadline.store.writes import (
    ImportCounts,
    ResolvedBatch,
    StoredShipment,
    insert_rows,
    write_candidate_links,
    write_entities,
    write_relations,
    write_shipments,
)

_MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 30.0
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SyncReport:
    dataset: str
    added: int
    unchanged: int
    skipped: bool  # the same version was already loaded


def _migrate(connection: Connection, url: str) -> None:
    """Bring the schema to this version's head (Alembic is imported only when that is needed)."""
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    try:
        command.upgrade(config, "head")
    except CommandError as exc:  # a schema revision this version does not know
        raise StoreError(
            f"cannot open database {_redact(url)}: {_first_line(exc)}; it was written by "
            "another version of threadline: use that version, or another --db"
        ) from exc


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Store:
        try:
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(
                    parents=True, exist_ok=True
                )
            # A writer waits this long for SQLite's lock before StoreBusy (then `retrying`).
            connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_S} if url.startswith("sqlite") else {}
            engine = create_engine(url, connect_args=connect_args)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            with engine.begin() as connection:
                if not at_head(connection):
                    _migrate(connection, url)
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"cannot open database {_redact(url)}: {_first_line(exc)}") from exc
        return cls(engine)

    def close(self) -> None:
        """Close the pooled connections (a server database may be dropped afterwards)."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- reference data ---------------------------------------------------------------------

    def dataset_version(self, dataset_id: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(
                select(datasets.c.version).where(datasets.c.id == dataset_id)
            ).scalar_one_or_none()

    def sync(
        self, info: DatasetInfo, version: str, rows: Sequence[ReferenceEntity], *, bundled: bool
    ) -> SyncReport:
        """Load a dataset's entities as statements; what is already there stays untouched."""
        if self.dataset_version(info.id) == version:
            return SyncReport(info.id, 0, len(rows), skipped=True)
        now = _utcnow()
        try:
            with self.engine.begin() as connection:
                self._upsert_dataset(connection, info, version, bundled=bundled, now=now)
                counts = write_entities(connection, info.id, rows, now)
                _bump_generation(connection)
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store dataset {info.id}: {_first_line(exc)}") from exc
        return SyncReport(info.id, counts.statements, 0, skipped=False)

    # -- user imports: each call is one transaction, so a failed import leaves nothing behind --

    def import_entities(
        self,
        info: DatasetInfo,
        items: Sequence[ReferenceEntity],
        relations: Sequence[Relation] = (),
    ) -> ImportCounts:
        """Entities (with listings) and the relations among them, e.g. from an FtM file."""
        now = _utcnow()
        with self._writing(info, now) as connection:
            counts = write_entities(connection, info.id, items, now)
            counts += write_relations(connection, info.id, relations, now)
        return counts

    def import_relations(self, info: DatasetInfo, items: Sequence[Relation]) -> ImportCounts:
        now = _utcnow()
        with self._writing(info, now) as connection:
            return write_relations(connection, info.id, items, now)

    def import_resolved(self, info: DatasetInfo, batches: Iterable[ResolvedBatch]) -> ImportCounts:
        """Records whose names were resolved to entities, batch by batch in one transaction:
        each batch's new parties (citing where each was first named) and candidate links go in
        before the relations and bills that need them. Counts are the relations' and bills'."""
        now = _utcnow()
        counts = ImportCounts()
        with self._writing(info, now) as connection:
            for batch in batches:
                parties = [party for party, _ in batch.parties]
                cited = [source for _, source in batch.parties]
                write_entities(connection, info.id, parties, now, cited)
                write_candidate_links(connection, info.id, batch.links, now)
                counts += write_relations(connection, info.id, batch.relations, now)
                counts += write_shipments(connection, info.id, batch.shipments, now)
        return counts

    @contextmanager
    def _writing(self, info: DatasetInfo, now: dt.datetime) -> Iterator[Connection]:
        try:
            with self.engine.begin() as connection:
                if self.dataset_version(info.id) is None:
                    self._upsert_dataset(connection, info, "user", bundled=False, now=now)
                yield connection
                _bump_generation(connection)
        except (IntegrityError, OperationalError) as exc:
            if _is_contention(exc):
                raise StoreBusy(f"could not store {info.id}: {_first_line(exc)}") from exc
            raise StoreError(f"could not store {info.id}: {_first_line(exc)}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store {info.id}: {_first_line(exc)}") from exc

    def write_list_updates(self, updates: Sequence[ListUpdate]) -> None:
        """Official files' entries, removals and load records: all in one transaction, so a
        failure leaves the store as it was."""
        now = _utcnow()
        try:
            with self.engine.begin() as connection:
                for update in updates:
                    write_list_update(connection, update, now)
                _bump_generation(connection)
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store the list update: {_first_line(exc)}") from exc

    def latest_loads(self) -> dict[str, ListLoad]:
        """The newest official file loaded into each list by `threadline data update`."""
        with self.engine.connect() as connection:
            return latest_loads(connection)

    def list_counts(self, on: dt.date) -> dict[str, tuple[int, int]]:
        """Per list: entities with a current listing on it, and those active `on`."""
        with self.engine.connect() as connection:
            return list_counts(connection, on)

    def load_ids(self) -> list[str]:
        with self.engine.connect() as connection:
            return load_ids(connection)

    def data_version(self, packaged: str) -> str:
        """The packaged data version, combined with every official file loaded since."""
        with self.engine.connect() as connection:
            return effective_version(packaged, load_ids(connection))

    def generation(self) -> int:
        """How many writes the reference data has seen; a cheap check for 'has it changed?'."""
        with self.engine.connect() as connection:
            value = connection.execute(
                select(store_generation.c.value).where(store_generation.c.id == 1)
            ).scalar_one_or_none()
        return int(value or 0)

    def add_statements(
        self, info: DatasetInfo, facts: Sequence[tuple[str, str, str, Source]]
    ) -> int:
        """Facts (entity id, property, value, source) about stored entities; a fact already
        stored is left as it is. Returns how many were new."""
        now = _utcnow()
        rows = {
            statement_id(info.id, entity_id, prop, value, source): {
                "id": statement_id(info.id, entity_id, prop, value, source),
                "entity_id": entity_id,
                "prop": prop,
                "value": value,
                "dataset_id": info.id,
                **source_columns(source),
                "first_seen": now,
            }
            for entity_id, prop, value, source in facts
        }
        with self._writing(info, now) as connection:
            known = existing(connection, statements.c.id, rows)
            fresh = [row for key, row in rows.items() if key not in known]
            insert_rows(connection, statements, fresh)
        return len(fresh)

    def known_entity_ids(self, ids: Iterable[str]) -> set[str]:
        with self.engine.connect() as connection:
            return existing(connection, entities.c.id, ids)

    # -- documents --------------------------------------------------------------------------

    def import_documents(
        self, info: DatasetInfo, batches: Iterable[document_store.DocumentBatch]
    ) -> document_store.DocumentCounts:
        """Documents with their findings, batch by batch in one transaction."""
        now = _utcnow()
        total = document_store.DocumentCounts()
        with self._writing(info, now) as connection:
            for batch in batches:
                counts = document_store.write_document_batch(connection, info.id, batch, now)
                total.documents += counts.documents
                total.entities += counts.entities
                total.findings += counts.findings
                total.relations += counts.relations
        return total

    def known_document_ids(self, ids: Iterable[str]) -> set[str]:
        with self.engine.connect() as connection:
            return document_store.known_document_ids(connection, ids)

    def document_findings(self) -> dict[str, list[DocumentFinding]]:
        """Every document finding, by the entity it is about."""
        with self.engine.connect() as connection:
            return document_store.load_findings(connection)

    def review_finding(self, finding_id: str, verdict: str, user: str, comment: str = "") -> bool:
        """Append a reviewer's verdict on a finding; False when no finding has that id."""
        with self.engine.begin() as connection:
            return document_store.review_finding(
                connection, finding_id, verdict, user, comment, _utcnow()
            )

    def documents(self) -> list[tuple[Document, int, int]]:
        with self.engine.connect() as connection:
            return document_store.list_documents(connection)

    def documents_naming(self, entity_id: str) -> list[Document]:
        with self.engine.connect() as connection:
            return document_store.documents_naming(connection, entity_id)

    def document(self, document_id: str) -> DocumentRecord | None:
        with self.engine.connect() as connection:
            return document_store.document_record(connection, document_id)

    # -- reading the graph ------------------------------------------------------------------

    def load_relations(self, as_of: dt.date | None = None) -> list[Relation]:
        """Every relation, bills of lading included as shipped_to; the latest statement of each
        link wins (a dated end supersedes an open one). `as_of` keeps those active that day."""
        with self.engine.connect() as connection:
            return graph.load_relations(connection, as_of)

    def load_shipments(self) -> list[StoredShipment]:
        """Every bill (its latest version) with the entity ids of its shipper and consignee."""
        with self.engine.connect() as connection:
            return graph.load_shipments(connection)

    def entity_statements(self, entity_id: str) -> EntityRecord | None:
        """Everything stored about one entity, each statement with its source; None if unknown."""
        with self.engine.connect() as connection:
            return graph.entity_record(connection, entity_id)

    def table_columns(self, name: str) -> list[str]:
        return list(metadata.tables[name].columns.keys())

    def table_rows(self, name: str) -> Iterator[dict[str, Any]]:
        """Rows of one table as stored, streamed (for exports)."""
        table = metadata.tables[name]
        with self.engine.connect() as connection:
            result = connection.execution_options(yield_per=BATCH).execute(
                select(table).order_by(*table.primary_key.columns)
            )
            for row in result.mappings():
                yield dict(row)

    def _upsert_dataset(
        self,
        connection: Connection,
        info: DatasetInfo,
        version: str,
        *,
        bundled: bool,
        now: dt.datetime,
    ) -> None:
        values = {
            "title": info.title,
            "publisher": info.publisher,
            "url": info.url,
            "as_of": info.as_of,
            "licence": info.licence,
            "attribution": info.attribution,
            "version": version,
            "bundled": int(bundled),
            "loaded_at": now,
        }
        exists = connection.execute(select(datasets.c.id).where(datasets.c.id == info.id)).first()
        if exists:
            connection.execute(datasets.update().where(datasets.c.id == info.id).values(**values))
        else:
            connection.execute(insert(datasets).values(id=info.id, **values))

    def dataset_infos(self) -> list[DatasetInfo]:
        """Every dataset, `rows` counting the entities its current listings name."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(datasets).order_by(datasets.c.id)).mappings().all()
            counts = list_counts(connection, dt.date.today())
        return [
            DatasetInfo(
                id=r["id"],
                title=r["title"],
                publisher=r["publisher"],
                as_of=r["as_of"],
                licence=r["licence"],
                url=r["url"],
                rows=counts.get(r["id"], (0, 0))[0],
                attribution=r["attribution"],
            )
            for r in rows
        ]

    def load_entities(
        self, dataset_ids: Iterable[str] | None = None, *, listed_on: Iterable[str] | None = None
    ) -> list[ReferenceEntity]:
        """Rebuild reference entities from their statements and current listings; `listed_on`
        keeps only entities with a listing on one of those lists."""
        wanted = list(dataset_ids) if dataset_ids is not None else None
        on_lists = list(listed_on) if listed_on is not None else None
        listed = select(listings.c.entity_id).where(listings.c.dataset_id.in_(on_lists or []))
        with self.engine.connect() as connection:
            query = select(entities)
            if wanted is not None:
                query = query.where(entities.c.dataset_id.in_(wanted))
            if on_lists is not None:
                query = query.where(entities.c.id.in_(listed))
            entity_rows = connection.execute(query).mappings().all()
            props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
            statement_query = select(
                statements.c.entity_id, statements.c.prop, statements.c.value
            ).order_by(statements.c.entity_id, statements.c.first_seen, statements.c.id)
            listing_query = select(listings).order_by(listings.c.date_listed)
            if on_lists is not None:
                statement_query = statement_query.where(statements.c.entity_id.in_(listed))
                listing_query = listing_query.where(listings.c.entity_id.in_(listed))
            for entity_id, prop, value in connection.execute(statement_query):
                values = props[entity_id][prop]
                if value in values:
                    if prop not in SINGLE_PROPS:
                        continue
                    values.remove(value)  # stated again later: it is the latest again
                values.append(value)
            # The latest statement about each entry wins (a corrected effect, a revocation or a
            # removal supersedes what was said before; the earlier rows stay stored).
            entity_listings: dict[str, list[Listing]] = defaultdict(list)
            current = current_rows(connection.execute(listing_query).mappings())
            for row in sorted(current, key=_listed_order):
                entity_listings[row["entity_id"]].append(listing_from_row(row))
        out = []
        for row in entity_rows:
            p = props[row["id"]]
            # Names the entity had in earlier statements (a renamed entry) still match.
            former = [n for n in p["name"] if n != row["caption"] and n not in p["alias"]]
            out.append(
                ReferenceEntity(
                    id=row["id"],
                    schema=row["schema"],
                    name=row["caption"],
                    aliases=(*p["alias"], *former),
                    names_zh=tuple(p["name_zh"]),
                    country=_latest(p["country"]),
                    address=_latest(p["address"]),
                    identifiers=tuple(p["identifier"]),
                    listings=tuple(entity_listings[row["id"]]),
                    parent_id=_latest(p["parent_id"]),
                    sector=_latest(p["sector"]),
                    notes=_latest(p["notes"]),
                    extra=tuple(
                        (prop, value)
                        for prop, values in p.items()
                        if prop not in _KNOWN_PROPS
                        for value in values
                    ),
                )
            )
        return out

    # -- review decisions -------------------------------------------------------------------

    def add_decision(
        self,
        decision: ReviewDecision,
        *,
        data_version: str,
        algorithm: str,
        screening_id: str = "",
        row: int | None = None,
        user_key: str = "",
        score: float | None = None,
    ) -> None:
        """Store a decision; where it was made in a screening, its id, row, the user's key for
        the row and the candidate's score go to the audit export."""
        key, _ = decision_key(decision.query_name, decision.entity_id)
        with (
            _contention_as_busy("could not record the decision"),
            self.engine.begin() as connection,
        ):
            connection.execute(
                insert(review_decisions).values(
                    query_key=key,
                    query_name=decision.query_name,
                    entity_id=decision.entity_id,
                    verdict=decision.verdict.value,
                    user_name=decision.user,
                    comment=decision.comment,
                    decided_at=dt.datetime.fromisoformat(decision.decided_at),
                    data_version=data_version,
                    algorithm=algorithm,
                    screening_id=screening_id,
                    row=row,
                    user_key=user_key,
                    score=score,
                )
            )

    def decisions(self) -> dict[tuple[str, str], ReviewDecision]:
        """The latest decision for each (supplier name, entity) pair."""
        with self.engine.connect() as connection:
            rows = (
                connection.execute(select(review_decisions).order_by(review_decisions.c.id))
                .mappings()
                .all()
            )
        latest: dict[tuple[str, str], ReviewDecision] = {}
        for r in rows:
            # Keyed afresh from the name: a key stored under an earlier name rule still applies.
            latest[decision_key(r["query_name"], r["entity_id"])] = ReviewDecision(
                query_name=r["query_name"],
                entity_id=r["entity_id"],
                verdict=Verdict(r["verdict"]),
                user=r["user_name"],
                decided_at=r["decided_at"].isoformat(),
                comment=r["comment"],
            )
        return latest


_KNOWN_PROPS = frozenset((*SINGLE_PROPS, *LIST_PROPS))


def _latest(values: Sequence[str]) -> str:
    """A single-valued property: its latest statement (values come in first_seen order)."""
    return values[-1] if values else ""


def _listed_order(row: Any) -> tuple[bool, dt.date]:
    return (row["date_listed"] is None, row["date_listed"] or dt.date.min)


def _bump_generation(connection: Connection) -> None:
    """Count one write, in the writer's transaction (the row is made by migration 0004)."""
    connection.execute(
        store_generation.update()
        .where(store_generation.c.id == 1)
        .values(value=store_generation.c.value + 1)
    )


def _is_contention(exc: SQLAlchemyError) -> bool:
    """A lock or a concurrent writer's rows, not damage: SQLite's "database is locked" (busy
    timeout passed), PostgreSQL's unique violations, serialization failures and deadlocks."""
    original = getattr(exc, "orig", None)
    code = getattr(original, "sqlstate", None)
    if isinstance(exc, IntegrityError):
        return code == "23505" or "UNIQUE constraint failed" in str(original)
    text = str(original).lower()
    return code in {"40001", "40P01", "55P03"} or "locked" in text or "busy" in text


@contextmanager
def _contention_as_busy(what: str) -> Iterator[None]:
    try:
        yield
    except (IntegrityError, OperationalError) as exc:
        if _is_contention(exc):
            raise StoreBusy(f"{what}: {_first_line(exc)}") from exc
        raise


def retrying(action: Callable[[], T], *, attempts: int = 4, first_wait_s: float = 0.5) -> T:
    """`action()`, run again (after 0.5, 1, 2 s, with jitter) while it loses to a concurrent
    writer: its transaction rolled back, so running it again merges with what the other wrote."""
    for attempt in range(attempts):
        try:
            return action()
        except StoreBusy:
            if attempt == attempts - 1:
                raise
            time.sleep(first_wait_s * 2**attempt * (0.5 + random.random()))
    raise AssertionError("unreachable")


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL with NORMAL sync is durable across crashes of the program; a 64 MB page cache keeps
    # the content-hashed (random) keys of a million-row import off the disk.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _redact(url: str) -> str:
    """Never print a password from a database URL."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
