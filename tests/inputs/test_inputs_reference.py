"""read_reference_table: a user's list (or a bundled one) → ReferenceEntity with listings."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

import threadline
from threadline.errors import DataError, InputError
from threadline.inputs import read_reference, read_reference_table
from threadline.model.entities import ListEffect
from threadline.model.provenance import Reliability, Source

BUNDLED = Path(threadline.__file__).parent / "data" / "lists"

BENCH_LIKE = (
    "ref_id,name,aliases,name_zh,country,address,list,source_url,notes\n"
    'R1,"Hefei Bitland Information Technology Co., Ltd.",Bitland | 合肥宝龙达; Bitland Hefei,'
    "合肥宝龙达信息技术有限公司,CN,Hefei,BIS Entity List | CBP WRO,"
    "https://example.org/a | https://example.org/b,\n"
    "R2,Megvii Technology Ltd.,Megvii,,China,,BIS Entity List,,note\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path, columns: dict[str, str] | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        read_reference_table(path, columns=columns)
    assert str(path) in str(caught.value)
    return caught.value


def test_bench_style_list(tmp_path: Path) -> None:
    first, second = read_reference_table(write(tmp_path, "mylist.csv", BENCH_LIKE))
    assert first.id == "R1"
    assert first.schema == "Company"
    assert first.name == "Hefei Bitland Information Technology Co., Ltd."
    assert first.aliases == ("Bitland", "合肥宝龙达", "Bitland Hefei")
    assert first.names_zh == ("合肥宝龙达信息技术有限公司",)
    assert (first.country, first.address) == ("CN", "Hefei")
    assert [(lst.list_id, lst.list_name) for lst in first.listings] == [
        ("mylist", "BIS Entity List"),
        ("mylist", "CBP WRO"),
    ]
    listing = first.listings[0]
    assert listing.effect is ListEffect.USER
    assert listing.entry_id == "R1"
    assert listing.sources == (
        Source(url="https://example.org/a", title="", reliability=Reliability.USER_SUPPLIED),
        Source(url="https://example.org/b", title="", reliability=Reliability.USER_SUPPLIED),
    )
    assert second.country == "CN"
    assert second.notes == "note"


def test_row_without_sources_cites_its_file_and_row(tmp_path: Path) -> None:
    [entity] = read_reference_table(write(tmp_path, "mine.csv", "name\nAcme\n"))
    assert entity.listings[0].sources == (
        Source(url="", title="mine.csv, row 2", reliability=Reliability.USER_SUPPLIED),
    )
    assert entity.listings[0].list_name == "mine"


def test_all_fields_and_arguments(tmp_path: Path) -> None:
    text = (
        "id,name,kind,program,section,date_added,date_removed,product_scope,status,"
        "source_url,source_title,effect,identifiers,parent_id,sector,extra col\n"
        "x1,Xinjiang Police,organisation,GLOMAG,s1,2020-07,2023,cotton,active,"
        "https://a | https://b,Title A | Title B; part 2,,91650000X | 123,p0,security,kept\n"
        "x2,Chen,Person,,,2020,,,,,,SDN,,,,\n"
    )
    first, second = read_reference_table(
        write(tmp_path, "l.csv", text),
        list_id="custom",
        list_name="Custom list",
        effect=ListEffect.WRO,
        reliability=Reliability.MEDIA,
    )
    assert first.schema == "Organization"
    assert first.identifiers == ("91650000X", "123")
    assert (first.parent_id, first.sector) == ("p0", "security")
    assert first.extra == (("extra col", "kept"),)
    [listing] = first.listings
    assert (listing.list_id, listing.list_name, listing.effect) == (
        "custom",
        "Custom list",
        ListEffect.WRO,
    )
    assert (listing.program, listing.section, listing.product_scope, listing.status) == (
        "GLOMAG",
        "s1",
        "cotton",
        "active",
    )
    assert (listing.date_listed, listing.date_removed) == (dt.date(2020, 7, 1), dt.date(2023, 1, 1))
    assert [(s.url, s.title, s.reliability) for s in listing.sources] == [
        ("https://a", "Title A", Reliability.MEDIA),
        ("https://b", "Title B; part 2", Reliability.MEDIA),
    ]
    assert second.schema == "Person"
    assert second.listings[0].effect is ListEffect.SDN  # the row's own effect wins


def test_generated_ids_are_stable_and_distinct(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "name\nAcme\nBeta\n")
    once = [e.id for e in read_reference_table(path)]
    again = [e.id for e in read_reference_table(path)]
    assert once == again
    assert once[0] != once[1]
    assert once[0].startswith("l-")


def test_unknown_country_is_kept_in_extra(tmp_path: Path) -> None:
    [entity] = read_reference_table(write(tmp_path, "l.csv", "name,country\nAcme,Atlantis\n"))
    assert entity.country == ""
    assert entity.extra == (("country_raw", "Atlantis"),)


def test_xlsx_list_with_real_dates(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "date_listed"])
    sheet.append(["a", "Acme", dt.datetime(2022, 6, 21)])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "l.xlsx"
    path.write_bytes(buffer.getvalue())
    [entity] = read_reference_table(path)
    assert entity.listings[0].date_listed == dt.date(2022, 6, 21)


@pytest.mark.parametrize("bad", ["21/06/2022", "2022-13-01", "June 2022", "2022-6-1"])
def test_bad_date_names_file_row_and_column(tmp_path: Path, bad: str) -> None:
    path = write(tmp_path, "l.csv", f"name,date_listed\nA,2022-06-21\nB,{bad}\n")
    error = refusal(path)
    assert str(error) == (
        f"{path}: row 3: column 'date_listed': date '{bad}' is not YYYY-MM-DD (or YYYY-MM, YYYY)"
    )
    assert (error.row, error.column) == (3, "date_listed")


def test_duplicate_ids_name_both_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "id,name\na,A\nb,B\n\na,C\n")
    assert str(refusal(path)) == f"{path}: row 5: column 'id': duplicate id 'a' in rows 2 and 5"


def test_duplicate_names_without_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "name\nAcme\nAcme\n")
    assert "rows 2 and 3 (same name, no id column)" in str(refusal(path))


def test_empty_name(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "id,name\na,\n")
    assert str(refusal(path)) == f"{path}: row 2: column 'name': name is empty"


def test_bad_effect_and_kind(tmp_path: Path) -> None:
    effect = refusal(write(tmp_path, "e.csv", "name,effect\nA,banned\n"))
    assert "effect 'banned' is not one of uflpa, wro, sdn" in str(effect)
    kind = refusal(write(tmp_path, "k.csv", "name,kind\nA,Vessel\n"))
    assert "row 2: column 'kind': kind 'Vessel' is not one of Company, Facility" in str(kind)


def test_titles_must_pair_with_urls(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "name,source_url,source_title\nA,u1 | u2,only one\n")
    assert "row 2: column 'source_title': has 1 titles for 2 source URLs" in str(refusal(path))


def test_no_name_column(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "id,firm\na,A\n")
    assert "no name column found; columns are: id, firm" in str(refusal(path))


def test_explicit_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "code,entity,where\na,Acme,Urumqi\n")
    [entity] = read_reference_table(
        path, columns={"id": "code", "name": "Entity", "address": "where"}
    )
    assert (entity.id, entity.name, entity.address) == ("a", "Acme", "Urumqi")


def test_explicit_column_missing(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "name\nA\n")
    assert "column 'loc' given for the address field is not in the file" in str(
        refusal(path, columns={"address": "loc"})
    )


def test_unknown_field_in_column_mapping_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="unknown reference field 'adress'"):
        read_reference_table(write(tmp_path, "l.csv", "name\nA\n"), columns={"adress": "x"})


def test_expected_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", "name\nA\nB\n")
    assert len(read_reference_table(path, expected_rows=2)) == 2
    with pytest.raises(DataError, match=r"l\.csv: expected 3 rows, found 2"):
        read_reference_table(path, expected_rows=3)


def test_dispatch_reads_tables_as_tables(tmp_path: Path) -> None:
    [entity] = read_reference(write(tmp_path, "l.csv", "name\n{curly} Ltd\n"))
    assert entity.name == "{curly} Ltd"


def test_dispatch_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.csv: file not found"):
        read_reference(tmp_path / "nope.csv")


@pytest.mark.parametrize("folder", ["uflpa", "cbp_wro", "bis_xinjiang", "sanctions_xinjiang"])
def test_bundled_lists_read(folder: str) -> None:
    path = BUNDLED / folder / "entries.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    entities = read_reference_table(path, list_id=folder, reliability=Reliability.OFFICIAL_LIST)
    assert [entity.id for entity in entities] == ids
    for entity in entities:
        [listing] = entity.listings
        assert listing.date_listed is not None, entity.id
        assert listing.sources and all(source.url for source in listing.sources), entity.id
