"""Settings from the environment: typed, defaults when unset, and a bad value is one line
naming the variable (exit code 2), never a traceback."""

from __future__ import annotations

import sys

import pytest

from threadline.errors import InputError
from threadline.limits import Limits
from threadline.server.settings import ServerSettings
from threadline.settings import Environment, Settings


def test_unset_or_blank_variables_give_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("THREADLINE_PORT", "THREADLINE_SECURE_COOKIES", "THREADLINE_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("THREADLINE_JOB_TIMEOUT_S", " ")
    got = ServerSettings.from_env(db_url="sqlite://")
    assert got == ServerSettings(db_url="sqlite://")


def test_values_are_read_as_their_types(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "THREADLINE_PORT": "8081",
        "THREADLINE_SECURE_COOKIES": "TRUE",
        "THREADLINE_LOG_LEVEL": "debug",
        "THREADLINE_JOB_TIMEOUT_S": "90.5",
        "THREADLINE_MAX_UPLOAD_BYTES": "5_000_000",
        "THREADLINE_MAX_ROWS": "1_000",
        "THREADLINE_MAX_DATA_AGE_DAYS": "0",
    }.items():
        monkeypatch.setenv(name, value)
    got = ServerSettings.from_env(db_url="sqlite://")
    assert (got.port, got.secure_cookies, got.log_level) == (8081, True, "DEBUG")
    assert (got.job_timeout_s, got.max_upload_bytes, got.limits.rows) == (90.5, 5_000_000, 1000)
    assert Settings.from_env("sqlite://").max_data_age_days == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("THREADLINE_PORT", "eighty"),
        ("THREADLINE_PORT", "0"),
        ("THREADLINE_SECURE_COOKIES", "maybe"),
        ("THREADLINE_LOG_LEVEL", "LOUD"),
        ("THREADLINE_JOB_TIMEOUT_S", "-5"),
        ("THREADLINE_PDF_TIMEOUT_S", "inf"),
        ("THREADLINE_JOB_MEMORY_BYTES", "4GiB"),
        ("THREADLINE_MAX_ROWS", "1e6"),
        ("THREADLINE_MAX_DATA_AGE_DAYS", "soon"),
    ],
)
def test_a_bad_value_names_its_variable(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(InputError) as refused:
        ServerSettings.from_env(db_url="sqlite://")
        Settings.from_env()
    assert str(refused.value).startswith(f"{name}: '{value}' is not ")


def test_a_value_is_cut_to_one_short_line() -> None:
    with pytest.raises(InputError) as refused:
        Environment({"THREADLINE_PORT": "9" * 500 + "\nx"}).integer("THREADLINE_PORT", 1)
    assert "\n" not in str(refused.value) and len(str(refused.value)) < 120


def test_the_cli_refuses_a_bad_limit_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from threadline.cli.app import main

    monkeypatch.setenv("THREADLINE_MAX_ROWS", "lots")
    monkeypatch.setattr(sys, "argv", ["threadline", "algorithms"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        "error: THREADLINE_MAX_ROWS: 'lots' is not a positive whole number\n"
    )
    assert Limits.from_env({}) == Limits()
