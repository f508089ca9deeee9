"""What an analyst met in the web app: an ERP workbook uploaded with an as-of date and columns,
search hits without a score, data imported while the server runs, errors without server paths."""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from threadline.importing import import_lists
from threadline.server import ServerSettings, create_app
from threadline.server.security import hash_password

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from erp_export import write_erp_export

PASSWORD = "s3cret enough"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("analyst") / "web.db"
    app = create_app(ServerSettings(db_url=f"sqlite:///{db}"))
    app.state.services.accounts.add_user("rita", "reviewer", hash_password(PASSWORD))
    with TestClient(app, follow_redirects=False) as test_client:
        token = _CSRF.search(test_client.get("/ui/login").text)
        assert token
        signed = test_client.post(
            "/ui/login",
            data={"username": "rita", "password": PASSWORD, "csrf_token": token.group(1)},
        )
        assert signed.status_code == 303
        yield test_client


def _csrf(client: TestClient) -> str:
    found = _CSRF.search(client.get("/ui/").text)
    assert found
    return found.group(1)


def _upload(client: TestClient, name: str, content: bytes, **fields: str) -> str:
    response = client.post(
        "/ui/screenings",
        data={"csrf_token": _csrf(client), **fields},
        files={"file": (name, content, "application/octet-stream")},
    )
    assert response.status_code == 303, response.text
    screening_id = response.headers["location"].rsplit("/", 1)[-1]
    screenings = client.app.state.services.screenings  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while screenings.get(screening_id).status not in ("done", "failed"):
        assert time.monotonic() < deadline, "screening did not finish"
        time.sleep(0.2)
    return screening_id


def test_erp_workbook_with_as_of_and_columns_from_the_form(
    client: TestClient, tmp_path: Path
) -> None:
    content = write_erp_export(tmp_path / "master.xlsx").read_bytes()
    screening_id = _upload(
        client,
        "master.xlsx",
        content,
        as_of="2025-06-30",
        sheet="Vendors",
        name_cols="Vendor Name (EN); 供应商名称 (Local Name)",
    )
    record = client.app.state.services.screenings.get(screening_id)  # type: ignore[attr-defined]
    assert (record.status, record.as_of) == ("done", dt.date(2025, 6, 30))
    page = client.get(f"/ui/screenings/{screening_id}").text
    assert "sheet &#39;Vendors&#39; (2 of 2), header row 4" in page
    # Row 14 (V10010) has no name match: its name, not its Vendor No., is shown.
    row = client.get(f"/ui/screenings/{screening_id}/rows/14").text
    assert "<h1>Saigon Example Garment JSC" in row or "Saigon Example Garment JSC</h1>" in row
    results = client.get(f"/screenings/{screening_id}").json()["results"]
    assert len(results) == 12  # the row with no name or address too, with its reason
    assert {r["row"]: r["screened"]["name"] for r in results}[14] == "Saigon Example Garment JSC"
    assert "Saigon Example Garment JSC" in page


def test_a_bad_file_is_refused_without_the_server_temp_path(client: TestClient) -> None:
    screening_id = _upload(client, "suppliers.csv", b"foo,bar\nx,y\n")
    record = client.app.state.services.screenings.get(screening_id)  # type: ignore[attr-defined]
    assert record.status == "failed"
    assert record.error.startswith("suppliers.csv: no name column found")
    assert "/tmp" not in record.error and "threadline-" not in record.error


def test_bad_as_of_is_one_line_on_the_form(client: TestClient) -> None:
    response = client.post(
        "/ui/screenings",
        data={"csrf_token": _csrf(client), "as_of": "30/06/2025"},
        files={"file": ("s.csv", b"name\nAcme\n", "text/csv")},
    )
    assert response.status_code == 422
    assert "As-of date &#39;30/06/2025&#39; is not a date (YYYY-MM-DD)." in response.text


def test_search_lists_hits_without_a_score(client: TestClient) -> None:
    """`XPCC` finds alias hits with no fuzzy score; the page once failed formatting None."""
    page = client.get("/ui/search?q=XPCC")
    assert page.status_code == 200
    assert "Xinjiang Production and Construction Corps" in page.text


def test_data_imported_while_running_is_seen_and_the_version_is_on_every_page(
    client: TestClient, tmp_path: Path
) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    before = services.store.generation()
    assert f"store generation {before}" in client.get("/ui/").text
    listed = tmp_path / "watch.csv"
    listed.write_text("id,name,country\nw1,Quillfeather Example Spinning Co,CN\n")
    import_lists(services.store, listed, list_name="Buyer watch list")
    assert services.store.generation() == before + 1
    page = client.get("/ui/search?q=Quillfeather Example Spinning").text
    assert "Quillfeather Example Spinning Co" in page
    assert f"store generation {before + 1}" in page


