"""The data version covers every packaged data file: a new file must be named in the manifest."""

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest

from threadline.data import lists
from threadline.data.lists import data_version, manifest_files

_CODE = (".py", ".pyc")


def _files(folder: Traversable, prefix: str = "") -> set[str]:
    out: set[str] = set()
    for child in folder.iterdir():
        if child.is_dir():
            if child.name != "__pycache__":
                out |= _files(child, f"{prefix}{child.name}/")
        elif not child.name.endswith(_CODE) and child.name != "manifest.yaml":
            out.add(f"{prefix}{child.name}")
    return out


def test_every_packaged_data_file_is_in_the_manifest() -> None:
    on_disk = _files(resources.files("threadline.data"))
    listed = set(manifest_files())
    assert on_disk - listed == set(), "add these files to src/threadline/data/manifest.yaml"
    assert listed - on_disk == set(), "the manifest names files the package lacks"
    assert {"list_effects.yaml", "countries.csv", "columns.yaml", "import_columns.yaml"} <= listed


def _copy_data(tmp_path: Path) -> Path:
    root = Path(str(resources.files("threadline.data")))
    copy = tmp_path / "data"
    for name in manifest_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((root / name).read_bytes())
    (copy / "manifest.yaml").write_bytes((root / "manifest.yaml").read_bytes())
    return copy


@pytest.mark.parametrize(
    "edited", ["list_effects.yaml", "countries.csv", "lists/uflpa/entries.csv"]
)
def test_the_data_version_changes_when_any_data_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited: str
) -> None:
    copy = _copy_data(tmp_path)
    monkeypatch.setattr(lists, "_root", lambda: copy)
    data_version.cache_clear()
    try:
        before = data_version()
        with (copy / edited).open("a", encoding="utf-8") as handle:
            handle.write("\n# edited\n")
        data_version.cache_clear()
        assert data_version() != before
    finally:
        data_version.cache_clear()


def test_a_file_named_but_missing_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy_data(tmp_path)
    (copy / "countries.csv").unlink()
    monkeypatch.setattr(lists, "_root", lambda: copy)
    data_version.cache_clear()
    try:
        with pytest.raises(lists.DataError, match=r"countries\.csv"):
            data_version()
    finally:
        data_version.cache_clear()
