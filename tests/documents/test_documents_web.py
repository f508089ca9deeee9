"""The document pages in-process: the list, a document with its mentions marked and its
findings quoted, the entity page listing it, and a reviewer rejecting a finding."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from doc_factory import GOLDEN
from fastapi.testclient import TestClient

from threadline.importing_documents import import_documents
from threadline.pipeline import ensure_reference_data
from threadline.server import ServerSettings, create_app
from threadline.server.security import hash_password
from threadline.store import Store

PASSWORD = "s3cret enough"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    with Store.open(url) as store:
        ensure_reference_data(store)
        import_documents(store, [GOLDEN / "procurement_notice.txt", GOLDEN / "state_media.html"])
    app = create_app(ServerSettings(db_url=url))
    accounts = app.state.services.accounts
    accounts.add_user("rita", "reviewer", hash_password(PASSWORD))
    accounts.add_user("vic", "viewer", hash_password(PASSWORD))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def sign_in(client: TestClient, name: str) -> None:
    client.cookies.clear()
    token = _CSRF.search(client.get("/ui/login").text)
    assert token
    data = {"username": name, "password": PASSWORD, "csrf_token": token.group(1), "next": "/ui/"}
    assert client.post("/ui/login", data=data).status_code == 303


def test_document_page_marks_mentions_and_a_reviewer_rejects_a_finding(client: TestClient) -> None:
    assert client.get("/ui/documents").status_code == 401  # signed-in users only
    sign_in(client, "vic")
    listing = client.get("/ui/documents").text
    link = re.search(r'href="(/ui/documents/[0-9a-f]+)">墨玉县', listing)
    assert link, listing
    page = client.get(link.group(1)).text
    assert '<mark class="m-facility"' in page and '<mark class="m-organisation"' in page
    assert "“成交供应商：和田华源纺织有限公司”" in page
    assert 'name="verdict"' not in page  # a viewer may not review
    entity = re.search(r'href="(/ui/entities/party-[0-9a-f]+)">和田华源', page)
    assert (
        entity
        and "墨玉县职业技能教育培训中心被服采购项目成交公告" in client.get(entity.group(1)).text
    )

    sign_in(client, "rita")
    page = client.get(link.group(1)).text
    form = re.search(r'action="(/ui/documents/[0-9a-f]+/findings/[0-9a-f]+)"', page)
    token = _CSRF.search(page)
    assert form and token
    posted = client.post(
        form.group(1),
        data={"verdict": "reject", "comment": "a school", "csrf_token": token.group(1)},
    )
    assert posted.status_code == 303
    assert 'class="rejected"' in client.get(posted.headers["location"]).text
    store = client.app.state.services.store  # type: ignore[attr-defined]
    assert all(
        f.category != "camp_contract" for fs in store.document_findings().values() for f in fs
    )
