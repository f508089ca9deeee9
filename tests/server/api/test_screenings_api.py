"""Screenings: background jobs with progress, filtered results, reports, review and audit."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.abc
import importlib.util
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from api_support import Api, make_api

from threadline.data.lists import data_version
from threadline.data.rules import DEFAULT_ALGORITHM
from threadline.server.security import Role


def review_pair(screened: dict[str, Any]) -> tuple[int, str, str]:
    for row in screened["results"]:
        for found in row["matches"]:
            if found["band"] == "review":
                return row["row"], found["entity_id"], found["explanation"]["query"]
    raise AssertionError("the example has no possible match")


def test_upload_runs_in_background_and_reports_progress(api: Api, screened: dict[str, Any]) -> None:
    assert screened["status"] == "done", screened["error"]
    assert screened["total"] == screened["done"] == screened["results_total"] > 0
    assert screened["progress"] == 1.0
    assert sum(screened["summary"].values()) == screened["total"]
    assert screened["summary"]["prohibited"] >= 1
    assert screened["data_version"] == data_version()
    assert screened["algorithm"] == DEFAULT_ALGORITHM
    assert screened["user"] == "reviewer"
    listed = api.get("/screenings").json()
    assert screened["id"] in [s["id"] for s in listed]


def test_results_filter_by_tier_band_and_list(api: Api, screened: dict[str, Any]) -> None:
    url = f"/screenings/{screened['id']}"
    prohibited = api.get(url, params={"tier": "prohibited"}).json()
    assert prohibited["results_total"] == screened["summary"]["prohibited"]
    assert {r["risk"]["tier"] for r in prohibited["results"]} == {"prohibited"}
    review = api.get(url, params={"band": "review"}).json()["results"]
    assert review and all(any(m["band"] == "review" for m in r["matches"]) for r in review)
    list_id = screened["results"][0]["matches"][0]["lists"][0]["list_id"]
    on_list = api.get(url, params={"list": list_id}).json()["results"]
    assert on_list and all(
        any(x["list_id"] == list_id for m in r["matches"] for x in m["lists"]) for r in on_list
    )
    page = api.get(url, params={"limit": 2, "offset": 1}).json()
    assert [r["row"] for r in page["results"]] == [r["row"] for r in screened["results"][1:3]]
    assert api.get("/screenings/nope").status_code == 404


def test_reports_download_in_four_formats(api: Api, screened: dict[str, Any]) -> None:
    links = screened["reports"]
    assert set(links) == {"html", "csv", "json", "pdf"}
    base = f"/screenings/{screened['id']}/report"
    html = api.get(f"{base}.html")
    assert html.headers["content-type"].startswith("text/html")
    assert "attachment" in html.headers["content-disposition"]
    assert "script-src" not in html.headers["content-security-policy"]
    assert "no signal found" in html.text
    rows = list(csv.reader(io.StringIO(api.get(f"{base}.csv").text)))
    assert len(rows) == screened["total"] + 1
    document = json.loads(api.get(f"{base}.json").content)
    assert len(document["results"]) == screened["total"]
    pdf = api.get(f"{base}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 10_000
    assert api.get(f"{base}.docx").status_code == 422


def test_decisions_are_audited_and_reused(api: Api, screened: dict[str, Any]) -> None:
    row, entity_id, name = review_pair(screened)
    url = f"/screenings/{screened['id']}/rows/{row}/decisions"
    body = {"entity_id": entity_id, "verdict": "not same", "comment": '=HYPERLINK("x")'}
    assert api.post(url, Role.VIEWER, json=body).status_code == 403
    first = api.post(url, json={**body, "verdict": "unsure", "comment": ""})
    assert first.status_code == 201, first.text
    second = api.post(url, json=body)
    assert second.json()["verdict"] == "not same" and second.json()["user"] == "reviewer"
    assert api.post(url, json={**body, "verdict": "maybe"}).status_code == 422
    assert api.post(url, json={**body, "entity_id": "not-a-candidate"}).status_code == 422
    assert (
        api.post(f"/screenings/{screened['id']}/rows/9999/decisions", json=body).status_code == 404
    )

    audit = list(csv.DictReader(io.StringIO(api.get("/audit.csv").content.decode("utf-8-sig"))))
    mine = [a for a in audit if a["entity_id"] == entity_id]
    assert [a["verdict"] for a in mine] == ["unsure", "not same"]  # append-only, in order
    assert mine[1]["user"] == "reviewer" and mine[1]["supplier_name"] == name
    assert mine[1]["data_version"] == data_version()
    assert mine[1]["algorithm"] == DEFAULT_ALGORITHM
    assert mine[1]["comment"].startswith("'=")  # no formula injection
    dt.datetime.fromisoformat(mine[1]["decided_at"])

    shown = api.get(f"/screenings/{screened['id']}", params={"band": "review"}).json()
    reviewed = [m for r in shown["results"] for m in r["matches"] if m["entity_id"] == entity_id]
    assert reviewed[0]["review"]["verdict"] == "not same"

    again = api.wait(api.upload().json()["id"])
    redone = next(r for r in again["results"] if r["row"] == row)
    pair = next(m for m in redone["matches"] if m["entity_id"] == entity_id)
    assert pair["band"] == "no match"
    assert "reviewed by reviewer" in pair["explanation"]["note"]


def test_bad_uploads_fail_with_one_line(api: Api, tmp_path: Path) -> None:
    pdf = tmp_path / "suppliers.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert api.upload(pdf).status_code == 415
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert api.upload(empty).status_code == 422
    nameless = tmp_path / "nameless.csv"
    nameless.write_text("colour,size\nred,3\n", encoding="utf-8")
    failed = api.wait(api.upload(nameless).json()["id"])
    assert failed["status"] == "failed"
    assert "nameless.csv" in failed["error"] and "\n" not in failed["error"]
    assert failed["reports"] == {}
    report = api.get(f"/screenings/{failed['id']}/report.csv")
    assert report.status_code == 409


def test_jobs_left_by_a_stopped_server_resume(tmp_path: Path) -> None:
    db = tmp_path / "restart.db"
    for api in make_api(db):
        user = api.app.state.services.accounts.by_name("reviewer")
        content = (Path(__file__).resolve().parents[3] / "examples" / "suppliers.csv").read_bytes()
        api.app.state.services.screenings.create(
            "interrupted",
            user_id=user.id,
            filename="suppliers.csv",
            content=content,
            as_of=dt.date(2026, 1, 1),
            data_version=data_version(),
            algorithm=DEFAULT_ALGORITHM,
        )
        assert api.app.state.services.screenings.claim("interrupted")  # then the server "dies"
    for api in make_api(db):
        assert api.wait("interrupted")["status"] == "done"


def test_decisions_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "decisions.db"
    for api in make_api(db):
        screened = api.wait(api.upload().json()["id"])
        row, entity_id, _ = review_pair(screened)
        url = f"/screenings/{screened['id']}/rows/{row}/decisions"
        body = {"entity_id": entity_id, "verdict": "not same", "comment": "checked the licence"}
        assert api.post(url, json=body).status_code == 201
    for api in make_api(db):  # a new server process on the same database
        audit = api.get("/audit.csv").content.decode("utf-8-sig")
        [decided] = [a for a in csv.DictReader(io.StringIO(audit)) if a["entity_id"] == entity_id]
        assert (decided["verdict"], decided["comment"]) == ("not same", "checked the licence")
        again = api.wait(api.upload().json()["id"])
        redone = next(r for r in again["results"] if r["row"] == row)
        assert next(m for m in redone["matches"] if m["entity_id"] == entity_id)["band"] == "no match"


class _NoPango(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """WeasyPrint installed, Pango not: the import fails as WeasyPrint's does (OSError)."""

    def find_spec(self, name: str, path: object, target: object = None) -> Any:
        return importlib.util.spec_from_loader(name, self) if name == "weasyprint" else None

    def exec_module(self, module: object) -> None:
        raise OSError("cannot load library 'libpango-1.0-0'")


def test_pdf_without_pango_or_weasyprint_is_a_clear_503(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # the pdf extra not installed
    done = api.wait(api.upload().json()["id"])
    base = f"/screenings/{done['id']}/report"
    pdf = api.get(f"{base}.pdf")
    assert pdf.status_code == 503
    assert "pip install 'threadline[pdf]'" in pdf.json()["detail"]
    monkeypatch.delitem(sys.modules, "weasyprint")
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    pdf = api.get(f"{base}.pdf")
    assert pdf.status_code == 503
    assert "Pango" in pdf.json()["detail"] and "Traceback" not in pdf.text
    assert api.get(f"{base}.html").status_code == 200
