"""`data update` against a store (SQLite, and PostgreSQL where THREADLINE_TEST_PG_URL is set):
dated statements, removals, the guard, idempotent re-runs, and screening what the update wrote."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import httpx2 as httpx
import pytest
from refresh_cli import CliRun

from threadline.data.lists import bundled_entities_by_list, bundled_lists
from threadline.errors import InputError
from threadline.inputs.official import FileInput
from threadline.inputs.official.download import download
from threadline.model import InputRecord, ReferenceEntity, Tier
from threadline.pipeline import build_screener, ensure_reference_data, screen
from threadline.refresh import update_lists
from threadline.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 12, 4)


def _file(name: str, when: dt.date, data: bytes | None = None) -> FileInput:
    return FileInput(data if data is not None else (FIXTURES / name).read_bytes(), name, when)


def _tier(store: Store, name: str, as_of: dt.date) -> Tier:
    [row] = screen(
        [InputRecord("suppliers.csv", 2, name)], reference=build_screener(store), as_of=as_of
    )
    return row.risk.tier


def _listing_rows(store: Store) -> int:
    return sum(1 for _ in store.table_rows("listings"))


def test_round_trip_and_an_idempotent_rerun(store: Store) -> None:
    first = update_lists(store, [_file("uflpa_page.html", TODAY)])
    [change] = first.changes
    assert (change.list_id, change.added, change.changed, change.removed) == ("uflpa", 7, 0, 0)
    assert change.file_date == dt.date(2026, 12, 1)  # the page's "Last Updated"
    loaded = {e.name: e for e in store.load_entities()}
    assert (
        "Xinjiang Great New Energy Co., Ltd."
        in loaded["Xinjiang Daqo New Energy Co., Ltd."].aliases
    )
    assert len(loaded["Xinjiang Daqo New Energy Co., Ltd."].listings) == 2  # two sections
    rows = _listing_rows(store)
    again = update_lists(store, [_file("uflpa_page.html", TODAY)])
    assert again.changes[0].unchanged == 7 and again.changes[0].added == 0
    assert again.data_version == first.data_version and _listing_rows(store) == rows


def test_a_renamed_entity_still_matches_under_its_former_name(store: Store) -> None:
    update_lists(store, [_file("uflpa_page.html", TODAY)])
    assert _tier(store, "Aksu Huafu Dyed Melange Yarn Co.", TODAY) is Tier.PROHIBITED
    assert _tier(store, "Xinjiang Production and Construction Corps", TODAY) is Tier.PROHIBITED
    # Listed 2023-09-26: not yet on the list in 2023-01.
    assert _tier(store, "Aksu Huafu Textiles Co., Ltd.", dt.date(2023, 1, 1)) is not Tier.PROHIBITED


def test_a_revoked_wro_stops_flagging_at_its_revocation_date(store: Store) -> None:
    revoked = (FIXTURES / "cbp_wro_2024.csv").read_bytes()
    active = revoked.replace(b"Revoked,03/02/2024", b"Active,")
    update_lists(store, [_file("wro-jan.csv", dt.date(2024, 1, 10), active)])
    name = "Hetian Haolin Hair Accessories Co., Ltd."
    assert _tier(store, name, TODAY) is Tier.PROHIBITED
    [change] = update_lists(store, [_file("wro-jun.csv", dt.date(2024, 6, 1), revoked)]).changes
    assert (change.removed, change.unchanged) == (1, 1)
    assert _tier(store, name, dt.date(2024, 3, 1)) is Tier.PROHIBITED  # an earlier --as-of
    assert _tier(store, name, dt.date(2024, 3, 2)) is not Tier.PROHIBITED  # Modified Date
    assert _tier(store, name, TODAY) is not Tier.PROHIBITED
    removals = {r["date_removed"] for r in store.table_rows("listings") if r["status"] != "Active"}
    assert removals == {dt.date(2024, 3, 2)}
    # A later file that still shows it revoked, with no date, does not move the revocation.
    undated = revoked.replace(b"Revoked,03/02/2024", b"Revoked,")
    update_lists(store, [_file("wro-dec.csv", dt.date(2026, 12, 1), undated)])
    assert _tier(store, name, dt.date(2024, 3, 1)) is Tier.PROHIBITED
    assert _tier(store, name, dt.date(2024, 3, 2)) is not Tier.PROHIBITED


def test_a_file_that_would_remove_over_a_tenth_of_a_list_stops_and_writes_nothing(
    store: Store,
) -> None:
    update_lists(store, [_file("uflpa_page.html", TODAY)])
    page = (FIXTURES / "uflpa_page.html").read_text(encoding="utf-8")
    cut = page[: page.index("<tr><td>Hoshine")] + "</table></div></main></body></html>"
    rows = _listing_rows(store)
    with pytest.raises(InputError, match=r"cut\.html: would remove 6 of the 7 active entries"):
        update_lists(store, [_file("cut.html", TODAY, cut.encode())])
    assert _listing_rows(store) == rows
    [change] = update_lists(
        store, [_file("cut.html", dt.date(2026, 12, 3), cut.encode())], accept_removals=True
    ).changes
    assert change.removed == 6 and change.unchanged == 1
    # Removed as of the page's date (its "Last Updated" was cut off: the day it was saved).
    assert (
        _tier(store, "Xinjiang Production and Construction Corps", dt.date(2026, 12, 2))
        is Tier.PROHIBITED
    )
    assert (
        _tier(store, "Xinjiang Production and Construction Corps", dt.date(2026, 12, 3))
        is not Tier.PROHIBITED
    )


def test_a_bundled_resync_never_overwrites_a_newer_update(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_reference_data(store)
    meta = next(m for m in bundled_lists() if m.id == "uflpa")
    page = _dhs_page_of(
        bundled_entities_by_list(meta),
        extra="Kashgar Example Cotton Co., Ltd. (formerly known as Kashi Demo Cotton Mill)",
    )
    [change] = update_lists(store, [_file("dhs.html", TODAY, page)]).changes
    assert change.added == 1 and change.removed == 0
    monkeypatch.setattr("threadline.pipeline.data_version", lambda: "a-new-package")
    reports = ensure_reference_data(store)
    assert "uflpa" not in {r.dataset for r in reports}
    assert _tier(store, "Kashi Demo Cotton Mill", TODAY) is Tier.PROHIBITED


def _dhs_page_of(entities: list[ReferenceEntity], extra: str) -> bytes:
    rows = "".join(
        f"<tr><td>{html.escape(e.name)}</td><td>June 21, 2022</td></tr>" for e in entities
    )
    rows += f"<tr><td>{html.escape(extra)}</td><td>August 3, 2026</td></tr>"
    return (
        "<html><body><p><strong>Entities</strong> <a href='#'>Section 2(d)(2)(B)(i)</a></p>"
        f"<table><tr><th>Name of Entity</th><th>Effective Date</th></tr>{rows}</table>"
        "<p>Last Updated: 12/01/2026</p></body></html>"
    ).encode()


def test_data_status_names_the_file_an_update_came_from(cli: CliRun, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    result = cli("data", "update", "--from", str(FIXTURES / "csl.json"), "--db", db, "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert {c["list"]: c["added"] for c in doc["lists"]} == {"bis_entity_list": 2, "ofac_sdn": 1}
    status = json.loads(cli("data", "status", "--db", db, "--json").out)
    bis = next(item for item in status["lists"] if item["id"] == "bis_entity_list")
    assert bis["origin"] == "update" and bis["file"] == "csl.json" and bis["rows"] == 2
    assert bis["source"] == "trade_csl_json" and bis["fetched"]
    assert status["data_version"] == doc["data_version"]


def test_bad_input_is_one_line_exit_2_and_nothing_written(cli: CliRun, tmp_path: Path) -> None:
    page = tmp_path / "denied.html"
    page.write_text("<html><body><h1>Access Denied</h1></body></html>", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    result = cli("data", "update", "--from", str(page), "--db", db)
    assert result.code == 2
    assert (
        result.err.startswith(f"error: {page}: not a recognised layout")
        and len(result.err.splitlines()) == 1
    )
    with Store.open(db) as opened:
        assert opened.latest_loads() == {}


def test_download_explains_a_refusal_and_reads_what_it_fetched() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if "dhs.gov" in request.url.host:
            return httpx.Response(403, text="Access Denied")
        if request.url.path.endswith("withhold-release-orders-findings"):
            return httpx.Response(
                200,
                text='<a href="/sites/default/files/wro-dataset.csv">Withold Release Orders and Findings Dataset</a>',
            )
        if request.url.path.endswith("wro-dataset.csv"):
            return httpx.Response(200, content=(FIXTURES / "cbp_wro_2026.csv").read_bytes())
        return httpx.Response(200, content=(FIXTURES / "csl.csv").read_bytes())

    client = httpx.Client(transport=httpx.MockTransport(answer))
    with pytest.raises(InputError, match="save the page from a browser and pass --from"):
        download("dhs_uflpa_html", client, TODAY)
    fetched = download("trade_csl_csv", client, TODAY)
    assert fetched.name == "consolidated.csv" and fetched.fetched == TODAY
    cbp = download("cbp_wro_csv", client, TODAY)
    assert cbp.name == "wro-dataset.csv" and cbp.data.startswith(b"Effective Date")


def test_downloading_opensanctions_states_its_licence_first(
    cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=(FIXTURES / "uflpa.ftm.json").read_bytes())

    monkeypatch.setattr(
        "threadline.inputs.official.download.make_client",
        lambda: httpx.Client(transport=httpx.MockTransport(answer)),
    )
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    result = cli(
        "data", "update", "--download", "--source", "opensanctions_ftm", "--db", db,
        "--accept-removals", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.err.index("CC BY-NC 4.0") < result.err.index("downloading opensanctions_ftm")
    [change] = json.loads(result.out)["lists"]
    assert change["list"] == "uflpa" and change["source"] == "opensanctions_ftm"


def test_a_cbp_file_of_the_bundled_orders_revokes_one_and_removes_none(store: Store) -> None:
    """The bundled list holds some firms twice (a WRO and a later Finding as two entities): the
    official file's one entry for both is a change, not a removal."""
    ensure_reference_data(store)
    meta = next(m for m in bundled_lists() if m.id == "cbp_wro")
    lines = ["Effective Date,Country,Entity,Merchandise,WRO/Finding,Status,Remarks"]
    for entity in bundled_entities_by_list(meta):
        listing = entity.listings[0]
        assert listing.date_listed is not None
        revoked = "Haolin" in entity.name
        lines.append(
            ",".join(
                [
                    listing.date_listed.strftime("%m/%d/%Y"),
                    "China",
                    '"' + entity.name.replace('"', '""') + '"',
                    '"' + listing.product_scope.replace('"', '""') + '"',
                    listing.section or "WRO",
                    "Revoked" if revoked else "Active",
                    "Revoked on 06/15/2026" if revoked else "",
                ]
            )
        )
    data = ("\r\n".join(lines) + "\r\n").encode("latin-1", "replace")
    [change] = update_lists(store, [_file("wro.csv", TODAY, data)]).changes
    assert change.removed == 1 and change.added == 0
    name = "Hetian Haolin Hair Accessories Co. Ltd."
    screener = build_screener(store)
    for as_of, flagged in ((dt.date(2026, 6, 14), True), (dt.date(2026, 6, 15), False)):
        [row] = screen([InputRecord("s.csv", 2, name)], reference=screener, as_of=as_of)
        wro = [r for r in row.risk.reasons if r.code == "CBP_WRO"]
        assert bool(wro) == flagged
