"""Issue 16, failures 3, 9 and 11 in-process: a session ends at sign-out, a new password or a
disabled account (a copied cookie included); user names ignore case; an API token signs in to
the web app; integers past the database's range are a 422, never a 500."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from threadline.errors import InputError
from threadline.server import ServerSettings, create_app
from threadline.server.security import Role, hash_password
from threadline.server.users import create_user

PASSWORD = "s3cret enough, really"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HUGE = "1180591620717411303424"  # 2**70


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("hardening") / "web.db"
    app = create_app(ServerSettings(db_url=f"sqlite:///{db}", sync_reference_data=False))
    accounts = app.state.services.accounts
    for name in ("rita", "paul", "dora", "olga"):
        accounts.add_user(name, "reviewer", hash_password(PASSWORD))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def csrf(client: TestClient, path: str = "/ui/login") -> str:
    found = _CSRF.search(client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> dict[str, str]:
    """Sign in; returns the session cookie, as someone who copied it would hold it."""
    client.cookies.clear()
    response = client.post(
        "/ui/login",
        data={"username": name, "password": password, "csrf_token": csrf(client), "next": "/ui/"},
    )
    assert response.status_code == 303, response.text
    return dict(client.cookies)


def works(client: TestClient, cookies: dict[str, str]) -> bool:
    client.cookies.clear()
    for key, value in cookies.items():
        client.cookies.set(key, value)
    status = client.get("/ui/").status_code
    assert status in (200, 401)
    return status == 200


def test_sign_out_ends_a_copied_session_cookie(client: TestClient) -> None:
    copied = sign_in(client, "rita")
    assert works(client, copied)
    out = client.post("/ui/logout", data={"csrf_token": csrf(client, "/ui/")})
    assert out.status_code == 303
    assert not works(client, copied)
    assert works(client, sign_in(client, "rita"))  # signing in again starts a new session


def test_new_password_and_disabling_end_sessions_at_once(client: TestClient) -> None:
    accounts = client.app.state.services.accounts  # type: ignore[attr-defined]
    paul = sign_in(client, "paul")
    accounts.set_password(accounts.by_name("paul").id, hash_password("another passphrase"))
    assert not works(client, paul)
    assert works(client, sign_in(client, "paul", "another passphrase"))

    dora = sign_in(client, "dora")
    account, token = create_user(accounts, "dorabot", Role.VIEWER)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/algorithms", headers=headers).status_code == 200
    accounts.disable(accounts.by_name("dora").id)
    assert not works(client, dora)
    accounts.disable(account.id)
    client.app.state.token_cache._entries.clear()  # type: ignore[attr-defined]
    assert client.get("/algorithms", headers=headers).status_code == 401


def test_user_names_ignore_case(client: TestClient) -> None:
    accounts = client.app.state.services.accounts  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="already exists"):
        accounts.add_user("Olga", "viewer")
    with pytest.raises(InputError, match="already exists"):
        accounts.add_user("ＯＬＧＡ", "viewer")  # full-width letters fold to the same name
    assert works(client, sign_in(client, "OLGA"))


def test_an_api_token_signs_in_to_the_web_app(client: TestClient) -> None:
    accounts = client.app.state.services.accounts  # type: ignore[attr-defined]
    _, token = create_user(accounts, "tokenonly", Role.VIEWER)
    assert works(client, sign_in(client, "", token))
    assert works(client, sign_in(client, "TokenOnly", token))
    client.cookies.clear()
    wrong_name = client.post(
        "/ui/login",
        data={"username": "rita", "password": token, "csrf_token": csrf(client), "next": "/ui/"},
    )
    assert wrong_name.status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/ui/screenings/x?offset={HUGE}"),
        ("get", f"/ui/screenings/x/rows/{HUGE}"),
        ("post", f"/ui/screenings/x/rows/{HUGE}/decisions"),
        ("get", f"/screenings/x?offset={HUGE}"),
        ("post", f"/screenings/x/rows/{HUGE}/decisions"),
    ],
)
def test_integers_past_64_bits_are_refused_not_a_500(
    client: TestClient, method: str, path: str
) -> None:
    sign_in(client, "rita")
    token = csrf(client, "/ui/")
    if method == "get":
        response = client.get(path)
    elif path.startswith("/ui/"):
        response = client.post(
            path, data={"csrf_token": token, "entity_id": "e", "decision": "same"}
        )
    else:
        response = client.post(
            path, json={"entity_id": "e", "verdict": "same"}, headers={"x-csrf-token": token}
        )
    assert response.status_code == 422, response.text


def test_nan_weight_and_oversized_queries_are_refused(client: TestClient) -> None:
    accounts = client.app.state.services.accounts  # type: ignore[attr-defined]
    _, token = create_user(accounts, "matcher", Role.VIEWER)
    headers = {"Authorization": f"Bearer {token}", "content-type": "application/json"}
    query = '{"schema": "Company", "properties": {"name": ["Acme"]}}'
    for weight in ("NaN", "Infinity", "-Infinity"):
        body = f'{{"weights": {{"name_fuzzy": {weight}}}, "queries": {{"q": {query}}}}}'
        response = client.post("/match/default", content=body, headers=headers)
        assert response.status_code == 422, response.text
    many = {"schema": "Company", "properties": {"name": [f"Acme {i}" for i in range(51)]}}
    response = client.post("/match/default", json={"queries": {"q": many}}, headers=headers)
    assert response.status_code == 413 and "THREADLINE_MAX_MATCH_NAMES" in response.text


def test_a_6_mb_match_body_is_refused_before_parsing(client: TestClient) -> None:
    """The probe's 200,000-name query (6.7 MB) stalled every other request for 37 s."""
    accounts = client.app.state.services.accounts  # type: ignore[attr-defined]
    _, token = create_user(accounts, "bigbody", Role.VIEWER)
    names = [f"Example Company {i}" for i in range(200_000)]
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": names}}}}
    started = time.perf_counter()
    response = client.post(
        "/match/default", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 413
    assert time.perf_counter() - started < 5
