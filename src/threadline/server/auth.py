"""Who is calling: API tokens for machines, signed session cookies for browsers, roles, CSRF.

Route dependencies: `current_user` (401 without valid credentials) and `require_role(role)`
(403 below it). Page routes sign people in and out with `login` / `logout`, and put
`csrf_token(request)` into every form; `current_user` checks it on cookie-authenticated posts.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from threadline.server.security import TOKEN_PREFIX, Role, token_hash, verify_password
from threadline.server.services import Services, get_services
from threadline.store.accounts import Account, name_key

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SESSION_USER = "uid"
_SESSION_CSRF = "csrf"
# The user's session generation when the session began; raising it in the database (sign-out,
# new password, disabled) ends every session that carries an older one.
_SESSION_GENERATION = "gen"
# Token lookups are cached this long, so a machine calling /match often costs no query each
# time; a revoked token therefore stops working within this many seconds.
_TOKEN_CACHE_S = 10.0


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: Role
    via_session: bool = False  # a browser session (CSRF applies), not an API token
    session_generation: int = 0

    def can(self, needed: Role) -> bool:
        return self.role.allows(needed)


class NotAuthenticated(HTTPException):
    """401: no credentials, or credentials that are not (or no longer) valid."""

    def __init__(self, detail: str = "sign in or send Authorization: Bearer TOKEN") -> None:
        super().__init__(401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(HTTPException):
    def __init__(self, detail: str) -> None:
        super().__init__(403, detail=detail)


def _user(account: Account, *, via_session: bool) -> User:
    return User(
        account.id,
        account.name,
        Role(account.role),
        via_session=via_session,
        session_generation=account.session_generation,
    )


def authenticate(services: Services, name: str, password: str) -> User | None:
    """The user with this name and password, or None. Slow on purpose (Argon2).

    An API token in the password field signs its holder in too (the name, if given, must be
    theirs), so a token-only account can use the web app."""
    if password.startswith(TOKEN_PREFIX):
        account = services.accounts.by_token_hash(token_hash(password.strip()))
        if account is None or (name.strip() and name_key(name.strip()) != name_key(account.name)):
            return None
        return _user(account, via_session=True)
    account = services.accounts.by_name(name.strip())
    if account is None or not verify_password(account.password_hash, password):
        return None
    return _user(account, via_session=True)


def login(request: Request, user: User) -> None:
    """Start a browser session; a fresh CSRF token too, so one seen before sign-in is useless."""
    request.session.clear()
    request.session[_SESSION_USER] = user.id
    request.session[_SESSION_GENERATION] = user.session_generation
    request.session[_SESSION_CSRF] = secrets.token_urlsafe(32)


def logout(request: Request, services: Services | None = None) -> None:
    """End the session here and, with `services`, every other session of the user: a copied
    cookie must not outlive a sign-out."""
    user_id = request.session.get(_SESSION_USER)
    if services is not None and isinstance(user_id, int):
        services.accounts.end_sessions(user_id)
    request.session.clear()


def csrf_token(request: Request) -> str:
    """This session's CSRF token, for a hidden `csrf_token` field or an X-CSRF-Token header."""
    token = request.session.get(_SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[_SESSION_CSRF] = token
    return token


def csrf_valid(request: Request, submitted: str | None) -> bool:
    expected = request.session.get(_SESSION_CSRF)
    return (
        isinstance(expected, str)
        and bool(submitted)
        and hmac.compare_digest(expected.encode(), (submitted or "").encode())
    )


async def _submitted_csrf(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


class TokenCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, User]] = {}

    def get(self, key: str) -> User | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key: str, user: User) -> None:
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + _TOKEN_CACHE_S, user)


async def current_user(request: Request) -> User:
    services = get_services(request)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Authorization must be 'Bearer TOKEN'")
        key = token_hash(token.strip())
        cache: TokenCache = request.app.state.token_cache
        user = cache.get(key)
        if user is None:
            account = await run_in_threadpool(services.accounts.by_token_hash, key)
            if account is None:
                raise NotAuthenticated("unknown or revoked token")
            user = _user(account, via_session=False)
            cache.put(key, user)
        return user
    user_id = request.session.get(_SESSION_USER)
    if not isinstance(user_id, int):
        raise NotAuthenticated()
    account = await run_in_threadpool(services.accounts.by_id, user_id)
    if account is None:
        request.session.clear()
        raise NotAuthenticated("your account is no longer active; sign in again")
    if request.session.get(_SESSION_GENERATION, 0) != account.session_generation:
        request.session.clear()
        raise NotAuthenticated("this session has ended (signed out or password changed)")
    if request.method not in SAFE_METHODS and not csrf_valid(
        request, await _submitted_csrf(request)
    ):
        raise Forbidden("missing or wrong CSRF token; reload the page and try again")
    return _user(account, via_session=True)


def require_role(role: Role) -> Callable[..., Awaitable[User]]:
    """A dependency: the current user, who must hold `role` or a higher one (else 403)."""

    async def dependency(user: User = Depends(current_user)) -> User:
        if not user.can(role):
            raise Forbidden(f"this needs the {role} role; {user.name} is a {user.role}")
        return user

    return dependency


CurrentUser = Annotated[User, Depends(current_user)]
ReviewerUser = Annotated[User, Depends(require_role(Role.REVIEWER))]
AdminUser = Annotated[User, Depends(require_role(Role.ADMIN))]
