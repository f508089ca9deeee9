"""Helpers for the API tests: an app on a temporary SQLite database, one user per role."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from threadline.server import ServerSettings, create_app
from threadline.server.security import Role
from threadline.server.users import create_user, issue_token

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "suppliers.csv"
PASSWORD = "a long enough passphrase"


@dataclass
class Api:
    app: FastAPI
    client: TestClient
    tokens: dict[Role, str]

    def headers(self, role: Role = Role.VIEWER) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def get(self, url: str, role: Role = Role.VIEWER, **kw: Any) -> Any:
        return self.client.get(url, headers=self.headers(role), **kw)

    def post(self, url: str, role: Role = Role.REVIEWER, **kw: Any) -> Any:
        return self.client.post(url, headers=self.headers(role), **kw)

    def upload(self, path: Path = EXAMPLE, role: Role = Role.REVIEWER, **kw: Any) -> Any:
        with path.open("rb") as handle:
            return self.post(
                "/screenings", role, files={"file": (path.name, handle, "text/csv")}, **kw
            )

    def wait(self, screening_id: str, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found: dict[str, Any] = self.get(f"/screenings/{screening_id}").json()
            if found["status"] in ("done", "failed"):
                return found
            time.sleep(0.1)
        raise AssertionError(f"screening {screening_id} did not finish in {timeout}s")


def make_api(db: Path, **settings: Any) -> Iterator[Api]:
    app = create_app(ServerSettings(db_url=f"sqlite:///{db}", **settings))
    accounts = app.state.services.accounts
    tokens = {}
    for role in Role:
        existing = accounts.by_name(role.value)
        tokens[role] = (
            issue_token(accounts, existing)
            if existing
            else create_user(accounts, role.value, role, PASSWORD)[1]
        )
    with TestClient(app) as client:
        yield Api(app, client, tokens)
