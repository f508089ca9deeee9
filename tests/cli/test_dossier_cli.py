"""`threadline dossier` through the console script: an entity named by name, HTML and PDF."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

_BESIDE = Path(sys.executable).parent / "threadline"
SCRIPT = str(_BESIDE) if _BESIDE.exists() else shutil.which("threadline")


def test_dossier_of_a_listed_entity_as_html_and_pdf(tmp_path: Path) -> None:
    assert SCRIPT, "the threadline console script is not installed"
    out = tmp_path / "dossiers"
    done = subprocess.run(
        [
            SCRIPT,
            "dossier",
            "uflpa-hoshine-silicon-industry-shanshan",
            "--out",
            str(out),
            "--db",
            f"sqlite:///{tmp_path / 'store.db'}",
            "--as-of",
            "2026-01-01",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (html,) = out.glob("*.html")
    text = html.read_text(encoding="utf-8")
    assert "UFLPA Entity List" in text and "4. Due diligence" in text
    (pdf,) = out.glob("*.pdf")
    pages = PdfReader(pdf).pages
    assert 1 <= len(pages) <= 6
    assert "Hoshine" in pages[0].extract_text()
