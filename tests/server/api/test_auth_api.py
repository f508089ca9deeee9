"""Authentication, roles, browser sessions with CSRF, security headers and body limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import PASSWORD, Api, make_api
from fastapi import Request
from sqlalchemy import select

from threadline.server.auth import authenticate, csrf_token, login
from threadline.server.middleware import CONTENT_SECURITY_POLICY
from threadline.server.security import Role, hash_password, verify_password
from threadline.store.server_tables import api_tokens, users

PROTECTED = [
    ("GET", "/algorithms"),
    ("GET", "/screenings"),
    ("GET", "/screenings/x"),
    ("GET", "/entities/x"),
    ("GET", "/search?q=x"),
    ("GET", "/audit.csv"),
    ("GET", "/openapi.json"),
    ("GET", "/me"),
    ("POST", "/match/default"),
    ("POST", "/screenings"),
    ("POST", "/screenings/x/rows/1/decisions"),
]


def test_only_health_answers_without_credentials(api: Api) -> None:
    assert api.client.get("/health").json() == {"status": "ok"}
    for method, url in PROTECTED:
        for headers in ({}, {"Authorization": "Bearer tl_wrong"}, {"Authorization": "Basic eDp5"}):
            answer = api.client.request(method, url, headers=headers)
            assert answer.status_code == 401, (method, url, headers)
            assert answer.json()["detail"] and answer.json()["errors"] == []


def test_roles_gate_what_a_user_may_do(api: Api) -> None:
    assert api.upload(role=Role.VIEWER).status_code == 403
    assert api.get("/users", Role.REVIEWER).status_code == 403
    assert api.get("/users", Role.ADMIN).status_code == 200
    added = api.post("/users", Role.ADMIN, json={"name": "machine-1", "role": "viewer"})
    assert added.status_code == 201, added.text
    token = added.json()["token"]
    me = api.client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["name"] == "machine-1" and me.json()["role"] == "viewer"
    bad = api.post("/users", Role.ADMIN, json={"name": "x y", "role": "boss"})
    assert bad.status_code == 422


def test_secrets_are_stored_only_as_hashes(api: Api) -> None:
    engine = api.app.state.services.store.engine
    with engine.connect() as connection:
        stored_tokens = set(connection.execute(select(api_tokens.c.token_hash)).scalars())
        stored_passwords = list(connection.execute(select(users.c.password_hash)).scalars())
    assert not set(api.tokens.values()) & stored_tokens
    assert all(
        h is None or (h.startswith("$argon2") and PASSWORD not in h) for h in stored_passwords
    )
    assert verify_password(hash_password("s3cret passphrase"), "s3cret passphrase")
    assert not verify_password(hash_password("s3cret passphrase"), "other passphrase")
    assert not verify_password(None, "")


def test_browser_session_needs_csrf_on_posts(api: Api) -> None:
    services = api.app.state.services
    assert authenticate(services, "reviewer", "wrong password") is None
    user = authenticate(services, "reviewer", PASSWORD)
    assert user is not None

    async def sign_in(request: Request) -> dict[str, str]:
        login(request, user)
        return {"csrf": csrf_token(request)}

    api.app.add_api_route("/_test/sign-in", sign_in, methods=["POST"])
    signed = api.client.post("/_test/sign-in")
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert api.client.get("/me").json()["name"] == "reviewer"
    body = {"entity_id": "x", "verdict": "same"}
    without = api.client.post("/screenings/none/rows/1/decisions", json=body)
    assert without.status_code == 403 and "CSRF" in without.json()["detail"]
    wrong = api.client.post(
        "/screenings/none/rows/1/decisions", json=body, headers={"X-CSRF-Token": "forged"}
    )
    assert wrong.status_code == 403
    right = api.client.post(
        "/screenings/none/rows/1/decisions",
        json=body,
        headers={"X-CSRF-Token": signed.json()["csrf"]},
    )
    assert right.status_code == 404  # past authentication and CSRF; no such screening
    api.client.cookies.clear()
    assert api.client.get("/me").status_code == 401


def test_security_headers_on_every_response(api: Api) -> None:
    for answer in (api.client.get("/health"), api.client.get("/algorithms"), api.get("/me")):
        headers = answer.headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
        assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_openapi_documents_every_api_route(api: Api) -> None:
    schema = api.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/match/{dataset}",
        "/algorithms",
        "/screenings",
        "/screenings/{screening_id}",
        "/screenings/{screening_id}/report.{fmt}",
        "/screenings/{screening_id}/rows/{row}/decisions",
        "/entities/{entity_id}",
        "/search",
        "/audit.csv",
        "/health",
    ):
        assert path in paths, path
    assert "401" in paths["/screenings"]["post"]["responses"]


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Api]:
    yield from make_api(tmp_path / "small.db", max_upload_bytes=1000)


def test_bodies_past_the_limit_are_refused(small: Api) -> None:
    big = {"queries": {"q": {"schema": "Company", "properties": {"name": ["x" * 2000]}}}}
    answer = small.post("/match/default", Role.VIEWER, json=big)
    assert answer.status_code == 413
    assert "larger than 1000 bytes" in answer.json()["detail"]
    streamed = small.client.post(
        "/match/default",
        headers={**small.headers(), "content-type": "application/json"},
        content=iter([b"{" + b" " * 600, b" " * 600 + b"}"]),
    )
    assert streamed.status_code == 413
