"""Hardening: user names unique whatever their case, a session generation per user (sign-outs,
password changes and disabling end sessions at once), and a screening's run count (a job that
stopped the server twice is not started a third time).

Revision ID: 0004_harden
Revises: 0003
Create Date: 2026-12-04
"""

import logging
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0004_harden"
down_revision = "0004_analyst"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _fold(name: str) -> str:
    # As threadline.store.accounts.name_key; copied so the migration never changes with the code.
    return unicodedata.normalize("NFKC", name).casefold()


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("name_key", sa.String(100), nullable=True))
        batch.add_column(
            sa.Column("session_generation", sa.Integer, nullable=False, server_default="0")
        )
    with op.batch_alter_table("screenings") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
    )
    connection = op.get_bind()
    taken: set[str] = set()
    for user_id, name in connection.execute(
        sa.select(users.c.id, users.c.name).order_by(users.c.id)
    ):
        key = _fold(name)
        if key in taken:
            # Names differing only in case could be told apart before; the later one keeps its
            # name but signs in as NAME#ID until an admin renames it.
            key = f"{key}#{user_id}"
            log.warning(
                "user %r has the name of an earlier user in another case; it signs in as %r",
                name,
                key,
            )
        taken.add(key)
        connection.execute(sa.update(users).where(users.c.id == user_id).values(name_key=key))
    op.create_index("ux_users_name_key", "users", ["name_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_users_name_key", table_name="users")
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("attempts")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
        batch.drop_column("name_key")
