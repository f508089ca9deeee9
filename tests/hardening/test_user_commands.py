"""`threadline user passwd`, `user list` and `user disable`, in-process."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hostile import one_error_line, run_cli

from threadline.server.security import verify_password
from threadline.store import Store
from threadline.store.accounts import Accounts


def test_passwd_list_disable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = f"sqlite:///{tmp_path / 'users.db'}"
    code, token, _ = run_cli(
        capsys, monkeypatch, "user", "add", "Ana", "--role", "reviewer", "--db", db
    )
    assert code == 0 and token.strip().startswith("tl_")
    code, _, err = run_cli(capsys, monkeypatch, "user", "add", "ana", "--db", db)
    assert code == 2 and "already exists" in one_error_line(err)

    monkeypatch.setattr(sys, "stdin", io.StringIO("a brand new passphrase\n"))
    code, _, err = run_cli(capsys, monkeypatch, "user", "passwd", "ANA", "--db", db)
    assert code == 0, err
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    code, _, err = run_cli(capsys, monkeypatch, "user", "passwd", "ana", "--db", db)
    assert code == 2 and "12 characters" in one_error_line(err)
    code, _, err = run_cli(capsys, monkeypatch, "user", "passwd", "nobody", "--db", db)
    assert code == 2 and "no user 'nobody'" in one_error_line(err)

    with Store.open(db) as store:
        account = Accounts(store).by_name("ana")
        assert account is not None and account.session_generation == 1
        assert verify_password(account.password_hash, "a brand new passphrase")

    code, out, _ = run_cli(capsys, monkeypatch, "user", "disable", "ana", "--db", db)
    assert code == 0
    code, out, _ = run_cli(capsys, monkeypatch, "user", "list", "--json", "--db", db)
    [listed] = [json.loads(line) for line in out.splitlines()]
    assert listed["name"] == "Ana" and listed["role"] == "reviewer" and listed["password"]
    assert listed["disabled"] and listed["tokens"] == 0
    with Store.open(db) as store:
        assert Accounts(store).by_name("ana") is None  # disabled: cannot sign in


def test_migration_keeps_names_that_differ_only_in_case(tmp_path: Path) -> None:
    import datetime as dt

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    import threadline.store.repository as repository

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(repository._MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        now = dt.datetime.now(dt.UTC)
        for name in ("viewer", "Viewer"):
            connection.execute(
                text("INSERT INTO users (name, role, created_at) VALUES (:n, 'viewer', :t)"),
                {"n": name, "t": now},
            )
    engine.dispose()
    with Store.open(url) as store:
        accounts = Accounts(store)
        assert [a.name for a in accounts.all()] == ["Viewer", "viewer"]
        first = accounts.by_name("VIEWER")
        assert first is not None and first.name == "viewer"  # the earlier one keeps the name


def test_database_from_an_unknown_version_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'newer.db'}"
    Store.open(url).close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    code, _, err = run_cli(capsys, monkeypatch, "user", "list", "--db", url)
    assert code == 2 and "another version of threadline" in one_error_line(err)
