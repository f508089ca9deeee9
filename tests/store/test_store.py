import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from threadline.decide import ReviewDecision, Verdict, decision_key
from threadline.errors import StoreError
from threadline.model import DatasetInfo, ListEffect, Listing, ReferenceEntity, Reliability, Source
from threadline.store import Store

INFO = DatasetInfo(
    id="demo", title="Demo list", publisher="Tester", as_of="2025-01-01", licence="CC0"
)
ENTITY = ReferenceEntity(
    id="demo-acme",
    schema="Company",
    name="Acme Cotton Co., Ltd.",
    aliases=("Acme Cotton",),
    names_zh=("阿克米棉业有限公司",),
    country="CN",
    listings=(
        Listing(
            list_id="demo",
            list_name="Demo list",
            effect=ListEffect.UFLPA,
            entry_id="demo-acme",
            date_listed=dt.date(2023, 6, 12),
            sources=(
                Source(
                    url="https://example.org/notice",
                    title="Notice",
                    date=dt.date(2023, 6, 9),
                    reliability=Reliability.OFFICIAL_LIST,
                ),
            ),
        ),
    ),
)


def test_sync_is_idempotent_and_round_trips(store: Store) -> None:
    first = store.sync(INFO, "v1", [ENTITY], bundled=False)
    assert first.added > 0 and not first.skipped
    assert store.sync(INFO, "v1", [ENTITY], bundled=False).skipped
    again = store.sync(INFO, "v2", [ENTITY], bundled=False)
    assert again.added == 0
    [loaded] = store.load_entities()
    assert loaded.name == ENTITY.name
    assert loaded.aliases == ENTITY.aliases
    assert loaded.names_zh == ENTITY.names_zh
    assert loaded.listings[0].date_listed == dt.date(2023, 6, 12)
    assert loaded.listings[0].sources[0].url == "https://example.org/notice"


def test_a_delisting_adds_a_listing_row_and_keeps_the_old_one(store: Store) -> None:
    store.sync(INFO, "v1", [ENTITY], bundled=False)
    removed = replace(ENTITY.listings[0], date_removed=dt.date(2025, 3, 1))
    store.sync(INFO, "v2", [replace(ENTITY, listings=(removed,))], bundled=False)
    [loaded] = store.load_entities()
    # The removal supersedes the open listing when read; both statements stay stored.
    assert [lst.date_removed for lst in loaded.listings] == [dt.date(2025, 3, 1)]
    assert loaded.listings[0].active_on(dt.date(2024, 1, 1))
    stored = sorted(row["date_removed"] or dt.date.min for row in store.table_rows("listings"))
    assert stored == [dt.date.min, dt.date(2025, 3, 1)]


def test_a_new_data_version_with_a_corrected_effect_reaches_the_store(store: Store) -> None:
    store.sync(INFO, "v1", [ENTITY], bundled=True)
    corrected = replace(ENTITY.listings[0], effect=ListEffect.EXPORT_CONTROL, notes="corrected")
    report = store.sync(INFO, "v2", [replace(ENTITY, listings=(corrected,))], bundled=True)
    assert report.added == 1 and not report.skipped
    [loaded] = store.load_entities()
    assert [(lst.effect, lst.notes) for lst in loaded.listings] == [
        (ListEffect.EXPORT_CONTROL, "corrected")
    ]
    effects = sorted(row["effect"] for row in store.table_rows("listings"))
    assert effects == ["export_control", "uflpa"]  # the old statement remains


def test_a_renamed_entity_keeps_its_former_name_and_latest_facts(store: Store) -> None:
    store.sync(INFO, "v1", [replace(ENTITY, address="Old Road 1")], bundled=True)
    renamed = replace(ENTITY, name="Acme Fibre Co., Ltd.", address="New Road 2")
    store.sync(INFO, "v2", [renamed], bundled=True)
    [loaded] = store.load_entities()
    assert loaded.name == "Acme Fibre Co., Ltd."
    assert "Acme Cotton Co., Ltd." in loaded.aliases
    assert loaded.address == "New Road 2"


def test_latest_decision_wins(store: Store) -> None:
    for verdict, when in (
        (Verdict.SAME, "2025-01-01T10:00:00+00:00"),
        (Verdict.NOT_SAME, "2025-01-02T10:00:00+00:00"),
    ):
        store.add_decision(
            ReviewDecision("ACME COTTON", "demo-acme", verdict, "ana", when),
            data_version="x",
            algorithm="y",
        )
    decisions = store.decisions()
    assert decisions[decision_key("acme  cotton", "demo-acme")].verdict is Verdict.NOT_SAME


def test_unusable_url_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open("sqlite:////proc/no-such-dir/threadline.db")
