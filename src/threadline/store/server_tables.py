"""Tables of the shared server: accounts, API tokens, screening jobs with their rows and reports.

Defined on the store's one MetaData, so Alembic and the repositories see a single schema.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from threadline.store.tables import metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=True),  # None: signs in with tokens only
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
    # The name case-folded: unique, so `Viewer` cannot be added beside `viewer`.
    Column("name_key", String(100), nullable=True),
    # Signed into each session cookie; raised to end every session of the user at once.
    Column("session_generation", Integer, nullable=False, server_default="0"),
    Index("ux_users_name_key", "name_key", unique=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    # SHA-256 of the token: tokens are 256 random bits, so a fast hash is enough, and the
    # plain token is never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

server_secrets = Table(
    "server_secrets",
    metadata,
    Column("name", String(60), primary_key=True),
    Column("value", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

screenings = Table(
    "screenings",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("filename", Text, nullable=False),
    Column("status", String(20), nullable=False),  # queued, running, done, failed
    Column("total", Integer, nullable=False, default=0),
    Column("done", Integer, nullable=False, default=0),
    Column("error", Text, nullable=False, default=""),
    Column("as_of", Date, nullable=False),
    Column("data_version", String(64), nullable=False, default=""),
    Column("algorithm", String(60), nullable=False, default=""),
    Column("summary", Text, nullable=False, default="{}"),  # rows per tier, JSON
    # How to read the upload (sheet, name/address columns) and, once read, the line saying
    # what was used; JSON.
    Column("options", Text, nullable=False, default="{}"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    # server (an upload), cli (`threadline screen`) or monitor (a re-screen after new data)
    Column("origin", String(20), nullable=False, server_default="server"),
    Column("input_hash", String(64), nullable=False, server_default=""),  # SHA-256 of the inputs
    # what the user chose (hops, key column, columns, references), JSON
    Column("settings", Text, nullable=False, server_default="{}"),
    # Times a worker started it: a job that stopped the server twice is not started again.
    Column("attempts", Integer, nullable=False, server_default="0"),
    Index("ix_screenings_created", "created_at"),
    Index("ix_screenings_filename", "filename"),
)

# The uploaded file itself, so an auditor can see which data a screening ran on.
screening_uploads = Table(
    "screening_uploads",
    metadata,
    Column("screening_id", String(32), ForeignKey("screenings.id"), primary_key=True),
    Column("content", LargeBinary, nullable=False),
)

screening_rows = Table(
    "screening_rows",
    metadata,
    Column("screening_id", String(32), ForeignKey("screenings.id"), primary_key=True),
    Column("row", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("tier", String(30), nullable=False),
    Column("bands", String(30), nullable=False, default=""),  # ",match,review," as present
    Column("lists", Text, nullable=False, default=""),  # list ids of the matched entities
    Column("result", Text, nullable=False),  # the row's results.json object
    Column("key", Text, nullable=False, server_default=""),  # the row's identity across runs
    # what a comparison needs (threadline.changes.facts), JSON; "" for rows stored before 0004
    Column("facts", Text, nullable=False, server_default=""),
    Column("digest", String(40), nullable=False, server_default=""),  # of the facts, row left out
)

# The input files of a command-line or monitor screening, so a monitor can screen them again
# (a server upload is kept in screening_uploads).
screening_inputs = Table(
    "screening_inputs",
    metadata,
    Column("screening_id", String(32), ForeignKey("screenings.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("filename", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

# A monitored input: `screening_id` is the latest screening of it, `previous_id` the one the
# last check compared against; a removed monitor keeps its row (removed_at set).
monitors = Table(
    "monitors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("screening_id", String(32), ForeignKey("screenings.id"), nullable=False),
    Column("previous_id", String(32), ForeignKey("screenings.id"), nullable=True),
    Column("filename", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("checked_at", DateTime(timezone=True), nullable=True),
    Column("changed", Integer, nullable=False, server_default="0"),
    Column("raised", Integer, nullable=False, server_default="0"),
    Column("removed_at", DateTime(timezone=True), nullable=True),
)

screening_reports = Table(
    "screening_reports",
    metadata,
    Column("screening_id", String(32), ForeignKey("screenings.id"), primary_key=True),
    Column("format", String(10), primary_key=True),
    Column("content", LargeBinary, nullable=False),
)
