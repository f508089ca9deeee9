"""Export → import → /match, on both databases: what threadline writes as FollowTheMoney it reads
back, and /match finds the entity by the identifier the export wrote (`uscCode`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fastapi.testclient import TestClient

from threadline.importing import import_ftm
from threadline.model import ListEffect, Listing, ReferenceEntity
from threadline.model.schemas import Schema
from threadline.report.ftm_export import ftm_records
from threadline.server import ServerSettings, create_app
from threadline.server.security import Role
from threadline.server.users import create_user
from threadline.store import Store

USCC = "91650100MA7ABCDE15"
PLANT = ReferenceEntity(
    id="fac-kashgar",
    schema=Schema.FACILITY,
    name="Kashgar Cotton Ginning Plant",
    country="CN",
    identifiers=(USCC,),
    listings=(Listing("mine", "My list", ListEffect.UFLPA, "7", date_listed=dt.date(2024, 5, 1)),),
)


def test_exported_entity_is_imported_and_matched_by_its_uscc(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    records = list(ftm_records([PLANT], []))
    [written] = [r for r in records if r["id"] == PLANT.id]
    assert written["schema"] == "Organization"  # FtM has no Facility
    assert written["properties"]["uscCode"] == [USCC]
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert import_ftm(store, path, dataset="mine").rejected == []
    [imported] = [e for e in store.load_entities() if e.id == PLANT.id]
    assert (imported.identifiers, imported.listings[0].effect) == ((USCC,), ListEffect.UFLPA)

    app = create_app(ServerSettings(db_url=db_url, sync_reference_data=False))
    _, token = create_user(app.state.services.accounts, "viewer", Role.VIEWER, "a long passphrase")
    # Another name for the same legal person: only the identifier can find it.
    query = {**written["properties"], "name": ["Kashi Mianhua Jiagong Chang"]}
    with TestClient(app) as client:
        answer = client.post(
            "/match/default",
            json={"queries": {"q": {"schema": written["schema"], "properties": query}}},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 200, answer.text
    [hit] = answer.json()["responses"]["q"]["results"]
    assert (hit["id"], hit["match"], hit["features"]) == (PLANT.id, True, {"identifier": 1.0})
    # The body /match returns is FtM too, and says the same as the export.
    assert hit["schema"] == "Organization"
    assert hit["properties"]["uscCode"] == [USCC]
    assert hit["properties"]["classification"] == ["facility"]
