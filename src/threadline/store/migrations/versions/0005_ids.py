"""One id scheme per record type (threadline.model.ids): stored ids made by the older recipes are
rewritten, with every reference to them, so a re-import still adds nothing and a reviewer's
verdict on a document finding still applies.

- Statements added beside an import (`located_in`) were hashed without their citation, and a
  document finding's statement over the finding's id: both are now hashed as every other
  statement is (dataset, entity, property, value, citation).
- A document finding's id now covers its quote's end, the words found and the region, not only
  where the quote starts; `finding_reviews` follow their finding.

Revision ID: 0005_ids
Revises: 0004_harden
Create Date: 2026-12-05
"""

import hashlib
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_ids"
down_revision = "0004_harden"
branch_labels = None
depends_on = None

# The props whose statements older versions hashed otherwise; every other statement already
# has its id by the statement recipe, so the (large) rest of the table is not read.
_REHASHED_PROPS = ("located_in", "document_finding")

_statements = sa.table(
    "statements",
    sa.column("id", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("prop", sa.String),
    sa.column("value", sa.Text),
    sa.column("dataset_id", sa.String),
    sa.column("source_url", sa.Text),
    sa.column("source_title", sa.Text),
    sa.column("source_publisher", sa.Text),
    sa.column("source_date", sa.Date),
    sa.column("source_excerpt", sa.Text),
    sa.column("reliability", sa.Integer),
)
_findings = sa.table(
    "document_findings",
    sa.column("id", sa.String),
    sa.column("document_id", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("category", sa.String),
    sa.column("label", sa.String),
    sa.column("terms", sa.Text),
    sa.column("region", sa.String),
    sa.column("quote", sa.Text),
    sa.column("quote_start", sa.Integer),
    sa.column("quote_end", sa.Integer),
    sa.column("first_seen", sa.DateTime(timezone=True)),
)
_reviews = sa.table(
    "finding_reviews", sa.column("finding_id", sa.String), sa.column("id", sa.Integer)
)


def _digest(*parts: object) -> str:
    # As threadline.model.ids.digest; copied so the migration never changes with the code.
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def _statement_id(row: Any) -> str:
    return _digest(
        row.dataset_id,
        row.entity_id,
        row.prop,
        row.value,
        row.source_url,
        row.source_title,
        row.source_publisher,
        row.source_date,
        row.source_excerpt,
        row.reliability,
    )


def _finding_id(row: Any) -> str:
    return _digest(
        row.document_id,
        row.entity_id,
        row.category,
        row.label,
        row.quote_start,
        row.quote_end,
        row.terms,
        row.region,
    )


def upgrade() -> None:
    connection = op.get_bind()
    _rehash_findings(connection)
    _rehash_statements(connection)


def _rehash_statements(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.select(_statements).where(_statements.c.prop.in_(_REHASHED_PROPS))
    ).all()
    taken = {row.id for row in rows}
    for row in rows:
        new = _statement_id(row)
        if new == row.id:
            continue
        if new in taken:  # the same statement stored twice under the old recipe: keep one
            connection.execute(sa.delete(_statements).where(_statements.c.id == row.id))
        else:
            connection.execute(
                sa.update(_statements).where(_statements.c.id == row.id).values(id=new)
            )
            taken.add(new)
        taken.discard(row.id)


def _rehash_findings(connection: sa.Connection) -> None:
    rows = connection.execute(sa.select(_findings)).all()
    taken = {row.id for row in rows}
    for row in rows:
        new = _finding_id(row)
        if new == row.id:
            continue
        # Reviews reference the finding: the new row first, then the reviews, then the old row.
        if new not in taken:
            copied = {**row._asdict(), "id": new}
            connection.execute(sa.insert(_findings).values(**copied))
            taken.add(new)
        connection.execute(
            sa.update(_reviews).where(_reviews.c.finding_id == row.id).values(finding_id=new)
        )
        connection.execute(sa.delete(_findings).where(_findings.c.id == row.id))
        taken.discard(row.id)


def downgrade() -> None:
    # Nothing to undo: an older version reads rows by their columns, never by how an id was
    # made, and only re-adds a statement or finding it would otherwise have skipped.
    pass
