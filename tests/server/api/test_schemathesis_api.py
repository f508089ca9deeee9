"""Schemathesis against /openapi.json as an admin (issue 16, build item 6): generated requests
to every route, bounded examples each; no answer may be a server error (5xx).

Runs `THREADLINE_SCHEMATHESIS_EXAMPLES` examples per operation (default 3, about half a minute on
two cores); set it to 0 to skip, or higher for a longer run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from api_support import Api, make_api  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

from threadline.server.security import Role  # noqa: E402

EXAMPLES = int(os.environ.get("THREADLINE_SCHEMATHESIS_EXAMPLES", "3"))
if EXAMPLES <= 0:
    pytest.skip("THREADLINE_SCHEMATHESIS_EXAMPLES=0", allow_module_level=True)


@pytest.fixture(scope="module")
def fuzzed_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from make_api(tmp_path_factory.mktemp("schemathesis") / "threadline.db")


def test_no_server_errors(fuzzed_api: Api) -> None:
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", fuzzed_api.app, headers=fuzzed_api.headers(Role.ADMIN)
    )
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            response = case.call(headers=fuzzed_api.headers(Role.ADMIN))
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} → {response.status_code}: "
                    f"{response.text[:200]}"
                )

        call()
    assert operations >= 10
    assert failures == []
