"""A plain install (no `server` or `pdf` extra) screens; what needs an extra says which, in one
line with exit code 2. Missing modules are simulated: None in sys.modules fails their import."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from threadline.cli.app import main
from threadline.errors import MissingExtra
from threadline.extras import EXTRAS

SERVER_AND_PDF = (*EXTRAS["server"], *EXTRAS["pdf"], "starlette", "python_multipart")


def _without(monkeypatch: pytest.MonkeyPatch, modules: tuple[str, ...]) -> None:
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)
    # threadline's own modules that import them must import afresh, and fail, if used.
    for name in [m for m in sys.modules if m.startswith("threadline.server")]:
        monkeypatch.delitem(sys.modules, name)


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["threadline", *argv])
    with pytest.raises(SystemExit) as stopped:
        main()
    return int(stopped.value.code or 0)


def test_serve_without_the_server_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without(monkeypatch, ("fastapi",))
    assert _run(["serve"], monkeypatch) == 2
    assert capsys.readouterr().err == (
        "error: threadline serve needs fastapi, not installed: pip install 'threadline[server]'\n"
    )


def test_users_without_the_server_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without(monkeypatch, ("argon2",))
    assert _run(["user", "list"], monkeypatch) == 2
    assert "pip install 'threadline[server]'" in capsys.readouterr().err


def test_pdf_without_the_pdf_extra_names_it_before_any_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _without(monkeypatch, ("weasyprint",))
    out = tmp_path / "out"
    argv = ["screen", "examples/suppliers.csv", "--pdf", "--out", str(out), "--no-store"]
    assert _run(argv, monkeypatch) == 2
    assert capsys.readouterr().err == (
        "error: --pdf needs weasyprint, not installed: pip install 'threadline[pdf]'\n"
    )
    assert not out.exists()


def test_rendering_a_pdf_without_weasyprint_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server's PDF downloads and the web app's dossiers render through here."""
    from threadline.report.pdf import pdf_from_html

    _without(monkeypatch, ("weasyprint",))
    with pytest.raises(MissingExtra, match=r"pip install 'threadline\[pdf\]'"):
        pdf_from_html("<p>x</p>")


def test_a_plain_install_screens_the_bundled_example(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """README's first command, without FastAPI, uvicorn, argon2 or WeasyPrint."""
    _without(monkeypatch, SERVER_AND_PDF)
    out = tmp_path / "out"
    assert _run(["screen", "examples/suppliers.csv", "--out", str(out), "-q"], monkeypatch) == 0
    assert (out / "report.html").is_file() and (out / "results.json").is_file()
