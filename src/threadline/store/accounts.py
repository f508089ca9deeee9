"""Accounts repository: users with a role, their API token hashes, and the server's secrets.

Hashing and role rules live in threadline.server.security; this module only stores what it is
given, so no plain password or token ever reaches the database.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from threadline.errors import InputError, StoreError
from threadline.store.repository import Store
from threadline.store.server_tables import api_tokens, server_secrets, users


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    name: str
    role: str
    password_hash: str | None
    created_at: dt.datetime
    session_generation: int = 0
    disabled_at: dt.datetime | None = None


def name_key(name: str) -> str:
    """A user name as compared: `Viewer`, `viewer` and `ＶＩＥＷＥＲ` are one user."""
    return unicodedata.normalize("NFKC", name).casefold()


def _account(row: Any) -> Account:
    return Account(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        password_hash=row["password_hash"],
        created_at=row["created_at"],
        session_generation=row["session_generation"] or 0,
        disabled_at=row["disabled_at"],
    )


class Accounts:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def add_user(self, name: str, role: str, password_hash: str | None = None) -> Account:
        now = dt.datetime.now(dt.UTC)
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(users).values(
                        name=name,
                        name_key=name_key(name),
                        role=role,
                        password_hash=password_hash,
                        created_at=now,
                    )
                )
        except IntegrityError:
            raise InputError(f"user '{name}' already exists") from None
        except SQLAlchemyError as exc:
            raise StoreError(f"could not add user '{name}': {exc.__class__.__name__}") from exc
        account = self.by_name(name)
        assert account is not None  # just inserted
        return account

    def by_name(self, name: str) -> Account | None:
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    select(users).where(
                        users.c.name_key == name_key(name), users.c.disabled_at.is_(None)
                    )
                )
                .mappings()
                .first()
            )
        return _account(row) if row else None

    def by_id(self, user_id: int) -> Account | None:
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    select(users).where(users.c.id == user_id, users.c.disabled_at.is_(None))
                )
                .mappings()
                .first()
            )
        return _account(row) if row else None

    def all(self) -> list[Account]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(users).order_by(users.c.name)).mappings().all()
        return [_account(r) for r in rows]

    def set_password(self, user_id: int, password_hash: str) -> None:
        """A new password ends every session signed in with the old one."""
        with self.engine.begin() as connection:
            connection.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(
                    password_hash=password_hash,
                    session_generation=users.c.session_generation + 1,
                )
            )

    def end_sessions(self, user_id: int) -> None:
        """Every browser session of the user stops working at its next request."""
        with self.engine.begin() as connection:
            connection.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(session_generation=users.c.session_generation + 1)
            )

    def disable(self, user_id: int) -> None:
        """The user can no longer sign in; sessions and API tokens stop working at once."""
        now = dt.datetime.now(dt.UTC)
        with self.engine.begin() as connection:
            connection.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(disabled_at=now, session_generation=users.c.session_generation + 1)
            )
            connection.execute(
                update(api_tokens)
                .where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    def any_by_name(self, name: str) -> Account | None:
        """The user with this name, disabled or not (for the admin commands)."""
        with self.engine.connect() as connection:
            row = (
                connection.execute(select(users).where(users.c.name_key == name_key(name)))
                .mappings()
                .first()
            )
        return _account(row) if row else None

    def token_counts(self) -> dict[int, int]:
        """Unrevoked API tokens per user id."""
        query = (
            select(api_tokens.c.user_id, func.count())
            .where(api_tokens.c.revoked_at.is_(None))
            .group_by(api_tokens.c.user_id)
        )
        with self.engine.connect() as connection:
            return {int(user): int(count) for user, count in connection.execute(query)}

    def add_token(self, user_id: int, token_hash: str, label: str = "") -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(api_tokens).values(
                    user_id=user_id,
                    token_hash=token_hash,
                    label=label,
                    created_at=dt.datetime.now(dt.UTC),
                )
            )

    def by_token_hash(self, token_hash: str) -> Account | None:
        """The active user holding this unrevoked token."""
        query = (
            select(users)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(
                api_tokens.c.token_hash == token_hash,
                api_tokens.c.revoked_at.is_(None),
                users.c.disabled_at.is_(None),
            )
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return _account(row) if row else None

    def secret(self, name: str, make: Callable[[], str]) -> str:
        """A server secret, created once and shared by every process using this database."""
        with self.engine.begin() as connection:
            found = connection.execute(
                select(server_secrets.c.value).where(server_secrets.c.name == name)
            ).scalar_one_or_none()
            if found is not None:
                return str(found)
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(server_secrets).values(
                        name=name, value=make(), created_at=dt.datetime.now(dt.UTC)
                    )
                )
        except IntegrityError:
            pass  # another process created it first; use theirs
        with self.engine.connect() as connection:
            return str(
                connection.execute(
                    select(server_secrets.c.value).where(server_secrets.c.name == name)
                ).scalar_one()
            )
