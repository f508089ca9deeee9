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

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from threadline.decide import ReviewDecision, Verdict, pair_key
from threadline.errors import StoreBusy, StoreError
from threadline.model import DatasetInfo, Listing, ReferenceEntity, Relation
from threadline.store import graph
from threadline.store.bulk import BATCH, existing
from threadline.store.graph import EntityRecord
from threadline.store.rows import LIST_PROPS, SINGLE_PROPS, listing_from_row
from threadline.store.tables import (
    datasets,
    entities,
    listings,
    metadata,
    review_decisions,
    statements,
)
from threadline.store.writes import (
    ImportCounts,
    ResolvedBatch,
    StoredShipment,
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
                config = Config()
                config.set_main_option("script_location", str(_MIGRATIONS))
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"cannot open database {_redact(url)}: {_first_line(exc)}") from exc
        except CommandError as exc:  # a schema revision this version does not know
            raise StoreError(
                f"cannot open database {_redact(url)}: {_first_line(exc)}; it was written by "
                "another version of threadline: use that version, or another --db"
            ) from exc
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
        except (IntegrityError, OperationalError) as exc:
            if _is_contention(exc):
                raise StoreBusy(f"could not store {info.id}: {_first_line(exc)}") from exc
            raise StoreError(f"could not store {info.id}: {_first_line(exc)}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store {info.id}: {_first_line(exc)}") from exc

    def known_entity_ids(self, ids: Iterable[str]) -> set[str]:
        with self.engine.connect() as connection:
            return existing(connection, entities.c.id, ids)

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
        with self.engine.connect() as connection:
            rows = connection.execute(select(datasets).order_by(datasets.c.id)).mappings().all()
        return [
            DatasetInfo(
                id=r["id"],
                title=r["title"],
                publisher=r["publisher"],
                as_of=r["as_of"],
                licence=r["licence"],
                url=r["url"],
                attribution=r["attribution"],
            )
            for r in rows
        ]

    def load_entities(self, dataset_ids: Iterable[str] | None = None) -> list[ReferenceEntity]:
        """Rebuild reference entities from their statements and listings."""
        wanted = list(dataset_ids) if dataset_ids is not None else None
        with self.engine.connect() as connection:
            query = select(entities)
            if wanted is not None:
                query = query.where(entities.c.dataset_id.in_(wanted))
            entity_rows = connection.execute(query).mappings().all()
            props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
            statement_query = select(
                statements.c.entity_id, statements.c.prop, statements.c.value
            ).order_by(statements.c.entity_id, statements.c.first_seen, statements.c.id)
            for entity_id, prop, value in connection.execute(statement_query):
                if value not in props[entity_id][prop]:
                    props[entity_id][prop].append(value)
            entity_listings: dict[str, list[Listing]] = defaultdict(list)
            for row in connection.execute(
                select(listings).order_by(listings.c.date_listed)
            ).mappings():
                entity_listings[row["entity_id"]].append(listing_from_row(row))
        out = []
        for row in entity_rows:
            p = props[row["id"]]
            out.append(
                ReferenceEntity(
                    id=row["id"],
                    schema=row["schema"],
                    name=row["caption"],
                    aliases=tuple(p["alias"]),
                    names_zh=tuple(p["name_zh"]),
                    country=(p["country"] or [""])[0],
                    address=(p["address"] or [""])[0],
                    identifiers=tuple(p["identifier"]),
                    listings=tuple(entity_listings[row["id"]]),
                    parent_id=(p["parent_id"] or [""])[0],
                    sector=(p["sector"] or [""])[0],
                    notes=(p["notes"] or [""])[0],
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

    def add_decision(self, decision: ReviewDecision, *, data_version: str, algorithm: str) -> None:
        key, _ = pair_key(decision.query_name, decision.entity_id)
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
            latest[(r["query_key"], r["entity_id"])] = ReviewDecision(
                query_name=r["query_name"],
                entity_id=r["entity_id"],
                verdict=Verdict(r["verdict"]),
                user=r["user_name"],
                decided_at=r["decided_at"].isoformat(),
                comment=r["comment"],
            )
        return latest


_KNOWN_PROPS = frozenset((*SINGLE_PROPS, *LIST_PROPS))


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
