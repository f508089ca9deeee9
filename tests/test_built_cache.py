"""What a one-row `screen` keeps between runs: the normaliser, the gazetteer and the store's
name index (built_cache.py, index_cache.py), and a schema check that needs no Alembic."""

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from threadline import built_cache
from threadline.data.geo import load_gazetteer
from threadline.data.vocab import load_normaliser
from threadline.model import InputRecord, ReferenceEntity, ScreenedRow
from threadline.pipeline import build_screener, ensure_reference_data, screen
from threadline.store import Store, repository
from threadline.store.schema_head import VERSIONS, head_revisions

AS_OF = dt.date(2026, 6, 30)
RECORDS = [
    InputRecord("s.csv", 2, "Changji Esquel Textile Co. Ltd.", "Changji"),
    InputRecord("s.csv", 3, "和田泰达服饰有限公司", "新疆和田市"),
    InputRecord("s.csv", 4, "Golden Harbor Knitwear", "12 Nathan Road, Kowloon, Hong Kong"),
    InputRecord("s.csv", 5, "Lhasa Highland Wool Co", "Lhasa, Xizang"),
]


@pytest.fixture
def fresh_loaders() -> Iterator[None]:
    """Each load reads the cache (or builds) anew, as a new process would."""
    for loader in (load_normaliser, load_gazetteer, built_cache.cache_key):
        loader.cache_clear()
    yield
    for loader in (load_normaliser, load_gazetteer, built_cache.cache_key):
        loader.cache_clear()


def _screen(store: Store) -> list[ScreenedRow]:
    load_normaliser.cache_clear()
    load_gazetteer.cache_clear()
    return list(screen(RECORDS, reference=build_screener(store), as_of=AS_OF))


@pytest.mark.usefixtures("fresh_loaders")
def test_a_screening_from_the_cache_is_the_same_as_one_built_anew(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    ensure_reference_data(store)
    cold = _screen(store)
    kept = {p.name.split("-")[0] for p in (tmp_path / "cache" / "built").glob("*.pickle")}
    assert kept == {"normaliser", "gazetteer"}
    assert len(list((tmp_path / "cache" / "index").glob("*.pickle"))) == 1  # the store's name index
    warm = _screen(store)
    assert warm == cold
    tiers = [row.risk.tier.value for row in warm]
    assert tiers == ["prohibited", "prohibited", "no signal found", "elevated"]


@pytest.mark.usefixtures("fresh_loaders")
def test_a_new_data_version_or_an_unreadable_file_builds_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache" / "built"  # conftest: THREADLINE_CACHE_DIR is the test's own
    built: list[str] = []

    def build() -> dict[str, str]:
        built.append("built")
        return {"phrase": "term"}

    assert built_cache.cached_build("probe", dict, build) == {"phrase": "term"}
    assert built_cache.cached_build("probe", dict, build) == {"phrase": "term"}
    assert len(built) == 1
    [kept] = folder.glob("probe-*.pickle")

    kept.write_bytes(b"not a pickle")
    assert built_cache.cached_build("probe", dict, build) == {"phrase": "term"}
    assert len(built) == 2

    built_cache.cache_key.cache_clear()
    monkeypatch.setattr(built_cache, "data_version", lambda: "another data version")
    assert built_cache.cached_build("probe", dict, build) == {"phrase": "term"}
    assert len(built) == 3
    assert len(list(folder.glob("probe-*.pickle"))) == 2


def test_the_name_index_is_keyed_by_names_and_carries_todays_entities(tmp_path: Path) -> None:
    from threadline.data.rules import load_algorithm
    from threadline.index_cache import cached_reference_matcher
    from threadline.matching import Matcher, Query

    entity = ReferenceEntity("e1", "Company", "Hetian Taida Apparel Co. Ltd.", country="CN")
    builds: list[int] = []

    def index(entities: list[ReferenceEntity]) -> Matcher:
        def build() -> Matcher:
            builds.append(1)
            return Matcher(entities, load_normaliser(), load_algorithm())

        return cached_reference_matcher(entities, load_algorithm(), build)[0]

    index([entity])
    noted = replace(entity, notes="listed since 2023")
    assert index([noted]).entities == (noted,)  # from the cache, with the caller's entity
    renamed = replace(entity, name="Hotan Taida Garment Co")
    hit = index([renamed]).match([Query("Hotan Taida Garment Co")])
    assert len(builds) == 2
    assert hit[0][0].entity == renamed


def test_the_schema_head_is_read_as_alembic_reads_it() -> None:
    config = Config()
    config.set_main_option("script_location", str(VERSIONS.parent))
    assert head_revisions() == frozenset(ScriptDirectory.from_config(config).get_heads())


def test_a_current_database_opens_without_migrating(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrated: list[str] = []
    migrate = repository._migrate

    def counted(connection: Connection, url: str) -> None:
        migrated.append(url)
        migrate(connection, url)

    monkeypatch.setattr(repository, "_migrate", counted)
    Store.open(db_url).close()  # a new database: migrated to the head
    Store.open(db_url).close()  # already there: Alembic is not asked
    assert len(migrated) == 1


@pytest.mark.usefixtures("fresh_loaders")
def test_a_warm_one_row_screening_loads_neither_alembic_nor_pypinyin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = Store.open(url)
    ensure_reference_data(store)
    build_screener(store)  # fills the cache (THREADLINE_CACHE_DIR is the test's own)
    code = (
        "import datetime, json, sys\n"
        "from threadline.model import InputRecord\n"
        "from threadline.pipeline import build_screener, screen\n"
        "from threadline.store import Store\n"
        f"screener = build_screener(Store.open({url!r}))\n"
        "[row] = screen([InputRecord('s.csv', 2, 'Changji Esquel Textile Co')],"
        " reference=screener, as_of=datetime.date(2026, 6, 30))\n"
        "print(json.dumps([row.risk.tier.value,"
        " [m for m in ('alembic', 'pypinyin') if m in sys.modules]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(done.stdout) == ["prohibited", []]


def test_the_report_template_is_compiled_once_and_an_unwritable_cache_costs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2.bccache

    from threadline.report.html import TEMPLATE_NAME, environment

    folder = tmp_path / "cache" / "built" / "templates"
    environment.cache_clear()
    try:
        environment().get_template(TEMPLATE_NAME)
        assert len(list(folder.iterdir())) == 1
        for kept in folder.iterdir():
            kept.unlink()

        def full_disk(*_: object, **__: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", full_disk)
        environment.cache_clear()
        assert environment().get_template(TEMPLATE_NAME).render  # compiled, not kept
        assert list(folder.iterdir()) == []
    finally:
        environment.cache_clear()
