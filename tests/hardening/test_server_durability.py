"""Issue 16: a server killed with `kill -9` while reviewers record decisions loses none it
acknowledged (on SQLite, and on PostgreSQL when THREADLINE_TEST_PG_URL is set); a server killed
with SIGKILL or SIGTERM leaves no job process behind."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from threadline.pipeline import ensure_reference_data
from threadline.server.security import Role
from threadline.server.users import create_user
from threadline.store import Store
from threadline.store.accounts import Accounts
from threadline.store.screenings import Screenings, StoredRow

SCRIPT = str(Path(sys.executable).parent / "threadline")
SCREENING = "durable"
ENTITY = "e-durable"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _reviewer_token(url: str, *, with_screening: bool) -> str:
    """A database with the reference data, a reviewer and (optionally) a finished screening
    whose one row has a possible match to decide on."""
    with Store.open(url) as store:
        ensure_reference_data(store)
        accounts = Accounts(store)
        account, token = create_user(accounts, "rev", Role.REVIEWER, None)
        if with_screening:
            screenings = Screenings(store)
            screenings.create(
                SCREENING,
                user_id=account.id,
                filename="s.csv",
                content=b"name\nDurable Example Co\n",
                as_of=dt.date(2026, 1, 1),
                data_version="test",
                algorithm="v1",
            )
            result = {"row": 1, "matches": [{"entity_id": ENTITY, "score": 0.8}]}
            row = StoredRow(1, "Durable Example Co", "review", ("review",), (), result)
            screenings.finish(SCREENING, [row], {}, {"review": 1})
    return token


@contextmanager
def _serve(url: str, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        server = subprocess.Popen(
            [SCRIPT, "serve", "--port", str(port), "--db", url],
            stdout=out,
            stderr=out,
            env={**os.environ, "THREADLINE_LOG_LEVEL": "WARNING"},
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, log.read_text(errors="replace")
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield server
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=30)


def _decide(port: int, token: str, comments: list[str], stop: threading.Event) -> None:
    """Send decisions one after another; keep the comment of each one acknowledged (201)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        _send_decisions(connection, token, comments, stop)
    finally:
        connection.close()


def _send_decisions(
    connection: http.client.HTTPConnection, token: str, comments: list[str], stop: threading.Event
) -> None:
    while not stop.is_set():
        comment = uuid.uuid4().hex
        body = json.dumps({"entity_id": ENTITY, "verdict": "not same", "comment": comment})
        try:
            connection.request(
                "POST",
                f"/screenings/{SCREENING}/rows/1/decisions",
                body=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            answer = connection.getresponse()
            answer.read()
        except (OSError, http.client.HTTPException):  # the server is gone, maybe mid-answer
            return
        if answer.status == 201:
            comments.append(comment)


def test_kill_9_loses_no_acknowledged_review_decision(tmp_path: Path, db_url: str) -> None:
    token = _reviewer_token(db_url, with_screening=True)
    acknowledged: list[str] = []
    port = _free_port()
    with _serve(db_url, port, tmp_path / "server.log") as server:
        stop = threading.Event()
        clients = [
            threading.Thread(target=_decide, args=(port, token, acknowledged, stop))
            for _ in range(4)
        ]
        for client in clients:
            client.start()
        time.sleep(1.5)  # four reviewers' decisions in flight
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        stop.set()
        for client in clients:
            client.join(timeout=15)
    assert len(acknowledged) > 20  # the kill did land among decisions being written
    with Store.open(db_url) as store:  # what a restarted server reads
        stored = {e.comment for e in Screenings(store).decision_log()}
    lost = [c for c in acknowledged if c not in stored]
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged decisions lost"
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url)
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        engine.dispose()


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[-1][:1]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG and /proc are Linux's")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_server_leaves_no_job_process(tmp_path: Path, how: signal.Signals) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    token = _reviewer_token(url, with_screening=False)
    port = _free_port()
    rows = "".join(f"Example Trading Company {i} Limited,CN\n" for i in range(3000))
    with _serve(url, port, tmp_path / "server.log") as server:
        boundary = uuid.uuid4().hex
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\nsupplier,country\n{rows}\r\n--{boundary}--\r\n"
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/screenings",
            data=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 202
        deadline = time.monotonic() + 20
        while not (workers := _descendants(server.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert workers, "no job process started"
        server.send_signal(how)
        server.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)]
