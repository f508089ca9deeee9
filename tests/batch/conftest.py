"""Fixtures of the batch tests: the store with relations the bills expose, and one SparkSession.

Spark runs for real, in local mode, in one session for the whole test run (starting the JVM
takes seconds). Outside CI the Spark tests skip, saying why, when pyspark or Java is missing;
in CI (scripts/test installs both) they fail instead.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from threadline.importing import import_relations, import_shipments
from threadline.pipeline import ensure_reference_data
from threadline.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
LISTED = "Hoshine Silicon Industry (Shanshan) Co., Ltd."
# Goods flow Hoshine -> Lakeview -> Brightwater; Harbour owns a stake in Hoshine.
GRAPH_BILLS = f"""\
bill_number,date,shipper,consignee,product,hs_code,country_of_origin
G-100,2023-03-01,"{LISTED}",Lakeview Example Silicon Trading Ltd,silicon metal,280469,CN
G-200,2023-04-01,Lakeview Example Silicon Trading Ltd,Brightwater Example Modules Inc,wafers,381800,CN
"""
RELATIONS = f"""\
from,to,relation,share,start,end,source
Harbour Example Holdings Ltd,"{LISTED}",owns,51,2021-01-01,,https://example.org/annual-report-2023
"""


@pytest.fixture(scope="session")
def graph_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store with the bundled lists, two bills and an ownership stake imported."""
    folder = tmp_path_factory.mktemp("graph")
    url = f"sqlite:///{folder / 'store.db'}"
    bills, relations = folder / "bills.csv", folder / "relations.csv"
    bills.write_text(GRAPH_BILLS, encoding="utf-8")
    relations.write_text(RELATIONS, encoding="utf-8")
    with Store.open(url) as store:
        ensure_reference_data(store)
        import_shipments(store, bills)
        import_relations(store, relations)
    return url


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    missing = _spark_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}; scripts/test installs it")
        pytest.skip(f"{missing}: Spark tests need it (scripts/test installs it)")
    from threadline.batch.spark import session

    active, made = session("local[2]")
    yield active
    if made:
        active.stop()


def _spark_missing() -> str:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    java_home = os.environ.get("JAVA_HOME")
    if not (shutil.which("java") or (java_home and Path(java_home, "bin", "java").exists())):
        return "no Java runtime (java on PATH or JAVA_HOME)"
    return ""