def test_a_sector_flag_dispositioned_on_the_row_page_carries_into_the_next_screening(
    client: TestClient, tmp_path: Path
) -> None:
    content = write_erp_export(tmp_path / "master.xlsx").read_bytes()
    first = _upload(client, "master.xlsx", content, as_of="2026-03-01")
    row = client.get(f"/ui/screenings/{first}/rows/12")  # V10008, cotton fabric from China
    assert "Disposition this flag" in row.text
    response = client.post(
        f"/ui/screenings/{first}/rows/12/dispositions",
        data={
            "csrf_token": _csrf(client),
            "code": "HIGH_PRIORITY_SECTOR",
            "decision": "cleared",
            "comment": "Brazilian cotton, mill certificate on file",
            "description": "mill certificate",
        },
        files={"file": ("mill-cert.pdf", b"%PDF-1.4 lot 77", "application/pdf")},
    )
    assert response.status_code == 303, response.text
    # Back on the row page it came from, the flag shows the decision without a reload.
    back = client.get(response.headers["location"]).text
    assert "HIGH_PRIORITY_SECTOR: recorded “cleared”" in back
    assert "Dispositioned <strong>cleared</strong> by rita" in back
    assert "mill-cert.pdf" in back
    second = _upload(client, "master.xlsx", content, as_of="2026-03-01")
    result = client.get(f"/screenings/{second}").json()
    ningbo = next(r for r in result["results"] if r["row"] == 12)
    (reason,) = ningbo["risk"]["reasons"]
    assert ningbo["risk"]["tier"] == "no signal found"
    assert reason["disposition"]["user"] == "rita"
    assert reason["disposition"]["attachments"][0]["filename"] == "mill-cert.pdf"
    assert (
        "Dispositioned <strong>cleared</strong> by rita"
        in client.get(f"/ui/screenings/{second}/rows/12").text
    )
    audit = client.get("/audit.csv").content.decode("utf-8-sig")
    (line,) = [x for x in audit.splitlines() if "HIGH_PRIORITY_SECTOR" in x]
    assert f",flag,{first},12,V10008,HIGH_PRIORITY_SECTOR," in line
    assert "mill-cert.pdf sha256:" in line


def test_a_disposition_posted_through_htmx_answers_with_the_flag_block_alone(
    client: TestClient, tmp_path: Path
) -> None:
    content = write_erp_export(tmp_path / "master.xlsx").read_bytes()
    screening_id = _upload(client, "master.xlsx", content, as_of="2026-03-01")
    url = f"/ui/screenings/{screening_id}/rows/12/dispositions"
    fields = {"csrf_token": _csrf(client), "code": "HIGH_PRIORITY_SECTOR"}
    htmx = {"HX-Request": "true"}
    refused = client.post(url, data={**fields, "decision": "maybe"}, headers=htmx)
    assert refused.status_code == 200  # htmx swaps only a 2xx answer: the block says why
    assert 'role="alert"' in refused.text and "maybe" in refused.text
    done = client.post(
        url, data={**fields, "decision": "confirmed", "comment": "no mill records"}, headers=htmx
    )
    assert done.status_code == 200
    assert done.text.lstrip().startswith('<li id="flag-1">') and "<html" not in done.text
    assert "HIGH_PRIORITY_SECTOR: recorded “confirmed”" in done.text
    assert "Dispositioned <strong>confirmed</strong> by rita" in done.text
    assert 'hx-target="#flag-1"' in done.text  # the form stays, for a later decision


def test_candidate_link_queue_page(client: TestClient) -> None:
    page = client.get("/ui/links")
    assert page.status_code == 200
    assert "Candidate links to review" in page.text


def test_a_row_dossier_is_one_link_from_the_row_page(client: TestClient, tmp_path: Path) -> None:
    content = write_erp_export(tmp_path / "master.xlsx").read_bytes()
    screening_id = _upload(client, "master.xlsx", content, as_of="2026-03-01")
    row = client.get(f"/ui/screenings/{screening_id}/rows/5").text
    assert f"/ui/screenings/{screening_id}/rows/5/dossier.pdf" in row
    page = client.get(f"/ui/screenings/{screening_id}/rows/5/dossier.html")
    assert page.status_code == 200
    assert "script-src" not in page.headers["content-security-policy"]
    assert "Hetian Taida Apparel" in page.text and "3. Supply-chain tracing" in page.text
    assert "WRAP" in page.text and "not designed to detect" in page.text  # the claim, caveated


def test_a_certification_claim_from_the_form_is_shown_and_changes_no_tier(
    client: TestClient, tmp_path: Path
) -> None:
    content = write_erp_export(tmp_path / "master.xlsx").read_bytes()
    first = _upload(client, "master.xlsx", content, as_of="2026-03-01")
    response = client.post(
        f"/ui/screenings/{first}/rows/7/certifications",  # V10003, Kashgar: prohibited
        data={
            "csrf_token": _csrf(client),
            "scheme": "amfori BSCI",
            "certificate_id": "BSCI-4471",
            "valid_from": "2025-01-01",
            "valid_to": "2026-12-31",
            "scope": "knitwear, cut and sew",
        },
    )
    assert response.status_code == 303, response.text
    second = _upload(client, "master.xlsx", content, as_of="2026-03-01")
    row = next(r for r in client.get(f"/screenings/{second}").json()["results"] if r["row"] == 7)
    assert row["risk"]["tier"] == "prohibited"
    (claim,) = row["screened"]["certifications"]
    assert claim["claim"].startswith("amfori BSCI, certificate BSCI-4471, valid 2025-01-01")
    page = client.get(f"/ui/screenings/{second}/rows/7").text
    assert "not designed to detect state-imposed forced labour" in page
