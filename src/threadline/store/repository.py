"""The store: open (and migrate) a database, load reference data idempotently, read it back.

SQLite by default, PostgreSQL by URL; dialect differences stay inside SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, insert, select
from sqlalchemy.exc import SQLAlchemyError

from threadline.decide import ReviewDecision, Verdict, pair_key
from threadline.errors import StoreError
from threadline.model import DatasetInfo, ListEffect, Listing, ReferenceEntity, Reliability, Source
from threadline.store.tables import datasets, entities, listings, review_decisions, statements

_MIGRATIONS = Path(__file__).parent / "migrations"
_BATCH = 5000


@dataclass(frozen=True, slots=True)
class SyncReport:
    dataset: str
    added: int
    unchanged: int
    skipped: bool  # the same version was already loaded


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def content_id(*parts: object) -> str:
    """A statement's identity: the hash of what it says and where it comes from."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode(), usedforsecurity=False)
    return digest.hexdigest()


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
            engine = create_engine(url)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            with engine.begin() as connection:
                config = Config()
                config.set_main_option("script_location", str(_MIGRATIONS))
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"cannot open database {_redact(url)}: {_first_line(exc)}") from exc
        return cls(engine)

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
                known_entities = set(connection.execute(select(entities.c.id)).scalars())
                known_statements = set(
                    connection.execute(
                        select(statements.c.id).where(statements.c.dataset_id == info.id)
                    ).scalars()
                )
                known_listings = set(
                    connection.execute(
                        select(listings.c.id).where(listings.c.dataset_id == info.id)
                    ).scalars()
                )
                new_entities, new_statements, new_listings = [], [], []
                for entity in rows:
                    if entity.id not in known_entities:
                        known_entities.add(entity.id)
                        new_entities.append(
                            {
                                "id": entity.id,
                                "schema": entity.schema,
                                "caption": entity.name,
                                "dataset_id": info.id,
                            }
                        )
                    for row in _statement_rows(entity, info.id, now):
                        if row["id"] not in known_statements:
                            known_statements.add(row["id"])
                            new_statements.append(row)
                    for row in _listing_rows(entity, info.id, now):
                        if row["id"] not in known_listings:
                            known_listings.add(row["id"])
                            new_listings.append(row)
                for table, batch in (
                    (entities, new_entities),
                    (statements, new_statements),
                    (listings, new_listings),
                ):
                    for start in range(0, len(batch), _BATCH):
                        connection.execute(insert(table), batch[start : start + _BATCH])
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store dataset {info.id}: {_first_line(exc)}") from exc
        added = len(new_statements) + len(new_listings)
        return SyncReport(info.id, added, 0, skipped=False)

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
                entity_listings[row["entity_id"]].append(_listing_from_row(row))
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
                )
            )
        return out

    # -- review decisions -------------------------------------------------------------------

    def add_decision(self, decision: ReviewDecision, *, data_version: str, algorithm: str) -> None:
        key, _ = pair_key(decision.query_name, decision.entity_id)
        with self.engine.begin() as connection:
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


def _statement_rows(
    entity: ReferenceEntity, dataset_id: str, now: dt.datetime
) -> list[dict[str, Any]]:
    source = next((s for listing in entity.listings for s in listing.sources), None)
    values: list[tuple[str, str]] = [("name", entity.name)]
    values += [("alias", a) for a in entity.aliases]
    values += [("name_zh", n) for n in entity.names_zh]
    values += [("identifier", i) for i in entity.identifiers]
    values += [
        (k, v)
        for k, v in (
            ("country", entity.country),
            ("address", entity.address),
            ("parent_id", entity.parent_id),
            ("sector", entity.sector),
            ("notes", entity.notes),
        )
        if v
    ]
    return [
        {
            "id": content_id(dataset_id, entity.id, prop, value),
            "entity_id": entity.id,
            "prop": prop,
            "value": value,
            "dataset_id": dataset_id,
            "source_url": source.url if source else "",
            "source_title": source.title if source else "",
            "source_publisher": source.publisher if source else "",
            "source_date": source.date if source else None,
            "reliability": int(source.reliability if source else Reliability.USER_SUPPLIED),
            "first_seen": now,
        }
        for prop, value in values
    ]


def _listing_rows(
    entity: ReferenceEntity, dataset_id: str, now: dt.datetime
) -> list[dict[str, Any]]:
    rows = []
    for listing in entity.listings:
        sources = [
            {
                "url": s.url,
                "title": s.title,
                "publisher": s.publisher,
                "date": s.date.isoformat() if s.date else None,
                "reliability": int(s.reliability),
            }
            for s in listing.sources
        ]
        rows.append(
            {
                "id": content_id(
                    dataset_id,
                    entity.id,
                    listing.list_id,
                    listing.entry_id,
                    listing.date_listed,
                    listing.date_removed,
                    listing.section,
                    listing.status,
                ),
                "entity_id": entity.id,
                "dataset_id": dataset_id,
                "list_name": listing.list_name,
                "effect": listing.effect.value,
                "entry_id": listing.entry_id,
                "program": listing.program,
                "section": listing.section,
                "date_listed": listing.date_listed,
                "date_removed": listing.date_removed,
                "product_scope": listing.product_scope,
                "status": listing.status,
                "sources": json.dumps(sources, ensure_ascii=False),
                "first_seen": now,
            }
        )
    return rows


def _listing_from_row(row: object) -> Listing:
    r = row  # a RowMapping
    sources = tuple(
        Source(
            url=s["url"],
            title=s["title"],
            publisher=s.get("publisher", ""),
            date=dt.date.fromisoformat(s["date"]) if s.get("date") else None,
            reliability=Reliability(s.get("reliability", Reliability.USER_SUPPLIED)),
        )
        for s in json.loads(r["sources"])  # type: ignore[index]
    )
    return Listing(
        list_id=r["dataset_id"],  # type: ignore[index]
        list_name=r["list_name"],  # type: ignore[index]
        effect=ListEffect(r["effect"]),  # type: ignore[index]
        entry_id=r["entry_id"],  # type: ignore[index]
        program=r["program"],  # type: ignore[index]
        section=r["section"],  # type: ignore[index]
        date_listed=r["date_listed"],  # type: ignore[index]
        date_removed=r["date_removed"],  # type: ignore[index]
        product_scope=r["product_scope"],  # type: ignore[index]
        status=r["status"],  # type: ignore[index]
        sources=sources,
    )


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _redact(url: str) -> str:
    """Never print a password from a database URL."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
