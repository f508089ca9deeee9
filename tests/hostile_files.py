"""Hostile input files, built in memory: one builder for the suite and for bench/soak.py (which
puts this folder on its path). Plain standard library, so that the bench needs nothing of the
tests but this file, and the package none of it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TALL_ROW = 2_000_000_000  # far past any row limit, in a file of a few hundred bytes


def workbook_bytes(sheet_data: str, *, dimension: str = "") -> bytes:
    """A minimal XLSX workbook whose one sheet holds `sheet_data` (the inside of <sheetData>)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{_REL}"><Relationship Id="rId1" '
            f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{_NS}" xmlns:r="{_DOC}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{_REL}"><Relationship Id="rId1" '
            f'Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{_NS}">'
            + (f'<dimension ref="{dimension}"/>' if dimension else "")
            + f"<sheetData>{sheet_data}</sheetData></worksheet>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def workbook(path: Path, sheet_data: str, *, dimension: str = "") -> Path:
    """`workbook_bytes` written to `path`."""
    path.write_bytes(workbook_bytes(sheet_data, dimension=dimension))
    return path


def row(number: int, *cells: str) -> str:
    """One sheet row of inline-text cells, A onwards."""
    inner = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{cell}</t></is></c>'
        for i, cell in enumerate(cells)
    )
    return f'<row r="{number}">{inner}</row>'


def tall_workbook() -> bytes:
    """A header and one row numbered two billion: a reader that trusts row numbers pads them."""
    return workbook_bytes(row(1, "supplier") + row(TALL_ROW, "X"))


def bomb_workbook() -> bytes:
    """A sheet of 200 MB of blanks that deflates to a few hundred KB: a zip bomb."""
    return workbook_bytes(row(1, "supplier") + " " * (200 * 1024 * 1024))


def long_cell_csv() -> bytes:
    """A CSV with one 200,000-character cell."""
    return b"supplier,country\n" + b"x" * 200_000 + b",CN\n"


def hostile_files() -> list[tuple[str, bytes]]:
    """Each hostile file with the name it is uploaded under."""
    return [
        ("tall.xlsx", tall_workbook()),
        ("bomb.xlsx", bomb_workbook()),
        ("longcell.csv", long_cell_csv()),
    ]
