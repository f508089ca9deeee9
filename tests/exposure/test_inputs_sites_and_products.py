"""The exposure input columns: product, HS code and site coordinates, read and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.errors import InputError
from threadline.inputs import read_records


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_product_hs_code_and_coordinates_are_read(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Supplier,Product Description,HS Code,Latitude,Longitude\n"
        'Acme,cotton T-shirts,6109.10,41.8063," 85.8929"\n'
        "Beta,,,,\n",
    )
    first, second = read_records(path)
    assert (first.product, first.hs_code, first.lat, first.lon) == (
        "cotton T-shirts",
        "6109.10",
        41.8063,
        85.8929,
    )
    assert (second.product, second.hs_code, second.lat, second.lon) == ("", "", None, None)


def test_chinese_and_short_coordinate_headers(tmp_path: Path) -> None:
    path = _csv(tmp_path, "供应商,纬度,经度,商品编码\n甲公司,39.36,76.05,5205\n")
    (record,) = read_records(path)
    assert (record.lat, record.lon, record.hs_code) == (39.36, 76.05, "5205")
    path = _csv(tmp_path, "name,lat,lng\nA,1.5,-2.5\n")
    (record,) = read_records(path)
    assert (record.lat, record.lon) == (1.5, -2.5)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,91,80", r"rows\.csv: row 2: column 'lat': '91' is not a coordinate"),
        ("A,north,80", r"row 2: column 'lat': 'north' is not a coordinate"),
        ("A,40,181.5", r"column 'lon': '181\.5' is not a coordinate"),
        ("A,40,", r"row 2: column 'lon': a site needs both latitude and longitude"),
        ("A,nan,80", r"column 'lat': 'nan' is not a coordinate"),
    ],
)
def test_bad_coordinates_name_file_row_and_column(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_records(_csv(tmp_path, f"name,lat,lon\n{row}\n"))


@pytest.mark.parametrize("code", ["cotton", "61O9", "6", "6109/10"])
def test_an_hs_code_that_is_not_digits_is_refused(tmp_path: Path, code: str) -> None:
    with pytest.raises(InputError, match=rf"row 2: column 'HS Code': '{code}' is not an HS code"):
        read_records(_csv(tmp_path, f"name,HS Code\nA,{code}\n"))
