import os
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(autouse=True)
def _isolated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real database."""
    monkeypatch.setenv("THREADLINE_DB", f"sqlite:///{tmp_path / 'threadline.db'}")


@pytest.fixture
def example_suppliers() -> Path:
    return EXAMPLES / "suppliers.csv"


def pytest_configure() -> None:
    os.environ.setdefault("NO_COLOR", "1")
