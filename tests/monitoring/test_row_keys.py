"""Which row is which across screenings: the user's own id column, the registration number,
else name + country as the import resolver keys a party."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.errors import InputError
from threadline.inputs import read_records
from threadline.model import InputRecord
from threadline.model.ids import party_id
from threadline.monitoring.keys import row_keys


def records(tmp_path: Path, text: str) -> list[InputRecord]:
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    return read_records(path)


@pytest.mark.parametrize("header", ["Vendor No.", "Supplier Code", "供应商编号"])
def test_own_id_column_is_guessed(tmp_path: Path, header: str) -> None:
    keys = row_keys(records(tmp_path, f"{header},supplier\nA-1,Acme Co\na-2,Beta Co\n"))
    assert (keys.kind, keys.column, keys.keys) == ("column", header, ("id:a-1", "id:a-2"))


def test_registration_number_serves_without_an_own_id(tmp_path: Path) -> None:
    keys = row_keys(records(tmp_path, "supplier,USCC\nAcme Co,91650100MA77XXXX1X\n"))
    assert keys.label == "column 'USCC'" and keys.keys == ("id:91650100ma77xxxx1x",)


def test_name_and_country_key_is_the_party_id_and_repeats_are_numbered(tmp_path: Path) -> None:
    keys = row_keys(records(tmp_path, "supplier,country\nAcme Co,CN\nACME  co,China\nAcme Co,PT\n"))
    first = f"name:{party_id('Acme Co', 'CN')}"
    assert keys.label == "name + country"
    assert keys.keys == (first, f"{first}#2", f"name:{party_id('Acme Co', 'PT')}")


def test_empty_id_falls_back_to_name_and_key_col_is_checked(tmp_path: Path) -> None:
    rows = records(tmp_path, "Vendor No.,supplier,ref\n,Acme Co,x1\nV2,Beta Co,x2\n")
    assert row_keys(rows).keys[0].startswith("name:")
    assert row_keys(rows, key_col="ref").keys == ("id:x1", "id:x2")
    with pytest.raises(InputError, match="--key-col"):
        row_keys(rows, key_col="nope")
