"""The changes view between two screenings of the same input, and the banner on the home page
when new data changed a monitored screening's suppliers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from threadline.importing import import_relations
from threadline.inputs import read_records
from threadline.monitoring.alerts import alert_monitors
from threadline.monitoring.keys import row_keys
from threadline.monitoring.session import ScreenSettings, assemble, keep, new_screening_id
from threadline.pipeline import build_screener, ensure_reference_data
from threadline.server import ServerSettings, create_app
from threadline.server.security import hash_password
from threadline.store import Store
from threadline.store.history import InputFile, ScreeningHistory

PASSWORD = "s3cret enough"
AS_OF = dt.date(2026, 6, 1)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def keep_screening(store: Store, path: Path) -> str:
    records = read_records(path)
    run = build_screener(store).run(as_of=AS_OF)
    rows = run.screen(records)
    keys = row_keys(records)
    compared = assemble(
        screening_id=new_screening_id(),
        meta=run.metadata([str(path)]),
        rows=rows,
        keys=keys,
        settings=ScreenSettings(hops=run.hops, key=keys.label),
        previous=None,
        stored=True,
    )
    history = ScreeningHistory(store)
    keep(history, compared, rows, [InputFile(path.name, path.read_bytes())], origin="cli")
    return compared.screening_id


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, str]]:
    """A screening, monitored; a relation touching Northwind imported; the monitor run."""
    work = tmp_path_factory.mktemp("changes")
    suppliers = work / "suppliers.csv"
    suppliers.write_text(
        "supplier,country\n<b>Northwind</b> Example Textiles Ltd,Portugal\nAksu Example Tekstil,TR\n",
        encoding="utf-8",
    )
    links = work / "links.csv"
    links.write_text(
        "from,to,relation,source,source_title\n"
        "uflpa-changji-esquel-textile,<b>Northwind</b> Example Textiles Ltd,supplies,"
        "https://example.org/r1,Customs record 1\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{work / 'web.db'}"
    with Store.open(url) as store:
        ensure_reference_data(store)
        first = keep_screening(store, suppliers)
        ScreeningHistory(store).add_monitor(first)
        import_relations(store, links)
        (check,) = alert_monitors(store, as_of=AS_OF)
        assert check.screening_id is not None
    app = create_app(ServerSettings(db_url=url))
    app.state.services.accounts.add_user("vic", "viewer", hash_password(PASSWORD))
    with TestClient(app, follow_redirects=False) as client:
        token = _CSRF.search(client.get("/ui/login").text)
        assert token
        signed = client.post(
            "/ui/login",
            data={"username": "vic", "password": PASSWORD, "csrf_token": token.group(1)},
        )
        assert signed.status_code == 303
        yield client, first, check.screening_id


def test_home_shows_a_banner_for_the_monitored_screening(
    setup: tuple[TestClient, str, str],
) -> None:
    client, first, latest = setup
    page = client.get("/ui/").text
    assert "New data changed 1 supplier" in page and "suppliers.csv" in page
    assert f"/ui/screenings/{latest}/changes?since={first}" in page


def test_changes_view_names_the_supplier_and_why(setup: tuple[TestClient, str, str]) -> None:
    client, first, latest = setup
    page = client.get(f"/ui/screenings/{latest}/changes?since={first}")
    assert page.status_code == 200
    assert "&lt;b&gt;Northwind&lt;/b&gt;" in page.text and "<b>Northwind" not in page.text
    assert "relations or documents" in page.text and "Customs record 1" in page.text
    assert "1 raised, 1 unchanged" in page.text
    # The default is the screening just before; an id of nothing comparable is said so.
    assert "Customs record 1" in client.get(f"/ui/screenings/{latest}/changes").text
    odd = client.get(f"/ui/screenings/{latest}/changes?since=nope").text
    assert "is not a finished screening of suppliers.csv" in odd
