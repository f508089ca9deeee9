"""The web pages in-process: sign-in and its guards, upload, results, review, map data, and that
untrusted names come out escaped on pages that carry no inline script or style."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from threadline.server import ServerSettings, create_app
from threadline.server.security import hash_password
from threadline.server.web import pages
from threadline.store.screenings import StoredRow

PASSWORD = "s3cret enough"
HOSTILE = '<script>alert("x")</script> Xinjiang Example Trading Co'
CSV = (
    "supplier,address,country\n"
    '"HOSHINE SILICON INDUSTRY (SHANSHAN) CO LTD","Shanshan County, Turpan",CN\n'
    f'"{HOSTILE.replace(chr(34), chr(34) * 2)}","Kashgar, Xinjiang",CN\n'
    '"Northwind Example Textiles Ltd","Rua do Exemplo 10, Porto",PT\n'
)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("web") / "web.db"
    app = create_app(ServerSettings(db_url=f"sqlite:///{db}"))
    accounts = app.state.services.accounts
    accounts.add_user("rita", "reviewer", hash_password(PASSWORD))
    accounts.add_user("vic", "viewer", hash_password(PASSWORD))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def csrf(client: TestClient, path: str = "/ui/login") -> str:
    found = _CSRF.search(client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client: TestClient, name: str) -> None:
    client.cookies.clear()
    response = client.post(
        "/ui/login",
        data={"username": name, "password": PASSWORD, "csrf_token": csrf(client), "next": "/ui/"},
    )
    assert response.status_code == 303, response.text


@pytest.fixture(scope="module")
def screening(client: TestClient) -> str:
    sign_in(client, "rita")
    response = client.post(
        "/ui/screenings",
        data={"csrf_token": csrf(client, "/ui/")},
        files={"file": ("suppliers.csv", CSV.encode(), "text/csv")},
    )
    assert response.status_code == 303, response.text
    screening_id = response.headers["location"].rsplit("/", 1)[-1]
    deadline = time.monotonic() + 60
    while client.app.state.services.screenings.get(screening_id).status != "done":  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "screening did not finish"
        time.sleep(0.2)
    return screening_id


def test_pages_and_scripts_need_a_session_but_the_sign_in_page_does_not(
    client: TestClient,
) -> None:
    client.cookies.clear()
    page = client.get("/ui/screenings/anything")
    assert page.status_code == 401
    assert 'name="password"' in page.text
    assert 'value="/ui/screenings/anything"' in page.text  # back there after signing in
    assert client.get("/ui/static/js/app.js").status_code == 401
    assert client.get("/ui/map/points.json").status_code == 401
    assert client.get("/ui/static/css/app.css").status_code == 200
    assert client.get("/ui/login").status_code == 200


def test_sign_in_checks_password_and_csrf_and_never_redirects_off_site(
    client: TestClient,
) -> None:
    client.cookies.clear()
    token = csrf(client)
    wrong = client.post(
        "/ui/login", data={"username": "rita", "password": "nope", "csrf_token": token}
    )
    assert wrong.status_code == 401
    assert "Wrong user name or password" in wrong.text
    forged = client.post("/ui/login", data={"username": "rita", "password": PASSWORD})
    assert forged.status_code == 403
    ok = client.post(
        "/ui/login",
        data={"username": "rita", "password": PASSWORD, "csrf_token": token, "next": "//evil"},
    )
    assert ok.status_code == 303
    assert ok.headers["location"] == "/ui/"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_results_escape_untrusted_names_and_filter_by_tier(
    client: TestClient, screening: str
) -> None:
    sign_in(client, "rita")
    page = client.get(f"/ui/screenings/{screening}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert page.text.count("<tr>") == 1 + 3  # header and three rows
    no_signal = client.get(f"/ui/screenings/{screening}", params={"tier": "no signal found"})
    assert "Northwind Example Textiles Ltd" in no_signal.text
    assert "HOSHINE" not in no_signal.text
    uflpa = client.get(f"/ui/screenings/{screening}", params={"list": "uflpa"})
    assert "HOSHINE" in uflpa.text
    assert "Northwind" not in uflpa.text


def test_results_page_in_pages_keeping_the_filters(
    client: TestClient, screening: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "_RESULTS_PAGE", 2)
    sign_in(client, "rita")
    first = client.get(f"/ui/screenings/{screening}", params={"band": ""})
    assert "Rows 1–2 of 3." in first.text
    assert 'href="?offset=2"' in first.text
    second = client.get(f"/ui/screenings/{screening}", params={"offset": 2})
    assert "Rows 3–3 of 3." in second.text
    assert "Northwind" in second.text and "HOSHINE" not in second.text
    filtered = client.get(f"/ui/screenings/{screening}", params={"tier": "prohibited"})
    assert "Result pages" not in filtered.text  # one page holds both: no page links


def test_pages_carry_no_inline_script_or_style(client: TestClient, screening: str) -> None:
    sign_in(client, "rita")
    for path in (
        "/ui/",
        f"/ui/screenings/{screening}",
        f"/ui/screenings/{screening}/review",
        f"/ui/screenings/{screening}/rows/2",
        f"/ui/map?screening={screening}",
        "/ui/search?q=hoshine",
        "/ui/entities/uflpa-hoshine-silicon-industry-shanshan",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), path
        assert " style=" not in page.text and "<style" not in page.text, path


def test_review_decision_is_recorded_with_user_and_leaves_the_queue(
    client: TestClient, screening: str
) -> None:
    sign_in(client, "rita")
    queue = client.get(f"/ui/screenings/{screening}/review").text
    entity_ids = re.findall(r'name="entity_id" value="([^"]+)"', queue)
    rows = re.findall(r"/rows/(\d+)/decisions", queue)
    assert entity_ids, "the example has a possible match to review"
    response = client.post(
        f"/ui/screenings/{screening}/rows/{rows[0]}/decisions",
        data={
            "csrf_token": csrf(client, "/ui/"),
            "entity_id": entity_ids[0],
            "decision": "not_same",
            "comment": "parent company, not the plant",
        },
    )
    assert response.status_code == 303
    after = client.get(response.headers["location"])
    assert "not same" in after.text
    assert f'name="entity_id" value="{entity_ids[0]}"' not in after.text
    log = client.app.state.services.screenings.decision_log()  # type: ignore[attr-defined]
    assert (log[-1].user, log[-1].entity_id, log[-1].comment) == (
        "rita",
        entity_ids[0],
        "parent company, not the plant",
    )


def test_viewers_see_no_upload_form_and_cannot_upload(client: TestClient) -> None:
    sign_in(client, "vic")
    home = client.get("/ui/")
    assert 'type="file"' not in home.text
    denied = client.post(
        "/ui/screenings",
        data={"csrf_token": csrf(client, "/ui/")},
        files={"file": ("s.csv", b"supplier\nAcme\n", "text/csv")},
    )
    assert denied.status_code == 403


def test_map_points_place_suppliers_and_every_facility(client: TestClient, screening: str) -> None:
    sign_in(client, "rita")
    points = client.get("/ui/map/points.json", params={"screening": screening}).json()
    assert len(points["facilities"]) == 490
    places = {p["name"]: p["place"] for p in points["suppliers"]}
    assert places["HOSHINE SILICON INDUSTRY (SHANSHAN) CO LTD"] == "Shanshan (鄯善县)"
    assert "Northwind Example Textiles Ltd" not in places


def test_entity_page_shows_listing_statements_and_their_sources(client: TestClient) -> None:
    sign_in(client, "rita")
    page = client.get("/ui/entities/uflpa-hoshine-silicon-industry-shanshan")
    assert page.status_code == 200
    assert "UFLPA Entity List" in page.text
    assert "合盛硅业" in page.text
    assert re.search(r'<a href="https://[^"]+" rel="noopener noreferrer">', page.text)
    hits = client.get("/ui/search", params={"q": "合盛硅业"})
    assert "/ui/entities/uflpa-hoshine-silicon-industry-shanshan" in hits.text


def test_row_page_draws_exposure_paths_edge_by_edge_with_sources(client: TestClient) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    rita = services.accounts.by_name("rita")
    services.screenings.create(
        "paths1",
        user_id=rita.id,
        filename="tier2.csv",
        content=b"supplier\nHarbourline\n",
        as_of=dt.date(2025, 6, 30),
        data_version="test",
        algorithm="threadline-match-2",
    )
    edge = {
        "source_id": "supplier",
        "source_name": "Harbourline <b>Knitting</b>",
        "kind": "supplies",
        "target_id": "xj-cotton",
        "target_name": "Xinjiang Example Cotton",
        "sources": [{"url": "https://example.org/po/7", "title": "Purchase order 7"}],
    }
    reason = {
        "code": "EXPOSURE_PATH",
        "tier": "high",
        "text": "Supplied by an entity on the UFLPA Entity List",
        "evidence": [],
        "paths": [
            {
                "edges": [
                    edge,
                    {
                        "source_id": "xj-cotton",
                        "kind": "subsidiary_of",
                        "target_id": "xpcc",
                        "target_name": "XPCC",
                    },
                ]
            }
        ],
    }
    result = {
        "row": 2,
        "file": "tier2.csv",
        "input": {"supplier": "Harbourline"},
        "matches": [],
        "risk": {"tier": "high", "reasons": [reason]},
    }
    stored = StoredRow(row=2, name="Harbourline", tier="high", bands=(), lists=(), result=result)
    services.screenings.finish("paths1", [stored], {}, {"high": 1})
    sign_in(client, "rita")
    page = client.get("/ui/screenings/paths1/rows/2").text
    assert "Exposure path" in page
    assert "Harbourline &lt;b&gt;Knitting&lt;/b&gt;" in page
    assert re.search(r"supplies →</span>\s*<strong>Xinjiang Example Cotton</strong>", page)
    assert (
        '<a href="https://example.org/po/7" rel="noopener noreferrer">Purchase order 7</a>' in page
    )
    assert "subsidiary of" in page and "(no source recorded)" in page


def test_unknown_screening_is_a_404_page(client: TestClient) -> None:
    sign_in(client, "rita")
    page = client.get("/ui/screenings/no-such-id")
    assert page.status_code == 404
    assert "no screening no-such-id" in page.text


def test_every_vendored_asset_ships_with_its_licence() -> None:
    static = Path(__file__).resolve().parents[3] / "src/threadline/server/web/static"
    for library in ("htmx", "leaflet"):
        assert (static / "vendor" / library / "LICENSE").read_text().strip()
    assert "Natural Earth" in (static / "SOURCES.md").read_text()
