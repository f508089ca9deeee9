"""`serve` (the shared server under uvicorn) and `user` (accounts and their API tokens)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from threadline.cli.options import DB, RoleName, open_store
from threadline.errors import NotFound, one_line

if TYPE_CHECKING:  # each command imports what it runs (see cli/commands.py)
    from threadline.store.accounts import Account, Accounts

user_app = typer.Typer(
    help="Accounts for the server: add, list and disable users, set passwords, issue API tokens."
)


@user_app.callback()
def _users_need_the_server() -> None:
    from threadline.extras import require

    require("server", "threadline user")  # passwords and tokens are hashed as the server does


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    db: str | None = DB,
    workers: int = typer.Option(
        1, "--workers", min=1, help="Server processes (each keeps its own matching index)."
    ),
) -> None:
    """Run the web app and the JSON API (yente-compatible /match) for a team."""
    from threadline.extras import require

    require("server", "threadline serve")
    import uvicorn

    from threadline.pipeline import ensure_reference_data
    from threadline.settings import DB_ENV

    # The processes started read MALLOC_ARENA_MAX at start; this one is told by mallopt.
    arenas = os.environ.get("MALLOC_ARENA_MAX", "2")
    _fewer_malloc_arenas(arenas)
    # Load the bundled lists once here, so that several workers do not race to do it.
    with open_store(db, reference_data=False) as store:
        ensure_reference_data(store)
    # Worker processes build the app from the environment (see server.app.app_from_env).
    chosen = {"THREADLINE_HOST": host, "THREADLINE_PORT": str(port), "MALLOC_ARENA_MAX": arenas}
    if db:
        chosen[DB_ENV] = db
    with _environment(chosen):
        uvicorn.run(
            "threadline.server.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,
            access_log=False,
            server_header=False,
            proxy_headers=False,
        )


# glibc's mallopt parameter for the most malloc arenas (malloc.h: M_ARENA_MAX).
_M_ARENA_MAX = -8


def _fewer_malloc_arenas(count: str) -> None:
    """Two malloc arenas for the server, its workers and jobs, unless MALLOC_ARENA_MAX says
    otherwise. glibc gives threads arenas of their own (up to 8 per core); the server's request
    and job threads left them fragmented, and the soak bench saw its RSS creep up ~10 MB a
    minute; with two it levelled off."""
    if sys.platform != "linux":
        return
    import contextlib
    import ctypes

    # This process started before the variable was set; not glibc, or a bad value: leave it.
    with contextlib.suppress(AttributeError, OSError, ValueError):
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, int(count))


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """`values` set in the environment while the server runs, and the earlier values restored
    after (a command run in-process leaves the process as it found it)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _accounts(db: str | None) -> Iterator[Accounts]:
    from threadline.store.accounts import Accounts

    with open_store(db, reference_data=False) as store:
        yield Accounts(store)


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="User name (letters, digits, . _ @ -)."),
    role: RoleName = typer.Option(RoleName.VIEWER, "--role", case_sensitive=False),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read a sign-in password from the first line of stdin."
    ),
    db: str | None = DB,
) -> None:
    """Add a user; prints a new API token as the last line (shown once, stored as a hash)."""
    from threadline.server.users import create_user, valid_password, valid_user_name

    valid_user_name(name)
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        valid_password(password)
    with _accounts(db) as accounts:
        account, token = create_user(accounts, name, role.role, password)
    typer.echo(f"added {account.name} ({account.role}); API token:", err=True)
    typer.echo(token)


@user_app.command("token")
def user_token(
    name: str = typer.Argument(..., help="Existing user."),
    label: str = typer.Option("", "--label", help="What the token is for."),
    db: str | None = DB,
) -> None:
    """Issue another API token for a user; prints it as the last line."""
    from threadline.server.users import issue_token

    with _accounts(db) as accounts:
        account = accounts.by_name(name)
        if account is None:
            raise NotFound(f"no user '{name}'")
        token = issue_token(accounts, account, label)
    typer.echo(token)


def _existing(accounts: Accounts, name: str) -> Account:
    account = accounts.any_by_name(name)
    if account is None:
        raise NotFound(f"no user '{one_line(name, 100)}'")
    return account


@user_app.command("passwd")
def user_passwd(
    name: str = typer.Argument(..., help="Existing user."),
    db: str | None = DB,
) -> None:
    """Set a user's sign-in password from the first line of stdin; ends their open sessions."""
    from threadline.server.security import hash_password
    from threadline.server.users import valid_password

    with _accounts(db) as accounts:
        account = _existing(accounts, name)
        password = valid_password(sys.stdin.readline().rstrip("\r\n"))
        accounts.set_password(account.id, hash_password(password))
    typer.echo(f"password set for {account.name}; their sessions have ended", err=True)


@user_app.command("list")
def user_list(
    as_json: bool = typer.Option(False, "--json", help="One JSON object per user."),
    db: str | None = DB,
) -> None:
    """Every user: name, role, whether they have a password, active tokens, created, disabled."""
    with _accounts(db) as accounts:
        tokens, everyone = accounts.token_counts(), accounts.all()
    for account in everyone:
        figures = {
            "name": account.name,
            "role": account.role,
            "password": account.password_hash is not None,
            "tokens": tokens.get(account.id, 0),
            "created": account.created_at.date().isoformat(),
            "disabled": account.disabled_at.date().isoformat() if account.disabled_at else None,
        }
        if as_json:
            typer.echo(json.dumps(figures, ensure_ascii=False))
        else:
            state = f"disabled {figures['disabled']}" if account.disabled_at else "active"
            typer.echo(
                f"{account.name}\t{account.role}\t{state}\t"
                f"password={'yes' if figures['password'] else 'no'}\ttokens={figures['tokens']}"
            )


@user_app.command("disable")
def user_disable(
    name: str = typer.Argument(..., help="Existing user."),
    db: str | None = DB,
) -> None:
    """Disable a user: they cannot sign in, and their sessions and API tokens stop at once."""
    with _accounts(db) as accounts:
        account = _existing(accounts, name)
        accounts.disable(account.id)
    typer.echo(f"disabled {account.name}; sessions ended and API tokens revoked", err=True)
