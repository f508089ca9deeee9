"""`threadline user add` (first through the console script, then in-process) and `threadline serve`
through the console script."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from cli_run import SCRIPT, script
from cli_run import threadline as run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_user_add_prints_a_working_token_last(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    added = script(
        "user",
        "add",
        "ana",
        "--role",
        "reviewer",
        "--password-stdin",
        "--db",
        db,
        input="correct horse battery staple\n",
    )
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    assert token.startswith("tl_") and len(token) > 40
    again = run("user", "add", "ana", "--db", db)
    assert again.returncode == 2 and again.stderr.strip() == "error: user 'ana' already exists"
    bad = run("user", "add", "bob", "--role", "boss", "--db", db)
    assert (
        bad.returncode == 2 and "'boss' is not one of 'viewer', 'reviewer', 'admin'" in bad.stderr
    )
    short = run("user", "add", "cy", "--password-stdin", "--db", db, input="short\n")
    assert short.returncode == 2 and "12 characters" in short.stderr

    port = free_port()
    server = subprocess.Popen(
        [SCRIPT, "serve", "--port", str(port), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert httpx.get(f"{base}/me").status_code == 401
        me = httpx.get(f"{base}/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["name"] == "ana" and me.json()["role"] == "reviewer"
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    logged = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert any(e.get("path") == "/me" and e.get("status") == 200 for e in logged)
    assert all({"time", "level", "logger", "message"} <= set(e) for e in logged)


def test_serve_sets_the_workers_environment_only_while_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, str] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *_, **__: seen.update(os.environ))
    monkeypatch.delenv("THREADLINE_PORT", raising=False)
    db = f"sqlite:///{tmp_path / 'served.sqlite'}"
    assert run("serve", "--port", "8123", "--db", db).returncode == 0
    assert (seen["THREADLINE_PORT"], seen["THREADLINE_DB"]) == ("8123", db)
    assert "THREADLINE_PORT" not in os.environ and os.environ["THREADLINE_DB"] != db
