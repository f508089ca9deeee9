"""Roles, password hashing (Argon2id) and API tokens (random, stored only as a hash)."""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
TOKEN_PREFIX = "tl_"


class Role(StrEnum):
    """Each role may do everything the ones before it may."""

    VIEWER = "viewer"  # read results, entities, the audit log; call /match and /search
    REVIEWER = "reviewer"  # also upload screenings and record review decisions
    ADMIN = "admin"  # also manage users

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A bearer token for machines: 256 random bits, prefixed so it is recognisable in a leak."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(48)
