"""Creating accounts, shared by `threadline user add` and POST /users."""

from __future__ import annotations

import re

from threadline.errors import InputError
from threadline.server.security import Role, hash_password, new_token, token_hash
from threadline.store.accounts import Account, Accounts

USER_NAME = re.compile(r"^[\w.@-]{1,100}$")
MIN_PASSWORD = 12


def valid_user_name(name: str) -> str:
    if not USER_NAME.match(name):
        raise InputError(f"user name '{name}': use 1-100 letters, digits or . _ @ -")
    return name


def valid_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password: at least {MIN_PASSWORD} characters")
    return password


def create_user(
    accounts: Accounts, name: str, role: Role, password: str | None = None
) -> tuple[Account, str]:
    """Add a user with a first API token; returns the account and the token (never stored)."""
    account = accounts.add_user(name, role.value, hash_password(password) if password else None)
    token = new_token()
    accounts.add_token(account.id, token_hash(token), label="created with the account")
    return account, token


def issue_token(accounts: Accounts, account: Account, label: str = "") -> str:
    token = new_token()
    accounts.add_token(account.id, token_hash(token), label=label)
    return token
