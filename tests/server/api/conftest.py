"""Fixtures: one app per module on a temporary SQLite database, and the example screened."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_support import Api, make_api


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from make_api(tmp_path_factory.mktemp("server") / "threadline.db")


@pytest.fixture(scope="module")
def screened(api: Api) -> dict[str, Any]:
    """The bundled example, screened once for the module."""
    created = api.upload()
    assert created.status_code == 202, created.text
    return api.wait(created.json()["id"])
